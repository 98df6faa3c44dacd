import { HostError } from '../../host/errors.js';
import { mulberry32 } from '../../data/random.js';
import type { FeatureMatrix, FitContext, FittedModel, ModelState, Predictions, Target, Task } from '../types.js';
import { checkCancelled, classCount } from '../types.js';
import { binMatrix, categoryEdges, edgesFromJSON, edgesToJSON, learnBinEdges } from './binning.js';
import { addGains, addTreePredictions, flatten, leafOfBinned, normalise, treeFromJSON, treeToJSON, type FlatTree, type FlatTreeJSON } from './flat-tree.js';
import { HistTreeGrower, type GrownTree } from './hist-tree.js';
import type { BoostArrays, BoostJob, HistogramHelper } from './parallel.js';

/**
 * Gradient-boosted decision trees (histogram based, leaf-wise like LightGBM and XGBoost's `hist` with
 * `grow_policy=lossguide`). Each round fits one tree per output to the loss's gradient and hessian by Newton
 * steps: leaf value −G/(H+l2), shrunk by `learningRate`.
 *
 * Losses: binary log loss (start: log-odds of the weighted prior), multiclass softmax log loss (one tree per class
 * per round; start: log of each class's prior), squared error (start: the weighted mean). `ctx.weights`
 * multiplies every row's gradient and hessian.
 *
 * Categories: features the matrix marks `categorical` (an ordinal encoding's codes) split by sets of categories,
 * LightGBM-style (see hist-tree.ts), unless `nativeCategories` is false; a marked feature whose values are not
 * codes 0..254 is split as a number.
 *
 * Progress each round carries `metric` {name: 'log_loss' | 'rmse', step: rounds so far, train, validation}:
 * `train` is measured on up to 20,000 evenly spaced training rows (to keep it cheap on big data), `validation` on
 * all of `ctx.validation` when given. With `earlyStoppingRounds` > 0 and `ctx.validation`, training stops once
 * the validation loss has not improved for that many rounds and keeps the trees up to the best round.
 */

/** Boosting parameters (see `GBDT_DEFAULTS`). */
export interface GbdtParams {
  nTrees: number;
  learningRate: number;
  maxLeaves: number;
  /** -1: no depth limit. */
  maxDepth: number;
  minSamplesLeaf: number;
  /** Smallest hessian sum of a leaf. */
  minChildWeight: number;
  /** L2 penalty on leaf values (XGBoost's lambda; sklearn's l2_regularization). */
  l2: number;
  /** Fraction of rows each round trains on (seeded Bernoulli sample). */
  rowSubsample: number;
  /** Fraction of features each tree may split on. */
  colSubsample: number;
  maxBins: number;
  /** 0: off. Needs `ctx.validation`. */
  earlyStoppingRounds: number;
  /** Split the matrix's categorical features by sets of categories (false: as numbers). */
  nativeCategories: boolean;
}

/** Defaults of `fitGbdt`. */
export const GBDT_DEFAULTS: Readonly<GbdtParams> = Object.freeze({
  nTrees: 100,
  learningRate: 0.1,
  maxLeaves: 31,
  maxDepth: -1,
  minSamplesLeaf: 20,
  minChildWeight: 1e-3,
  l2: 0,
  rowSubsample: 1,
  colSubsample: 1,
  maxBins: 255,
  earlyStoppingRounds: 0,
  nativeCategories: true,
});

/** A fitted boosting model. */
export interface GbdtModel extends FittedModel {
  readonly kind: 'gbdt';
  /** Rounds kept (after early stopping, the best round's count). */
  readonly rounds: number;
  /** Raw scores (log-odds, per-class logits, or the regression value) before the link function. */
  predictRaw(X: FeatureMatrix): Float64Array;
  /** Total split gain per feature, normalised to sum to 1. */
  featureImportance(): Float64Array;
}

const TRAIN_METRIC_ROWS = 20_000;

