import { describe, expect, it } from 'vitest';
import type { Frame } from '../../../shared/ml/types.js';
import type { DatasetRecord } from '../../../shared/schema/project.js';
import { classCounts, frameColumns, minorityShare } from './data.js';

const frame: Frame = {
  rowCount: 6,
  columns: [
    { name: 'income', type: 'category', codes: Int32Array.from([0, 0, 1, 0, -1, 1]), levels: ['<=50K', '>50K'] },
    { name: 'n', type: 'number', values: Float64Array.from([1, 2, 2, NaN, 2, 3]) },
  ],
};

describe('training data helpers', () => {
  it('counts classes over one partition (training) or all rows, largest first, missing left out', () => {
    expect(classCounts(frame, 'income', null)).toEqual([
      { label: '<=50K', count: 3 },
      { label: '>50K', count: 2 },
    ]);
    const partitions = Uint8Array.from([0, 0, 0, 1, 0, 2]);
    expect(classCounts(frame, 'income', partitions)).toEqual([
      { label: '<=50K', count: 2 },
      { label: '>50K', count: 1 },
    ]);
    expect(classCounts(frame, 'n', null)).toEqual([
      { label: '2', count: 3 },
      { label: '1', count: 1 },
      { label: '3', count: 1 },
    ]);
    expect(classCounts(frame, 'nope', null)).toEqual([]);
  });

  it('gives the smallest class\u2019s share, or nothing without two classes', () => {
    expect(minorityShare([{ count: 3 }, { count: 1 }])).toBe(0.25);
    expect(minorityShare([{ count: 3 }])).toBeUndefined();
  });

  it('reads every column that can be a feature, plus the target', () => {
    const dataset = {
      columns: [
        { name: 'id', type: 'BIGINT', kind: 'identifier' },
        { name: 'age', type: 'BIGINT' },
        { name: 'note', type: 'VARCHAR', kind: 'ignore' },
        { name: 'label', type: 'VARCHAR', kind: 'identifier' },
      ],
    } as unknown as DatasetRecord;
    expect(frameColumns(dataset, 'label')).toEqual(['age', 'label']);
  });
});
