import * as tf from '@tensorflow/tfjs';
import { mulberry32, shuffleInPlace } from '../../shared/data/random.js';
import { HostError } from '../../shared/host/errors.js';
import { decodeHiddenLayers } from '../../shared/ml/search-spaces.js';
import {
  checkCancelled,
  classCount,
  type FeatureMatrix,
  type FitContext,
  type FittedModel,
  type ModelState,
  type Predictions,
  type Target,
  type Task,
} from '../../shared/ml/types.js';

/**
 * A multilayer perceptron trained with TensorFlow.js on whatever backend is active (see backend.ts, which picks it).
 *
 * Network: per hidden layer Dense → (BatchNorm) → ReLU → (Dropout); then a Dense output with sigmoid (binary,
 * binary cross-entropy), softmax (multiclass, categorical cross-entropy) or nothing (regression, mean squared error
 * on the target standardised with the training rows' mean and standard deviation, undone on predict). Inputs are
 * standardised the same way (mean/std of the training rows, kept in the state), so the network trains whether or
 * not a scale step came before it. Adam, L2 on the kernels (`l2 · Σw²`, as Keras), early stopping on
 * `ctx.validation`'s loss with the best epoch's weights restored.
 *
 * Reproducible: the Glorot-uniform kernels, the per-epoch row permutation and every dropout mask come from seeds
 * derived from `ctx.seed` by mulberry32 (TensorFlow.js's own `shuffle` and unseeded dropout use Math.random and are
 * never called). The training loop is our own (`optimizer.minimize` per batch), so the same seed on the same backend
 * gives the same weights.
 *
 * Prediction is plain JavaScript on the learned Float32 weights (float64 arithmetic), not TensorFlow.js: it is
 * synchronous as `FittedModel.predict` must be (WebGPU has no synchronous read-back), identical on every backend and
 * after a JSON round trip, and `loadMlp` needs no backend at all.
 */

/** The MLP's hyperparameters (names as the spec gives them). */
export interface MlpParams {
  /** Units per hidden layer, input side first. An empty list is a linear/logistic model. */
  hiddenLayers: number[];
  /** Fraction of each hidden layer's units dropped while training, in [0, 1). */
  dropout: number;
  /** Batch normalisation after each hidden Dense (batch statistics in training, moving averages at predict). */
  batchNorm: boolean;
  /** Adam's step size. */
  learningRate: number;
  batchSize: number;
  /** The most passes over the training rows. */
  epochs: number;
  /** Epochs without a better validation loss before stopping (used only with `ctx.validation`). */
  patience: number;
  /** L2 penalty on the Dense kernels. */
  l2: number;
}

/** The defaults of every MLP parameter. */
export const MLP_DEFAULTS: Readonly<MlpParams> = Object.freeze({
  hiddenLayers: [64, 32],
  dropout: 0.1,
  batchNorm: false,
  learningRate: 1e-3,
  batchSize: 256,
  epochs: 50,
  patience: 5,
  l2: 0,
});

/** Format version of the MLP's `ModelState`. */
export const MLP_STATE_VERSION = 1;

/** Batch normalisation's moving-average momentum (0.9, not Keras' 0.99, so small data sets see settled statistics) and epsilon. */
const BN_MOMENTUM = 0.9;
const BN_EPSILON = 1e-3;
/** How often (ms) training yields to the event loop so that a cancel message can arrive. */
const YIELD_EVERY_MS = 50;
/** Rows per chunk when evaluating the validation loss. */
const EVAL_CHUNK = 8192;

function invalid(message: string): never {
  throw new HostError('invalid-argument', message);
}

const isPositiveInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Fills in the defaults and checks every value (HostError 'invalid-argument' naming the parameter). Other names are
 * ignored, as the other models do. `hiddenLayers` may also come encoded as the search space writes it ('128-64').
 */
export function resolveMlpParams(params: Record<string, unknown> = {}): MlpParams {
  const p = { ...MLP_DEFAULTS } as Record<keyof MlpParams, unknown>;
  for (const key of Object.keys(MLP_DEFAULTS) as (keyof MlpParams)[]) {
    if (params[key] !== undefined) p[key] = params[key];
  }
  if (typeof p.hiddenLayers === 'string') p.hiddenLayers = p.hiddenLayers === '' ? [] : decodeHiddenLayers(p.hiddenLayers);
  if (!Array.isArray(p.hiddenLayers) || !p.hiddenLayers.every(isPositiveInt)) invalid('hiddenLayers must be a list of positive whole numbers of units.');
  if (!isFiniteNumber(p.dropout) || p.dropout < 0 || p.dropout >= 1) invalid('dropout must be at least 0 and below 1.');
  if (typeof p.batchNorm !== 'boolean') invalid('batchNorm must be true or false.');
  if (!isFiniteNumber(p.learningRate) || p.learningRate <= 0) invalid('learningRate must be a positive number.');
  if (!isPositiveInt(p.batchSize)) invalid('batchSize must be a positive whole number.');
  if (!isPositiveInt(p.epochs)) invalid('epochs must be a positive whole number.');
  if (!(typeof p.patience === 'number' && Number.isInteger(p.patience) && p.patience >= 0)) invalid('patience must be a whole number, 0 or more.');
  if (!isFiniteNumber(p.l2) || p.l2 < 0) invalid('l2 must be 0 or a positive number.');
  return {
    hiddenLayers: [...(p.hiddenLayers as number[])],
    dropout: p.dropout,
    batchNorm: p.batchNorm,
    learningRate: p.learningRate,
    batchSize: p.batchSize,
    epochs: p.epochs,
    patience: p.patience,
    l2: p.l2,
  };
}

