import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.js';
import type { FeatureMatrix } from '../types.js';
import { binMatrix, categoryEdges, learnBinEdges } from './binning.js';
import { flatten, leafOfBinned, leafOfRaw, leafOfRawCategorical, treeFromJSON, treeToJSON } from './flat-tree.js';
import { HistTreeGrower } from './hist-tree.js';
import { categoryProblem } from './synthetic.js';

function data(n: number, seed: number): { X: FeatureMatrix; grad: Float64Array; hess: Float64Array } {
  const random = mulberry32(seed);
  const columns = Array.from({ length: 6 }, () => Float64Array.from({ length: n }, () => (random() < 0.1 ? NaN : random() * 10)));
  const grad = Float64Array.from({ length: n }, (_, i) => (columns[0]![i]! > 5 ? 1 : -1) + (Number.isNaN(columns[1]![i]!) ? 2 : 0) + random() - 0.5);
  const hess = Float64Array.from({ length: n }, () => 0.5 + random());
  return { X: { rowCount: n, names: columns.map((_, i) => `f${i}`), columns }, grad, hess };
}

/** Exhaustive best split of one node, computed directly from the rows (the reference the grower must match). */
function bruteBest(X: FeatureMatrix, edges: Float64Array[], grad: Float64Array, hess: Float64Array, minLeaf: number): number {
  const n = X.rowCount;
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    G += grad[i]!;
    H += hess[i]!;
  }
  let best = 0;
  X.columns.forEach((col, f) => {
    const e = edges[f]!;
    for (let k = 0; k <= e.length; k++) {
      const t = k < e.length ? e[k]! : Infinity;
      for (const missLeft of [false, true]) {
        let gl = 0;
        let hl = 0;
        let cl = 0;
        for (let i = 0; i < n; i++) {
          const v = col[i]!;
          if (Number.isNaN(v) ? missLeft : v <= t) {
            gl += grad[i]!;
            hl += hess[i]!;
            cl++;
          }
        }
        if (cl < minLeaf || n - cl < minLeaf) continue;
        const gain = (gl * gl) / hl + ((G - gl) * (G - gl)) / (H - hl) - (G * G) / H;
        best = Math.max(best, gain);
      }
    }
  });
  return best;
}

