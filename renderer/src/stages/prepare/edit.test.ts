import { describe, expect, it } from 'vitest';
import { describeStep, validateStep, type PipelineSpec } from '../../../../shared/ml/pipeline/index.js';
import type { Frame } from '../../../../shared/ml/types.js';
import { applyEdit, columnInfos, newStep, parseIntList, recipeOf, RECIPES, startEditing, startingPipeline, undo, UNDO_DEPTH } from './edit.js';

const spec: PipelineSpec = {
  steps: [
    { kind: 'drop', columns: ['id'] },
    { kind: 'impute', columns: { type: 'number' }, strategy: 'median' },
    { kind: 'scale', columns: { type: 'number' }, method: 'standard' },
  ],
};

describe('pipeline editing', () => {
  it('adds, edits, moves and removes steps, and undoes each change in turn', () => {
    let s = startEditing(spec);
    s = applyEdit(s, { type: 'add', step: { kind: 'transform', method: 'log1p', columns: ['income'] } });
    expect(s.spec.steps.map((x) => x.kind)).toEqual(['drop', 'impute', 'scale', 'transform']);
    expect(s.lastChange).toBe('add step 4');
    s = applyEdit(s, { type: 'move', index: 3, to: 1 });
    expect(s.spec.steps.map((x) => x.kind)).toEqual(['drop', 'transform', 'impute', 'scale']);
    expect(s.lastChange).toBe('move step 4 up');
    s = applyEdit(s, { type: 'replace', index: 3, step: { kind: 'scale', columns: { type: 'number' }, method: 'robust' } });
    s = applyEdit(s, { type: 'remove', index: 0 });
    expect(s.spec.steps.map((x) => x.kind)).toEqual(['transform', 'impute', 'scale']);

    s = undo(s);
    expect(s.spec.steps[0]).toEqual({ kind: 'drop', columns: ['id'] });
    expect(s.lastChange).toBe('edit step 4');
    s = undo(s);
    expect(s.spec.steps[3]).toEqual({ kind: 'scale', columns: { type: 'number' }, method: 'standard' });
    s = undo(s);
    s = undo(s);
    expect(s.spec).toBe(spec);
    expect(s.lastChange).toBeNull();
    expect(undo(s)).toBe(s);
  });

  it('ignores edits that change nothing, so undo never restores a copy of the same pipeline', () => {
    const s = startEditing(spec);
    expect(applyEdit(s, { type: 'move', index: 0, to: -1 })).toBe(s);
    expect(applyEdit(s, { type: 'move', index: 2, to: 3 })).toBe(s);
    expect(applyEdit(s, { type: 'remove', index: 5 })).toBe(s);
    expect(applyEdit(s, { type: 'replace', index: -1, step: spec.steps[0]! })).toBe(s);
  });

  it('remembers at most UNDO_DEPTH changes', () => {
    let s = startEditing({ steps: [] });
    for (let i = 0; i < UNDO_DEPTH + 5; i++) s = applyEdit(s, { type: 'add', step: { kind: 'drop', columns: [`c${i}`] } });
    expect(s.history).toHaveLength(UNDO_DEPTH);
    for (let i = 0; i < UNDO_DEPTH; i++) s = undo(s);
    expect(s.spec.steps).toHaveLength(5);
  });

  it('offers a valid, describable new step for every recipe, which reads back as the same recipe', () => {
    const columns = [
      { name: 'age', type: 'number' as const },
      { name: 'when', type: 'datetime' as const },
      { name: 'job', type: 'category' as const },
    ];
    for (const { recipe } of RECIPES) {
      const step = newStep(recipe, columns);
      expect(recipeOf(step)).toBe(recipe);
      if (recipe === 'drop') continue; // starts with no columns: the analyst picks them
      expect(() => validateStep(step, 'step')).not.toThrow();
      expect(describeStep(step)).toMatch(/\.$/);
    }
    expect(newStep('derive', columns)).toMatchObject({ expression: '"age" ^ 2' });
    expect(newStep('lag', columns)).toMatchObject({ orderBy: 'when' });
  });

  it('starts from the default pipeline for the frame: target and one-value columns dropped', () => {
    const frame: Frame = {
      rowCount: 4,
      columns: [
        { name: 'age', type: 'number', values: Float64Array.from([30, NaN, 40, 50]) },
        { name: 'const', type: 'number', values: Float64Array.from([1, 1, NaN, 1]) },
        { name: 'job', type: 'category', codes: Int32Array.from([0, 1, -1, 0]), levels: ['a', 'b'] },
        { name: 'y', type: 'category', codes: Int32Array.from([0, 1, 1, 0]), levels: ['no', 'yes'] },
      ],
    };
    expect(columnInfos(frame).map((c) => c.distinct)).toEqual([2, 1, 2, 2]);
    const start = startingPipeline(frame, 'y');
    expect(start.steps[0]).toEqual({ kind: 'drop', columns: ['const', 'y'] });
    expect(start.steps.some((s) => s.kind === 'encode')).toBe(true);
  });

  it('reads lists of whole numbers', () => {
    expect(parseIntList('1, 7 30')).toEqual([1, 7, 30]);
    expect(parseIntList('')).toEqual([]);
    expect(parseIntList('1, x')).toBeNull();
    expect(parseIntList('0')).toBeNull();
  });
});