/** Resolves and checks parameters. */
export function gbdtParams(params: Partial<GbdtParams> = {}): GbdtParams {
  const p: GbdtParams = { ...GBDT_DEFAULTS };
  for (const key of Object.keys(GBDT_DEFAULTS) as (keyof GbdtParams)[]) {
    const v = params[key];
    if (v !== undefined) (p as unknown as Record<string, unknown>)[key] = v;
  }
  const bad = (what: string): never => {
    throw new HostError('invalid-argument', `Gradient boosting: ${what}.`);
  };
  if (!Number.isInteger(p.nTrees) || p.nTrees < 1) bad('nTrees must be a whole number ≥ 1');
  if (!(p.learningRate > 0)) bad('learningRate must be > 0');
  if (!Number.isInteger(p.maxLeaves) || p.maxLeaves < 2) bad('maxLeaves must be a whole number ≥ 2');
  if (!Number.isInteger(p.maxDepth) || (p.maxDepth < 1 && p.maxDepth !== -1)) bad('maxDepth must be ≥ 1, or -1 for none');
  if (!(p.minSamplesLeaf >= 1)) bad('minSamplesLeaf must be ≥ 1');
  if (!(p.minChildWeight >= 0)) bad('minChildWeight must be ≥ 0');
  if (!(p.l2 >= 0)) bad('l2 must be ≥ 0');
  if (!(p.rowSubsample > 0 && p.rowSubsample <= 1)) bad('rowSubsample must be in (0, 1]');
  if (!(p.colSubsample > 0 && p.colSubsample <= 1)) bad('colSubsample must be in (0, 1]');
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 255) bad('maxBins must be a whole number in 2..255');
  if (!Number.isInteger(p.earlyStoppingRounds) || p.earlyStoppingRounds < 0) bad('earlyStoppingRounds must be a whole number ≥ 0');
  if (typeof p.nativeCategories !== 'boolean') bad('nativeCategories must be true or false');
  return p;
}

function checkInputs(X: FeatureMatrix, y: Target, ctx: FitContext): number {
  const n = X.rowCount;
  if (y.values.length !== n) throw new HostError('invalid-argument', `The target has ${y.values.length} rows but the features ${n}.`);
  if (n === 0) throw new HostError('invalid-argument', 'There are no training rows.');
  for (const c of X.columns) if (c.length !== n) throw new HostError('invalid-argument', 'A feature column has the wrong length.');
  if (ctx.weights && ctx.weights.length !== n) throw new HostError('invalid-argument', 'The weights have the wrong length.');
  const K = classCount(y);
  if (y.task !== 'regression') {
    for (const v of y.values) {
      if (!(v >= 0 && v < K && Number.isInteger(v))) throw new HostError('invalid-argument', `Class index ${v} is outside 0..${K - 1}.`);
    }
  } else {
    for (const v of y.values) if (!Number.isFinite(v)) throw new HostError('invalid-argument', 'The target has a missing or infinite value.');
  }
  return K;
}

/** How a fit may run (not part of the model: the trees are the same either way). */
export interface GbdtRuntime {
  /** A second thread for the histograms of large nodes (see parallel.ts); the platform owns and disposes it. */
  histogramHelper?: HistogramHelper | null;
  /** 'js' keeps the grower to its JavaScript loops (the tests compare them with the WebAssembly kernels). */
  kernel?: 'auto' | 'js';
}

