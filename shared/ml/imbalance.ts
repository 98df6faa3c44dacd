import { mulberry32 } from '../data/random.js';
import { HostError } from '../host/errors.js';
import { checkCancelled, type FeatureMatrix, type Target } from './types.js';

/**
 * Class imbalance: per-row class weights, and SMOTE oversampling. Both read a classification target (class indices
 * 0..k-1 in `values`) and refuse a regression one.
 */

function invalid(message: string): never {
  throw new HostError('invalid-argument', message);
}

/** Rows per class index (length: the larger of the declared class count and the largest label + 1). */
function classCounts(y: Target, what: string): number[] {
  if (y.task === 'regression') invalid(`${what} needs a classification target, not a regression one.`);
  const counts = new Array<number>(y.classes?.length ?? 2).fill(0);
  for (let i = 0; i < y.values.length; i++) {
    const c = y.values[i]!;
    if (!Number.isInteger(c) || c < 0) invalid(`${what} needs class indices 0, 1, 2…; row ${i} holds ${c}.`);
    while (counts.length <= c) counts.push(0);
    counts[c]! += 1;
  }
  return counts;
}

/**
 * Per-row weights that make every class weigh the same in total, exactly as scikit-learn's
 * `compute_sample_weight('balanced', y)`: a row of class c weighs n_samples / (n_classes · count_c), where
 * n_classes counts only the classes present in `y`. The weights sum to n_samples.
 */
export function classWeights(y: Target, mode: 'balanced'): Float64Array {
  if (mode !== 'balanced') invalid(`Unknown class weight mode "${String(mode)}".`);
  const counts = classCounts(y, 'Class weights');
  const present = counts.filter((c) => c > 0).length;
  const n = y.values.length;
  const perClass = counts.map((c) => (c > 0 ? n / (present * c) : 0));
  const weights = new Float64Array(n);
  for (let i = 0; i < n; i++) weights[i] = perClass[y.values[i]!]!;
  return weights;
}

export interface SmoteOptions {
  /** Nearest minority neighbours to interpolate towards (default 5, as imbalanced-learn); a class with k or fewer rows uses all its other rows. */
  k?: number;
  seed: number;
  /** Each smaller class is grown to floor(majority count × targetRatio) rows; in (0, 1], default 1. */
  targetRatio?: number;
  isCancelled?: () => boolean;
}

export interface SmoteResult {
  /** The original rows, unchanged and in order, followed by the synthetic rows (grouped by class, in class order). */
  X: FeatureMatrix;
  y: Target;
  /** How many rows were added. */
  synthetic: number;
}

/**
 * SMOTE (Chawla et al. 2002) as imbalanced-learn's `SMOTE` does it: each class smaller than the target
 * (floor(majority count × targetRatio); the majority class is the largest, the first one on a tie) gets
 * target − count synthetic rows. Each synthetic row picks a random row of its class, one of that row's k nearest
 * neighbours within the class (Euclidean distance over all features; ties to the lower row), and a uniformly
 * random point on the segment between them. Binary and multiclass alike; classes already at or above the target
 * are left as they are, and when none needs rows the inputs come back as they are with `synthetic: 0`.
 *
 * Apply it to the training rows of a fold only: the caller passes just those rows, never validation or test rows
 * (synthetic rows made from a held-out row leak it into training, and scores of rows that are interpolations of
 * each other are optimistic). Weights and metrics are computed on the original rows.
 *
 * A feature the matrix marks categorical (category codes) is not interpolated: a synthetic row takes the code of
 * the nearer end of its segment (SMOTE-NC's idea, with the neighbour's code from halfway on).
 *
 * Features must be numeric and complete: a NaN (or an infinity) anywhere is refused (impute first). A class with a single row cannot
 * be interpolated and is refused too.
 *
 * Cost: neighbours are exact, by brute force with partial-distance early exit, computed only for the rows drawn as
 * bases: O(m²·d) at worst for a class of m rows and d features. About 10,000 minority rows × 100 features is the
 * size this is meant for: 12 s measured for that (10,000 synthetic rows) on a busy 2-core machine, 0.4 s for
 * 2,000 × 50. k-d or ball trees do not help at ~100 dimensions; beyond that size, subsample the class first.
 */
