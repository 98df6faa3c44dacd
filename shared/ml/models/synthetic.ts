import { mulberry32 } from '../../data/random.js';
import type { FeatureMatrix, Target } from '../types.js';

/**
 * Seeded synthetic problems for the tree models' tests and benchmark: the same seed gives the same rows in every
 * runtime. Not used by training itself.
 */

/** A train/test pair drawn from one distribution. */
export interface SyntheticProblem {
  train: { X: FeatureMatrix; y: Target };
  test: { X: FeatureMatrix; y: Target };
}

function gaussian(random: () => number): number {
  // Box–Muller; 1 - u keeps the log finite.
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * `features` standard-normal columns (some missing at `missingRate`) and a score
 * 1.2·x0 − x1 + 0.8·x2·x3 + sin(2·x4) + 0.5·[x6 missing] + noise·N(0,1); the label is score > 0.3.
 * Features 5 and ≥ 7 are pure noise.
 */
export function syntheticBinary(rows: number, seed: number, options: { features?: number; noise?: number; missingRate?: number } = {}): {
  X: FeatureMatrix;
  y: Target;
} {
  const F = Math.max(7, options.features ?? 8);
  const noise = options.noise ?? 0.5;
  const missingRate = options.missingRate ?? 0.05;
  const random = mulberry32(seed);
  const columns = Array.from({ length: F }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < F; f++) columns[f]![i] = gaussian(random);
    const x = (f: number) => columns[f]![i]!;
    let s = 1.2 * x(0) - x(1) + 0.8 * x(2) * x(3) + Math.sin(2 * x(4)) + noise * gaussian(random);
    if (random() < 0.2) {
      columns[6]![i] = NaN;
      s += 0.5;
    }
    y[i] = s > 0.3 ? 1 : 0;
    for (let f = 0; f < F; f++) if (f !== 6 && f > 1 && random() < missingRate) columns[f]![i] = NaN;
  }
  return {
    X: { rowCount: rows, names: columns.map((_, f) => `x${f}`), columns },
    y: { task: 'binary', values: y, classes: ['0', '1'] },
  };
}

function split<T extends { X: FeatureMatrix; y: Target }>(all: T, nTrain: number): SyntheticProblem {
  const n = all.X.rowCount;
  const take = (a: number, b: number) => ({
    X: { rowCount: b - a, names: all.X.names, columns: all.X.columns.map((c) => c.slice(a, b)) },
    y: { ...all.y, values: all.y.values.slice(a, b) },
  });
  return { train: take(0, nTrain), test: take(nTrain, n) };
}

/** `syntheticBinary` split into `nTrain` training and `nTest` test rows. */
export function binaryProblem(nTrain: number, nTest: number, seed: number, noise = 0.5): SyntheticProblem {
  return split(syntheticBinary(nTrain + nTest, seed, { noise }), nTrain);
}

/** Three classes by the angle of (x0, x1), with noise features and missing values in x2. */
export function multiclassProblem(nTrain: number, nTest: number, seed: number): SyntheticProblem {
  const rows = nTrain + nTest;
  const random = mulberry32(seed);
  const columns = Array.from({ length: 5 }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < 5; f++) columns[f]![i] = gaussian(random);
    const angle = Math.atan2(columns[1]![i]! + 0.2 * gaussian(random), columns[0]![i]! + 0.2 * gaussian(random));
    y[i] = Math.floor(((angle + Math.PI) / (2 * Math.PI)) * 3) % 3;
    if (random() < 0.1) columns[2]![i] = NaN;
  }
  return split(
    { X: { rowCount: rows, names: ['a', 'b', 'c', 'd', 'e'], columns }, y: { task: 'multiclass', values: y, classes: ['p', 'q', 'r'] } },
    nTrain,
  );
}

/** y = 3·sin(x0) + x1² − x2 + 0.3·N(0,1), with two noise features. */
export function regressionProblem(nTrain: number, nTest: number, seed: number): SyntheticProblem {
  const rows = nTrain + nTest;
  const random = mulberry32(seed);
  const columns = Array.from({ length: 5 }, () => new Float64Array(rows));
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < 5; f++) columns[f]![i] = gaussian(random);
    y[i] = 3 * Math.sin(columns[0]![i]!) + columns[1]![i]! ** 2 - columns[2]![i]! + 0.3 * gaussian(random);
  }
  return split({ X: { rowCount: rows, names: ['a', 'b', 'c', 'd', 'e'], columns }, y: { task: 'regression', values: y } }, nTrain);
}

/**
 * A binary problem carried by a category: column `c` holds codes 0..categories-1 (NaN for 5% of rows), each
 * code with its own effect on the log-odds (no order: sin(7.3·code)·2; missing 1.5), plus a numeric column
 * `x` uniform in [-1, 1] added to them; `c` is marked categorical.
 */
export function categoryProblem(nTrain: number, nTest: number, seed: number, categories = 40): SyntheticProblem {
  const random = mulberry32(seed);
  const rows = nTrain + nTest;
  const c = new Float64Array(rows);
  const x = new Float64Array(rows);
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    c[i] = random() < 0.05 ? NaN : Math.floor(random() * categories);
    x[i] = random() * 2 - 1;
    const effect = Number.isNaN(c[i]!) ? 1.5 : Math.sin(c[i]! * 7.3) * 2;
    y[i] = random() < 1 / (1 + Math.exp(-(effect + x[i]!))) ? 1 : 0;
  }
  const part = (a: number, b: number): { X: FeatureMatrix; y: Target } => ({
    X: { rowCount: b - a, names: ['c', 'x'], columns: [c.slice(a, b), x.slice(a, b)], categorical: [true, false] },
    y: { task: 'binary', values: y.slice(a, b), classes: ['0', '1'] },
  });
  return { train: part(0, nTrain), test: part(nTrain, rows) };
}
