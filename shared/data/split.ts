import { largestRemainder, mulberry32, shuffleInPlace } from './random.js';

/**
 * Train / validation / test assignment, pure and deterministic: the same inputs and seed give the same
 * assignment everywhere. Each function returns one partition code per row (`TRAIN`, `VALIDATION`, `TEST`, or
 * `EXCLUDED` for rows a time gap drops).
 */

export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;
/** A row in no partition: dropped by a time split's gap, or with no time at all. */
export const EXCLUDED = 255;

export const PARTITIONS = ['train', 'validation', 'test'] as const;
export type PartitionName = (typeof PARTITIONS)[number];

/** Fractions of train, validation and test; they must be 0..1 and sum to 1. */
export type SplitFractions = readonly [number, number, number];
export const DEFAULT_FRACTIONS: SplitFractions = [0.7, 0.15, 0.15];

export function checkFractions(fractions: readonly number[]): SplitFractions {
  if (fractions.length !== 3 || fractions.some((f) => !Number.isFinite(f) || f < 0 || f > 1)) {
    throw new RangeError('The split needs three fractions (train, validation, test), each between 0 and 1.');
  }
  const sum = fractions[0]! + fractions[1]! + fractions[2]!;
  if (Math.abs(sum - 1) > 1e-6) throw new RangeError(`The train, validation and test fractions must add up to 100% (they add up to ${+(sum * 100).toFixed(4)}%).`);
  if (fractions[0]! === 0) throw new RangeError('The training partition cannot be empty.');
  return [fractions[0]!, fractions[1]!, fractions[2]!];
}

/** 0..n-1 shuffled by the seeded generator. */
export function seededPermutation(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return shuffleInPlace(order, mulberry32(seed));
}

/** Rows in random order, the first 70% train, the next 15% validation, the rest test (largest-remainder counts). */
export function randomSplit(rows: number, fractions: SplitFractions = DEFAULT_FRACTIONS, seed = 0): Uint8Array {
  const f = checkFractions(fractions);
  const out = new Uint8Array(rows);
  assignInOrder(seededPermutation(rows, seed), largestRemainder(rows, f), out);
  return out;
}

/**
 * Per class (`labels` are class codes, e.g. dictionary indices; any integer, missing labels are a class of
 * their own), the class's rows are shuffled and cut by largest remainder, so each partition holds each class
 * within one row of its exact share. Classes are visited in ascending code order and share one generator.
 */
export function stratifiedSplit(labels: ArrayLike<number>, fractions: SplitFractions = DEFAULT_FRACTIONS, seed = 0): Uint8Array {
  const f = checkFractions(fractions);
  const out = new Uint8Array(labels.length);
  const random = mulberry32(seed);
  for (const rows of rowsByClass(labels).values()) {
    assignInOrder(shuffleInPlace(rows, random), largestRemainder(rows.length, f), out);
  }
  return out;
}

/** A gap between partitions of a time split: a number of rows, or a span in the time column's own units. */
export type TimeGap = { rows: number } | { span: number };

/**
 * Rows in time order (ties by row number): the earliest are train, then validation, then test. Rows with no
 * time (NaN) are excluded. A gap drops rows at the start of validation and of test: `rows` drops that many,
 * `span` drops those less than `span` after the last time of the partition before.
 */
export function timeSplit(times: ArrayLike<number>, fractions: SplitFractions = DEFAULT_FRACTIONS, gap?: TimeGap): Uint8Array {
  const f = checkFractions(fractions);
  const out = new Uint8Array(times.length).fill(EXCLUDED);
  const known: number[] = [];
  for (let i = 0; i < times.length; i++) if (!Number.isNaN(times[i]!)) known.push(i);
  known.sort((a, b) => times[a]! - times[b]! || a - b);
  const counts = largestRemainder(known.length, f);
  let at = 0;
  for (let p = 0; p < 3; p++) {
    const end = at + counts[p]!;
    let start = at;
    if (p > 0 && gap !== undefined && at > 0) {
      if ('rows' in gap) start = Math.min(end, at + Math.max(0, Math.floor(gap.rows)));
      else {
        const last = times[known[at - 1]!]!;
        while (start < end && times[known[start]!]! < last + gap.span) start++;
      }
    }
    for (let k = start; k < end; k++) out[known[k]!] = p;
    at = end;
  }
  return out;
}

/**
 * Whole groups go to one partition, so no group straddles two. Groups are shuffled by the seed, then placed
 * largest first (a stable sort keeps the shuffled order among equal sizes), each into the partition where it
 * brings the row counts closest to their targets; with `labels`, closest per class (a stratified group split).
 * Missing group codes are one group of their own, like any other code.
 */
