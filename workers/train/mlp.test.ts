import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/data/random.js';
import { HostError } from '../../shared/host/errors.js';
import { accuracy, argmaxClasses, rocAuc } from '../../shared/ml/metrics.js';
import type { FeatureMatrix, FitContext, Progress, Target } from '../../shared/ml/types.js';
import { fitMlp, loadMlp, MLP_DEFAULTS, resolveMlpParams } from './mlp.js';
import { prepareNodeTf } from './tf-platform.node.js';

/** A seeded problem: `features` uniform in [-1.5, 1.5]; the label is a function of the first two. */
function problem(n: number, seed: number, features: number, label: (a: number, b: number, r: () => number) => number, task: Target['task'], classes?: string[]) {
  const random = mulberry32(seed);
  const columns = Array.from({ length: features }, () => new Float64Array(n));
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let f = 0; f < features; f++) columns[f]![i] = 3 * random() - 1.5;
    values[i] = label(columns[0]![i]!, columns[1]![i]!, random);
  }
  // The third feature on a large scale and offset, so the input standardisation matters.
  if (features > 2) for (let i = 0; i < n; i++) columns[2]![i] = columns[2]![i]! * 1000 + 5000;
  const X: FeatureMatrix = { rowCount: n, names: columns.map((_, f) => `x${f}`), columns };
  const y: Target = classes ? { task, values, classes } : { task, values };
  return { X, y };
}

const circle = (n: number, seed: number) => problem(n, seed, 4, (a, b) => (a * a + b * b < 1.1 ? 1 : 0), 'binary', ['out', 'in']);
const sectors = (n: number, seed: number) =>
  problem(n, seed, 3, (a, b) => Math.floor(((Math.atan2(b, a) + Math.PI) / (2 * Math.PI)) * 3) % 3, 'multiclass', ['a', 'b', 'c']);
const wave = (n: number, seed: number) => problem(n, seed, 3, (a, b, r) => 10 * Math.sin(2 * a) + 5 * b * b + 100 + 0.3 * (r() - 0.5), 'regression');

const FAST = { hiddenLayers: [32, 16], learningRate: 0.01, batchSize: 64, dropout: 0 };

function metrics(progress: Progress[]) {
  return progress.flatMap((p) => (p.metric ? [p.metric] : []));
}

