import { describe, expect, it } from 'vitest';
import { HostError } from '../../host/errors.js';
import { fitForest, featuresPerNode, loadForest } from './forest.js';
import { binaryProblem, multiclassProblem, regressionProblem } from './synthetic.js';
import { rocAuc } from '../metrics.js';
import { fitTree } from './tree.js';

const roundTrip = (m: { toJSON(): unknown }) => JSON.parse(JSON.stringify(m.toJSON()));

describe('fitForest', () => {
  it('learns a binary problem better than one tree', () => {
    const { train, test } = binaryProblem(4000, 2000, 1);
    const f = fitForest(train.X, train.y, { nTrees: 40 }, { seed: 1 });
    const p = f.predict(test.X);
    expect(p.every((v) => v >= 0 && v <= 1)).toBe(true);
    const a = rocAuc(test.y.values, p);
    expect(a).toBeGreaterThan(0.9);
    const tree = fitTree(train.X, train.y, { maxDepth: -1, minSamplesLeaf: 1 }, { seed: 1 });
    expect(a).toBeGreaterThan(rocAuc(test.y.values, tree.predict(test.X)) + 0.02);
    const imp = f.featureImportance();
    expect(imp[0]!).toBeGreaterThan(imp[5]!);
  });

  it('learns multiclass and regression', () => {
    const mc = multiclassProblem(2000, 600, 2);
    const m = fitForest(mc.train.X, mc.train.y, { nTrees: 20 }, { seed: 1 });
    const p = m.predict(mc.test.X);
    let correct = 0;
    for (let i = 0; i < mc.test.X.rowCount; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9);
      if (row.indexOf(Math.max(...row)) === mc.test.y.values[i]) correct++;
    }
    expect(correct / mc.test.X.rowCount).toBeGreaterThan(0.85);
    const rg = regressionProblem(2000, 500, 3);
    const r = fitForest(rg.train.X, rg.train.y, { nTrees: 20, maxFeatures: 1 }, { seed: 1 });
    const pr = r.predict(rg.test.X);
    let sse = 0;
    let sst = 0;
    const mean = rg.test.y.values.reduce((s, v) => s + v, 0) / pr.length;
    for (let i = 0; i < pr.length; i++) {
      sse += (pr[i]! - rg.test.y.values[i]!) ** 2;
      sst += (rg.test.y.values[i]! - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.8);
  });

  it('is deterministic by seed; the seed matters; round-trips through JSON', () => {
    const { train, test } = binaryProblem(1500, 300, 4);
    const a = fitForest(train.X, train.y, { nTrees: 8 }, { seed: 5 });
    const b = fitForest(train.X, train.y, { nTrees: 8 }, { seed: 5 });
    const c = fitForest(train.X, train.y, { nTrees: 8 }, { seed: 6 });
    expect(Array.from(a.predict(test.X))).toEqual(Array.from(b.predict(test.X)));
    expect(Array.from(a.predict(test.X))).not.toEqual(Array.from(c.predict(test.X)));
    const back = loadForest(roundTrip(a));
    expect(Array.from(back.predict(test.X))).toEqual(Array.from(a.predict(test.X)));
    expect(back.treeCount).toBe(8);
  });

  it('throws cancelled when cancelled and refuses bad parameters', () => {
    const { train } = binaryProblem(300, 10, 6);
    let calls = 0;
    let thrown: unknown;
    try {
      fitForest(train.X, train.y, { nTrees: 20 }, { seed: 1, isCancelled: () => ++calls > 4 });
    } catch (e) {
      thrown = e;
    }
    expect((thrown as HostError).code).toBe('cancelled');
    expect(() => fitForest(train.X, train.y, { maxFeatures: 2 }, { seed: 1 })).toThrow(HostError);
    expect(featuresPerNode('sqrt', 20)).toBe(4);
    expect(featuresPerNode(0.5, 20)).toBe(10);
  });
});
