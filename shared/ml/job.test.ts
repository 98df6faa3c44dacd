import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/random.js';
import { stratifiedSplit } from '../data/split.js';
import { cvFolds, learningCurve, prepare, rankResults, scorePartition, trainModel, type ModelFitters, type TrainingPlan } from './job.js';
import { modelFitters } from './models/registry.js';
import { defaultPipeline, transform } from './pipeline/index.js';
import { tuneModel } from './tune-job.js';
import { takeFrame, type FeatureMatrix, type Frame } from './types.js';

/**
 * The training job on a small synthetic frame with the real models and pipeline. The leakage tests plant a
 * column whose value gives away the partition (validation and test rows hold 1,000,000): any statistic fitted
 * on a row outside the fit's own training rows shows up in the fitted scaler.
 */

const N = 600;

function problem(seed = 3): { frame: Frame; partitions: Uint8Array } {
  const random = mulberry32(seed);
  const x1 = new Float64Array(N);
  const x2 = new Float64Array(N);
  const marker = new Float64Array(N);
  const colour = new Int32Array(N);
  const y = new Int32Array(N);
  for (let i = 0; i < N; i++) {
    x1[i] = random() * 4 - 2;
    x2[i] = random() < 0.05 ? Number.NaN : random() * 4 - 2;
    colour[i] = Math.floor(random() * 3);
    const logit = 1.8 * x1[i]! - (Number.isNaN(x2[i]!) ? 0 : x2[i]!) + (colour[i] === 2 ? 1 : 0) + (random() - 0.5);
    y[i] = logit > 0 ? 1 : 0;
  }
  const partitions = stratifiedSplit(y, [0.7, 0.15, 0.15], 1);
  for (let i = 0; i < N; i++) marker[i] = partitions[i] === 0 ? 0 : 1_000_000;
  const frame: Frame = {
    rowCount: N,
    columns: [
      { name: 'x1', type: 'number', values: x1 },
      { name: 'x2', type: 'number', values: x2 },
      { name: 'marker', type: 'number', values: marker },
      { name: 'colour', type: 'category', codes: colour, levels: ['blue', 'green', 'red'] },
      { name: 'y', type: 'category', codes: y, levels: ['no', 'yes'] },
    ],
  };
  return { frame, partitions };
}

const plan = (overrides: Partial<TrainingPlan> = {}): TrainingPlan => ({
  target: 'y',
  task: 'binary',
  positiveClass: 'yes',
  pipeline: defaultPipeline(
    [
      { name: 'x1', type: 'number' },
      { name: 'x2', type: 'number' },
      { name: 'marker', type: 'number' },
      { name: 'colour', type: 'category' },
      { name: 'y', type: 'category' },
    ],
    'y',
  ),
  cv: { method: 'stratified', folds: 4 },
  imbalance: 'none',
  primaryMetric: 'auc',
  seed: 5,
  ...overrides,
});

/** Fitters that record what every fit saw. */
function recording(): { fitters: ModelFitters; seen: { rows: number; marker: Float64Array }[] } {
  const inner = modelFitters();
  const seen: { rows: number; marker: Float64Array }[] = [];
  return {
    seen,
    fitters: {
      fit: (kind, X: FeatureMatrix, y, params, ctx) => {
        seen.push({ rows: X.rowCount, marker: X.columns[X.names.indexOf('marker')]! });
        return inner.fit(kind, X, y, params, ctx);
      },
      load: inner.load,
    },
  };
}