/** Fits gradient-boosted trees. */
export function fitGbdt(X: FeatureMatrix, y: Target, params: Partial<GbdtParams>, ctx: FitContext, runtime: GbdtRuntime = {}): GbdtModel {
  const p = gbdtParams(params);
  const K0 = checkInputs(X, y, ctx);
  const task = y.task;
  const K = task === 'multiclass' ? K0 : 1;
  const n = X.rowCount;
  const w = ctx.weights;
  const random = mulberry32(ctx.seed);
  checkCancelled(ctx);

  const edges = learnBinEdges(X, { maxBins: p.maxBins, seed: ctx.seed });
  const categorical = new Uint8Array(X.columns.length);
  if (p.nativeCategories && X.categorical) {
    X.categorical.forEach((marked, f) => {
      const e = marked ? categoryEdges(X.columns[f]!) : null;
      if (e) {
        edges[f] = e;
        categorical[f] = 1;
      }
    });
  }
  const binned = binMatrix(X, edges);
  const grower = new HistTreeGrower(binned, edges, { kind: 'gh', lambda: p.l2 }, {
    maxLeaves: p.maxLeaves,
    maxDepth: p.maxDepth,
    minSamplesLeaf: p.minSamplesLeaf,
    minChildWeight: p.minChildWeight,
    categorical,
  }, runtime.histogramHelper, runtime.kernel);

  const base = baseScores(task, y.values, w, K);
  // With a helper the scores, target and weights lie on shared memory for its share of the row-wise work.
  const share = K === 1 && grower.sharedWith !== null;
  const F = share ? sharedCopy(new Float64Array(n)) : new Float64Array(n * K);
  for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) F[i * K + k] = base[k]!;
  const grad = Array.from({ length: K === 1 ? 0 : K }, () => new Float64Array(n));
  const hess = Array.from({ length: K === 1 ? 0 : K }, () => new Float64Array(n));
  const yv = y.values;

  const val = ctx.validation;
  const vn = val ? val.X.rowCount : 0;
  const Fv = new Float64Array(vn * K);
  for (let i = 0; i < vn; i++) for (let k = 0; k < K; k++) Fv[i * K + k] = base[k]!;
  const metricName = task === 'regression' ? 'rmse' : 'log_loss';
  const trainStride = Math.max(1, Math.ceil(n / TRAIN_METRIC_ROWS));

  const trees: FlatTree[] = [];
  const gains = new Float64Array(X.columns.length);
  const gainsPerRound: Float64Array[] = [];
  let bestLoss = Infinity;
  let bestRound = 0;
  const esr = val && vn > 0 ? p.earlyStoppingRounds : 0;
  const nFeat = X.columns.length;
  const nColTree = Math.max(1, Math.round(nFeat * p.colSubsample));
  const rowBuf = p.rowSubsample < 1 ? new Uint32Array(n) : null;
  const prob = new Float64Array(K);
  // One output: the gradients go straight into the grower's pairs, and with a helper sharing the grower's memory
  // it computes half of them, and half of the score updates (row-wise, so the numbers are the same).
  const rowWise = K === 1 ? new RowWise(task === 'binary', F, yv, w ?? null, grower.sharedWith) : null;

  for (let t = 0; t < p.nTrees; t++) {
    checkCancelled(ctx);
    if (rowWise) rowWise.gradients(grower.gradientPairs(), grower.rowIndex);
    else gradients(task, F, yv, w, grad, hess, K, prob);
    let rows: Uint32Array | null = null;
    if (rowBuf) {
      let m = 0;
      for (let i = 0; i < n; i++) if (random() < p.rowSubsample) rowBuf[m++] = i;
      rows = m > 0 ? rowBuf.subarray(0, m) : null;
    }
    const roundGains = new Float64Array(nFeat);
    for (let k = 0; k < K; k++) {
      let feats: Int32Array | null = null;
      if (nColTree < nFeat) {
        const all = Int32Array.from({ length: nFeat }, (_, i) => i);
        for (let i = 0; i < nColTree; i++) {
          const j = i + Math.floor(random() * (nFeat - i));
          const tmp = all[i]!;
          all[i] = all[j]!;
          all[j] = tmp;
        }
        feats = all.slice(0, nColTree).sort();
      }
      const grown = grower.grow(rowWise ? { kind: 'gh', grad: null, hess: null } : { kind: 'gh', grad: grad[k]!, hess: hess[k]! }, rows, feats);
      const lr = p.learningRate;
      const l2 = p.l2;
      const tree = flatten(grown, 3, 1, (st, o, out, oo) => {
        const d = st[o + 1]! + l2;
        out[oo] = d > 0 ? (-lr * st[o]!) / d : 0;
      });
      trees.push(tree);
      addGains(grown, roundGains);
      // Training scores: a leaf's rows are one segment of the grower's index when every row was used.
      if (!rows && rowWise) rowWise.scores(grown, tree, grower.gradientPairs(), grower.rowIndex);
      else if (!rows) {
        const idx = grower.rowIndex;
        for (let node = 0; node < grown.nodeCount; node++) {
          if (grown.feature[node]! >= 0) continue;
          const v = tree.values[tree.left[node]!]!;
          for (let i = grown.start[node]!, e = grown.end[node]!; i < e; i++) F[idx[i]! * K + k]! += v;
        }
      } else {
        for (let i = 0; i < n; i++) F[i * K + k]! += tree.values[tree.left[leafOfBinned(grown, binned, i)]!]!;
      }
      if (val) addTreePredictions(tree, val.X.columns, vn, Fv, K, k, 1);
    }
    gainsPerRound.push(roundGains);
    for (let f = 0; f < nFeat; f++) gains[f]! += roundGains[f]!;
    const trainLoss = lossOf(task, F, yv, w, K, trainStride, prob);
    const valLoss = val ? lossOf(task, Fv, val.y.values, undefined, K, 1, prob) : undefined;
    ctx.onProgress?.({
      fraction: (t + 1) / p.nTrees,
      metric: { name: metricName, step: t + 1, train: trainLoss, ...(valLoss !== undefined ? { validation: valLoss } : {}) },
    });
    if (valLoss !== undefined) {
      if (valLoss < bestLoss - 1e-12) {
        bestLoss = valLoss;
        bestRound = t;
      } else if (esr > 0 && t - bestRound >= esr) break;
    }
  }
  let rounds = trees.length / K;
  if (esr > 0 && bestRound + 1 < rounds) {
    for (let t = bestRound + 1; t < rounds; t++) for (let f = 0; f < nFeat; f++) gains[f]! -= gainsPerRound[t]![f]!;
    rounds = bestRound + 1;
    trees.length = rounds * K;
  }
  const classes = y.classes;
  const categories = X.names.filter((_, f) => categorical[f] === 1);
  return makeModel(task, p, base, trees, K, nFeat, normalise(gains), edges, classes, X.names, categories);
}

