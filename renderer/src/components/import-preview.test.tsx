// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ImportOptions } from '../../../shared/host/contract.js';
import { useApp } from '../store/index.js';
import { ImportPreview, tokenLabel } from './ImportPreview.js';

/** The preview dialog's controls: what it shows, and the choices it hands to the store. */

const { updatePreview, decidePreview } = useApp.getState();
afterEach(() => {
  cleanup();
  useApp.setState({ pendingPreview: null, updatePreview, decidePreview });
});

const preview = {
  detected: { format: 'csv' as const, delimiter: ';', quote: '"', header: true, encoding: 'Latin-1' },
  columns: [
    { name: 'id', detectedType: 'BIGINT', suggested: 'identifier' as const },
    { name: 'city', detectedType: 'VARCHAR', suggested: 'category' as const },
  ],
  sampleRows: [[1, 'Graz'], [2, null]],
  missingTokens: ['', 'NA', ' '],
  notes: ['Column 3 had no name in the header; named column_3.'],
};

function show(status: 'done' | 'running' = 'done'): { updates: ImportOptions[]; decisions: boolean[] } {
  const updates: ImportOptions[] = [];
  const decisions: boolean[] = [];
  useApp.setState({
    pendingPreview: { importId: 'i1', fileName: 'towns.csv', preview, options: {}, status, error: null, appending: ['more.csv'] },
    updatePreview: async (options) => {
      updates.push(options);
    },
    decidePreview: (importIt) => decisions.push(importIt),
  });
  render(<ImportPreview />);
  return { updates, decisions };
}

describe('ImportPreview', () => {
  it('names tokens a person could not see otherwise', () => {
    expect([tokenLabel(''), tokenLabel(' '), tokenLabel('   '), tokenLabel('?')]).toEqual(['empty cell', 'a single space', '3 spaces', '?']);
  });

  it('shows the detected settings, notes, appended files, kinds, tokens and the sample with missing cells marked', () => {
    show();
    expect(screen.getByTestId('detected').textContent).toBe('CSV · Semicolon-separated · first row is the header · Latin-1');
    expect(screen.getByText('Column 3 had no name in the header; named column_3.').textContent).toBe('Column 3 had no name in the header; named column_3.');
    expect(screen.getByTestId('appending').textContent).toContain('more.csv has the same columns');
    expect((screen.getByRole('combobox', { name: 'Type of id' }) as HTMLSelectElement).value).toBe('identifier');
    expect(screen.getByTestId('missing-tokens').textContent).toContain('a single space');
    expect(screen.getAllByRole('cell').map((c) => c.textContent)).toEqual(['1', 'Graz', '2', 'missing']);
  });

  it('hands each choice to the store to preview again, and Import / Cancel decide', () => {
    const { updates, decisions } = show();
    fireEvent.change(screen.getByRole('combobox', { name: 'Type of city' }), { target: { value: 'text' } });
    fireEvent.click(screen.getByRole('button', { name: 'Stop reading NA as missing' }));
    fireEvent.change(screen.getByRole('textbox', { name: 'Another missing value' }), { target: { value: '-999' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(updates).toEqual([{ types: { city: 'text' } }, { missingTokens: ['', ' '] }, { missingTokens: ['', 'NA', ' ', '-999'] }]);
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(decisions).toEqual([true, false]);
  });

  it('waits for a changed choice to be previewed before Import', () => {
    show('running');
    expect((screen.getByRole('button', { name: 'Import' }) as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByText('Reading again with your choices…').textContent).toBe('Reading again with your choices…');
  });
});
