/**
 * The statistics a pipeline fits, computed the way numpy computes them so fitted values agree with
 * scikit-learn's to the last bits: percentiles by numpy's default linear method (including its two-sided
 * interpolation), the median as the mean of the two middle values, the mode as the smallest most frequent value.
 * Missing values (NaN) are left out throughout.
 */

/** The non-missing values of `values`, sorted ascending. */
export function sortedPresent(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isNaN(x)) out[k++] = x;
  }
  return out.sort();
}

/** numpy's `_lerp`: a + (b - a) t, computed from b's side when t >= 0.5. */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** The quantile q (0..1) of sorted values, as `np.quantile(x, q)` (method 'linear'); NaN when empty. */
export function quantileSorted(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * q;
  const previous = Math.floor(virtual);
  const lo = Math.min(Math.max(previous, 0), n - 1);
  const hi = Math.min(Math.max(previous + 1, 0), n - 1);
  return lerp(sorted[lo]!, sorted[hi]!, virtual - previous);
}

/** The non-missing values of `values`, in no particular order (a copy a selection may reorder). */
export function present(values: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) n++;
  if (n === values.length) return values.slice();
  const out = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) out[k++] = values[i]!;
  return out;
}

/**
 * Rearranges `a` so that a[k] is the value a sort would put there, everything before it <= a[k] and everything
 * after >= a[k] (quickselect with a median-of-three pivot and a three-way partition, so ties cost nothing).
 * Linear time on average: a median of a million values without sorting them.
 */
function selectInPlace(a: Float64Array, k: number): number {
  let lo = 0;
  let hi = a.length - 1;
  while (hi > lo) {
    const mid = lo + ((hi - lo) >> 1);
    const x = a[lo]!;
    const y = a[mid]!;
    const z = a[hi]!;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    // Three-way partition: [lo, lt) < pivot, [lt, i) == pivot, (gt, hi] > pivot.
    let lt = lo;
    let gt = hi;
    let i = lo;
    while (i <= gt) {
      const v = a[i]!;
      if (v < pivot) {
        a[i] = a[lt]!;
        a[lt] = v;
        lt++;
        i++;
      } else if (v > pivot) {
        a[i] = a[gt]!;
        a[gt] = v;
        gt--;
      } else i++;
    }
    if (k < lt) hi = lt - 1;
    else if (k > gt) lo = gt + 1;
    else return pivot;
  }
  return a[k]!;
}

/** `quantileSorted` without sorting: the quantile q of the non-missing values (NaN when there are none). */
export function quantileOf(values: Float64Array, q: number): number {
  const a = present(values);
  const n = a.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * q;
  const previous = Math.floor(virtual);
  const lo = Math.min(Math.max(previous, 0), n - 1);
  const hi = Math.min(Math.max(previous + 1, 0), n - 1);
  const low = selectInPlace(a, lo);
  let high = low;
  if (hi !== lo) {
    high = Infinity;
    for (let i = lo + 1; i < n; i++) if (a[i]! < high) high = a[i]!;
  }
  return lerp(low, high, virtual - previous);
}

/** `medianSorted` without sorting: the median of the non-missing values (NaN when there are none). */
export function medianOf(values: Float64Array): number {
  const a = present(values);
  const n = a.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  const upper = selectInPlace(a, mid);
  if (n % 2 === 1) return upper;
  let lower = -Infinity;
  for (let i = 0; i < mid; i++) if (a[i]! > lower) lower = a[i]!;
  return (lower + upper) / 2;
}

/** The median of sorted values (mean of the two middle ones when even); NaN when empty. */
export function medianSorted(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The most frequent of sorted values, the smallest among ties; NaN when empty. */
export function modeSorted(sorted: Float64Array): number {
  let best = Number.NaN;
  let bestCount = 0;
  for (let i = 0; i < sorted.length; ) {
    let j = i + 1;
    while (j < sorted.length && sorted[j] === sorted[i]) j++;
    if (j - i > bestCount) {
      bestCount = j - i;
      best = sorted[i]!;
    }
    i = j;
  }
  return best;
}

/** Mean and population variance (two passes) of the non-missing values; count 0 gives NaNs. */
export function meanVar(values: Float64Array): { mean: number; variance: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isNaN(x)) {
      sum += x;
      count++;
    }
  }
  if (count === 0) return { mean: Number.NaN, variance: Number.NaN, count };
  const mean = sum / count;
  let correction = 0;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (!Number.isNaN(x)) {
      const d = x - mean;
      correction += d;
      squares += d * d;
    }
  }
  return { mean, variance: (squares - (correction * correction) / count) / count, count };
}

/** The smallest and largest non-missing values (Infinity and -Infinity when there are none). */
export function minMax(values: Float64Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  return { min, max };
}

/** The percentages `np.linspace(0, 100, k + 1)` divided by 100, as np.percentile turns them into quantiles. */
export function quantileGrid(k: number): number[] {
  const step = 100 / k;
  const out: number[] = [];
  for (let i = 0; i <= k; i++) out.push((i === k ? 100 : i * step) / 100);
  return out;
}

/** `np.linspace(start, stop, k + 1)`. */
export function linspace(start: number, stop: number, k: number): number[] {
  const step = (stop - start) / k;
  const out: number[] = [];
  for (let i = 0; i <= k; i++) out.push(i === k ? stop : step === 0 ? (i / k) * (stop - start) + start : i * step + start);
  return out;
}

/** The index of the first edge greater than x (numpy `searchsorted(edges, x, side='right')`). */
export function searchRight(edges: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (edges[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Quantile bin edges of the way scikit-learn's KBinsDiscretizer(strategy='quantile') finds them: the k + 1
 * percentiles, then edges closer than 1e-8 to the previous one dropped. Returns all edges (first and last too).
 */
export function quantileEdges(values: Float64Array, k: number): number[] {
  const sorted = sortedPresent(values);
  if (sorted.length === 0) return [];
  const raw = quantileGrid(k).map((q) => quantileSorted(sorted, q));
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) if (i === 0 || raw[i]! - raw[i - 1]! > 1e-8) out.push(raw[i]!);
  return out;
}

/** Compares strings by Unicode code point, as Python sorts them (JavaScript's < compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800-DFFF) stand for code points above U+FFFF, which sort after U+E000-FFFF.
    const kx = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
    const ky = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
    return kx - ky;
  }
  return a.length - b.length;
}
