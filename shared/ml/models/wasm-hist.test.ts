import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.js';
import { binMatrix, learnBinEdges } from './binning.js';
import { fitGbdt } from './gbdt.js';
import { buildGhHistogram, partitionRows } from './hist-kernels.js';
import { HistTreeGrower } from './hist-tree.js';
import { categoryProblem, regressionProblem, syntheticBinary } from './synthetic.js';
import { WASM_PAGE, wasmHist, wasmHistBytes, wasmMemory } from './wasm-hist.js';

/** Random bins (some features with few codes), gradients and an ascending row subset, laid out for both paths. */
function setup(n: number, F: number, seed: number) {
  const random = mulberry32(seed);
  const nBins = Int32Array.from({ length: F }, (_, f) => (f % 3 === 0 ? 4 : 1 + Math.floor(random() * 254)));
  const columns = Array.from({ length: F }, (_, f) => Uint8Array.from({ length: n }, () => Math.floor(random() * (nBins[f]! + 1))));
  const offsets = new Int32Array(F + 1);
  for (let f = 0; f < F; f++) offsets[f + 1] = offsets[f]! + nBins[f]! + 1;
  const gh = Float64Array.from({ length: 2 * n }, (_, i) => (i % 2 ? random() * 0.25 : random() * 2 - 1) * (random() < 0.01 ? 1e6 : 1));
  const rows: number[] = [];
  for (let r = 0; r < n; r++) if (random() < 0.6) rows.push(r);
  const idx = Uint32Array.from(rows);
  const histSize = offsets[F]! * 3;
  // Memory: row-major bins, column-major bins, gh, idx, tmp, lut, desc, histogram.
  const at = { bins: 0, cols: n * F, gh: 0, idx: 0, tmp: 0, lut: 0, desc: 0, hist: 0 };
  at.gh = Math.ceil((2 * n * F) / 16) * 16;
  at.idx = at.gh + 16 * n;
  at.tmp = at.idx + 4 * n;
  at.lut = at.tmp + 4 * n;
  at.desc = at.lut + 256;
  const sink = at.desc + 8 * F + 64;
  at.hist = sink + 128;
  const memory = wasmMemory(Math.ceil((at.hist + 8 * histSize) / WASM_PAGE), false)!;
  const features = Array.from({ length: F }, (_, f) => ({ byte: f, base: offsets[f]! * 24 }));
  const kern = wasmHist(memory, false, wasmHistBytes(false, { bins: at.bins, stride: F, gh: at.gh, sink, features }))!;
  const buf = memory.buffer;
  const bins = new Uint8Array(buf, at.bins, n * F);
  for (let f = 0; f < F; f++) {
    new Uint8Array(buf, at.cols + f * n, n).set(columns[f]!);
    for (let r = 0; r < n; r++) bins[r * F + f] = columns[f]![r]!;
  }
  new Float64Array(buf, at.gh, 2 * n).set(gh);
  return { n, F, columns, offsets, gh, idx, histSize, at, kern, buf, random };
}

