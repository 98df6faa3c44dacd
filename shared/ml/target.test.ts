import { describe, expect, it } from 'vitest';
import { inferTask, prepareTarget } from './target.js';
import type { FrameColumn } from './types.js';

const category = (codes: number[], levels: string[]): FrameColumn => ({ name: 'y', type: 'category', codes: Int32Array.from(codes), levels });
const numbers = (values: number[]): FrameColumn => ({ name: 'y', type: 'number', values: Float64Array.from(values) });

describe('the target', () => {
  it('guesses the task from the column', () => {
    expect(inferTask(category([0, 1, 1], ['a', 'b']))).toBe('binary');
    expect(inferTask(category([0, 1, 2], ['a', 'b', 'c']))).toBe('multiclass');
    expect(inferTask(numbers([0, 1, 1, 0]))).toBe('binary');
    expect(inferTask(numbers(Array.from({ length: 50 }, (_, i) => i * 1.5)))).toBe('regression');
    expect(() => inferTask({ name: 'note', type: 'text', values: ['x'] })).toThrow('note is free text');
  });

  it('puts the rarer class at index 1 by default, or the one asked for, and leaves out rows without a target', () => {
    const col = category([0, 0, 0, 1, -1, 1, 0], ['<=50K', '>50K']);
    const rare = prepareTarget(col, 'binary');
    expect(rare.target.classes).toEqual(['<=50K', '>50K']);
    expect(Array.from(rare.target.values)).toEqual([0, 0, 0, 1, 1, 0]);
    expect(Array.from(rare.rows)).toEqual([0, 1, 2, 3, 5, 6]);
    expect(rare.missing).toBe(1);
    const flipped = prepareTarget(col, 'binary', '<=50K');
    expect(flipped.target.classes).toEqual(['>50K', '<=50K']);
    expect(Array.from(flipped.target.values)).toEqual([1, 1, 1, 0, 0, 1]);
    expect(() => prepareTarget(col, 'binary', 'maybe')).toThrow('y has no class "maybe"; its classes are <=50K and >50K.');
  });

  it('refuses a target that cannot be learned', () => {
    expect(() => prepareTarget(category([0, 0, -1], ['only']), 'binary')).toThrow('only one value (only)');
    expect(() => prepareTarget(category([0, 1, 2], ['a', 'b', 'c']), 'binary')).toThrow('choose a multiclass task');
    expect(() => prepareTarget(category([0, 1], ['a', 'b']), 'regression')).toThrow('regression needs a numeric target');
  });

  it('keeps finite values for regression and numbers as class labels for classification', () => {
    const reg = prepareTarget(numbers([1.5, Number.NaN, 3]), 'regression');
    expect(Array.from(reg.target.values)).toEqual([1.5, 3]);
    expect(reg.missing).toBe(1);
    const cls = prepareTarget(numbers([2, 1, 3, 1]), 'multiclass');
    expect(cls.target.classes).toEqual(['1', '2', '3']);
    expect(Array.from(cls.target.values)).toEqual([1, 0, 2, 0]);
  });
});
