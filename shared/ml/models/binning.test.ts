import { describe, expect, it } from 'vitest';
import type { FeatureMatrix } from '../types.js';
import { binMatrix, binOf, categoryEdges, edgesFromJSON, edgesOfSorted, edgesToJSON, learnBinEdges, sortFloats } from './binning.js';
import { mulberry32 } from '../../data/random.js';

describe('binning', () => {
  it('gives each distinct value its own bin when there are few, cutting halfway', () => {
    const e = edgesOfSorted(Float64Array.of(1, 1, 2, 4, 4, 4), 255);
    expect(Array.from(e)).toEqual([1.5, 3]);
    expect([0, 1, 1.5, 1.6, 2, 3, 3.1, 4, 99].map((v) => binOf(v, e))).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(binOf(NaN, e)).toBe(3);
  });

  it('gives every category code a bin equal to it, reading every row; refuses values that are not codes 0..254', () => {
    // Code 7 appears once, after 300,000 rows: a sample could miss it, the category edges do not.
    const c = Float64Array.from({ length: 300_001 }, (_, i) => (i === 300_000 ? 7 : i % 5 === 0 ? NaN : i % 3));
    const e = categoryEdges(c)!;
    expect(Array.from(e)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5]);
    const b = binMatrix({ rowCount: c.length, names: ['c'], columns: [c] }, [e]);
    expect([b.columns[0]![1], b.columns[0]![2], b.columns[0]![3], b.columns[0]![0], b.columns[0]![300_000]]).toEqual([1, 2, 0, 8, 7]);
    expect(categoryEdges(Float64Array.of(0, 2), [0])!.length).toBe(0);
    expect(categoryEdges(Float64Array.of(NaN, NaN))!.length).toBe(0);
    expect(categoryEdges(Float64Array.of(0, 254))!.length).toBe(254);
    for (const bad of [Float64Array.of(0, 255), Float64Array.of(0, -1), Float64Array.of(0, 1.5), Float64Array.of(Infinity)]) {
      expect(categoryEdges(bad)).toBeNull();
    }
  });

  it('cuts many distinct values into at most maxBins roughly equal bins', () => {
    const n = 10_000;
    const x = Float64Array.from({ length: n }, (_, i) => (i * 7919) % n);
    const X: FeatureMatrix = { rowCount: n, names: ['x'], columns: [x] };
    const edges = learnBinEdges(X, { maxBins: 16 });
    expect(edges[0]!.length).toBe(15);
    const b = binMatrix(X, edges);
    expect(b.nBins[0]).toBe(16);
    const counts = new Array<number>(16).fill(0);
    for (const v of b.columns[0]!) counts[v]!++;
    for (const c of counts) expect(Math.abs(c - n / 16)).toBeLessThan(n / 16 / 10);
  });

  it('agrees with the raw-threshold rule: bin <= k exactly when value <= edges[k]', () => {
    const x = Float64Array.from({ length: 2000 }, (_, i) => Math.sin(i) * 100 + (i % 3 === 0 ? NaN : 0));
    const edges = learnBinEdges({ rowCount: x.length, names: ['x'], columns: [x] }, { maxBins: 32 });
    const b = binMatrix({ rowCount: x.length, names: ['x'], columns: [x] }, edges);
    const e = edges[0]!;
    expect(e.length).toBe(31);
    let mismatches = 0;
    for (let i = 0; i < x.length; i++) {
      if (Number.isNaN(x[i]!)) {
        if (b.columns[0]![i] !== e.length + 1) mismatches++;
        continue;
      }
      for (let k = 0; k < e.length; k++) if (b.columns[0]![i]! <= k !== x[i]! <= e[k]!) mismatches++;
    }
    expect(mismatches).toBe(0);
  });

  it('handles all-missing, constant and infinite columns; samples with a seed', () => {
    const n = 50;
    const X: FeatureMatrix = {
      rowCount: n,
      names: ['nan', 'const', 'inf'],
      columns: [new Float64Array(n).fill(NaN), new Float64Array(n).fill(3), Float64Array.from({ length: n }, (_, i) => (i < 10 ? -Infinity : i > 40 ? Infinity : i))],
    };
    const edges = learnBinEdges(X);
    expect(edges[0]!.length).toBe(0);
    expect(edges[1]!.length).toBe(0);
    expect(edges[2]!.every(Number.isFinite)).toBe(true);
    const b = binMatrix(X, edges);
    expect(b.columns[0]!.every((v) => v === 1)).toBe(true);
    expect(b.columns[1]!.every((v) => v === 0)).toBe(true);
    expect(b.columns[2]![0]).toBe(0);
    expect(b.columns[2]![49]).toBe(edges[2]!.length);
    const big = { rowCount: 5000, names: ['x'], columns: [Float64Array.from({ length: 5000 }, (_, i) => (i * 31) % 977)] };
    const s1 = learnBinEdges(big, { sampleRows: 500, seed: 1, maxBins: 20 });
    expect(learnBinEdges(big, { sampleRows: 500, seed: 1, maxBins: 20 })).toEqual(s1);
    expect(learnBinEdges(big, { sampleRows: 500, seed: 2, maxBins: 20 })).not.toEqual(s1);
    expect(edgesFromJSON(JSON.parse(JSON.stringify(edgesToJSON(s1))))).toEqual(s1);
  });

  it('bins every value as binOf does, whatever the spread of the edges (skewed, huge, tiny, infinite values)', () => {
    const columns = [
      Float64Array.from({ length: 3000 }, (_, i) => Math.exp((i % 97) / 3) * (i % 2 ? 1 : -1)),
      Float64Array.from({ length: 3000 }, (_, i) => (i % 5 === 0 ? 1e300 : i % 7 === 0 ? -1e300 : i % 11)),
      Float64Array.from({ length: 3000 }, (_, i) => 1 + (i % 400) * 1e-13),
      Float64Array.from({ length: 3000 }, (_, i) => [0, -0, Infinity, -Infinity, NaN, 5e-324, -5e-324][i % 7]!),
      Float64Array.from({ length: 3000 }, (_, i) => (i % 2 ? 1 : 2)),
    ];
    const X: FeatureMatrix = { rowCount: 3000, names: columns.map((_, i) => `x${i}`), columns };
    const edges = learnBinEdges(X);
    // And values the edges were not learned from.
    const probe: FeatureMatrix = {
      rowCount: 3000,
      names: X.names,
      columns: columns.map((c, f) => c.map((v, i) => (i % 3 === 0 ? v * 1.5 + f : i % 3 === 1 ? -v : v))),
    };
    for (const data of [X, probe]) {
      const b = binMatrix(data, edges);
      let mismatches = 0;
      data.columns.forEach((col, f) => col.forEach((v, i) => {
        if (b.columns[f]![i] !== binOf(v, edges[f]!)) mismatches++;
      }));
      expect(mismatches).toBe(0);
    }
  });

  it('sorts floats as TypedArray.prototype.sort does (signed zeros, infinities, subnormals, ties)', () => {
    const random = mulberry32(3);
    const pick = [0, -0, Infinity, -Infinity, 1, -1, 5e-324, -5e-324, 1e300, -1e300];
    for (const make of [() => random() * 2 - 1, () => pick[Math.floor(random() * pick.length)]!, () => Math.floor(random() * 4), () => (random() - 0.5) * 1e300]) {
      const a = Float64Array.from({ length: 3000 }, make);
      const expected = a.slice().sort();
      const got = sortFloats(a, new Float64Array(a.length));
      expect(got.filter((v, i) => !Object.is(v, expected[i])).length).toBe(0);
    }
  });
});