export function groupSplit(
  groups: ArrayLike<number>,
  fractions: SplitFractions = DEFAULT_FRACTIONS,
  seed = 0,
  labels?: ArrayLike<number>,
): Uint8Array {
  const f = checkFractions(fractions);
  if (labels !== undefined && labels.length !== groups.length) throw new RangeError('labels and groups must have one value per row.');
  const out = new Uint8Array(groups.length);
  const byGroup = rowsByClass(groups);
  const classOf = classIndex(labels ?? new Uint8Array(groups.length));
  const classes = classOf.count;
  const totals = new Float64Array(classes);
  for (let i = 0; i < groups.length; i++) totals[classOf.codes[i]!]! += 1;
  const target = [0, 1, 2].map((p) => totals.map((t) => t * f[p]!));
  const current = [0, 1, 2].map(() => new Float64Array(classes));

  const keys = shuffleInPlace(Uint32Array.from(byGroup.keys(), (_, i) => i), mulberry32(seed));
  const lists = [...byGroup.values()];
  const order = Array.from(keys).sort((a, b) => lists[b]!.length - lists[a]!.length);
  const counts = new Float64Array(classes);
  for (const g of order) {
    const rows = lists[g]!;
    counts.fill(0);
    for (const r of rows) counts[classOf.codes[r]!]! += 1;
    let best = 0;
    let bestCost = Infinity;
    for (let p = 0; p < 3; p++) {
      if (f[p] === 0) continue;
      // How much the squared distance to the targets grows if this group goes to partition p.
      let cost = 0;
      for (let c = 0; c < classes; c++) cost += counts[c]! * (2 * (current[p]![c]! - target[p]![c]!) + counts[c]!);
      if (cost < bestCost - 1e-9) {
        bestCost = cost;
        best = p;
      }
    }
    for (let c = 0; c < classes; c++) current[best]![c]! += counts[c]!;
    for (const r of rows) out[r] = best;
  }
  return out;
}

/** Rows per partition code (train, validation, test, excluded). */
export function partitionCounts(codes: Uint8Array): { train: number; validation: number; test: number; excluded: number } {
  const n = [0, 0, 0, 0];
  for (const c of codes) n[c < 3 ? c : 3]! += 1;
  return { train: n[0]!, validation: n[1]!, test: n[2]!, excluded: n[3]! };
}

function assignInOrder(rows: ArrayLike<number>, counts: number[], out: Uint8Array): void {
  let at = 0;
  for (let p = 0; p < counts.length; p++) {
    for (let k = 0; k < counts[p]!; k++) out[rows[at++]!] = p;
  }
}

/** Row indices per code, codes in ascending order (NaN, for a missing code, sorts last). */
function rowsByClass(codes: ArrayLike<number>): Map<number, Uint32Array> {
  const sizes = new Map<number, number>();
  for (let i = 0; i < codes.length; i++) sizes.set(codes[i]!, (sizes.get(codes[i]!) ?? 0) + 1);
  const sorted = [...sizes.keys()].sort((a, b) => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : a - b));
  const lists = new Map<number, Uint32Array>(sorted.map((k) => [k, new Uint32Array(sizes.get(k)!)]));
  const fill = new Map<number, number>();
  for (let i = 0; i < codes.length; i++) {
    const at = fill.get(codes[i]!) ?? 0;
    lists.get(codes[i]!)![at] = i;
    fill.set(codes[i]!, at + 1);
  }
  return lists;
}

function classIndex(labels: ArrayLike<number>): { codes: Uint32Array; count: number } {
  const index = new Map<number, number>();
  const codes = new Uint32Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    let c = index.get(labels[i]!);
    if (c === undefined) index.set(labels[i]!, (c = index.size));
    codes[i] = c;
  }
  return { codes, count: Math.max(1, index.size) };
}

/**
 * Quantile bins of a continuous value, for stratifying on it: bin k holds the rows ranked k·n/bins … (k+1)·n/bins
 * (ties broken by row order, as SQL's ntile does); NaN is a bin of its own (`bins`).
 */
export function quantileBins(values: ArrayLike<number>, bins = 10): Int32Array {
  const present: number[] = [];
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) present.push(i);
  present.sort((a, b) => values[a]! - values[b]! || a - b);
  const out = new Int32Array(values.length).fill(bins);
  present.forEach((row, rank) => (out[row] = Math.floor((rank * bins) / present.length)));
  return out;
}