/** One layer's learned numbers, as Float32 arrays (row-major kernels, shape [inputs, units]). */
interface DenseWeights {
  kernel: Float32Array;
  bias: Float32Array;
  inputs: number;
  units: number;
  /** Present when the layer has batch normalisation (hidden layers only). */
  bn?: { gamma: Float32Array; beta: Float32Array; movingMean: Float32Array; movingVariance: Float32Array };
}

/** Everything `predict` needs. */
interface MlpNet {
  task: Task;
  featureNames: string[];
  /** Output units: 1 for binary and regression, k for multiclass. */
  outputs: number;
  inputMean: Float64Array;
  inputStd: Float64Array;
  /** Regression only: the target's training mean and standard deviation. */
  targetScaling: { mean: number; std: number } | null;
  layers: DenseWeights[];
}

/** What a fit adds to the state besides the weights. */
interface MlpTrainingInfo {
  backend: string;
  epochsRun: number;
  bestEpoch: number;
  stoppedEarly: boolean;
  classes?: string[];
}

// ---------------------------------------------------------------------------------------------------------------
// Input checks and preparation

function checkFinite(X: FeatureMatrix, what: string): void {
  for (let f = 0; f < X.columns.length; f++) {
    const col = X.columns[f]!;
    for (let i = 0; i < X.rowCount; i++) {
      const v = col[i]!;
      if (!Number.isFinite(v)) {
        const kind = Number.isNaN(v) ? 'a missing value (NaN)' : 'an infinite value';
        invalid(`The MLP cannot take missing values: feature "${X.names[f]}" has ${kind} at row ${i} of the ${what} rows. Add an impute step before the MLP.`);
      }
    }
  }
}

function checkMatrix(X: FeatureMatrix, what: string): void {
  if (X.columns.length !== X.names.length) invalid(`The ${what} matrix has ${X.columns.length} columns but ${X.names.length} names.`);
  for (let f = 0; f < X.columns.length; f++) {
    if (X.columns[f]!.length < X.rowCount) invalid(`Feature "${X.names[f]}" has ${X.columns[f]!.length} values for ${X.rowCount} ${what} rows.`);
  }
}

function checkTarget(y: Target, rows: number, outputs: number, what: string): void {
  if (y.values.length !== rows) invalid(`The ${what} target has ${y.values.length} values for ${rows} rows.`);
  for (let i = 0; i < rows; i++) {
    const v = y.values[i]!;
    if (y.task === 'regression') {
      if (!Number.isFinite(v)) invalid(`The ${what} target is missing or infinite at row ${i}; drop those rows before training.`);
    } else if (!(Number.isInteger(v) && v >= 0 && v < Math.max(outputs, 2))) {
      invalid(`The ${what} target at row ${i} is ${v}, not a class index 0..${Math.max(outputs, 2) - 1}.`);
    }
  }
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name, i) => name === b[i]);
}

/** Mean and standard deviation (population) of each column; a constant column gets std 1. */
function columnScaling(X: FeatureMatrix): { mean: Float64Array; std: Float64Array } {
  const d = X.columns.length;
  const mean = new Float64Array(d);
  const std = new Float64Array(d);
  for (let f = 0; f < d; f++) {
    const col = X.columns[f]!;
    let sum = 0;
    for (let i = 0; i < X.rowCount; i++) sum += col[i]!;
    const m = sum / X.rowCount;
    let ss = 0;
    for (let i = 0; i < X.rowCount; i++) ss += (col[i]! - m) ** 2;
    const s = Math.sqrt(ss / X.rowCount);
    mean[f] = m;
    std[f] = s > 1e-12 * Math.max(1, Math.abs(m)) ? s : 1;
  }
  return { mean, std };
}

