import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.js';
import { HostError } from '../../host/errors.js';
import type { FeatureMatrix, Progress, Target } from '../types.js';
import { fitGbdt, loadGbdt } from './gbdt.js';
import { binaryProblem, categoryProblem, multiclassProblem, regressionProblem } from './synthetic.js';
import { rocAuc } from '../metrics.js';

const roundTrip = (m: { toJSON(): unknown }) => JSON.parse(JSON.stringify(m.toJSON()));

describe('fitGbdt', () => {
  it('learns a binary problem and beats a weak model on held-out rows', () => {
    const { train, test } = binaryProblem(6000, 2000, 1);
    const m = fitGbdt(train.X, train.y, { nTrees: 60 }, { seed: 1 });
    const p = m.predict(test.X);
    expect(rocAuc(test.y.values, p)).toBeGreaterThan(0.9);
    // More trees fit the training data better.
    const few = fitGbdt(train.X, train.y, { nTrees: 3 }, { seed: 1 });
    expect(rocAuc(test.y.values, few.predict(test.X))).toBeLessThan(rocAuc(test.y.values, p));
    const imp = m.featureImportance();
    expect(imp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    // Features 0 and 1 carry the signal; feature 5 is noise.
    expect(imp[0]!).toBeGreaterThan(imp[5]!);
    expect(imp[1]!).toBeGreaterThan(imp[5]!);
  });

  it('learns multiclass (probabilities sum to 1) and regression', () => {
    const mc = multiclassProblem(3000, 1000, 2);
    const m = fitGbdt(mc.train.X, mc.train.y, { nTrees: 40 }, { seed: 2 });
    const p = m.predict(mc.test.X);
    let correct = 0;
    for (let i = 0; i < mc.test.X.rowCount; i++) {
      const row = Array.from(p.subarray(i * 3, i * 3 + 3));
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      if (row.indexOf(Math.max(...row)) === mc.test.y.values[i]) correct++;
    }
    expect(correct / mc.test.X.rowCount).toBeGreaterThan(0.85);

    const rg = regressionProblem(4000, 1000, 3);
    const r = fitGbdt(rg.train.X, rg.train.y, { nTrees: 100 }, { seed: 3 });
    const pr = r.predict(rg.test.X);
    let sse = 0;
    let sst = 0;
    let mean = 0;
    for (const v of rg.test.y.values) mean += v / rg.test.y.values.length;
    for (let i = 0; i < pr.length; i++) {
      sse += (pr[i]! - rg.test.y.values[i]!) ** 2;
      sst += (rg.test.y.values[i]! - mean) ** 2;
    }
    expect(1 - sse / sst).toBeGreaterThan(0.85);
  });

  it('uses a feature that is informative only through missingness', () => {
    const random = mulberry32(7);
    const n = 4000;
    const a = new Float64Array(n);
    const noise = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const positive = random() < 0.5;
      y[i] = positive ? 1 : 0;
      // Present values are pure noise; only whether the value is missing says anything.
      a[i] = random() < (positive ? 0.8 : 0.1) ? NaN : random();
      noise[i] = random();
    }
    const X: FeatureMatrix = { rowCount: n, names: ['a', 'noise'], columns: [a, noise] };
    const target: Target = { task: 'binary', values: y, classes: ['no', 'yes'] };
    const m = fitGbdt(X, target, { nTrees: 20 }, { seed: 1 });
    expect(m.featureImportance()[0]!).toBeGreaterThan(0.8);
    const p = m.predict({ rowCount: 2, names: ['a', 'noise'], columns: [Float64Array.of(NaN, 0.5), Float64Array.of(0.5, 0.5)] });
    expect(p[0]!).toBeGreaterThan(0.75);
    expect(p[1]!).toBeLessThan(0.3);
  });

  it('is deterministic by seed with subsampling, and the seed matters', () => {
    const { train, test } = binaryProblem(3000, 500, 4);
    const params = { nTrees: 15, rowSubsample: 0.7, colSubsample: 0.6 };
    const a = fitGbdt(train.X, train.y, params, { seed: 11 }).predict(test.X);
    const b = fitGbdt(train.X, train.y, params, { seed: 11 }).predict(test.X);
    const c = fitGbdt(train.X, train.y, params, { seed: 12 }).predict(test.X);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('stops early and keeps the best round; reports progress every round', () => {
    const { train, test } = binaryProblem(3000, 1500, 5, 0.6);
    const events: Progress[] = [];
    const m = fitGbdt(
      train.X,
      train.y,
      { nTrees: 400, learningRate: 0.5, earlyStoppingRounds: 5, minSamplesLeaf: 1 },
      { seed: 1, validation: { X: test.X, y: test.y }, onProgress: (e) => events.push(e) },
    );
    const losses = events.map((e) => e.metric!.validation!);
    expect(events.map((e) => e.metric!.step)).toEqual(losses.map((_, i) => i + 1));
    expect(events.length).toBeLessThan(400);
    const best = losses.indexOf(Math.min(...losses));
    expect(events.length).toBe(best + 1 + 5);
    expect(m.rounds).toBe(best + 1);
    // The kept model's validation loss is the best one seen.
    const p = m.predict(test.X);
    let ll = 0;
    for (let i = 0; i < p.length; i++) {
      const q = test.y.values[i] === 1 ? p[i]! : 1 - p[i]!;
      ll -= Math.log(q) / p.length;
    }
    expect(ll).toBeCloseTo(losses[best]!, 9);
    expect(events.every((e) => e.metric!.name === 'log_loss' && e.metric!.train! > 0)).toBe(true);
  });

  it('throws cancelled when cancelled', () => {
    const { train } = binaryProblem(500, 10, 6);
    let calls = 0;
    let thrown: unknown;
    try {
      fitGbdt(train.X, train.y, { nTrees: 50 }, { seed: 1, isCancelled: () => ++calls > 3 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HostError);
    expect((thrown as HostError).code).toBe('cancelled');
  });

  it('round-trips through JSON and predicts identically (all tasks)', () => {
    const bin = binaryProblem(2000, 500, 8);
    const mc = multiclassProblem(1500, 300, 9);
    const rg = regressionProblem(1500, 300, 10);
    for (const [prob, params] of [
      [bin, { nTrees: 20 }],
      [mc, { nTrees: 10 }],
      [rg, { nTrees: 20, l2: 1, maxDepth: 4 }],
    ] as const) {
      const m = fitGbdt(prob.train.X, prob.train.y, params, { seed: 3 });
      const state = roundTrip(m);
      const back = loadGbdt(state);
      expect(Array.from(back.predict(prob.test.X))).toEqual(Array.from(m.predict(prob.test.X)));
      expect(Array.from(back.featureImportance())).toEqual(Array.from(m.featureImportance()));
      expect(state.kind).toBe('gbdt');
      expect(state.version).toBe(1);
      expect(state.params.nTrees).toBe(params.nTrees);
    }
  });

  it('weights multiply the gradient: weighting a class shifts its probability up', () => {
    const { train, test } = binaryProblem(3000, 500, 12, 1.2);
    const w = new Float64Array(train.X.rowCount);
    for (let i = 0; i < w.length; i++) w[i] = train.y.values[i] === 1 ? 5 : 1;
    const plain = fitGbdt(train.X, train.y, { nTrees: 20 }, { seed: 1 }).predict(test.X);
    const weighted = fitGbdt(train.X, train.y, { nTrees: 20 }, { seed: 1, weights: w }).predict(test.X);
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(weighted)).toBeGreaterThan(mean(plain) + 0.1);
  });

  it('splits categorical features by sets of categories: better with few leaves, the same predictions after JSON', () => {
    const { train, test } = categoryProblem(20_000, 10_000, 1);
    const auc = (m: ReturnType<typeof fitGbdt>) => rocAuc(test.y.values, m.predict(test.X));
    const native = fitGbdt(train.X, train.y, { nTrees: 40, maxLeaves: 4 }, { seed: 1 });
    const numbers = fitGbdt(train.X, train.y, { nTrees: 40, maxLeaves: 4, nativeCategories: false }, { seed: 1 });
    // 40 categories with unordered effects: sets reach them in a few splits, thresholds on codes cannot.
    expect(auc(native)).toBeGreaterThan(auc(numbers) + 0.02);
    const state = roundTrip(native);
    expect(state.categoricalFeatures).toEqual(['c']);
    expect(state.trees.some((t: { c?: object }) => t.c !== undefined)).toBe(true);
    expect(roundTrip(numbers).categoricalFeatures).toBeUndefined();
    expect(roundTrip(numbers).trees.every((t: { c?: object }) => t.c === undefined)).toBe(true);
    const back = loadGbdt(state);
    expect(Array.from(back.predict(test.X))).toEqual(Array.from(native.predict(test.X)));
    // A category the training rows never had scores as the categories its splits send right.
    const unseen = native.predict({ rowCount: 1, names: ['c', 'x'], columns: [Float64Array.of(97), Float64Array.of(0)] });
    expect(unseen[0]!).toBeGreaterThan(0);
    expect(unseen[0]!).toBeLessThan(1);
    // Multiclass and regression trees split categories too; row subsampling routes binned rows the same way.
    const rg = fitGbdt(train.X, { task: 'regression', values: train.y.values }, { nTrees: 5, maxLeaves: 4, rowSubsample: 0.5 }, { seed: 2 });
    expect(roundTrip(rg).trees.some((t: { c?: object }) => t.c !== undefined)).toBe(true);
  });

  it('splits a feature marked categorical as a number when its values are not codes 0..254', () => {
    const { train } = categoryProblem(3000, 0, 2);
    const shifted = train.X.columns[0]!.map((v) => v + 0.5);
    const X: FeatureMatrix = { ...train.X, columns: [shifted, train.X.columns[1]!] };
    const m = fitGbdt(X, train.y, { nTrees: 5 }, { seed: 1 });
    expect(roundTrip(m).categoricalFeatures).toBeUndefined();
    expect(roundTrip(m).trees.every((t: { c?: object }) => t.c === undefined)).toBe(true);
    expect(() => fitGbdt(X, train.y, { nativeCategories: 1 as unknown as boolean }, { seed: 1 })).toThrow(HostError);
  });

  it('refuses bad parameters', () => {
    const { train } = binaryProblem(100, 10, 1);
    expect(() => fitGbdt(train.X, train.y, { maxLeaves: 1 }, { seed: 1 })).toThrow(HostError);
    expect(() => fitGbdt(train.X, train.y, { maxBins: 300 }, { seed: 1 })).toThrow(HostError);
  });
});