describe('training one model', () => {
  it('cross-validates on the training partition, then scores the final model on validation', async () => {
    const data = problem();
    const { fitters, seen } = recording();
    const trained = await trainModel(data, plan(), { kind: 'logreg' }, fitters);
    const { result } = trained;
    expect(result.trainRows).toBe(420);
    expect(result.validationRows).toBe(90);
    expect(result.cv!.folds).toHaveLength(4);
    expect(result.score).toBe(result.cv!.mean.auc);
    expect(result.validation.auc).toBeGreaterThan(0.9);
    expect(result.cv!.std.auc).toBeGreaterThan(0);
    // Four folds of 315 training rows, then the whole training partition.
    expect(seen.map((s) => s.rows)).toEqual([315, 315, 315, 315, 420]);
    expect(trained.classes).toEqual(['no', 'yes']);
    expect(trained.model.kind).toBe('logreg');
  });

  it('never fits a statistic on a validation or test row', async () => {
    const data = problem();
    const { fitters, seen } = recording();
    const trained = await trainModel(data, plan(), { kind: 'logreg' }, fitters);
    // The marker is 0 on every training row: standard-scaled on training rows only it stays exactly 0.
    for (const s of seen) expect(s.marker.every((v) => v === 0)).toBe(true);
    const scaler = JSON.stringify(trained.pipeline.steps).match(/"name":"marker","center":([^,]+),"scale":([^,}]+)/);
    expect(scaler?.[1]).toBe('0');
    // Scoring the test partition is possible (the CLI does it once) and uses the training-fitted pipeline.
    const test = scorePartition(data, plan(), trained, 2);
    expect(test.auc).toBeGreaterThan(0.85);
  });

  it('applies SMOTE to the training rows of each fold only, and class weights without adding rows', async () => {
    const data = problem();
    const { frame } = data;
    // Make "yes" rare: relabel most positives as negatives.
    const y = frame.columns.find((c) => c.name === 'y')!;
    if (y.type !== 'category') throw new Error('y is a category');
    const codes = Int32Array.from(y.codes, (c, i) => (c === 1 && i % 4 !== 0 ? 0 : c));
    const rare = { frame: { ...frame, columns: frame.columns.map((c) => (c.name === 'y' ? { ...y, codes } : c)) }, partitions: data.partitions };
    const { fitters, seen } = recording();
    const trained = await trainModel(rare, plan({ imbalance: 'smote', cv: { method: 'stratified', folds: 3 } }), { kind: 'logreg' }, fitters);
    const trainCount = trained.result.trainRows;
    expect(seen).toHaveLength(4);
    for (const s of seen.slice(0, 3)) expect(s.rows).toBeGreaterThan(Math.round((trainCount * 2) / 3) + 50);
    expect(seen[3]!.rows).toBeGreaterThan(trainCount + 100);
    expect(trained.result.validationRows).toBe(90);
    const weighted = recording();
    await trainModel(rare, plan({ imbalance: 'class-weights', cv: { method: 'none', folds: 2 } }), { kind: 'logreg' }, weighted.fitters);
    expect(weighted.seen.map((s) => s.rows)).toEqual([trainCount]);
  });

  it('takes the threshold that costs least on validation when the card gives costs', async () => {
    const data = problem();
    const plain = await trainModel(data, plan({ cv: { method: 'none', folds: 2 } }), { kind: 'logreg' }, modelFitters());
    expect(plain.result.threshold).toBe(0.5);
    expect(plain.result.validationCost).toBeUndefined();
    // A missed positive costs 20 times a false alarm: the threshold drops and recall rises.
    const costly = await trainModel(data, plan({ cv: { method: 'none', folds: 2 }, costs: { falsePositive: 1, falseNegative: 20 } }), { kind: 'logreg' }, modelFitters());
    expect(costly.result.threshold).toBeLessThan(0.5);
    expect(costly.result.validation.recall).toBeGreaterThanOrEqual(plain.result.validation.recall!);
    expect(costly.result.validation.auc).toBe(plain.result.validation.auc);
    const prepared = prepare(data, plan());
    const X = transform(costly.pipeline, takeFrame(data.frame, Uint32Array.from(prepared.validation, (i) => prepared.frameRows[i]!)));
    const p = costly.model.predict(X);
    let cost = 0;
    prepared.validation.forEach((row, i) => {
      const actual = prepared.y.values[row]!;
      const predicted = p[i]! >= costly.result.threshold! ? 1 : 0;
      if (predicted === 1 && actual === 0) cost += 1;
      if (predicted === 0 && actual === 1) cost += 20;
    });
    expect(costly.result.validationCost).toBe(cost);
  });

  it('drops the target before any step, whatever the spec says', async () => {
    const spec = { steps: [{ kind: 'impute' as const, columns: { type: 'number' as const }, strategy: 'median' as const }, { kind: 'encode' as const, method: 'onehot' as const, columns: { type: 'category' as const } }] };
    const trained = await trainModel(problem(), plan({ pipeline: spec, cv: { method: 'none', folds: 2 } }), { kind: 'logreg' }, modelFitters());
    expect(trained.pipeline.outputNames.some((n) => n.startsWith('y='))).toBe(false);
    expect(trained.pipeline.outputNames).toContain('colour=red');
    expect(trained.result.validation.auc).toBeLessThan(0.999);
  });

  it('refuses a model that does not fit the task, and stops when cancelled', async () => {
    const data = problem();
    await expect(trainModel(data, plan(), { kind: 'linear' }, modelFitters())).rejects.toThrow('A linear model cannot do classification; use logreg.');
    let calls = 0;
    await expect(trainModel(data, plan(), { kind: 'gbdt' }, modelFitters(), { isCancelled: () => ++calls > 2 })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('orders rows by the time column for forward-chaining folds, and asks for one', async () => {
    const data = problem();
    await expect(trainModel(data, plan({ cv: { method: 'time', folds: 3 } }), { kind: 'baseline' }, modelFitters())).rejects.toThrow('Time-series folds need a date or number column');
    const trained = await trainModel(data, plan({ cv: { method: 'time', folds: 3 }, timeColumn: 'x1' }), { kind: 'logreg' }, modelFitters());
    expect(trained.result.cv!.folds).toHaveLength(3);
    const prepared = prepare(data, plan());
    const folds = cvFolds(data, prepared, prepared.train, { method: 'group', folds: 3, groupColumn: 'colour' }, 1);
    expect(folds).toHaveLength(3);
    const colour = data.frame.columns[3]!;
    if (colour.type !== 'category') throw new Error('colour is a category');
    for (const fold of folds) {
      const inValidation = new Set(Array.from(fold.validation, (i) => colour.codes[prepared.frameRows[prepared.train[i]!]!]));
      const inTraining = new Set(Array.from(fold.train, (i) => colour.codes[prepared.frameRows[prepared.train[i]!]!]));
      for (const g of inValidation) expect(inTraining.has(g)).toBe(false);
    }
  });

  it('gives the same model for the same seed', async () => {
    const data = problem();
    const a = await trainModel(data, plan(), { kind: 'rf', params: { nTrees: 10 } }, modelFitters());
    const b = await trainModel(data, plan(), { kind: 'rf', params: { nTrees: 10 } }, modelFitters());
    expect(JSON.stringify(b.model.toJSON())).toBe(JSON.stringify(a.model.toJSON()));
    expect(b.result.validation).toEqual(a.result.validation);
  });
});

describe('the leaderboard, learning curves and tuning', () => {
  it('ranks by the metric in its direction, results without a score last', () => {
    const results = [{ score: 0.7 }, { score: Number.NaN }, { score: 0.9 }, { score: 0.8 }];
    expect(rankResults(results, 'auc').map((r) => r.score)).toEqual([0.9, 0.8, 0.7, Number.NaN]);
    expect(rankResults(results, 'log_loss').map((r) => r.score)).toEqual([0.7, 0.8, 0.9, Number.NaN]);
  });

  it('draws a learning curve over growing shares of the training partition', async () => {
    const points = await learningCurve(problem(), plan(), { kind: 'logreg' }, modelFitters());
    expect(points.map((p) => p.rows)).toEqual([42, 105, 210, 315, 420]);
    for (const p of points) expect(p.validation).toBeGreaterThan(0.7);
  });

  it('tunes on the training folds and returns the best trial trained', async () => {
    const trials: number[] = [];
    const tuned = await tuneModel(problem(), plan({ cv: { method: 'stratified', folds: 3 } }), { kind: 'gbdt', strategy: 'random', maxTrials: 3 }, modelFitters(), {
      onTrial: (t) => trials.push(t.score),
    });
    expect(tuned.trials).toHaveLength(3);
    expect(trials).toHaveLength(3);
    const bestScore = Math.max(...trials);
    expect(tuned.best!.result.score).toBeCloseTo(bestScore, 12);
    expect(tuned.best!.result.params.learningRate).toBe(tuned.trials.find((t) => t.score === bestScore)!.params.learningRate);
  });
});