describe('WebAssembly histogram kernels', () => {
  it('build the very histograms of buildGhHistogram (all rows, a row subset, a feature subset)', () => {
    const { n, F, columns, offsets, gh, idx, histSize, at, kern, buf } = setup(5000, 13, 1);
    const feats = Int32Array.from([0, 2, 3, 7, 8, 12]);
    for (const [direct, fs] of [[true, Int32Array.from({ length: F }, (_, i) => i)], [false, feats]] as const) {
      const s = direct ? 0 : 17;
      const e = direct ? n : idx.length - 5;
      const expected = new Float64Array(histSize);
      buildGhHistogram(expected, columns, offsets, gh, idx, s, e, direct, fs, 0, fs.length, new Float64Array(4096));
      new Uint32Array(buf, at.idx, idx.length).set(idx);
      const desc = new Int32Array(buf, at.desc, 2 * fs.length);
      fs.forEach((f, q) => {
        desc[2 * q] = f;
        desc[2 * q + 1] = offsets[f]! * 24;
      });
      const hist = new Float64Array(buf, at.hist, histSize);
      hist.fill(0);
      kern.hist(at.hist, at.bins, F, at.gh, at.idx, s, e, direct ? 1 : 0, at.desc, fs.length);
      const differ = expected.filter((v, i) => !Object.is(v, hist[i]!)).length;
      expect(differ).toBe(0);
      expect(hist.some((v) => v !== 0)).toBe(true);
      if (fs.length < F) continue;
      // The fixed kernels: all features at once, or the two halves one after the other.
      hist.fill(0);
      kern.histAll!(at.hist, at.idx, s, e, direct ? 1 : 0);
      expect(expected.filter((v, i) => !Object.is(v, hist[i]!)).length).toBe(0);
      hist.fill(0);
      kern.histHi!(at.hist, at.idx, s, e, direct ? 1 : 0);
      kern.histLo!(at.hist, at.idx, s, e, direct ? 1 : 0);
      expect(expected.filter((v, i) => !Object.is(v, hist[i]!)).length).toBe(0);
    }
    // Direct, but from a row subset's indices: every path agrees on rows idx[s..e) too.
    const expected = new Float64Array(histSize);
    const all = Int32Array.from({ length: F }, (_, i) => i);
    buildGhHistogram(expected, columns, offsets, gh, idx, 3, idx.length, false, all, 0, F, new Float64Array(4096));
    const hist = new Float64Array(buf, at.hist, histSize);
    hist.fill(0);
    kern.histAll!(at.hist, at.idx, 3, idx.length, 0);
    expect(expected.filter((v, i) => !Object.is(v, hist[i]!)).length).toBe(0);
  });

  it('partition rows as partitionRows does', () => {
    const { n, columns, idx, at, kern, buf, random } = setup(4000, 5, 2);
    const lut = Uint8Array.from({ length: 256 }, () => (random() < 0.5 ? 1 : 0));
    new Uint8Array(buf, at.lut, 256).set(lut);
    for (const f of [0, 3, 4]) {
      for (const [s, e, t0] of [[0, idx.length, 0], [100, 2000, 100]] as const) {
        const a = idx.slice();
        const ta = new Uint32Array(n);
        const nl = partitionRows(a, ta, columns[f]!, lut, s, e, t0);
        const b = new Uint32Array(buf, at.idx, idx.length);
        b.set(idx);
        const tb = new Uint32Array(buf, at.tmp, n);
        tb.fill(0);
        expect(kern.partition(at.idx, at.tmp, at.cols, 1, f * n, at.lut, s, e, t0)).toBe(nl);
        expect(Array.from(b)).toEqual(Array.from(a));
        expect(Array.from(tb.subarray(t0, t0 + (e - s - nl)))).toEqual(Array.from(ta.subarray(t0, t0 + (e - s - nl))));
      }
    }
  });

  it('grow the same trees as the JavaScript loops (missing values, categories, subsampling, weights, no leaf limit)', () => {
    const same = (a: ReturnType<typeof fitGbdt>, b: ReturnType<typeof fitGbdt>) => expect(JSON.stringify(a.toJSON())).toBe(JSON.stringify(b.toJSON()));
    const { X, y } = syntheticBinary(8000, 5, { features: 9, noise: 0.8, missingRate: 0.1 });
    for (const params of [{ nTrees: 8, maxLeaves: 15 }, { nTrees: 6, maxLeaves: 70, rowSubsample: 0.7, colSubsample: 0.6 }]) {
      same(fitGbdt(X, y, params, { seed: 2 }, { kernel: 'js' }), fitGbdt(X, y, params, { seed: 2 }));
    }
    const cat = categoryProblem(8000, 0, 7, 90).train;
    same(fitGbdt(cat.X, cat.y, { nTrees: 6, maxLeaves: 20 }, { seed: 2 }, { kernel: 'js' }), fitGbdt(cat.X, cat.y, { nTrees: 6, maxLeaves: 20 }, { seed: 2 }));
    const { train } = regressionProblem(6000, 0, 3);
    const random = mulberry32(4);
    const weights = Float64Array.from({ length: train.X.rowCount }, () => 0.5 + random());
    const params = { nTrees: 5, maxLeaves: 20, rowSubsample: 0.8 };
    same(fitGbdt(train.X, train.y, params, { seed: 6, weights }, { kernel: 'js' }), fitGbdt(train.X, train.y, params, { seed: 6, weights }));
    // Depth-wise growth without a leaf budget, and a budget of 300 leaves (more histograms open than the first
    // memory holds, so it grows and the views are made again).
    const edges = learnBinEdges(X);
    const binned = binMatrix(X, edges);
    const grad = Float64Array.from(y.values, (v, i) => v - 0.4 + (i % 7) * 0.01);
    const hess = Float64Array.from(y.values, (_, i) => 0.2 + (i % 5) * 0.01);
    for (const limits of [{ maxLeaves: -1, maxDepth: 8 }, { maxLeaves: 300, maxDepth: -1 }]) {
      const opts = { ...limits, minSamplesLeaf: 5, minChildWeight: 0 };
      const a = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 1 }, opts, null, 'js').grow({ kind: 'gh', grad, hess });
      const b = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 1 }, opts).grow({ kind: 'gh', grad, hess });
      expect(b.nodeCount).toBeGreaterThan(300);
      expect(Array.from(b.stats)).toEqual(Array.from(a.stats));
      expect(Array.from(b.threshold)).toEqual(Array.from(a.threshold));
      expect(Array.from(b.start)).toEqual(Array.from(a.start));
    }
  });
});
