import { mulberry32, shuffleInPlace } from '../data/random.js';
import { HostError } from '../host/errors.js';

/**
 * Cross-validation folds over the rows of the training partition. Rows are positions 0..n-1 in the arrays
 * given (the training partition's own order); every fold's `train` and `validation` are sorted ascending.
 * Seeded folds use `mulberry32`, so the same seed gives the same folds in every process.
 */

export interface Fold {
  train: Uint32Array;
  validation: Uint32Array;
}

/**
 * Plain k-fold: the rows shuffled with `seed`, then cut into k consecutive folds, the first n mod k of them one
 * row larger, like sklearn `KFold(n_splits=k, shuffle=True)` (with a different random generator, so the rows
 * differ). Each row is validated exactly once.
 */
export function kFold(n: number, k: number, seed: number): Fold[] {
  checkFolds(n, k);
  const order = shuffleInPlace(Uint32Array.from({ length: n }, (_, i) => i), mulberry32(seed));
  const foldOf = new Int32Array(n);
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    for (let j = start; j < start + size; j++) foldOf[order[j]!] = f;
    start += size;
  }
  return foldsFrom(foldOf, k);
}

/**
 * Stratified k-fold: every class spread evenly over the folds. Each class's rows are shuffled with `seed`,
 * the classes are laid end to end (in increasing label order) and the rows dealt to folds 0, 1, …, k−1, 0, …
 * continuing from class to class. So each fold holds ⌊n_c/k⌋ or ⌈n_c/k⌉ rows of every class c, and ⌊n/k⌋ or
 * ⌈n/k⌉ rows in all. Labels are any numbers (class indices); NaN is refused. A class with fewer rows than k
 * cannot be in every fold and is refused with a message saying what to do.
 */
export function stratifiedKFold(labels: ArrayLike<number>, k: number, seed: number): Fold[] {
  const n = labels.length;
  checkFolds(n, k);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const label = labels[i]!;
    if (Number.isNaN(label)) invalid(`Row ${i} has no class (missing target). Drop rows with a missing target before cross-validation.`);
    let rows = byClass.get(label);
    if (rows === undefined) byClass.set(label, (rows = []));
    rows.push(i);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  for (const c of classes) {
    const size = byClass.get(c)!.length;
    if (size < k) {
      invalid(
        `Class ${c} has only ${size} row${size === 1 ? '' : 's'} in the training rows, fewer than the ${k} folds, so some folds would not see it. ` +
          `Use at most ${size} folds, merge this class with a similar one, or use plain (unstratified) k-fold.`,
      );
    }
  }
  const random = mulberry32(seed);
  const foldOf = new Int32Array(n);
  let position = 0;
  for (const c of classes) {
    const rows = shuffleInPlace(Uint32Array.from(byClass.get(c)!), random);
    for (const row of rows) foldOf[row] = position++ % k;
  }
  return foldsFrom(foldOf, k);
}

/**
 * Group k-fold: all rows of a group in the same fold, so no group is both trained and validated on. Groups
 * are taken largest first (ties in a seeded shuffled order) and each goes to the fold with the fewest rows so
 * far (the lowest-numbered fold on ties), like sklearn `GroupKFold`, which breaks ties by group order instead.
 * Group values are compared exactly; NaN is one group. Fewer groups than folds is refused.
 */
export function groupKFold(groups: ArrayLike<number | string>, k: number, seed: number): Fold[] {
  const n = groups.length;
  checkFolds(n, k);
  const index = new Map<number | string, number>();
  const groupOf = new Int32Array(n);
  const sizes: number[] = [];
  for (let i = 0; i < n; i++) {
    const g = groups[i]!;
    let id = index.get(g);
    if (id === undefined) {
      id = sizes.length;
      index.set(g, id);
      sizes.push(0);
    }
    groupOf[i] = id;
    sizes[id]! += 1;
  }
  const groupCount = sizes.length;
  if (groupCount < k) {
    invalid(`There are only ${groupCount} group${groupCount === 1 ? '' : 's'} in the training rows, fewer than the ${k} folds; each fold needs a group of its own. Use at most ${groupCount} folds, or group by a finer column.`);
  }
  const order = Array.from(shuffleInPlace(Uint32Array.from({ length: groupCount }, (_, i) => i), mulberry32(seed)));
  order.sort((a, b) => sizes[b]! - sizes[a]!); // stable: equal sizes keep their shuffled order
  const foldSize = new Array<number>(k).fill(0);
  const foldOfGroup = new Int32Array(groupCount);
  for (const g of order) {
    let smallest = 0;
    for (let f = 1; f < k; f++) if (foldSize[f]! < foldSize[smallest]!) smallest = f;
    foldOfGroup[g] = smallest;
    foldSize[smallest]! += sizes[g]!;
  }
  const foldOf = new Int32Array(n);
  for (let i = 0; i < n; i++) foldOf[i] = foldOfGroup[groupOf[i]!]!;
  return foldsFrom(foldOf, k);
}

/**
 * Forward-chaining folds for rows already in time order, exactly sklearn `TimeSeriesSplit(n_splits=k, gap=gap)`:
 * the validation blocks are the last k blocks of ⌊n/(k+1)⌋ rows each, and each fold trains on every row before
 * its block except the `gap` rows just before it. Refused when there are fewer than k+1 rows, or when the gap
 * leaves the first fold no training row.
 */
export function timeSeriesFolds(n: number, k: number, gap = 0): Fold[] {
  if (!Number.isInteger(n) || n < 0) invalid(`The number of rows must be a whole number (got ${n}).`);
  if (!Number.isInteger(k) || k < 2) invalid(`Cross-validation needs at least 2 folds (got ${k}).`);
  if (!Number.isInteger(gap) || gap < 0) invalid(`The gap must be a whole number of rows, 0 or more (got ${gap}).`);
  if (k + 1 > n) invalid(`${k} time-ordered folds need at least ${k + 1} rows (there are ${n}): the first block only trains. Use fewer folds.`);
  const testSize = Math.floor(n / (k + 1));
  if (n - gap - testSize * k <= 0) {
    invalid(`With ${n} rows, ${k} folds of ${testSize} rows and a gap of ${gap}, the first fold has no row to train on. Use fewer folds or a smaller gap.`);
  }
  const folds: Fold[] = [];
  for (let start = n - k * testSize; start < n; start += testSize) {
    const trainEnd = start - gap;
    folds.push({ train: range(0, trainEnd), validation: range(start, start + testSize) });
  }
  return folds;
}

function range(from: number, to: number): Uint32Array {
  return Uint32Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function foldsFrom(foldOf: Int32Array, k: number): Fold[] {
  const n = foldOf.length;
  const sizes = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) sizes[foldOf[i]!]! += 1;
  return sizes.map((size, f) => {
    const validation = new Uint32Array(size);
    const train = new Uint32Array(n - size);
    let v = 0;
    let t = 0;
    for (let i = 0; i < n; i++) {
      if (foldOf[i] === f) validation[v++] = i;
      else train[t++] = i;
    }
    return { train, validation };
  });
}

function checkFolds(n: number, k: number): void {
  if (!Number.isInteger(k) || k < 2) invalid(`Cross-validation needs at least 2 folds (got ${k}).`);
  if (k > n) invalid(`${k} folds need at least ${k} training rows (there are ${n}). Use fewer folds.`);
}

function invalid(message: string): never {
  throw new HostError('invalid-argument', message);
}