function baseScores(task: Task, y: Float64Array, w: Float64Array | undefined, K: number): Float64Array {
  const n = y.length;
  let sw = 0;
  if (task === 'regression') {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i]! : 1;
      s += wi * y[i]!;
      sw += wi;
    }
    return Float64Array.of(sw > 0 ? s / sw : 0);
  }
  const counts = new Float64Array(task === 'binary' ? 2 : K);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    counts[y[i]!]! += wi;
    sw += wi;
  }
  const prior = (k: number): number => Math.min(1 - 1e-12, Math.max(1e-12, sw > 0 ? counts[k]! / sw : 0.5));
  if (task === 'binary') {
    const p1 = prior(1);
    return Float64Array.of(Math.log(p1 / (1 - p1)));
  }
  return Float64Array.from({ length: K }, (_, k) => Math.log(prior(k)));
}

function gradients(
  task: Task,
  F: Float64Array,
  y: Float64Array,
  w: Float64Array | undefined,
  grad: Float64Array[],
  hess: Float64Array[],
  K: number,
  prob: Float64Array,
): void {
  const n = y.length;
  if (task === 'binary') {
    const g = grad[0]!;
    const h = hess[0]!;
    for (let i = 0; i < n; i++) {
      const p = 1 / (1 + Math.exp(-F[i]!));
      const wi = w ? w[i]! : 1;
      g[i] = wi * (p - y[i]!);
      h[i] = wi * Math.max(p * (1 - p), 1e-16);
    }
  } else if (task === 'regression') {
    const g = grad[0]!;
    const h = hess[0]!;
    for (let i = 0; i < n; i++) {
      const wi = w ? w[i]! : 1;
      g[i] = wi * (F[i]! - y[i]!);
      h[i] = wi;
    }
  } else {
    for (let i = 0; i < n; i++) {
      softmax(F, i * K, K, prob);
      const wi = w ? w[i]! : 1;
      const yi = y[i]!;
      for (let k = 0; k < K; k++) {
        const p = prob[k]!;
        grad[k]![i] = wi * (p - (yi === k ? 1 : 0));
        hess[k]![i] = wi * Math.max(p * (1 - p), 1e-16);
      }
    }
  }
}