describe('HistTreeGrower', () => {
  it('finds the same best root split as an exhaustive search', () => {
    const { X, grad, hess } = data(600, 1);
    const edges = learnBinEdges(X, { maxBins: 16 });
    const binned = binMatrix(X, edges);
    const grower = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 0 }, { maxLeaves: 2, maxDepth: -1, minSamplesLeaf: 5, minChildWeight: 0 });
    const tree = grower.grow({ kind: 'gh', grad, hess });
    expect(tree.nodeCount).toBe(3);
    expect(tree.gain[0]!).toBeCloseTo(bruteBest(X, edges, grad, hess, 5), 8);
  });

  it('partitions rows consistently: leaf segments, binned and raw traversal agree; leaves obey limits', () => {
    const { X, grad, hess } = data(3000, 2);
    const edges = learnBinEdges(X);
    const binned = binMatrix(X, edges);
    for (const opts of [
      { maxLeaves: 15, maxDepth: -1 },
      { maxLeaves: -1, maxDepth: 3 },
    ]) {
      const grower = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 1 }, { ...opts, minSamplesLeaf: 30, minChildWeight: 1 });
      const tree = grower.grow({ kind: 'gh', grad, hess });
      const flat = flatten(tree, 3, 1, (st, o, out, oo) => (out[oo] = -st[o]! / (st[o + 1]! + 1)));
      let leaves = 0;
      const seen = new Uint8Array(X.rowCount);
      for (let node = 0; node < tree.nodeCount; node++) {
        if (tree.feature[node]! >= 0) continue;
        leaves++;
        expect(tree.end[node]! - tree.start[node]!).toBeGreaterThanOrEqual(30);
        for (let i = tree.start[node]!; i < tree.end[node]!; i++) {
          const r = grower.rowIndex[i]!;
          seen[r]! += 1;
          expect(leafOfBinned(tree, binned, r)).toBe(node);
          expect(leafOfRaw(flat.feature, flat.threshold, flat.defaultLeft, tree.left, X.columns, r)).toBe(node);
        }
      }
      expect(seen.every((s) => s === 1)).toBe(true);
      if (opts.maxLeaves > 0) expect(leaves).toBe(15);
      else expect(leaves).toBeLessThanOrEqual(8);
    }
  });

  it('grows the same tree with per-node feature sampling from the same seed', () => {
    const { X, grad, hess } = data(1000, 3);
    const edges = learnBinEdges(X);
    const binned = binMatrix(X, edges);
    const make = () => new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 0 }, { maxLeaves: -1, maxDepth: 6, minSamplesLeaf: 5, minChildWeight: 0, nodeFeatures: 2 });
    const a = make().grow({ kind: 'gh', grad, hess }, null, null, mulberry32(4));
    const b = make().grow({ kind: 'gh', grad, hess }, null, null, mulberry32(4));
    expect(Array.from(a.feature)).toEqual(Array.from(b.feature));
    expect(Array.from(a.threshold)).toEqual(Array.from(b.threshold));
  });

  describe('category splits', () => {
    /** 12 categories of 150 rows (plus 150 missing): categories 1, 4, 7, 9 and missing pull one way, the rest the other. */
    function categories(seed: number) {
      const random = mulberry32(seed);
      const n = 13 * 150;
      const c = Float64Array.from({ length: n }, (_, i) => (i % 13 === 12 ? NaN : i % 13));
      const x = Float64Array.from({ length: n }, () => random());
      const up = (v: number) => Number.isNaN(v) || [1, 4, 7, 9].includes(v);
      const grad = Float64Array.from(c, (v) => (up(v) ? 1 : -1) + 0.2 * (random() - 0.5));
      const hess = Float64Array.from({ length: n }, () => 1);
      const X: FeatureMatrix = { rowCount: n, names: ['c', 'x'], columns: [c, x] };
      const edges = [categoryEdges(c)!, learnBinEdges(X)[1]!];
      return { X, edges, binned: binMatrix(X, edges), grad, hess, up };
    }

    it('send the categories that pull one way to one side, missing values with them, in one split', () => {
      const { X, edges, binned, grad, hess } = categories(1);
      expect(Array.from(edges[0]!)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5]);
      const grower = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 0 }, { maxLeaves: 2, maxDepth: -1, minSamplesLeaf: 20, minChildWeight: 0, categorical: Uint8Array.of(1, 0) });
      const tree = grower.grow({ kind: 'gh', grad, hess });
      expect(tree.nodeCount).toBe(3);
      expect(tree.feature[0]).toBe(0);
      const set = tree.categories[0]!;
      // The four categories (and missing) that pull up are the smaller end of the sorted order.
      expect([...set.keys()].filter((b) => set[b] === 1)).toEqual([1, 4, 7, 9]);
      expect(tree.defaultLeft[0]).toBe(1);
      expect(tree.splitBin[0]).toBe(-1);
      const flat = flatten(tree, 3, 1, (st, o, out, oo) => (out[oo] = -st[o]! / st[o + 1]!));
      const leftLeaf = tree.left[0]!;
      const go = (v: number) => leafOfRawCategorical(flat, [Float64Array.of(v), Float64Array.of(0.5)], 0);
      for (const v of [1, 4, 7, 9, NaN]) expect(go(v)).toBe(leftLeaf);
      // Other codes, unseen codes and values that are no codes at all go right.
      for (const v of [0, 2, 11, 12, 40, 1000, -1, 4.5]) expect(go(v)).toBe(leftLeaf + 1);
      // The same numbers of the rows on each side as the tree counted.
      expect(tree.stats[leftLeaf * 3 + 2]).toBe(5 * 150);
      // A plain numeric split of the same codes needs more than one cut.
      const numeric = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 0 }, { maxLeaves: 2, maxDepth: -1, minSamplesLeaf: 20, minChildWeight: 0 }).grow({ kind: 'gh', grad, hess });
      expect(numeric.gain[0]!).toBeLessThan(tree.gain[0]! / 2);
      // A category set survives the JSON round trip.
      const back = treeFromJSON(JSON.parse(JSON.stringify(treeToJSON(flat))), 1);
      expect(treeToJSON(back)).toEqual(treeToJSON(flat));
      expect(treeToJSON(flat).c).toEqual({ 0: [1, 4, 7, 9] });
      for (let r = 0; r < X.rowCount; r++) expect(leafOfRawCategorical(back, X.columns, r)).toBe(leafOfBinned(tree, binned, r));
    });

    it('try each category against the rest when a feature has at most four', () => {
      const random = mulberry32(3);
      const n = 2000;
      const c = Float64Array.from({ length: n }, (_, i) => i % 4);
      // Category 2 alone differs; it lies between the others in code order.
      const grad = Float64Array.from(c, (v) => (v === 2 ? 1 : -0.3) + 0.1 * random());
      const hess = Float64Array.from({ length: n }, () => 1);
      const X: FeatureMatrix = { rowCount: n, names: ['c'], columns: [c] };
      const edges = [categoryEdges(c)!];
      const tree = new HistTreeGrower(binMatrix(X, edges), edges, { kind: 'gh', lambda: 1 }, { maxLeaves: 2, maxDepth: -1, minSamplesLeaf: 20, minChildWeight: 0, categorical: Uint8Array.of(1) }).grow({ kind: 'gh', grad, hess });
      expect(Array.from(tree.categories[0]!.subarray(0, 5))).toEqual([0, 0, 1, 0, 0]);
      expect(tree.defaultLeft[0]).toBe(0);
    });

    it('route every row the same way on its bins and on its raw values in a deep tree of mixed splits', () => {
      const { train } = categoryProblem(6000, 0, 5, 60);
      const X = train.X;
      const edges = learnBinEdges(X);
      edges[0] = categoryEdges(X.columns[0]!)!;
      const binned = binMatrix(X, edges);
      const grad = Float64Array.from(train.y.values, (v, i) => 0.45 - v + 0.01 * (i % 3));
      const hess = Float64Array.from({ length: X.rowCount }, () => 0.25);
      const grower = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: 1 }, { maxLeaves: 40, maxDepth: -1, minSamplesLeaf: 20, minChildWeight: 0, categorical: Uint8Array.of(1, 0) });
      const tree = grower.grow({ kind: 'gh', grad, hess });
      const flat = flatten(tree, 3, 1, (st, o, out, oo) => (out[oo] = -st[o]! / (st[o + 1]! + 1)));
      expect(tree.categories.filter((s) => s !== null).length).toBeGreaterThan(3);
      expect(Array.from(tree.feature).filter((f) => f === 1).length).toBeGreaterThan(3);
      for (let node = 0; node < tree.nodeCount; node++) {
        if (tree.feature[node]! >= 0) continue;
        for (let i = tree.start[node]!; i < tree.end[node]!; i++) {
          const r = grower.rowIndex[i]!;
          expect(leafOfBinned(tree, binned, r)).toBe(node);
          expect(leafOfRawCategorical(flat, X.columns, r)).toBe(node);
        }
      }
    });
  });
});
