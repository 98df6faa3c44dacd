import { HostError } from '../host/errors.js';
import type { FrameColumn, Target, Task } from './types.js';

/**
 * The target column of a frame as a `Target`: class indices for classification (the positive class of a binary
 * task at index 1), the values for regression. Rows whose target is missing cannot be learned from; `rows`
 * lists the ones that can.
 */

/** At most this many classes for a classification task. */
export const MAX_CLASSES = 100;

export interface PreparedTarget {
  target: Target;
  /** Rows (indices into the frame) with a target value. */
  rows: Uint32Array;
  missing: number;
}

/** What a target column suggests: two values → binary, a few → multiclass, a number with many values → regression. */
export function inferTask(column: FrameColumn): Task {
  if (column.type === 'category') return column.levels.length <= 2 ? 'binary' : column.levels.length <= 20 ? 'multiclass' : 'regression';
  if (column.type === 'number') {
    const distinct = new Set<number>();
    for (const v of column.values) {
      if (!Number.isNaN(v)) distinct.add(v);
      if (distinct.size > 20) return 'regression';
    }
    return distinct.size <= 2 ? 'binary' : 'multiclass';
  }
  throw new HostError('invalid-argument', `${column.name} is ${column.type === 'text' ? 'free text' : 'a date'}; choose a category or a number as the target.`);
}

/**
 * Builds the target for `task`. `positiveClass` (binary) is the class the model scores; by default the less
 * frequent one, which is what analysts usually want to find (the defaulter, the churner).
 */
export function prepareTarget(column: FrameColumn, task: Task, positiveClass?: string): PreparedTarget {
  if (task === 'regression') return regressionTarget(column);
  const { labels, codes } = classLabels(column);
  const counts = new Float64Array(labels.length);
  for (const c of codes) if (c >= 0) counts[c]! += 1;
  const present = labels.map((label, i) => ({ label, i, count: counts[i]! })).filter((c) => c.count > 0);
  if (present.length < 2) throw new HostError('invalid-argument', `${column.name} has ${present.length === 0 ? 'no values' : `only one value (${present[0]!.label})`}; a classification target needs at least two classes.`);
  if (task === 'binary' && present.length > 2) {
    throw new HostError('invalid-argument', `${column.name} has ${present.length} classes; choose a multiclass task, or a target with two classes for a binary one.`);
  }
  if (present.length > MAX_CLASSES) throw new HostError('invalid-argument', `${column.name} has ${present.length} classes; Orchard classifies into at most ${MAX_CLASSES}. Is it a number to predict (regression)?`);
  let order = present;
  if (task === 'binary') {
    const positive = positiveClass ?? [...present].sort((a, b) => a.count - b.count || (a.label < b.label ? 1 : -1))[0]!.label;
    const index = present.findIndex((c) => c.label === positive);
    if (index < 0) throw new HostError('invalid-argument', `${column.name} has no class "${positive}"; its classes are ${present.map((c) => c.label).join(' and ')}.`);
    order = [present[1 - index]!, present[index]!];
  }
  const remap = new Int32Array(labels.length).fill(-1);
  order.forEach((c, k) => (remap[c.i] = k));
  const rows: number[] = [];
  for (let r = 0; r < codes.length; r++) if (codes[r]! >= 0) rows.push(r);
  const values = new Float64Array(rows.length);
  rows.forEach((r, i) => (values[i] = remap[codes[r]!]!));
  return { target: { task, values, classes: order.map((c) => c.label) }, rows: Uint32Array.from(rows), missing: codes.length - rows.length };
}

function regressionTarget(column: FrameColumn): PreparedTarget {
  if (column.type !== 'number') throw new HostError('invalid-argument', `${column.name} is not a number; regression needs a numeric target (or choose a classification task).`);
  const rows: number[] = [];
  column.values.forEach((v, r) => {
    if (Number.isFinite(v)) rows.push(r);
  });
  if (rows.length === 0) throw new HostError('invalid-argument', `${column.name} has no values to learn from.`);
  const values = Float64Array.from(rows, (r) => column.values[r]!);
  return { target: { task: 'regression', values }, rows: Uint32Array.from(rows), missing: column.values.length - rows.length };
}

/** Class labels and per-row codes (-1 missing) of a category or a number column (numbers become their text). */
function classLabels(column: FrameColumn): { labels: string[]; codes: Int32Array } {
  if (column.type === 'category') return { labels: column.levels, codes: column.codes };
  if (column.type !== 'number') throw new HostError('invalid-argument', `${column.name} is ${column.type === 'text' ? 'free text' : 'a date'}; choose a category or a number as the target.`);
  const distinct = [...new Set(Array.from(column.values).filter((v) => !Number.isNaN(v)))].sort((a, b) => a - b);
  const index = new Map(distinct.map((v, i) => [v, i]));
  const codes = Int32Array.from(column.values, (v) => (Number.isNaN(v) ? -1 : index.get(v)!));
  return { labels: distinct.map(String), codes };
}
