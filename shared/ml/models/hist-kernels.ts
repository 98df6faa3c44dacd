/**
 * The grower's JavaScript loops for gradient histograms and row partitions (hist-tree.ts): the fallback where the
 * WebAssembly kernels of wasm-hist.ts cannot run, and the reference they are tested against bit for bit.
 */

/** Rows per block: a block's gathered statistics stay in cache while every feature is counted. */
export const BLOCK = 2048;

/**
 * A stable partition of rows `idx[s..e)` by their bins in `col`: rows with lut[bin] = 1 are compacted in place from
 * `s`, the others written in order to `tmp[t0..)`. Returns how many went left.
 */
export function partitionRows(idx: Uint32Array, tmp: Uint32Array, col: Uint8Array, lut: Uint8Array, s: number, e: number, t0: number): number {
  let nl = s;
  let nr = t0;
  for (let i = s; i < e; i++) {
    const r = idx[i]!;
    const go = lut[col[r]!]!;
    idx[nl] = r;
    tmp[nr] = r;
    nl += go;
    nr += 1 - go;
  }
  return nl - s;
}

/**
 * The gradient histograms of features `feats[q0..q1)` over rows `idx[s..e)` (rows s..e themselves when `direct`),
 * from `gh` (row r's gradient and hessian at 2r, 2r+1), into `hist` (zeroed here first). Each feature's bins
 * are summed in row order whatever the features around it, so any split of the features between threads gives
 * the same sums. `ord` is scratch of 2 × 2048 numbers.
 */
export function buildGhHistogram(
  hist: Float64Array,
  columns: Uint8Array[],
  offsets: Int32Array,
  gh: Float64Array,
  idx: Uint32Array,
  s: number,
  e: number,
  direct: boolean,
  feats: Int32Array,
  q0: number,
  q1: number,
  ord: Float64Array,
): void {
  for (let q = q0; q < q1; q++) {
    const f = feats[q]!;
    hist.fill(0, offsets[f]! * 3, offsets[f + 1]! * 3);
  }
  for (let b0 = s; b0 < e; b0 += BLOCK) {
    const b1 = Math.min(e, b0 + BLOCK);
    if (direct) {
      let q = q0;
      for (; q + 4 <= q1; q += 4) {
        const f0 = feats[q]!;
        const f1 = feats[q + 1]!;
        const f2 = feats[q + 2]!;
        const f3 = feats[q + 3]!;
        buildGhDirect4(hist, columns[f0]!, columns[f1]!, columns[f2]!, columns[f3]!, offsets[f0]! * 3, offsets[f1]! * 3, offsets[f2]! * 3, offsets[f3]! * 3, gh, b0, b1);
      }
      for (; q < q1; q++) {
        const f = feats[q]!;
        buildGhDirect4(hist, columns[f]!, columns[f]!, columns[f]!, columns[f]!, offsets[f]! * 3, -1, -1, -1, gh, b0, b1);
      }
      continue;
    }
    for (let i = b0, j = 0; i < b1; i++, j += 2) {
      const r2 = idx[i]! * 2;
      ord[j] = gh[r2]!;
      ord[j + 1] = gh[r2 + 1]!;
    }
    let q = q0;
    for (; q + 4 <= q1; q += 4) {
      const f0 = feats[q]!;
      const f1 = feats[q + 1]!;
      const f2 = feats[q + 2]!;
      const f3 = feats[q + 3]!;
      buildGhBlock4(hist, columns[f0]!, columns[f1]!, columns[f2]!, columns[f3]!, offsets[f0]! * 3, offsets[f1]! * 3, offsets[f2]! * 3, offsets[f3]! * 3, idx, ord, b0, b1);
    }
    for (; q < q1; q++) {
      const f = feats[q]!;
      buildGhBlock(hist, columns[f]!, offsets[f]! * 3, idx, ord, b0, b1);
    }
  }
}

