import { describe, expect, it } from 'vitest';
import {
  accuracy,
  argmaxClasses,
  averagePrecision,
  calibrationBins,
  computeMetrics,
  confusionMatrix,
  costThreshold,
  logLoss,
  matthewsCorrcoef,
  METRICS,
  metricsForTask,
  multiclassRocAuc,
  prCurve,
  r2Score,
  rocAuc,
  rocCurve,
  thresholdClasses,
  type MetricName,
} from './metrics.js';
import type { Target } from './types.js';

interface Case {
  name: string;
  task: 'binary' | 'multiclass' | 'regression';
  k?: number;
  y: number[];
  p: number[];
  threshold?: number;
  weights?: number[];
  metrics: Partial<Record<MetricName, number>>;
  roc?: { fpr: number[]; tpr: number[]; thresholds: number[] };
  pr?: { precision: number[]; recall: number[]; thresholds: number[] };
  calibration?: Record<string, { probTrue: number[]; probPred: number[] }>;
  confusion?: number[][];
}

// The fixture through Vite's import.meta.glob: a plain JSON import would need *.json in tsconfig.test.json's
// include, and shared/ may not read files with node:fs.
const raw: unknown = Object.values(import.meta.glob('./fixtures/sklearn-metrics.json', { eager: true, import: 'default' }))[0];
const fixture = raw as { sklearn: string; cases: Case[] };

/** Equal within 1e-9, absolute or relative (MAPE with zeros in y reaches 1e14). */
function close(actual: number, expected: number, what: string): void {
  const ok = Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  expect(ok, `${what}: ${actual} vs scikit-learn ${expected}`).toBe(true);
}

function closeAll(actual: number[], expected: number[], what: string): void {
  expect(actual.length, `${what} length`).toBe(expected.length);
  actual.forEach((v, i) => close(v, expected[i]!, `${what}[${i}]`));
}

function targetOf(c: Case): Target {
  const values = Float64Array.from(c.y);
  if (c.task === 'regression') return { task: 'regression', values };
  const k = c.k ?? 2;
  return { task: c.task, values, classes: Array.from({ length: k }, (_, i) => `c${i}`) };
}

