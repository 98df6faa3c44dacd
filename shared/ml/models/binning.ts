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
  const scratch = new Float64Array(sample.length);
  return X.columns.map((col) => {
    let m = 0;
    for (let i = 0; i < sample.length; i++) {
      const v = col[sample[i]!]!;
      if (v === v) values[m++] = v;
    }
    const sorted = sortFloats(values.subarray(0, m), scratch);
    return edgesOfSorted(sorted, maxBins);
  });
}

/**
 * Sorts `a` (no NaN) in place in `TypedArray.prototype.sort`'s order (-0 before +0) by an LSD radix sort on the
 * IEEE bits, 16 at a time: several times faster than the built-in sort on a sample of 200,000. `scratch` must
 * hold at least a.length numbers.
 */
export function sortFloats(a: Float64Array, scratch: Float64Array): Float64Array {
  const m = a.length;
  if (m < 512) return a.sort();
  // Keys as [lo, hi] word pairs: negative numbers with every bit flipped, others with the sign bit set, so that
  // unsigned order is numeric order.
  let src = new Uint32Array(a.buffer, a.byteOffset, 2 * m);
  let dst = new Uint32Array(scratch.buffer, scratch.byteOffset, 2 * m);
  for (let i = 1; i < 2 * m; i += 2) {
    const hi = src[i]!;
    if (hi & 0x80000000) {
      src[i] = ~hi;
      src[i - 1] = ~src[i - 1]!;
    } else src[i] = hi | 0x80000000;
  }
  const count = new Int32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = word; i < 2 * m; i += 2) count[(src[i]! >>> shift) & 0xffff]!++;
    // A digit every key shares moves nothing.
    if (count[(src[word]! >>> shift) & 0xffff] === m) continue;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < 2 * m; i += 2) {
      const j = 2 * count[(src[i + word]! >>> shift) & 0xffff]!++;
      dst[j] = src[i]!;
      dst[j + 1] = src[i + 1]!;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  for (let i = 1; i < 2 * m; i += 2) {
    const hi = src[i]!;
    if (hi & 0x80000000) src[i] = hi & 0x7fffffff;
    else {
      src[i] = ~hi;
      src[i - 1] = ~src[i - 1]!;
    }
  }
  if (src.buffer !== a.buffer || src.byteOffset !== a.byteOffset) a.set(new Float64Array(src.buffer, src.byteOffset, m));
  return a;
}

/** Edges of one feature from its sorted non-missing sample (see `learnBinEdges`). */
export function edgesOfSorted(sorted: Float64Array, maxBins: number): Float64Array {
  const m = sorted.length;
  if (m === 0) return new Float64Array(0);
  // Distinct values are runs of equal (===) neighbours.
  let d = 1;
  for (let i = 1; i < m; i++) if (sorted[i] !== sorted[i - 1]) d++;
  const edges: number[] = [];
  const cut = (a: number, b: number): void => {
    // Halfway between neighbouring distinct values a < b; an infinite neighbour cuts next to the finite one.
    let e = a + (b - a) / 2;
    if (!Number.isFinite(e)) {
      if (Number.isFinite(a)) e = a;
      else if (Number.isFinite(b)) e = -Number.MAX_VALUE;
      else e = 0;
    }
    if (edges.length === 0 || e > edges[edges.length - 1]!) edges.push(e);
  };
  // With more distinct values than bins, quantile cuts: walk the distinct values, cutting after the one where
  // the cumulative count passes the next multiple of m / maxBins. A value heavier than one bin gets a bin of its own.
  const quantiles = d > maxBins;
  const per = m / maxBins;
  let cum = 0;
  let next = per;
  for (let j = 0; j < m && (!quantiles || edges.length < maxBins - 1); ) {
    const v = sorted[j]!;
    let k = j + 1;
    while (k < m && sorted[k] === v) k++;
    if (k >= m) break;
    if (!quantiles) cut(v, sorted[k]!);
    else {
      cum += k - j;
      if (cum >= next) {
        cut(v, sorted[k]!);
        while (next <= cum) next += per;
      }
    }
    j = k;
  }
  return Float64Array.from(edges);
}

/**
 * Edges that give each category of a categorical feature (codes 0..k-1, NaN when missing) a bin of its own: cuts
 * at 0.5, 1.5, …, k − 1.5, so bin b holds exactly code b. Every row (or every row of `rows`) is read, so a rare
 * category is never merged with another. Null when a non-missing value is not a whole number in 0..MAX_BINS-1
 * (not codes, or more categories than bins): such a feature is binned and split as a number instead.
 */
export function categoryEdges(col: Float64Array, rows?: ArrayLike<number>): Float64Array | null {
  let top = -1;
  const n = rows ? rows.length : col.length;
  for (let i = 0; i < n; i++) {
    const v = col[rows ? rows[i]! : i]!;
    if (v !== v) continue;
    if (!(v >= 0 && v < MAX_BINS && v === Math.floor(v))) return null;
    if (v > top) top = v;
  }
  const edges = new Float64Array(Math.max(0, top));
  for (let b = 0; b < edges.length; b++) edges[b] = b + 0.5;
  return edges;
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

/** Buckets of the linear guess `binMatrix` starts each value's search from. */
const GUESS_BUCKETS = 2048;

/** Bins every row of `X` with `edges` (one array per feature, as `learnBinEdges` returns). */
export function binMatrix(X: FeatureMatrix, edges: Float64Array[]): BinnedMatrix {
  if (X.columns.length !== edges.length) {
    throw new Error(`binMatrix: ${X.columns.length} features but ${edges.length} edge lists`);
  }
  const n = X.rowCount;
  const nBins = new Int32Array(edges.length);
  // Edges padded to 256 with +Infinity: the first i with v <= pad[i] is still v's bin (k when v exceeds every
  // edge, +Infinity included).
  const pad = new Float64Array(256);
  const guess = new Uint8Array(GUESS_BUCKETS);
  const columns = X.columns.map((col, f) => {
    const e = edges[f]!;
    const k = e.length;
    if (k > MAX_BINS - 1) throw new Error(`binMatrix: feature ${f} has ${k} edges (at most ${MAX_BINS - 1})`);
    nBins[f] = k + 1;
    pad.fill(Infinity);
    pad.set(e);
    const out = new Uint8Array(n);
    const missing = k + 1;
    // A guess from the value's place between the first and last edge (buckets of equal width), then a walk up
    // and down to the first edge >= v: exact whatever the guess, and one or two steps for most values.
    const lo = k > 0 ? e[0]! : 0;
    const scale = k > 1 ? GUESS_BUCKETS / (e[k - 1]! - lo) : 0;
    const width = Number.isFinite(scale) && scale > 0 ? 1 / scale : 0;
    for (let j = 0, b = 0; j < GUESS_BUCKETS; j++) {
      const x = lo + j * width;
      while (b < k && x > e[b]!) b++;
      guess[j] = b;
    }
    const useGuess = width > 0;
    for (let i = 0; i < n; i++) {
      const v = col[i]!;
      if (v !== v) {
        out[i] = missing;
        continue;
      }
      let b = 0;
      if (useGuess) {
        const t = (v - lo) * scale;
        b = guess[t >= GUESS_BUCKETS - 1 ? GUESS_BUCKETS - 1 : t > 0 ? t | 0 : 0]!;
      }
      while (v > pad[b]!) b++;
      while (b > 0 && v <= pad[b - 1]!) b--;
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
