import { describe, expect, it } from 'vitest';
import { HostError } from '../../host/errors.js';
import type { FeatureMatrix, Target } from '../types.js';
import { binaryProblem, multiclassProblem, regressionProblem } from './synthetic.js';
import { rocAuc } from '../metrics.js';
import { fitTree, loadTree } from './tree.js';

const roundTrip = (m: { toJSON(): unknown }) => JSON.parse(JSON.stringify(m.toJSON()));

describe('fitTree', () => {
  it('learns a binary problem; leaf values are class probabilities', () => {
    const { train, test } = binaryProblem(5000, 2000, 1, 0.3);
    const m = fitTree(train.X, train.y, { maxDepth: 8, minSamplesLeaf: 20 }, { seed: 1 });
    const p = m.predict(test.X);
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    expect(rocAuc(test.y.values, p)).toBeGreaterThan(0.85);
    const stump = fitTree(train.X, train.y, { maxDepth: 1 }, { seed: 1 });
    expect(stump.leafCount).toBe(2);
    expect(rocAuc(test.y.values, stump.predict(test.X))).toBeLessThan(rocAuc(test.y.values, p));
  });

  it('fits a pure separable problem exactly, with either criterion', () => {
    const n = 200;
    const x = Float64Array.from({ length: n }, (_, i) => i);
    const y = Float64Array.from({ length: n }, (_, i) => (i < 70 || i >= 150 ? 0 : 1));
    const X: FeatureMatrix = { rowCount: n, names: ['x'], columns: [x] };
    const target: Target = { task: 'binary', values: y, classes: ['a', 'b'] };
    for (const criterion of ['gini', 'entropy'] as const) {
      const m = fitTree(X, target, { criterion, minSamplesLeaf: 1 }, { seed: 1 });
      expect(Array.from(m.predict(X))).toEqual(Array.from(y));
      expect(m.leafCount).toBe(3);
      // Thresholds are raw values: unseen values between the training points follow them.
      const p = m.predict({ rowCount: 3, names: ['x'], columns: [Float64Array.of(69.2, 69.8, 1000)] });
      expect(Array.from(p)).toEqual([0, 1, 0]);
    }
  });

  it('learns multiclass and regression', () => {
    const mc = multiclassProblem(3000, 1000, 2);
    const m = fitTree(mc.train.X, mc.train.y, {}, { seed: 1 });
    const p = m.predict(mc.test.X);
    let correct = 0;
    for (let i = 0; i < mc.test.X.rowCount; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      if (row.indexOf(Math.max(...row)) === mc.test.y.values[i]) correct++;
    }
    expect(correct / mc.test.X.rowCount).toBeGreaterThan(0.8);
    const rg = regressionProblem(4000, 1000, 3);
    const r = fitTree(rg.train.X, rg.train.y, {}, { seed: 1 });
    const pr = r.predict(rg.test.X);
    let sse = 0;
    let sst = 0;
    const mean = rg.test.y.values.reduce((a, b) => a + b, 0) / pr.length;
    for (let i = 0; i < pr.length; i++) {
      sse += (pr[i]! - rg.test.y.values[i]!) ** 2;
      sst += (rg.test.y.values[i]! - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.75);
    expect(r.featureImportance()[3]!).toBeLessThan(0.05);
  });

  it('splits on missingness and sends missing values the learned way', () => {
    const n = 400;
    const a = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? NaN : (i * 7) % 13));
    const y = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
    const m = fitTree({ rowCount: n, names: ['a'], columns: [a] }, { task: 'binary', values: y }, {}, { seed: 1 });
    expect(Array.from(m.predict({ rowCount: 2, names: ['a'], columns: [Float64Array.of(NaN, 5)] }))).toEqual([1, 0]);
  });

  it('respects maxLeaves (best-first) and round-trips through JSON', () => {
    const { train, test } = binaryProblem(3000, 500, 4);
    const m = fitTree(train.X, train.y, { maxLeaves: 7, maxDepth: -1 }, { seed: 1 });
    expect(m.leafCount).toBe(7);
    const back = loadTree(roundTrip(m));
    expect(Array.from(back.predict(test.X))).toEqual(Array.from(m.predict(test.X)));
    const rg = regressionProblem(1000, 200, 5);
    const r = fitTree(rg.train.X, rg.train.y, {}, { seed: 1 });
    expect(Array.from(loadTree(roundTrip(r)).predict(rg.test.X))).toEqual(Array.from(r.predict(rg.test.X)));
  });

  it('throws cancelled when cancelled and refuses bad parameters', () => {
    const { train } = binaryProblem(300, 10, 6);
    let thrown: unknown;
    try {
      fitTree(train.X, train.y, {}, { seed: 1, isCancelled: () => true });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as HostError).code).toBe('cancelled');
    expect(() => fitTree(train.X, train.y, { maxDepth: 0 }, { seed: 1 })).toThrow(HostError);
  });
});