describe('computeMetrics against scikit-learn', () => {
  it('has a varied fixture', () => {
    expect(fixture.cases.map((c) => c.task)).toEqual(expect.arrayContaining(['binary', 'multiclass', 'regression']));
    expect(fixture.cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const c of fixture.cases) {
    it(`${c.name}: every metric within 1e-9`, () => {
      const opts = { ...(c.threshold !== undefined ? { threshold: c.threshold } : {}), ...(c.weights ? { weights: Float64Array.from(c.weights) } : {}) };
      const got = computeMetrics(targetOf(c), Float64Array.from(c.p), opts);
      expect(Object.keys(got).sort()).toEqual(metricsForTask(c.task).slice().sort());
      expect(Object.keys(c.metrics).sort()).toEqual(Object.keys(got).sort());
      for (const [name, expected] of Object.entries(c.metrics)) close(got[name as MetricName]!, expected, name);
    });
  }

  for (const c of fixture.cases.filter((x) => x.roc !== undefined)) {
    it(`${c.name}: ROC, PR and calibration curves and the confusion matrix`, () => {
      const y = Float64Array.from(c.y);
      const p = Float64Array.from(c.p);
      const roc = rocCurve(y, p);
      closeAll(roc.fpr, c.roc!.fpr, 'fpr');
      closeAll(roc.tpr, c.roc!.tpr, 'tpr');
      closeAll(roc.thresholds, c.roc!.thresholds, 'roc thresholds');
      const pr = prCurve(y, p);
      closeAll(pr.precision, c.pr!.precision, 'precision');
      closeAll(pr.recall, c.pr!.recall, 'recall');
      closeAll(pr.thresholds, c.pr!.thresholds, 'pr thresholds');
      for (const [bins, expected] of Object.entries(c.calibration!)) {
        const cal = calibrationBins(y, p, Number(bins));
        closeAll(cal.probTrue, expected.probTrue, `prob_true (${bins} bins)`);
        closeAll(cal.probPred, expected.probPred, `prob_pred (${bins} bins)`);
        expect(cal.count.reduce((a, b) => a + b, 0)).toBe(y.length);
      }
      expect(confusionMatrix(y, thresholdClasses(p, c.threshold ?? 0.5), 2)).toEqual(c.confusion);
    });
  }

  for (const c of fixture.cases.filter((x) => x.task === 'multiclass')) {
    it(`${c.name}: weighted confusion matrix`, () => {
      const cm = confusionMatrix(c.y, argmaxClasses(c.p, c.k!), c.k!, c.weights);
      cm.forEach((row, t) => closeAll(row, c.confusion![t]!, `confusion row ${t}`));
    });
  }
});

describe('metric details', () => {
  it('counts tied scores as a half in ROC AUC', () => {
    // One positive and one negative with the same score: AUC 0.5; positive above: 1.
    expect(rocAuc([0, 1], [0.3, 0.3])).toBe(0.5);
    expect(rocAuc([0, 1], [0.2, 0.3])).toBe(1);
    expect(rocAuc([0, 1, 1, 0], [0.1, 0.4, 0.35, 0.8])).toBe(0.5);
  });

  it('returns NaN for scores that need both classes when one is missing', () => {
    expect(rocAuc([1, 1, 1], [0.2, 0.5, 0.9])).toBeNaN();
    expect(averagePrecision([0, 0], [0.2, 0.5])).toBeNaN();
    expect(Number.isNaN(rocAuc([0, 0, 1], [0.1, 0.2, 0.9]))).toBe(false);
  });

  it('leaves a class with no rows out of the one-vs-rest AUC', () => {
    // Class 2 never occurs; classes 0 and 1 are ranked perfectly by their own probabilities.
    const probs = [0.8, 0.1, 0.1, 0.2, 0.7, 0.1, 0.6, 0.3, 0.1, 0.1, 0.6, 0.3];
    expect(multiclassRocAuc([0, 1, 0, 1], probs, 3)).toBe(1);
  });

  it('clips probabilities of 0 and 1 in log loss instead of returning Infinity', () => {
    const loss = logLoss([1, 0], [0, 1]);
    expect(loss).toBeCloseTo(-Math.log(Number.EPSILON), 10);
    expect(logLoss([1, 0], [1, 0])).toBeLessThan(1e-15);
  });

  it('gives MCC 0 when a prediction is constant and 1 when perfect', () => {
    expect(matthewsCorrcoef(confusionMatrix([0, 1, 1, 0], [1, 1, 1, 1], 2))).toBe(0);
    expect(matthewsCorrcoef(confusionMatrix([0, 1, 2, 2], [0, 1, 2, 2], 3))).toBe(1);
  });

  it('predicts positive at exactly the threshold', () => {
    expect(Array.from(thresholdClasses([0.49, 0.5, 0.51], 0.5))).toEqual([0, 1, 1]);
    expect(accuracy([0, 0, 1], thresholdClasses([0.49, 0.5, 0.51]))).toBe(2 / 3);
  });

  it('returns R² of 1 and 0 for a constant target, NaN for one row', () => {
    expect(r2Score([2, 2], [2, 2])).toBe(1);
    expect(r2Score([2, 2], [1, 3])).toBe(0);
    expect(r2Score([2], [2])).toBeNaN();
  });

  it('refuses predictions of the wrong length or classes out of range', () => {
    const y: Target = { task: 'multiclass', values: Float64Array.from([0, 1, 2]), classes: ['a', 'b', 'c'] };
    expect(() => computeMetrics(y, new Float64Array(3))).toThrow(/Expected 9 probabilities/);
    expect(() => confusionMatrix([0, 3], [0, 1], 3)).toThrow(/true class 3/);
    expect(() => computeMetrics({ task: 'binary', values: Float64Array.from([0, 1]) }, Float64Array.from([0.2, 0.4]), { weights: new Float64Array(3) })).toThrow(/3 weights for 2 rows/);
  });

  it('catalogs every metric with a task and a sentence', () => {
    for (const [name, info] of Object.entries(METRICS)) {
      expect(info.tasks.length, name).toBeGreaterThan(0);
      expect(info.description, name).toMatch(/^[A-Z].*\.$/);
    }
    expect(metricsForTask('regression')).toEqual(['mae', 'rmse', 'r2', 'mape']);
    expect(METRICS.log_loss.higherIsBetter).toBe(false);
  });
});

describe('costThreshold', () => {
  /** The cost of a threshold counted row by row, to check the search against. */
  function costAt(y: number[], p: number[], t: number, cFp: number, cFn: number): number {
    let cost = 0;
    y.forEach((label, i) => {
      const positive = p[i]! >= t;
      if (positive && label === 0) cost += cFp;
      if (!positive && label === 1) cost += cFn;
    });
    return cost;
  }

  it('finds the cheapest cut and a threshold that reproduces its cost', () => {
    const c = fixture.cases.find((x) => x.name === 'binary-rounded-ties')!;
    for (const costs of [
      { falsePositive: 1, falseNegative: 1 },
      { falsePositive: 1, falseNegative: 10 },
      { falsePositive: 5, falseNegative: 1 },
    ]) {
      const best = costThreshold(c.y, c.p, costs);
      expect(costAt(c.y, c.p, best.threshold, costs.falsePositive, costs.falseNegative)).toBe(best.cost);
      expect(best.cost).toBe(best.falsePositives * costs.falsePositive + best.falseNegatives * costs.falseNegative);
      // No candidate threshold (every score, and beyond both ends) does better.
      for (const t of [...new Set(c.p), -1, 2]) expect(costAt(c.y, c.p, t, costs.falsePositive, costs.falseNegative)).toBeGreaterThanOrEqual(best.cost);
    }
  });

  it('moves the threshold down when missing a positive costs more', () => {
    const c = fixture.cases.find((x) => x.name === 'binary-rounded-ties')!;
    const cheapFn = costThreshold(c.y, c.p, { falsePositive: 10, falseNegative: 1 });
    const dearFn = costThreshold(c.y, c.p, { falsePositive: 1, falseNegative: 10 });
    expect(dearFn.threshold).toBeLessThan(cheapFn.threshold);
  });

  it('cuts between scores, and beyond the ends when all or none should be positive', () => {
    // Perfectly separated: any cut between 0.4 and 0.6 is free; the threshold is their midpoint.
    expect(costThreshold([0, 0, 1, 1], [0.1, 0.4, 0.6, 0.9], { falsePositive: 1, falseNegative: 1 })).toEqual({ threshold: 0.5, cost: 0, falsePositives: 0, falseNegatives: 0 });
    // All negatives: predicting nothing positive costs 0, above the top score 0.9.
    const none = costThreshold([0, 0, 0], [0.2, 0.5, 0.9], { falsePositive: 1, falseNegative: 1 });
    expect(none.cost).toBe(0);
    expect(none.threshold).toBeGreaterThan(0.9);
    // A score of exactly 1 still leaves room above it.
    const top = costThreshold([0, 0], [0.3, 1], { falsePositive: 1, falseNegative: 1 });
    expect(top.threshold).toBeGreaterThan(1);
    expect(() => costThreshold([0], [0.5], { falsePositive: 0, falseNegative: 0 })).toThrow(/not both zero/);
  });
});
