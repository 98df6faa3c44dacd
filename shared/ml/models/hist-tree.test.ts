import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.js';
import type { FeatureMatrix } from '../types.js';
import { binMatrix, learnBinEdges } from './binning.js';
import { flatten, leafOfBinned, leafOfRaw } from './flat-tree.js';
import { HistTreeGrower } from './hist-tree.js';

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
});
