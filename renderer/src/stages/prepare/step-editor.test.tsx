// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ColumnInfo } from '../../../../shared/ml/pipeline/index.js';
import { newStep } from './edit.js';
import { StepEditor } from './StepEditor.js';

afterEach(cleanup);

const columns: ColumnInfo[] = [
  { name: 'age', type: 'number' },
  { name: 'hours', type: 'number' },
  { name: 'job', type: 'category' },
];

describe('the step editor', () => {
  it('edits a step\u2019s options and columns, shows its sentence, and hands back the checked step', () => {
    const onDone = vi.fn();
    render(<StepEditor initial={newStep('bins', columns)} columns={columns} mode="add" onDone={onDone} onCancel={() => undefined} />);
    fireEvent.change(screen.getByLabelText('How many'), { target: { value: '4' } });
    fireEvent.click(screen.getByLabelText('These columns:'));
    const chosen = screen.getByLabelText('Chosen columns') as HTMLSelectElement;
    // Switching to named columns starts from every column of the type.
    expect(Array.from(chosen.selectedOptions, (o) => o.value)).toEqual(['age', 'hours']);
    expect(screen.getByTestId('step-sentence').textContent).toBe('Cut "age" and "hours" into 4 equally filled bins fitted on the training rows.');
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }));
    expect(onDone).toHaveBeenCalledWith({ kind: 'transform', method: 'bins', columns: ['age', 'hours'], strategy: 'quantile', bins: 4 });
  });

  it('refuses a step that cannot work and says why, keeping the form open', () => {
    const onDone = vi.fn();
    render(<StepEditor initial={newStep('derive', columns)} columns={columns} mode="add" onDone={onDone} onCancel={() => undefined} />);
    fireEvent.change(screen.getByLabelText(/^Expression/), { target: { value: 'age * (hours' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }));
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).not.toBe('');
    fireEvent.change(screen.getByLabelText(/^Expression/), { target: { value: 'age * hours' } });
    fireEvent.change(screen.getByLabelText('New column name'), { target: { value: 'effort' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }));
    expect(onDone).toHaveBeenCalledWith({ kind: 'derive', name: 'effort', expression: 'age * hours' });
  });

  it('refuses an empty column list and cancels on Escape', () => {
    const onDone = vi.fn();
    const onCancel = vi.fn();
    render(<StepEditor initial={newStep('drop', columns)} columns={columns} mode="add" onDone={onDone} onCancel={onCancel} />);
    fireEvent.click(screen.getByRole('button', { name: 'Add step' }));
    expect(onDone).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe('Choose at least one column.');
    fireEvent.keyDown(screen.getByLabelText('Chosen columns'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalled();
  });
});
