import { mulberry32 } from '../../data/random.js';
import type { FeatureMatrix } from '../types.js';

/**
 * Quantile binning for the histogram trees. Each feature's values are cut into at most `maxBins` (≤ 255) bins by
 * edges learned from (a seeded sample of) the training rows; NaN goes to one extra bin after them, so a bin code
 * always fits a byte.
 *
 * The rule that makes predictions on raw values agree with training on bins: a feature with edges
 * e[0] < e[1] < … < e[m-2] has m non-missing bins, and value v falls in the first bin i with v <= e[i] (the last
 * bin, m-1, when v exceeds every edge). So "bin <= b" is exactly "v <= e[b]", and a tree stores e[b] as its
 * raw threshold. Edges are midpoints between neighbouring distinct sample values, so they are always finite.
 */

/** The most non-missing bins a feature may have (one more code, 255, is left for the missing bin). */
export const MAX_BINS = 255;

/** How many training rows the edges are learned from at most. */
export const BIN_SAMPLE_ROWS = 200_000;

/** The rows of a matrix as bin codes, one byte array per feature (column-major like `FeatureMatrix`). */
export interface BinnedMatrix {
  rowCount: number;
  /** Per feature, the code of each row: 0..nBins[f]-1, or nBins[f] when the value is missing. */
  columns: Uint8Array[];
  /** Per feature, the number of non-missing bins (edges.length + 1); the missing code equals it. */
  nBins: Int32Array;
}

/**
 * Learns the bin edges of every feature: all distinct values when there are at most `maxBins` of them (cut
 * halfway between neighbours), else quantile cuts of the sorted sample. A feature with no finite value gets no
 * edges (one bin). `seed` picks the sample when there are more than `sampleRows` rows.
 */
export function learnBinEdges(
  X: FeatureMatrix,
  options: { maxBins?: number; sampleRows?: number; seed?: number; rows?: ArrayLike<number> } = {},
): Float64Array[] {
  const maxBins = Math.max(2, Math.min(MAX_BINS, Math.floor(options.maxBins ?? MAX_BINS)));
  const sampleRows = options.sampleRows ?? BIN_SAMPLE_ROWS;
  const all = options.rows;
  const n = all ? all.length : X.rowCount;
  let sample: Uint32Array;
  if (n <= sampleRows) {
    sample = new Uint32Array(n);
    for (let i = 0; i < n; i++) sample[i] = all ? all[i]! : i;
  } else {
    // Selection sampling (Knuth's algorithm S): exactly sampleRows rows, in order, seeded.
    const random = mulberry32(options.seed ?? 0);
    sample = new Uint32Array(sampleRows);
    let chosen = 0;
    for (let i = 0; i < n && chosen < sampleRows; i++) {
      if (random() * (n - i) < sampleRows - chosen) sample[chosen++] = all ? all[i]! : i;
    }
  }
  const values = new Float64Array(sample.length);
  return X.columns.map((col) => {
    let m = 0;
    for (let i = 0; i < sample.length; i++) {
      const v = col[sample[i]!]!;
      if (v === v) values[m++] = v;
    }
    const sorted = values.subarray(0, m).sort();
    return edgesOfSorted(sorted, maxBins);
  });
}

/** Edges of one feature from its sorted non-missing sample (see `learnBinEdges`). */
export function edgesOfSorted(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return new Float64Array(0);
  // Distinct values and their counts.
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; i++) {
    const v = sorted[i]!;
    if (distinct.length > 0 && distinct[distinct.length - 1] === v) counts[counts.length - 1]! += 1;
    else {
      distinct.push(v);
      counts.push(1);
    }
  }
  const d = distinct.length;
  const edges: number[] = [];
  const cut = (i: number): void => {
    // Halfway between distinct[i] and distinct[i+1]; an infinite neighbour cuts next to the finite one.
    const a = distinct[i]!;
    const b = distinct[i + 1]!;
    let e = a + (b - a) / 2;
    if (!Number.isFinite(e)) {
      if (Number.isFinite(a)) e = a;
      else if (Number.isFinite(b)) e = -Number.MAX_VALUE;
      else e = 0;
    }
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  };
  if (d <= maxBins) {
    for (let i = 0; i + 1 < d; i++) cut(i);
  } else {
    // Quantile cuts: walk the distinct values, cutting after the one where the cumulative count passes the
    // next multiple of m / maxBins. A value heavier than one bin gets a bin of its own.
    const per = m / maxBins;
    let cum = 0;
    let next = per;
    for (let i = 0; i + 1 < d && edges.length < maxBins - 1; i++) {
      cum += counts[i]!;
      if (cum >= next) {
        cut(i);
        while (next <= cum) next += per;
      }
    }
  }
  return Float64Array.from(edges);
}

/** The bin of value `v` given `edges` (NaN → `edges.length + 1`, the missing code). */
export function binOf(v: number, edges: Float64Array): number {
  if (v !== v) return edges.length + 1;
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (v <= edges[mid]!) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Bins every row of `X` with `edges` (one array per feature, as `learnBinEdges` returns). */
export function binMatrix(X: FeatureMatrix, edges: Float64Array[]): BinnedMatrix {
  if (X.columns.length !== edges.length) {
    throw new Error(`binMatrix: ${X.columns.length} features but ${edges.length} edge lists`);
  }
  const n = X.rowCount;
  const nBins = new Int32Array(edges.length);
  // Edges padded to 255 with +Infinity: the first i with v <= pad[i] is still v's bin (k when v exceeds every
  // edge, +Infinity included), and a search of fixed depth runs about twice as fast as a loop.
  const pad = new Float64Array(256);
  const columns = X.columns.map((col, f) => {
    const e = edges[f]!;
    const k = e.length;
    if (k > MAX_BINS - 1) throw new Error(`binMatrix: feature ${f} has ${k} edges (at most ${MAX_BINS - 1})`);
    nBins[f] = k + 1;
    pad.fill(Infinity);
    pad.set(e);
    const out = new Uint8Array(n);
    const missing = k + 1;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v !== v) {
        out[i] = missing;
        continue;
      }
      let b = 0;
      if (v > pad[b + 127]!) b += 128;
      if (v > pad[b + 63]!) b += 64;
      if (v > pad[b + 31]!) b += 32;
      if (v > pad[b + 15]!) b += 16;
      if (v > pad[b + 7]!) b += 8;
      if (v > pad[b + 3]!) b += 4;
      if (v > pad[b + 1]!) b += 2;
      if (v > pad[b]!) b += 1;
      out[i] = b;
    }
    return out;
  });
  return { rowCount: n, columns, nBins };
}

/** Edges as plain number arrays for a model's JSON state. */
export function edgesToJSON(edges: Float64Array[]): number[][] {
  return edges.map((e) => Array.from(e));
}

/** Edges back from a model's JSON state. */
export function edgesFromJSON(json: unknown): Float64Array[] {
  if (!Array.isArray(json)) throw new Error('Model state: bin edges are not an array.');
  return json.map((e) => {
    if (!Array.isArray(e)) throw new Error('Model state: bin edges are not arrays.');
    return Float64Array.from(e as number[]);
  });
}
