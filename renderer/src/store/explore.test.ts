import { describe, expect, it } from 'vitest';
import type { SplitDocument } from '../../../shared/schema/split.js';
import { explorationOf } from './explore.js';
import type { AppState } from './index.js';

const split: SplitDocument = {
  schemaVersion: 1,
  id: 'sp_0123456789abcdef',
  datasetId: 'ds_a',
  datasetSha256: 'a'.repeat(64),
  spec: { method: 'random', fractions: [0.7, 0.15, 0.15], seed: 1 },
  createdAt: '2026-11-28T10:00:00.000Z',
  assignmentSha256: 'b'.repeat(64),
  rows: 10,
  counts: { train: 7, validation: 2, test: 1, excluded: 0 },
};

function state(over: Partial<AppState>): AppState {
  return {
    project: { name: 'P' },
    table: { table: 't_a', rows: 10, columns: [] },
    activeDatasetId: 'ds_a',
    splits: [],
    splitsProject: 'P',
    attachedSplit: null,
    ...over,
  } as unknown as AppState;
}

describe('the exploration lock', () => {
  it('shows nothing until the splits are known', () => {
    expect(explorationOf(state({ splits: null })).ready).toBe(false);
    expect(explorationOf(state({ splitsProject: 'Other' })).ready).toBe(false);
  });

  it('shows every row of a dataset without a split', () => {
    expect(explorationOf(state({}))).toEqual({ ready: true, split: null, partition: null, rows: 10 });
  });

  it('waits for the split to be registered, then filters every view on the training partition', () => {
    expect(explorationOf(state({ splits: [split] }))).toMatchObject({ ready: false, split });
    const attached = state({ splits: [split], attachedSplit: { table: 't_a', splitId: split.id } });
    expect(explorationOf(attached)).toEqual({
      ready: true,
      split,
      partition: { table: 't_a__split', column: 'partition', value: 'train' },
      rows: 7,
    });
    // A split attached to another table does not count.
    expect(explorationOf(state({ splits: [split], attachedSplit: { table: 't_b', splitId: split.id } })).ready).toBe(false);
  });
});