beforeAll(async () => {
  prepareNodeTf();
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('fitMlp on the WASM backend', () => {
  it('learns a nonlinear binary problem (AUC > 0.9) and reports loss per epoch', async () => {
    const train = circle(1500, 1);
    const valid = circle(500, 2);
    const test = circle(1000, 3);
    const progress: Progress[] = [];
    const model = await fitMlp(train.X, train.y, { ...FAST, epochs: 30 }, { seed: 7, validation: valid, onProgress: (p) => progress.push(p) });
    expect(model.kind).toBe('mlp');
    expect(model.task).toBe('binary');
    const p = model.predict(test.X);
    expect(p.length).toBe(1000);
    expect(p.every((v) => v > 0 && v < 1)).toBe(true);
    const auc = rocAuc(test.y.values, p);
    expect(auc).toBeGreaterThan(0.9);
    const m = metrics(progress);
    expect(m.length).toBeGreaterThan(0);
    expect(m.map((x) => x.step)).toEqual(m.map((_, i) => i + 1));
    expect(m.every((x) => x.name === 'loss' && Number.isFinite(x.train) && Number.isFinite(x.validation))).toBe(true);
    expect(m.at(-1)!.train!).toBeLessThan(m[0]!.train!);
    expect(progress.at(-1)!.fraction).toBeLessThanOrEqual(1);
    expect(model.toJSON().backend).toBe('wasm');
  });

  it('learns a three-class problem (softmax rows sum to 1, accuracy > 0.85)', async () => {
    const train = sectors(1500, 4);
    const test = sectors(600, 5);
    const model = await fitMlp(train.X, train.y, { ...FAST, epochs: 25 }, { seed: 3 });
    const p = model.predict(test.X);
    expect(p.length).toBe(600 * 3);
    for (let i = 0; i < 600; i++) expect(p[3 * i]! + p[3 * i + 1]! + p[3 * i + 2]!).toBeCloseTo(1, 12);
    expect(accuracy(test.y.values, argmaxClasses(p, 3))).toBeGreaterThan(0.85);
  });

  it('learns a regression on the target’s own scale (R² > 0.9)', async () => {
    const train = wave(1500, 6);
    const test = wave(600, 7);
    const model = await fitMlp(train.X, train.y, { ...FAST, epochs: 40 }, { seed: 5 });
    const p = model.predict(test.X);
    let mean = 0;
    for (const v of test.y.values) mean += v / 600;
    let ssRes = 0;
    let ssTot = 0;
    for (let i = 0; i < 600; i++) {
      ssRes += (test.y.values[i]! - p[i]!) ** 2;
      ssTot += (test.y.values[i]! - mean) ** 2;
    }
    expect(1 - ssRes / ssTot).toBeGreaterThan(0.9);
    const state = model.toJSON();
    expect((state.targetScaling as { mean: number }).mean).toBeGreaterThan(100);
  });

  it('gives identical predictions for the same seed and different ones for another seed', async () => {
    const train = circle(400, 8);
    const test = circle(200, 9);
    const params = { hiddenLayers: [16, 8], dropout: 0.3, batchNorm: true, batchSize: 32, epochs: 4, learningRate: 0.01 };
    const a = (await fitMlp(train.X, train.y, params, { seed: 11 })).predict(test.X);
    const b = (await fitMlp(train.X, train.y, params, { seed: 11 })).predict(test.X);
    const c = (await fitMlp(train.X, train.y, params, { seed: 12 })).predict(test.X);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(Array.from(c)).not.toEqual(Array.from(a));
  });

  it('stops early on the validation loss and keeps the best epoch’s weights', async () => {
    // Pure-noise labels and a wide network: the validation loss bottoms out within a few epochs, then rises.
    const train = problem(200, 10, 6, (_a, _b, r) => (r() < 0.5 ? 1 : 0), 'binary');
    const valid = problem(300, 11, 6, (_a, _b, r) => (r() < 0.5 ? 1 : 0), 'binary');
    const progress: Progress[] = [];
    const epochs = 200;
    const model = await fitMlp(train.X, train.y, { hiddenLayers: [128, 64], dropout: 0, learningRate: 0.02, batchSize: 32, epochs, patience: 3 }, {
      seed: 1,
      validation: valid,
      onProgress: (p) => progress.push(p),
    });
    const m = metrics(progress);
    const state = model.toJSON();
    expect(state.stoppedEarly).toBe(true);
    expect(m.length).toBeLessThan(epochs);
    expect(state.epochsRun).toBe(m.length);
    const losses = m.map((x) => x.validation!);
    const best = Math.min(...losses);
    expect(state.bestEpoch).toBe(losses.indexOf(best) + 1);
    expect(m.length).toBe((state.bestEpoch as number) + 3);
    expect(losses.at(-1)!).toBeGreaterThan(best);
    // The kept weights are the best epoch's: their log loss on the validation rows (computed here, from the
    // JavaScript predictions) is the best loss TensorFlow.js reported, not the last one.
    const p = model.predict(valid.X);
    let loss = 0;
    for (let i = 0; i < 300; i++) loss -= valid.y.values[i] === 1 ? Math.log(p[i]!) : Math.log(1 - p[i]!);
    expect(loss / 300).toBeCloseTo(best, 4);
  });

  it('weights rows by ctx.weights', async () => {
    const train = problem(600, 12, 3, (_a, _b, r) => (r() < 0.5 ? 1 : 0), 'binary');
    const test = problem(300, 13, 3, () => 0, 'binary');
    const params = { hiddenLayers: [8], dropout: 0, learningRate: 0.01, batchSize: 64, epochs: 8 };
    const plain = (await fitMlp(train.X, train.y, params, { seed: 2 })).predict(test.X);
    const weights = train.y.values.map((v) => (v === 1 ? 4 : 1));
    const weighted = (await fitMlp(train.X, train.y, params, { seed: 2, weights })).predict(test.X);
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(mean(plain)).toBeGreaterThan(0.35);
    expect(mean(plain)).toBeLessThan(0.65);
    expect(mean(weighted)).toBeGreaterThan(0.72);
  });

  it('throws a cancelled HostError when cancelled mid-epoch, and frees its tensors', async () => {
    const train = circle(2000, 14);
    const before = tf.memory().numTensors;
    let calls = 0;
    const ctx: FitContext = { seed: 1, isCancelled: () => ++calls > 20 };
    const err = await fitMlp(train.X, train.y, { ...FAST, epochs: 50 }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).code).toBe('cancelled');
    expect(calls).toBe(21);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('holds a constant number of tensors from epoch to epoch and frees them all at the end', async () => {
    const train = circle(500, 15);
    const valid = circle(200, 16);
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await fitMlp(train.X, train.y, { hiddenLayers: [16, 8], batchNorm: true, dropout: 0.2, epochs: 6, patience: 10, batchSize: 64 }, {
      seed: 4,
      validation: valid,
      onProgress: (p) => {
        if (p.metric) counts.push(tf.memory().numTensors);
      },
    });
    expect(counts.length).toBe(6);
    // The best-weights snapshot appears after epoch 1; after that nothing grows.
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('round-trips through JSON and predicts identically (batch norm, multiclass)', async () => {
    const train = sectors(600, 17);
    const test = sectors(300, 18);
    const model = await fitMlp(train.X, train.y, { hiddenLayers: [16, 8], batchNorm: true, epochs: 5, batchSize: 64, learningRate: 0.01 }, { seed: 9 });
    const json = JSON.parse(JSON.stringify(model.toJSON())) as ReturnType<typeof model.toJSON>;
    expect(json.kind).toBe('mlp');
    expect(json.version).toBe(1);
    expect(json.featureNames).toEqual(['x0', 'x1', 'x2']);
    expect(json.classes).toEqual(['a', 'b', 'c']);
    expect(json.params).toEqual({ ...MLP_DEFAULTS, hiddenLayers: [16, 8], batchNorm: true, epochs: 5, batchSize: 64, learningRate: 0.01 });
    const layers = json.layers as { kernel: { shape: number[] }; batchNorm?: unknown }[];
    expect(layers.map((l) => l.kernel.shape)).toEqual([
      [3, 16],
      [16, 8],
      [8, 3],
    ]);
    expect(layers.map((l) => l.batchNorm !== undefined)).toEqual([true, true, false]);
    const loaded = loadMlp(json);
    expect(loaded.task).toBe('multiclass');
    expect(Array.from(loaded.predict(test.X))).toEqual(Array.from(model.predict(test.X)));
    // A damaged state is refused, not half-loaded.
    const broken = { ...json, layers: layers.map((l, i) => (i === 1 ? { ...l, kernel: { shape: [16, 8], data: 'AAAA' } } : l)) };
    expect(() => loadMlp(broken)).toThrow(/layer 1 kernel/);
  });

  it('refuses missing inputs, naming the feature and the impute step', async () => {
    const train = circle(100, 19);
    train.X.columns[1]![37] = NaN;
    const err = await fitMlp(train.X, train.y, {}, { seed: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).code).toBe('invalid-argument');
    expect((err as HostError).message).toMatch(/"x1".*impute/);
  });

  it('checks its parameters and reads the search space’s encoded layers', () => {
    expect(resolveMlpParams({})).toEqual({ hiddenLayers: [64, 32], dropout: 0.1, batchNorm: false, learningRate: 1e-3, batchSize: 256, epochs: 50, patience: 5, l2: 0 });
    expect(resolveMlpParams({ hiddenLayers: '128-64' }).hiddenLayers).toEqual([128, 64]);
    expect(() => resolveMlpParams({ dropout: 1 })).toThrow(/dropout/);
    expect(() => resolveMlpParams({ hiddenLayers: [64, 0] })).toThrow(/hiddenLayers/);
    expect(() => resolveMlpParams({ batchSize: 1.5 })).toThrow(/batchSize/);
  });

  it('applies the L2 penalty (smaller kernels)', async () => {
    const train = circle(400, 20);
    const params = { hiddenLayers: [16], dropout: 0, epochs: 5, batchSize: 64, learningRate: 0.01 };
    const norm = (state: Record<string, unknown>) => {
      const k = (state.layers as { kernel: { data: string } }[])[0]!.kernel.data;
      const bytes = Uint8Array.from(atob(k), (c) => c.charCodeAt(0));
      return new Float32Array(bytes.buffer).reduce((s, v) => s + v * v, 0);
    };
    const free = norm((await fitMlp(train.X, train.y, params, { seed: 3 })).toJSON());
    const shrunk = norm((await fitMlp(train.X, train.y, { ...params, l2: 0.05 }, { seed: 3 })).toJSON());
    expect(shrunk).toBeLessThan(free * 0.8);
  });
});

describe('fitMlp on the CPU backend', () => {
  it('learns and is reproducible there too', async () => {
    expect(await tf.setBackend('cpu')).toBe(true);
    try {
      const train = circle(500, 21);
      const test = circle(300, 22);
      const params = { ...FAST, epochs: 15, dropout: 0.1, learningRate: 0.02 };
      const a = await fitMlp(train.X, train.y, params, { seed: 5 });
      const b = await fitMlp(train.X, train.y, params, { seed: 5 });
      expect(a.toJSON().backend).toBe('cpu');
      expect(Array.from(b.predict(test.X))).toEqual(Array.from(a.predict(test.X)));
      expect(rocAuc(test.y.values, a.predict(test.X))).toBeGreaterThan(0.9);
    } finally {
      await tf.setBackend('wasm');
    }
  });
});
