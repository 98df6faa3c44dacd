import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/data/random.js';
import { fitGbdt, type GbdtParams } from '../../shared/ml/models/gbdt.js';
import { regressionProblem, syntheticBinary } from '../../shared/ml/models/synthetic.js';
import type { FeatureMatrix, Target } from '../../shared/ml/types.js';
import { startHistogramThread, type NodeHistogramHelper } from './hist-threads.node.js';

/** Fits with and without the thread and expects the very same model: same JSON, same predictions to the bit. */
function expectSameFit(helper: NodeHistogramHelper, X: FeatureMatrix, y: Target, params: Partial<GbdtParams>, seed: number): void {
  const jobs = helper.jobs;
  const one = fitGbdt(X, y, params, { seed });
  const two = fitGbdt(X, y, params, { seed }, { histogramHelper: helper });
  expect(helper.jobs).toBeGreaterThan(jobs);
  expect(JSON.stringify(two.toJSON())).toBe(JSON.stringify(one.toJSON()));
  const p1 = one.predict(X);
  const p2 = two.predict(X);
  expect(p2.length).toBe(p1.length);
  let differ = 0;
  for (let i = 0; i < p1.length; i++) if (!Object.is(p1[i], p2[i])) differ++;
  expect(differ).toBe(0);
}

describe('histogram thread (startHistogramThread)', () => {
  let helper: NodeHistogramHelper;
  beforeAll(async () => {
    helper = await startHistogramThread();
  });
  afterAll(async () => {
    await helper?.dispose();
  });

  it('grows the same binary model as one thread, with missing values and row and column subsampling', () => {
    const { X, y } = syntheticBinary(30_000, 7, { features: 11, noise: 0.8, missingRate: 0.1 });
    expectSameFit(helper, X, y, { nTrees: 12, maxLeaves: 15 }, 3);
    expectSameFit(helper, X, y, { nTrees: 12, maxLeaves: 15, rowSubsample: 0.7, colSubsample: 0.6 }, 4);
  });

  it('grows the same regression model as one thread (missing values, weights, subsampling)', () => {
    const { train } = regressionProblem(25_000, 0, 5);
    const random = mulberry32(9);
    const X = { ...train.X, columns: train.X.columns.map((c) => c.map((v) => (random() < 0.08 ? NaN : v))) };
    const weights = Float64Array.from({ length: X.rowCount }, () => 0.5 + random());
    const params = { nTrees: 10, maxLeaves: 20, rowSubsample: 0.8, colSubsample: 0.8 };
    expectSameFit(helper, X, train.y, params, 6);
    const one = fitGbdt(X, train.y, params, { seed: 6, weights });
    const two = fitGbdt(X, train.y, params, { seed: 6, weights }, { histogramHelper: helper });
    expect(JSON.stringify(two.toJSON())).toBe(JSON.stringify(one.toJSON()));
  });

  it('grows the same model when large nodes are also partitioned on both threads', () => {
    const { X, y } = syntheticBinary(150_000, 11, { features: 5, noise: 0.8, missingRate: 0.1 });
    expectSameFit(helper, X, y, { nTrees: 3, maxLeaves: 8 }, 1);
    expectSameFit(helper, X, y, { nTrees: 3, maxLeaves: 8, rowSubsample: 0.6 }, 2);
  });

  it('grows the same model when the row-wise work (gradients, scores) is split too: regression with weights', () => {
    const { train } = regressionProblem(70_000, 0, 4);
    const random = mulberry32(2);
    const weights = Float64Array.from({ length: train.X.rowCount }, () => 0.5 + random());
    const one = fitGbdt(train.X, train.y, { nTrees: 4, maxLeaves: 8 }, { seed: 1, weights });
    const two = fitGbdt(train.X, train.y, { nTrees: 4, maxLeaves: 8 }, { seed: 1, weights }, { histogramHelper: helper });
    expect(JSON.stringify(two.toJSON())).toBe(JSON.stringify(one.toJSON()));
    expect(JSON.stringify(fitGbdt(train.X, train.y, { nTrees: 4, maxLeaves: 8 }, { seed: 1, weights }, { kernel: 'js' }).toJSON())).toBe(JSON.stringify(one.toJSON()));
  });

  it('serves one fit after another on different data', () => {
    const a = syntheticBinary(12_000, 1, { features: 3, missingRate: 0.05 });
    const b = syntheticBinary(9_000, 2, { features: 20, missingRate: 0.2 });
    expectSameFit(helper, a.X, a.y, { nTrees: 5 }, 1);
    expectSameFit(helper, b.X, b.y, { nTrees: 5, colSubsample: 0.5 }, 2);
    expectSameFit(helper, a.X, a.y, { nTrees: 5, rowSubsample: 0.5 }, 3);
  });
});

describe('histogram thread shutdown', () => {
  it('stops the thread on dispose and refuses work afterwards', async () => {
    const helper = await startHistogramThread();
    expect(helper.running).toBe(true);
    const { X, y } = syntheticBinary(10_000, 3, { features: 4 });
    fitGbdt(X, y, { nTrees: 2 }, { seed: 1 }, { histogramHelper: helper });
    expect(helper.jobs).toBeGreaterThan(0);
    expect(await helper.dispose()).toBe(0);
    expect(helper.running).toBe(false);
    // Disposing twice is harmless; a fit that needs the thread afterwards fails instead of hanging.
    expect(await helper.dispose()).toBe(0);
    expect(() => fitGbdt(X, y, { nTrees: 2 }, { seed: 1 }, { histogramHelper: helper })).toThrow(/stopped/);
  });
});