function sharedCopy(a: Float64Array): Float64Array {
  const out = new Float64Array(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/** Below this many rows a round's row-wise work stays on one thread. */
const PARALLEL_ROWWISE_ROWS = 65_536;

/** One output's row-wise work each round: gradients into the grower's pairs, and the new tree's scores. */
class RowWise {
  private arrays: BoostArrays | null = null;

  constructor(
    private readonly binary: boolean,
    private readonly F: Float64Array,
    private y: Float64Array,
    private w: Float64Array | null,
    private readonly helper: HistogramHelper | null,
  ) {
    if (helper) {
      this.y = sharedCopy(y);
      this.w = w ? sharedCopy(w) : null;
    }
  }

  gradients(gh: Float64Array, rowIndex: Uint32Array): void {
    this.run('gradients', this.F.length, gh, rowIndex, null);
  }

  /** Adds the tree's leaf values to the scores of the rows it was grown on (every row). */
  scores(grown: GrownTree, tree: FlatTree, gh: Float64Array, rowIndex: Uint32Array): void {
    let count = 0;
    for (let node = 0; node < grown.nodeCount; node++) if (grown.feature[node]! < 0) count++;
    const leaves = this.leafBuffer(3 * count);
    for (let node = 0, j = 0; node < grown.nodeCount; node++) {
      if (grown.feature[node]! >= 0) continue;
      leaves[j++] = grown.start[node]!;
      leaves[j++] = grown.end[node]!;
      leaves[j++] = tree.values[tree.left[node]!]!;
    }
    this.run('scores', rowIndex.length, gh, rowIndex, leaves, count);
  }

  private leafBuffer(length: number): Float64Array {
    const have = this.arrays?.leaves;
    if (have && have.length >= length) return have;
    const size = Math.max(length, 2 * (have?.length ?? 0), 96);
    return this.helper ? new Float64Array(new SharedArrayBuffer(8 * size)) : new Float64Array(size);
  }

  private run(job: BoostJob, n: number, gh: Float64Array, rowIndex: Uint32Array, leaves: Float64Array | null, count = 0): void {
    const a = this.arrays;
    const arrays: BoostArrays =
      a && a.gh === gh && a.rowIndex === rowIndex && (leaves === null || a.leaves === leaves)
        ? a
        : { binary: this.binary, F: this.F, y: this.y, w: this.w, gh, rowIndex, leaves: leaves ?? a?.leaves ?? new Float64Array(0) };
    this.arrays = arrays;
    const helper = this.helper;
    if (helper && n >= PARALLEL_ROWWISE_ROWS) {
      const mid = n >>> 1;
      helper.bindBoost(arrays);
      helper.startBoost(job, mid, n, count);
      boostJob(job, arrays, 0, mid, count);
      helper.wait();
    } else boostJob(job, arrays, 0, n, count);
  }
}

/**
 * The row-wise work of a round for rows lo..hi: 'gradients' writes row r's gradient and hessian (as `gradients`
 * computes them) at 2r, 2r+1 of `gh` for rows r in lo..hi; 'scores' adds each of the `count` leaves' value to
 * the scores of the rows at positions lo..hi of `rowIndex` that lie in its segment.
 */
export function boostJob(job: BoostJob, arrays: BoostArrays, lo: number, hi: number, count: number): void {
  const { F, y, w, gh } = arrays;
  if (job === 'scores') {
    const { leaves, rowIndex } = arrays;
    for (let j = 0; j < count; j++) {
      const s = Math.max(lo, leaves[3 * j]!);
      const e = Math.min(hi, leaves[3 * j + 1]!);
      const v = leaves[3 * j + 2]!;
      for (let i = s; i < e; i++) F[rowIndex[i]!]! += v;
    }
    return;
  }
  if (arrays.binary) {
    for (let i = lo; i < hi; i++) {
      const p = 1 / (1 + Math.exp(-F[i]!));
      const wi = w ? w[i]! : 1;
      gh[2 * i] = wi * (p - y[i]!);
      gh[2 * i + 1] = wi * Math.max(p * (1 - p), 1e-16);
    }
  } else {
    for (let i = lo; i < hi; i++) {
      const wi = w ? w[i]! : 1;
      gh[2 * i] = wi * (F[i]! - y[i]!);
      gh[2 * i + 1] = wi;
    }
  }
}

function softmax(F: Float64Array, off: number, K: number, out: Float64Array): void {
  let m = -Infinity;
  for (let k = 0; k < K; k++) m = Math.max(m, F[off + k]!);
  let s = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(F[off + k]! - m);
    out[k] = e;
    s += e;
  }
  for (let k = 0; k < K; k++) out[k] = out[k]! / s;
}

/** Mean loss (weighted when `w`) of raw scores over every `stride`-th row: log loss, or RMSE for regression. */
function lossOf(task: Task, F: Float64Array, y: Float64Array, w: Float64Array | undefined, K: number, stride: number, prob: Float64Array): number {
  const n = y.length;
  let s = 0;
  let sw = 0;
  for (let i = 0; i < n; i += stride) {
    const wi = w ? w[i]! : 1;
    let l: number;
    if (task === 'regression') {
      const d = F[i]! - y[i]!;
      l = d * d;
    } else if (task === 'binary') {
      const f = F[i]!;
      // log(1 + e^f) - y f, computed stably.
      l = Math.max(f, 0) + Math.log1p(Math.exp(-Math.abs(f))) - y[i]! * f;
    } else {
      softmax(F, i * K, K, prob);
      l = -Math.log(Math.max(prob[y[i]!]!, 1e-15));
    }
    s += wi * l;
    sw += wi;
  }
  const mean = sw > 0 ? s / sw : 0;
  return task === 'regression' ? Math.sqrt(mean) : mean;
}

function makeModel(
  task: Task,
  params: GbdtParams,
  base: Float64Array,
  trees: FlatTree[],
  K: number,
  nFeatures: number,
  importance: Float64Array,
  edges: Float64Array[],
  classes: string[] | undefined,
  names: string[],
  categories: string[],
): GbdtModel {
  const rounds = trees.length / K;
  const predictRaw = (X: FeatureMatrix): Float64Array => {
    if (X.columns.length !== nFeatures) {
      throw new HostError('invalid-argument', `The model was trained on ${nFeatures} features; this data has ${X.columns.length}.`);
    }
    const n = X.rowCount;
    const out = new Float64Array(n * K);
    for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = base[k]!;
    for (let t = 0; t < trees.length; t++) addTreePredictions(trees[t]!, X.columns, n, out, K, t % K, 1);
    return out;
  };
  return {
    kind: 'gbdt',
    task,
    params: { ...params },
    rounds,
    predictRaw,
    predict(X: FeatureMatrix): Predictions {
      const raw = predictRaw(X);
      if (task === 'regression') return raw;
      if (task === 'binary') {
        for (let i = 0; i < raw.length; i++) raw[i] = 1 / (1 + Math.exp(-raw[i]!));
        return raw;
      }
      const prob = new Float64Array(K);
      for (let i = 0; i < X.rowCount; i++) {
        softmax(raw, i * K, K, prob);
        raw.set(prob, i * K);
      }
      return raw;
    },
    featureImportance: () => importance.slice(),
    toJSON(): ModelState {
      return {
        kind: 'gbdt',
        task,
        version: 1,
        params: { ...params },
        ...(classes ? { classes: [...classes] } : {}),
        featureNames: [...names],
        ...(categories.length > 0 ? { categoricalFeatures: [...categories] } : {}),
        outputs: K,
        base: Array.from(base),
        edges: edgesToJSON(edges),
        trees: trees.map(treeToJSON),
        importance: Array.from(importance),
      };
    },
  };
}

/** Rebuilds a boosting model from `toJSON()` (after a JSON round trip). */
export function loadGbdt(state: ModelState): GbdtModel {
  if (state.kind !== 'gbdt' || state.version !== 1) throw new HostError('invalid-argument', `Not a version 1 gbdt state (${state.kind} v${state.version}).`);
  const K = Number(state.outputs);
  const base = Float64Array.from(state.base as number[]);
  const trees = (state.trees as FlatTreeJSON[]).map((t) => treeFromJSON(t, 1));
  const names = (state.featureNames as string[]) ?? [];
  const edges = edgesFromJSON(state.edges);
  if (!(K >= 1) || base.length !== K || trees.length % K !== 0) throw new HostError('invalid-argument', 'The gbdt state is malformed.');
  const params = gbdtParams(state.params as Partial<GbdtParams>);
  const importance = Float64Array.from(state.importance as number[]);
  const categories = (state.categoricalFeatures as string[] | undefined) ?? [];
  return makeModel(state.task, params, base, trees, K, edges.length, importance, edges, state.classes as string[] | undefined, names, categories);
}