export function smote(X: FeatureMatrix, y: Target, opts: SmoteOptions): SmoteResult {
  const k = opts.k ?? 5;
  const ratio = opts.targetRatio ?? 1;
  if (!Number.isInteger(k) || k < 1) invalid('SMOTE needs k, the number of neighbours, to be a whole number of at least 1.');
  if (!(ratio > 0 && ratio <= 1)) invalid('SMOTE needs targetRatio in (0, 1]: the minority to majority ratio after oversampling.');
  const n = X.rowCount;
  if (y.values.length !== n) invalid(`SMOTE got ${n} feature rows but ${y.values.length} target values.`);
  X.columns.forEach((col, j) => {
    if (col.length !== n) invalid(`Feature "${X.names[j]}" has ${col.length} values for ${n} rows.`);
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(col[i]!)) {
        const what = Number.isNaN(col[i]!) ? 'missing values' : 'infinite values';
        invalid(`SMOTE needs complete, finite features, but "${X.names[j]}" has ${what} (row ${i}): impute them before SMOTE.`);
      }
    }
  });
  const counts = classCounts(y, 'SMOTE');
  let majority = 0;
  counts.forEach((c, i) => {
    if (c > counts[majority]!) majority = i;
  });
  const target = Math.floor(counts[majority]! * ratio + 1e-9);
  const plan = counts.map((c, cls) => (cls !== majority && c > 0 && c < target ? target - c : 0));
  const synthetic = plan.reduce((a, b) => a + b, 0);
  if (synthetic === 0) return { X, y, synthetic: 0 };
  plan.forEach((extra, cls) => {
    if (extra > 0 && counts[cls]! < 2) {
      const name = y.classes?.[cls] ?? String(cls);
      invalid(`SMOTE needs at least 2 rows of class "${name}" to interpolate between; this training set has 1.`);
    }
  });

  const d = X.columns.length;
  const categorical = X.categorical;
  const out = X.columns.map((col) => {
    const grown = new Float64Array(n + synthetic);
    grown.set(col);
    return grown;
  });
  const values = new Float64Array(n + synthetic);
  values.set(y.values);
  const random = mulberry32(opts.seed);
  let next = n;

  for (let cls = 0; cls < plan.length; cls++) {
    const extra = plan[cls]!;
    if (extra === 0) continue;
    // The class's rows, row-major for cache-friendly distances.
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (y.values[i] === cls) rows.push(i);
    const m = rows.length;
    const data = new Float64Array(m * d);
    for (let j = 0; j < d; j++) {
      const col = X.columns[j]!;
      for (let r = 0; r < m; r++) data[r * d + j] = col[rows[r]!]!;
    }
    const kk = Math.min(k, m - 1);
    const neighbours = new Array<Int32Array | undefined>(m);
    for (let s = 0; s < extra; s++) {
      const base = Math.min(m - 1, Math.floor(random() * m));
      const pick = Math.min(kk - 1, Math.floor(random() * kk));
      const step = random();
      let nn = neighbours[base];
      if (nn === undefined) {
        checkCancelled(opts);
        nn = nearestNeighbours(data, m, d, base, kk);
        neighbours[base] = nn;
      }
      const a = base * d;
      const b = nn[pick]! * d;
      for (let j = 0; j < d; j++) {
        out[j]![next] = categorical?.[j] ? data[(step < 0.5 ? a : b) + j]! : data[a + j]! + step * (data[b + j]! - data[a + j]!);
      }
      values[next] = cls;
      next++;
    }
  }
  const yOut: Target = y.classes ? { task: y.task, values, classes: y.classes } : { task: y.task, values };
  const Xout: FeatureMatrix = { rowCount: n + synthetic, names: X.names, columns: out };
  if (categorical) Xout.categorical = categorical;
  return { X: Xout, y: yOut, synthetic };
}

/**
 * The k nearest rows to row `i` of a row-major m × d matrix (itself excluded), nearest first, ties to the lower
 * row. Brute force; a candidate's squared distance stops accumulating once it exceeds the current k-th best.
 */
function nearestNeighbours(data: Float64Array, m: number, d: number, i: number, k: number): Int32Array {
  const bestIdx = new Int32Array(k).fill(-1);
  const bestDist = new Float64Array(k).fill(Infinity);
  const a = i * d;
  for (let r = 0; r < m; r++) {
    if (r === i) continue;
    const bound = bestDist[k - 1]!;
    const b = r * d;
    let dist = 0;
    for (let j = 0; j < d && dist <= bound; j++) {
      const diff = data[a + j]! - data[b + j]!;
      dist += diff * diff;
    }
    // Rows are visited in increasing order, so an equal distance never displaces an earlier row.
    if (dist >= bound) continue;
    let p = k - 1;
    while (p > 0 && bestDist[p - 1]! > dist) {
      bestDist[p] = bestDist[p - 1]!;
      bestIdx[p] = bestIdx[p - 1]!;
      p--;
    }
    bestDist[p] = dist;
    bestIdx[p] = r;
  }
  return bestIdx;
}
