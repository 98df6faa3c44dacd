// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useApp } from '../store/index.js';
import { overallFraction } from '../store/imports.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ImportList } from './ImportList.js';
import { Sidebar, STAGES } from './Sidebar.js';

afterEach(() => {
  cleanup();
  useApp.setState({ project: null, imports: [] });
});

const project = {
  schemaVersion: 2 as const,
  id: 'p1',
  name: 'Churn',
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
  datasets: [],
};

describe('Sidebar', () => {
  it('lists every lifecycle stage in order, with only built stages clickable', () => {
    useApp.setState({ project, stage: 'data' });
    render(<Sidebar />);
    const nav = screen.getByRole('navigation', { name: 'Project stages' });
    expect(nav.textContent).toContain('Churn');
    const labels = STAGES.map((s) => s.label);
    expect(labels).toEqual(['Define', 'Data', 'Prepare', 'Train', 'Evaluate', 'Models', 'Deploy', 'Monitor', 'Govern']);
    expect(screen.getByRole('button', { name: 'Data' }).getAttribute('aria-current')).toBe('page');
    expect(screen.queryByRole('button', { name: /Evaluate/ })).toBeNull();
    expect(nav.querySelectorAll('[aria-disabled="true"]')).toHaveLength(5);
  });

  it('moves between the built stages', () => {
    useApp.setState({ project, stage: 'data' });
    render(<Sidebar />);
    fireEvent.click(screen.getByRole('button', { name: 'Train' }));
    expect(useApp.getState().stage).toBe('train');
    expect(screen.getByRole('button', { name: 'Train' }).getAttribute('aria-current')).toBe('page');
    fireEvent.click(screen.getByRole('button', { name: 'Define' }));
    expect(useApp.getState().stage).toBe('define');
  });

  it('goes back to the project list', () => {
    useApp.setState({ project });
    render(<Sidebar />);
    fireEvent.click(screen.getByRole('button', { name: '← All projects' }));
    expect(useApp.getState().project).toBeNull();
  });
});

describe('ImportList', () => {
  it('shows one progress bar per running import and the reason for a failure', () => {
    useApp.setState({
      imports: [
        { importId: 'a', fileName: 'big.csv', phase: 'copy', fraction: 0.5, status: 'running', error: null },
        { importId: 'b', fileName: 'bad.csv', phase: 'inspect', fraction: 0, status: 'failed', error: 'bad.csv is empty.' },
      ],
    });
    render(<ImportList />);
    const bar = screen.getByRole('progressbar', { name: 'Importing big.csv' });
    expect(bar.getAttribute('value')).toBe(String(Math.round(overallFraction('copy', 0.5) * 100)));
    expect(screen.getByRole('alert').textContent).toBe('bad.csv is empty.');
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Dismiss bad.csv' })));
    expect(useApp.getState().imports.map((j) => j.importId)).toEqual(['a']);
  });

  it('moves one bar steadily through the phases', () => {
    const points = [
      overallFraction('upload', 0),
      overallFraction('upload', 1),
      overallFraction('copy', 0.5),
      overallFraction('inspect', 1),
      overallFraction('save', 1),
    ];
    expect(points[0]).toBe(0);
    expect(points.at(-1)).toBe(1);
    for (let i = 1; i < points.length; i++) expect(points[i]).toBeGreaterThan(points[i - 1] as number);
  });
});

describe('ConfirmDialog', () => {
  it('starts on Cancel, cancels on Escape and confirms on its button', () => {
    const onCancel = vi.fn();
    const onConfirm = vi.fn();
    render(
      <ConfirmDialog title="Delete “x”?" confirmLabel="Delete project" danger onCancel={onCancel} onConfirm={onConfirm}>
        gone for good
      </ConfirmDialog>,
    );
    expect(document.activeElement?.textContent).toBe('Cancel');
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByRole('button', { name: 'Delete project' }));
    expect(onConfirm).toHaveBeenCalledTimes(1);
  });
});