/** The standardised matrix as row-major Float32 (what the tensors are made of). */
function standardisedRows(X: FeatureMatrix, mean: Float64Array, std: Float64Array): Float32Array {
  const n = X.rowCount;
  const d = X.columns.length;
  const out = new Float32Array(n * d);
  for (let f = 0; f < d; f++) {
    const col = X.columns[f]!;
    const m = mean[f]!;
    const s = std[f]!;
    for (let i = 0; i < n; i++) out[i * d + f] = (col[i]! - m) / s;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// The network in TensorFlow.js (training only)

interface TfLayer {
  kernel: tf.Variable;
  bias: tf.Variable;
  bn?: { gamma: tf.Variable; beta: tf.Variable; movingMean: tf.Variable; movingVariance: tf.Variable };
}

/** Glorot-uniform values from our own seeded generator: U(-l, l) with l = √(6 / (fan_in + fan_out)). */
function glorotUniform(inputs: number, units: number, random: () => number): Float32Array {
  const limit = Math.sqrt(6 / (inputs + units));
  const out = new Float32Array(inputs * units);
  for (let i = 0; i < out.length; i++) out[i] = (2 * random() - 1) * limit;
  return out;
}

/** A variable made from `init`, which is then freed (the variable keeps its own reference to the data). */
function variableOf(init: tf.Tensor, trainable: boolean, name: string): tf.Variable {
  const v = tf.variable(init, trainable, name);
  init.dispose();
  return v;
}

function buildLayers(sizes: number[], batchNorm: boolean, seed: number): TfLayer[] {
  const layers: TfLayer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const inputs = sizes[l]!;
    const units = sizes[l + 1]!;
    // Each layer's kernel from its own stream, derived from the fit's seed and the layer index.
    const random = mulberry32((seed ^ Math.imul(l + 1, 0x9e3779b1)) >>> 0);
    const layer: TfLayer = {
      kernel: variableOf(tf.tensor2d(glorotUniform(inputs, units, random), [inputs, units]), true, `mlp_kernel_${l}`),
      bias: variableOf(tf.zeros([units]), true, `mlp_bias_${l}`),
    };
    if (batchNorm && l + 2 < sizes.length) {
      layer.bn = {
        gamma: variableOf(tf.ones([units]), true, `mlp_gamma_${l}`),
        beta: variableOf(tf.zeros([units]), true, `mlp_beta_${l}`),
        movingMean: variableOf(tf.zeros([units]), false, `mlp_moving_mean_${l}`),
        movingVariance: variableOf(tf.ones([units]), false, `mlp_moving_variance_${l}`),
      };
    }
    layers.push(layer);
  }
  return layers;
}

function allVariables(layers: TfLayer[]): tf.Variable[] {
  return layers.flatMap((l) => [l.kernel, l.bias, ...(l.bn ? [l.bn.gamma, l.bn.beta, l.bn.movingMean, l.bn.movingVariance] : [])]);
}

function trainableVariables(layers: TfLayer[]): tf.Variable[] {
  return layers.flatMap((l) => [l.kernel, l.bias, ...(l.bn ? [l.bn.gamma, l.bn.beta] : [])]);
}

/**
 * The forward pass to the output logits. In training mode batch norm uses the batch's statistics (pushed onto
 * `batchStats` for the moving-average update, kept out of the tidy) and dropout masks come from `dropoutSeeds`.
 */
function forward(
  layers: TfLayer[],
  x: tf.Tensor2D,
  training: { dropoutMasks: tf.Tensor2D[] | null; batchStats: { mean: tf.Tensor; variance: tf.Tensor }[] } | null,
): tf.Tensor2D {
  let h: tf.Tensor2D = x;
  for (let l = 0; l < layers.length; l++) {
    const layer = layers[l]!;
    let z = tf.add(tf.matMul(h, layer.kernel), layer.bias) as tf.Tensor2D;
    if (l === layers.length - 1) return z;
    if (layer.bn) {
      const bn = layer.bn;
      if (training) {
        const { mean, variance } = tf.moments(z, 0);
        training.batchStats.push({ mean: tf.keep(mean), variance: tf.keep(variance) });
        z = tf.batchNorm(z, mean, variance, bn.beta, bn.gamma, BN_EPSILON) as tf.Tensor2D;
      } else {
        z = tf.batchNorm(z, bn.movingMean, bn.movingVariance, bn.beta, bn.gamma, BN_EPSILON) as tf.Tensor2D;
      }
    }
    h = tf.relu(z);
    if (training?.dropoutMasks) h = tf.mul(h, training.dropoutMasks[l]!);
  }
  return h;
}

/** Per-row loss of the logits against the (prepared) labels: BCE with logits, softmax CE, or squared error. */
function rowLoss(task: Task, logits: tf.Tensor2D, labels: tf.Tensor): tf.Tensor1D {
  if (task === 'binary') {
    const z = tf.reshape(logits, [-1]);
    // max(z, 0) − z·y + log(1 + e^−|z|): the numerically stable form of binary cross-entropy on a logit.
    return tf.add(tf.sub(tf.relu(z), tf.mul(z, labels)), tf.log1p(tf.exp(tf.neg(tf.abs(z))))) as tf.Tensor1D;
  }
  if (task === 'multiclass') {
    return tf.neg(tf.sum(tf.mul(tf.oneHot(labels as tf.Tensor1D, logits.shape[1]), tf.logSoftmax(logits)), 1)) as tf.Tensor1D;
  }
  return tf.square(tf.sub(tf.reshape(logits, [-1]), labels)) as tf.Tensor1D;
}

function labelTensor(task: Task, values: Float32Array | Int32Array): tf.Tensor1D {
  return task === 'multiclass' ? tf.tensor1d(values, 'int32') : tf.tensor1d(values, 'float32');
}

/** Copies of every variable's current value (the best epoch so far). */
function snapshot(layers: TfLayer[]): tf.Tensor[] {
  return allVariables(layers).map((v) => tf.clone(v));
}

function restore(layers: TfLayer[], saved: tf.Tensor[]): void {
  allVariables(layers).forEach((v, i) => v.assign(saved[i]!));
}

async function readLayers(layers: TfLayer[]): Promise<DenseWeights[]> {
  const f32 = async (v: tf.Variable) => new Float32Array(await v.data<'float32'>());
  const out: DenseWeights[] = [];
  for (const layer of layers) {
    const [inputs, units] = layer.kernel.shape as [number, number];
    const w: DenseWeights = { kernel: await f32(layer.kernel), bias: await f32(layer.bias), inputs, units };
    if (layer.bn) {
      w.bn = {
        gamma: await f32(layer.bn.gamma),
        beta: await f32(layer.bn.beta),
        movingMean: await f32(layer.bn.movingMean),
        movingVariance: await f32(layer.bn.movingVariance),
      };
    }
    out.push(w);
  }
  return out;
}

/**
 * An inverted-dropout mask drawn from our seeded stream: 0 with probability `rate`, else 1 / (1 − rate). Made in
 * JavaScript (not tf.dropout, whose seed would repeat the same mask every step, or whose default is Math.random),
 * so it is the same on every backend; one upload replaces tf.dropout's four kernels, which halved a WASM step.
 */
function dropoutMask(rows: number, units: number, rate: number, random: () => number): tf.Tensor2D {
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(rows * units);
  for (let i = 0; i < mask.length; i++) mask[i] = random() < rate ? 0 : keep;
  return tf.tensor2d(mask, [rows, units]);
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

// ---------------------------------------------------------------------------------------------------------------
// Fit

/**
 * Trains an MLP on `X` → `y` with the active TensorFlow.js backend. `params` are `MlpParams` by name (missing ones
 * take `MLP_DEFAULTS`). Reports `{ name: 'loss', step: epoch (1-based), train, validation }` once per epoch (train:
 * the mean batch objective of the epoch, with dropout and L2, as Keras reports it; validation: the plain loss on
 * `ctx.validation`, unweighted; regression losses are in standardised-target units). With `ctx.validation`, stops
 * after `patience` epochs without a lower validation loss and keeps the best epoch's weights; without it, runs all
 * `epochs`. `ctx.weights` weight each row's loss. Throws HostError 'invalid-argument' on missing or infinite
 * inputs (an impute step is needed) and 'cancelled' when `ctx.isCancelled` turns true.
 */
export async function fitMlp(X: FeatureMatrix, y: Target, params: Record<string, unknown>, ctx: FitContext): Promise<FittedModel> {
  const p = resolveMlpParams(params);
  const task = y.task;
  const n = X.rowCount;
  const d = X.columns.length;
  if (n < 1) invalid('The MLP needs at least one training row.');
  if (d < 1) invalid('The MLP needs at least one feature.');
  checkMatrix(X, 'training');
  const outputs = task === 'multiclass' ? classCount(y) : 1;
  if (task === 'multiclass' && outputs < 2) invalid('A multiclass target needs at least two classes.');
  checkTarget(y, n, outputs, 'training');
  checkFinite(X, 'training');
  const weights = ctx.weights;
  if (weights) {
    if (weights.length !== n) invalid(`There are ${weights.length} row weights for ${n} rows.`);
    for (let i = 0; i < n; i++) if (!(Number.isFinite(weights[i]!) && weights[i]! >= 0)) invalid(`Row weight ${i} is ${weights[i]}; weights must be finite and not negative.`);
  }
  // An empty validation set is no validation set (its loss would be 0/0).
  const validation = ctx.validation && ctx.validation.X.rowCount > 0 ? ctx.validation : undefined;
  if (validation) {
    checkMatrix(validation.X, 'validation');
    if (!sameNames(validation.X.names, X.names)) invalid('The validation rows have different features from the training rows.');
    if (validation.y.task !== task) invalid(`The validation target is ${validation.y.task}, the training target ${task}.`);
    checkTarget(validation.y, validation.X.rowCount, outputs, 'validation');
    checkFinite(validation.X, 'validation');
  }
  checkCancelled(ctx);

  await tf.ready();
  const backend = tf.getBackend();

  // Scaling, learned on the training rows only.
  const { mean: inputMean, std: inputStd } = columnScaling(X);
  const rows = standardisedRows(X, inputMean, inputStd);
  let targetScaling: { mean: number; std: number } | null = null;
  if (task === 'regression') {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += y.values[i]!;
    const m = sum / n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (y.values[i]! - m) ** 2;
    const s = Math.sqrt(ss / n);
    targetScaling = { mean: m, std: s > 1e-12 * Math.max(1, Math.abs(m)) ? s : 1 };
  }
  const labelsOf = (t: Target, count: number): Float32Array | Int32Array => {
    if (task === 'multiclass') return Int32Array.from(t.values.subarray(0, count));
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = targetScaling ? (t.values[i]! - targetScaling.mean) / targetScaling.std : t.values[i]!;
    return out;
  };
  const labels = labelsOf(y, n);
  let weightMean = 1;
  if (weights) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += weights[i]!;
    if (!(sum > 0)) invalid('The row weights sum to 0.');
    weightMean = sum / n;
  }

  // Seeds: one stream for layers, one for the epoch permutations, one for dropout masks.
  const master = mulberry32(ctx.seed);
  const initSeed = Math.floor(master() * 2 ** 32);
  const shuffleRandom = mulberry32(Math.floor(master() * 2 ** 32));
  const dropoutRandom = mulberry32(Math.floor(master() * 2 ** 32));

  const sizes = [d, ...p.hiddenLayers, outputs];
  const layers = buildLayers(sizes, p.batchNorm, initSeed);
  const trainable = trainableVariables(layers);
  const optimizer = tf.train.adam(p.learningRate, 0.9, 0.999, 1e-7);

  // Validation chunks live on the device for the whole fit.
  const valChunks: { x: tf.Tensor2D; y: tf.Tensor1D }[] = [];
  let valRows = 0;
  let best: tf.Tensor[] | null = null;
  const batchX = new Float32Array(Math.min(p.batchSize, n) * d);
  const batchY = task === 'multiclass' ? new Int32Array(Math.min(p.batchSize, n)) : new Float32Array(Math.min(p.batchSize, n));
  const batchW = new Float32Array(Math.min(p.batchSize, n));
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;

  let epochsRun = 0;
  let bestEpoch = 0;
  let bestLoss = Infinity;
  let stoppedEarly = false;
  let epochSum: tf.Scalar | null = null;
  try {
    if (validation) {
      const vX = validation.X;
      valRows = vX.rowCount;
      const vRows = standardisedRows(vX, inputMean, inputStd);
      const vLabels = labelsOf(validation.y, valRows);
      for (let s = 0; s < valRows; s += EVAL_CHUNK) {
        const e = Math.min(valRows, s + EVAL_CHUNK);
        valChunks.push({ x: tf.tensor2d(vRows.subarray(s * d, e * d), [e - s, d]), y: labelTensor(task, vLabels.subarray(s, e)) });
      }
    }
    const validationLoss = async (): Promise<number> => {
      const total = tf.tidy(() => tf.addN(valChunks.map((c) => tf.sum(rowLoss(task, forward(layers, c.x, null), c.y)))));
      const v = (await total.data())[0]!;
      total.dispose();
      return v / valRows;
    };

    let lastYield = performance.now();
    const batches = Math.ceil(n / p.batchSize);
    for (let epoch = 0; epoch < p.epochs; epoch++) {
      checkCancelled(ctx);
      shuffleInPlace(order, shuffleRandom);
      epochSum = tf.scalar(0);
      let seen = 0;
      for (let b = 0; b < batches; b++) {
        const start = b * p.batchSize;
        const size = Math.min(p.batchSize, n - start);
        // A lone last row has no batch statistics: batch norm skips it (it is in another batch next epoch).
        if (p.batchNorm && size < 2 && n > 1) continue;
        for (let r = 0; r < size; r++) {
          const row = order[start + r]!;
          const from = row * d;
          const to = r * d;
          for (let f = 0; f < d; f++) batchX[to + f] = rows[from + f]!;
          batchY[r] = labels[row]!;
          if (weights) batchW[r] = weights[row]! / weightMean;
        }
        const dropoutMasks = p.dropout > 0 ? p.hiddenLayers.map((units) => dropoutMask(size, units, p.dropout, dropoutRandom)) : null;
        const batchStats: { mean: tf.Tensor; variance: tf.Tensor }[] = [];
        const xb = tf.tensor2d(batchX.subarray(0, size * d), [size, d]);
        const yb = labelTensor(task, batchY.subarray(0, size));
        const wb = weights ? tf.tensor1d(batchW.subarray(0, size)) : null;
        let cost: tf.Scalar | null;
        try {
          cost = optimizer.minimize(
            () => {
              const logits = forward(layers, xb, { dropoutMasks, batchStats });
              const perRow = rowLoss(task, logits, yb);
              let loss: tf.Scalar = (wb ? tf.mean(tf.mul(perRow, wb)) : tf.mean(perRow)) as tf.Scalar;
              if (p.l2 > 0) loss = tf.add(loss, tf.mul(p.l2, tf.addN(layers.map((l) => tf.sum(tf.square(l.kernel)))))) as tf.Scalar;
              return loss;
            },
            true,
            trainable,
          );
        } catch (err) {
          tf.dispose(batchStats.flatMap((st) => [st.mean, st.variance]));
          throw err;
        } finally {
          tf.dispose([xb, yb, ...(wb ? [wb] : []), ...(dropoutMasks ?? [])]);
        }
        seen += size;
        if (batchStats.length > 0) {
          tf.tidy(() => {
            let i = 0;
            for (const layer of layers) {
              if (!layer.bn) continue;
              const stats = batchStats[i++]!;
              layer.bn.movingMean.assign(tf.add(tf.mul(layer.bn.movingMean, BN_MOMENTUM), tf.mul(stats.mean, 1 - BN_MOMENTUM)));
              layer.bn.movingVariance.assign(tf.add(tf.mul(layer.bn.movingVariance, BN_MOMENTUM), tf.mul(stats.variance, 1 - BN_MOMENTUM)));
            }
          });
          tf.dispose(batchStats.flatMap((s) => [s.mean, s.variance]));
        }
        if (cost) {
          const sum: tf.Scalar = epochSum;
          epochSum = tf.tidy(() => tf.add(sum, tf.mul(cost, size)) as tf.Scalar);
          tf.dispose([sum, cost]);
        }
        checkCancelled(ctx);
        if (performance.now() - lastYield > YIELD_EVERY_MS) {
          ctx.onProgress?.({ fraction: (epoch + (b + 1) / batches) / p.epochs, message: `Epoch ${epoch + 1} of ${p.epochs}` });
          await yieldToEventLoop();
          lastYield = performance.now();
          checkCancelled(ctx);
        }
      }
      const train = (await epochSum.data())[0]! / seen;
      epochSum.dispose();
      epochSum = null;
      epochsRun = epoch + 1;
      let valLoss: number | undefined;
      let improved = true;
      if (validation) {
        valLoss = await validationLoss();
        improved = valLoss < bestLoss;
        if (improved) {
          bestLoss = valLoss;
          bestEpoch = epochsRun;
          if (best) tf.dispose(best);
          best = snapshot(layers);
        }
      } else {
        bestEpoch = epochsRun;
      }
      ctx.onProgress?.({
        fraction: epochsRun / p.epochs,
        message: `Epoch ${epochsRun} of ${p.epochs}`,
        metric: valLoss === undefined ? { name: 'loss', step: epochsRun, train } : { name: 'loss', step: epochsRun, train, validation: valLoss },
      });
      if (!Number.isFinite(train)) invalid(`Training diverged (loss ${train} in epoch ${epochsRun}); try a smaller learningRate.`);
      // As Keras' EarlyStopping: stop once `patience` epochs in a row have not improved on the best.
      if (validation && !improved && epochsRun - bestEpoch >= Math.max(1, p.patience) && epochsRun < p.epochs) {
        stoppedEarly = true;
        break;
      }
    }
    if (best) restore(layers, best);
    const net: MlpNet = {
      task,
      featureNames: [...X.names],
      outputs,
      inputMean,
      inputStd,
      targetScaling,
      layers: await readLayers(layers),
    };
    const info: MlpTrainingInfo = { backend, epochsRun, bestEpoch, stoppedEarly };
    if (y.classes) info.classes = [...y.classes];
    return new MlpModel(p, net, info);
  } finally {
    if (best) tf.dispose(best);
    if (epochSum) epochSum.dispose();
    tf.dispose(valChunks.flatMap((c) => [c.x, c.y]));
    tf.dispose(allVariables(layers));
    optimizer.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Predict (plain JavaScript) and state

/** Rows per block in `predict`, so the activations stay in cache. */
const PREDICT_BLOCK = 256;

function predictNet(net: MlpNet, X: FeatureMatrix): Predictions {
  checkMatrix(X, 'prediction');
  if (!sameNames(X.names, net.featureNames)) {
    invalid(`The MLP was trained on features [${net.featureNames.join(', ')}] but was given [${X.names.join(', ')}].`);
  }
  checkFinite(X, 'prediction');
  const n = X.rowCount;
  const d = net.featureNames.length;
  const k = net.outputs;
  const out = new Float64Array(n * k);
  const widest = Math.max(d, ...net.layers.map((l) => l.units));
  let a = new Float64Array(PREDICT_BLOCK * widest);
  let z = new Float64Array(PREDICT_BLOCK * widest);
  for (let start = 0; start < n; start += PREDICT_BLOCK) {
    const size = Math.min(PREDICT_BLOCK, n - start);
    for (let f = 0; f < d; f++) {
      const col = X.columns[f]!;
      const m = net.inputMean[f]!;
      const s = net.inputStd[f]!;
      // Rounded to float32 as the network saw its inputs in training.
      for (let r = 0; r < size; r++) a[r * d + f] = Math.fround((col[start + r]! - m) / s);
    }
    let width = d;
    for (let l = 0; l < net.layers.length; l++) {
      const layer = net.layers[l]!;
      const { kernel, bias, units } = layer;
      for (let r = 0; r < size; r++) {
        const zo = r * units;
        for (let j = 0; j < units; j++) z[zo + j] = bias[j]!;
        const ao = r * width;
        for (let i = 0; i < width; i++) {
          const v = a[ao + i]!;
          if (v === 0) continue;
          const ko = i * units;
          for (let j = 0; j < units; j++) z[zo + j] = z[zo + j]! + v * kernel[ko + j]!;
        }
      }
      if (l < net.layers.length - 1) {
        const bn = layer.bn;
        for (let r = 0; r < size; r++) {
          for (let j = 0; j < units; j++) {
            let v = z[r * units + j]!;
            if (bn) v = ((v - bn.movingMean[j]!) / Math.sqrt(bn.movingVariance[j]! + BN_EPSILON)) * bn.gamma[j]! + bn.beta[j]!;
            z[r * units + j] = v > 0 ? v : 0;
          }
        }
      }
      [a, z] = [z, a];
      width = units;
    }
    // `a` now holds the logits, `width` = k.
    for (let r = 0; r < size; r++) {
      const row = start + r;
      if (net.task === 'binary') {
        out[row] = 1 / (1 + Math.exp(-a[r]!));
      } else if (net.task === 'regression') {
        out[row] = a[r]! * net.targetScaling!.std + net.targetScaling!.mean;
      } else {
        let max = -Infinity;
        for (let j = 0; j < k; j++) max = Math.max(max, a[r * k + j]!);
        let sum = 0;
        for (let j = 0; j < k; j++) sum += Math.exp(a[r * k + j]! - max);
        for (let j = 0; j < k; j++) out[row * k + j] = Math.exp(a[r * k + j]! - max) / sum;
      }
    }
  }
  return out;
}

/** Float32 array ↔ base64 of its little-endian bytes (btoa/atob exist in Node, workers and pages alike). */
function f32ToBase64(values: Float32Array): string {
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

function base64ToF32(text: string, expected: number, what: string): Float32Array {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    invalid(`MLP state: ${what} is not base64.`);
  }
  if (binary.length !== expected * 4) invalid(`MLP state: ${what} holds ${binary.length / 4} numbers, its shape says ${expected}.`);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Float32Array(bytes.buffer);
}

/** One tensor in the JSON state. */
interface TensorJSON {
  shape: number[];
  /** Base64 of the Float32 values' little-endian bytes, row-major. */
  data: string;
}

const tensorJSON = (values: Float32Array, shape: number[]): TensorJSON => ({ shape, data: f32ToBase64(values) });

class MlpModel implements FittedModel {
  readonly kind = 'mlp' as const;
  readonly task: Task;
  readonly params: Record<string, unknown>;

  constructor(
    private readonly resolved: MlpParams,
    private readonly net: MlpNet,
    /** Training facts (backend, epochs) kept in the state. */
    readonly info: MlpTrainingInfo,
  ) {
    this.task = net.task;
    this.params = { ...resolved, hiddenLayers: [...resolved.hiddenLayers] };
  }

  predict(X: FeatureMatrix): Predictions {
    return predictNet(this.net, X);
  }

  toJSON(): ModelState {
    const net = this.net;
    return {
      kind: 'mlp',
      task: net.task,
      version: MLP_STATE_VERSION,
      params: { ...this.resolved, hiddenLayers: [...this.resolved.hiddenLayers] },
      featureNames: [...net.featureNames],
      ...(this.info.classes ? { classes: [...this.info.classes] } : {}),
      inputScaling: { mean: Array.from(net.inputMean), std: Array.from(net.inputStd) },
      targetScaling: net.targetScaling ? { ...net.targetScaling } : null,
      layers: net.layers.map((l) => ({
        kernel: tensorJSON(l.kernel, [l.inputs, l.units]),
        bias: tensorJSON(l.bias, [l.units]),
        ...(l.bn
          ? {
              batchNorm: {
                gamma: tensorJSON(l.bn.gamma, [l.units]),
                beta: tensorJSON(l.bn.beta, [l.units]),
                movingMean: tensorJSON(l.bn.movingMean, [l.units]),
                movingVariance: tensorJSON(l.bn.movingVariance, [l.units]),
              },
            }
          : {}),
      })),
      backend: this.info.backend,
      epochsRun: this.info.epochsRun,
      bestEpoch: this.info.bestEpoch,
      stoppedEarly: this.info.stoppedEarly,
    };
  }
}

function numberArray(v: unknown, length: number, what: string): Float64Array {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) invalid(`MLP state: ${what} must be ${length} finite numbers.`);
  return Float64Array.from(v as number[]);
}

function readTensor(v: unknown, shape: number[], what: string): Float32Array {
  const t = v as Partial<TensorJSON> | null;
  if (typeof t !== 'object' || t === null || typeof t.data !== 'string' || !Array.isArray(t.shape)) invalid(`MLP state: ${what} is missing.`);
  if (t.shape.length !== shape.length || t.shape.some((s, i) => s !== shape[i])) invalid(`MLP state: ${what} has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}].`);
  return base64ToF32(t.data, shape.reduce((a, b) => a * b, 1), what);
}

/**
 * Rebuilds a fitted MLP from `toJSON()`'s state. Synchronous and backend-free: prediction is plain JavaScript on the
 * stored Float32 weights, so the loaded model predicts exactly as the one that was saved.
 */
export function loadMlp(state: ModelState): FittedModel {
  if (state.kind !== 'mlp') invalid(`Not an MLP state (kind "${state.kind}").`);
  if (state.version !== MLP_STATE_VERSION) invalid(`MLP state version ${state.version} is not supported (this build reads ${MLP_STATE_VERSION}).`);
  const task = state.task;
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression') invalid(`MLP state: unknown task "${String(task)}".`);
  const params = resolveMlpParams(state.params);
  const featureNames = state.featureNames;
  if (!Array.isArray(featureNames) || !featureNames.every((s) => typeof s === 'string')) invalid('MLP state: featureNames must be a list of names.');
  const d = featureNames.length;
  const scaling = state.inputScaling as { mean?: unknown; std?: unknown } | undefined;
  const inputMean = numberArray(scaling?.mean, d, 'inputScaling.mean');
  const inputStd = numberArray(scaling?.std, d, 'inputScaling.std');
  let targetScaling: { mean: number; std: number } | null = null;
  if (task === 'regression') {
    const t = state.targetScaling as { mean?: unknown; std?: unknown } | null | undefined;
    if (!t || !isFiniteNumber(t.mean) || !isFiniteNumber(t.std)) invalid('MLP state: a regression model needs targetScaling { mean, std }.');
    targetScaling = { mean: t.mean, std: t.std };
  }
  const rawLayers = state.layers;
  if (!Array.isArray(rawLayers) || rawLayers.length !== params.hiddenLayers.length + 1) invalid('MLP state: layers do not match hiddenLayers.');
  const classes = Array.isArray(state.classes) ? (state.classes as unknown[]).map(String) : undefined;
  const outputs = task === 'multiclass' ? ((rawLayers.at(-1) as { bias?: { shape?: number[] } })?.bias?.shape?.[0] ?? 0) : 1;
  if (task === 'multiclass' && !(outputs >= 2)) invalid('MLP state: a multiclass model needs at least two outputs.');
  const sizes = [d, ...params.hiddenLayers, outputs];
  const layers: DenseWeights[] = rawLayers.map((raw: unknown, l) => {
    const inputs = sizes[l]!;
    const units = sizes[l + 1]!;
    const r = raw as { kernel?: unknown; bias?: unknown; batchNorm?: Record<string, unknown> };
    const w: DenseWeights = {
      kernel: readTensor(r.kernel, [inputs, units], `layer ${l} kernel`),
      bias: readTensor(r.bias, [units], `layer ${l} bias`),
      inputs,
      units,
    };
    const isHidden = l < rawLayers.length - 1;
    if (params.batchNorm && isHidden) {
      const bn = r.batchNorm;
      if (!bn) invalid(`MLP state: layer ${l} has no batchNorm weights.`);
      w.bn = {
        gamma: readTensor(bn.gamma, [units], `layer ${l} gamma`),
        beta: readTensor(bn.beta, [units], `layer ${l} beta`),
        movingMean: readTensor(bn.movingMean, [units], `layer ${l} movingMean`),
        movingVariance: readTensor(bn.movingVariance, [units], `layer ${l} movingVariance`),
      };
    }
    return w;
  });
  const info: MlpTrainingInfo = {
    backend: typeof state.backend === 'string' ? state.backend : 'unknown',
    epochsRun: typeof state.epochsRun === 'number' ? state.epochsRun : 0,
    bestEpoch: typeof state.bestEpoch === 'number' ? state.bestEpoch : 0,
    stoppedEarly: state.stoppedEarly === true,
  };
  if (classes) info.classes = classes;
  return new MlpModel(params, { task, featureNames: [...featureNames], outputs, inputMean, inputStd, targetScaling, layers }, info);
}