/** The gradient histogram of one feature over one block of rows (kept small and monomorphic for the JIT). */
function buildGhBlock(
  hist: Float64Array,
  col: Uint8Array,
  base: number,
  idx: Uint32Array,
  ord: Float64Array,
  b0: number,
  b1: number,
): void {
  for (let i = b0, j = 0; i < b1; i++, j += 2) {
    const k = base + col[idx[i]!]! * 3;
    hist[k] = hist[k]! + ord[j]!;
    hist[k + 1] = hist[k + 1]! + ord[j + 1]!;
    hist[k + 2] = hist[k + 2]! + 1;
  }
}

/**
 * Four features at once: one pass over the block's rows updates four histograms, so the four read-add-write
 * chains overlap instead of each waiting on the last store (a bin hit twice in a row stalls a one-feature loop).
 */
function buildGhBlock4(
  hist: Float64Array,
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  idx: Uint32Array,
  ord: Float64Array,
  b0: number,
  b1: number,
): void {
  for (let i = b0, j = 0; i < b1; i++, j += 2) {
    const r = idx[i]!;
    const g = ord[j]!;
    const h = ord[j + 1]!;
    const k0 = a0 + c0[r]! * 3;
    hist[k0] = hist[k0]! + g;
    hist[k0 + 1] = hist[k0 + 1]! + h;
    hist[k0 + 2] = hist[k0 + 2]! + 1;
    const k1 = a1 + c1[r]! * 3;
    hist[k1] = hist[k1]! + g;
    hist[k1 + 1] = hist[k1 + 1]! + h;
    hist[k1 + 2] = hist[k1 + 2]! + 1;
    const k2 = a2 + c2[r]! * 3;
    hist[k2] = hist[k2]! + g;
    hist[k2 + 1] = hist[k2 + 1]! + h;
    hist[k2 + 2] = hist[k2 + 2]! + 1;
    const k3 = a3 + c3[r]! * 3;
    hist[k3] = hist[k3]! + g;
    hist[k3 + 1] = hist[k3 + 1]! + h;
    hist[k3 + 2] = hist[k3 + 2]! + 1;
  }
}

/** `buildGhBlock4` for rows b0..b1 themselves (no index); a base of -1 skips that feature. */
function buildGhDirect4(
  hist: Float64Array,
  c0: Uint8Array,
  c1: Uint8Array,
  c2: Uint8Array,
  c3: Uint8Array,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
  gh: Float64Array,
  b0: number,
  b1: number,
): void {
  if (a1 < 0) {
    for (let r = b0; r < b1; r++) {
      const k0 = a0 + c0[r]! * 3;
      hist[k0] = hist[k0]! + gh[2 * r]!;
      hist[k0 + 1] = hist[k0 + 1]! + gh[2 * r + 1]!;
      hist[k0 + 2] = hist[k0 + 2]! + 1;
    }
    return;
  }
  for (let r = b0; r < b1; r++) {
    const g = gh[2 * r]!;
    const h = gh[2 * r + 1]!;
    const k0 = a0 + c0[r]! * 3;
    hist[k0] = hist[k0]! + g;
    hist[k0 + 1] = hist[k0 + 1]! + h;
    hist[k0 + 2] = hist[k0 + 2]! + 1;
    const k1 = a1 + c1[r]! * 3;
    hist[k1] = hist[k1]! + g;
    hist[k1 + 1] = hist[k1 + 1]! + h;
    hist[k1 + 2] = hist[k1 + 2]! + 1;
    const k2 = a2 + c2[r]! * 3;
    hist[k2] = hist[k2]! + g;
    hist[k2 + 1] = hist[k2 + 1]! + h;
    hist[k2 + 2] = hist[k2 + 2]! + 1;
    const k3 = a3 + c3[r]! * 3;
    hist[k3] = hist[k3]! + g;
    hist[k3 + 1] = hist[k3 + 1]! + h;
    hist[k3 + 2] = hist[k3 + 2]! + 1;
  }
}
