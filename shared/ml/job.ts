import { HostError } from '../host/errors.js';
import { seededPermutation, TRAIN, VALIDATION } from '../data/split.js';
import { groupKFold, kFold, stratifiedKFold, timeSeriesFolds } from './cv.js';
import { classWeights, smote } from './imbalance.js';
import { computeMetrics, costThreshold, METRICS, type MetricName } from './metrics.js';
import { fitPipeline, transform, withTargetDropped, type FittedPipeline, type PipelineSpec } from './pipeline/index.js';
import { prepareTarget } from './target.js';
import {
  checkCancelled,
  takeFrame,
  takeTarget,
  trainingRows,
  type FeatureMatrix,
  type FitContext,
  type FittedModel,
  type Frame,
  type ModelKind,
  type ModelState,
  type Progress,
  type Target,
  type Task,
} from './types.js';

/**
 * One model's training, leakage-safe by construction: the pipeline is fitted on the training rows of each
 * cross-validation fold (and, for the final model, on the whole training partition) and only applied to the
 * rows it scores; SMOTE and class weights touch training rows only; the test partition is never read here.
 * Pure: the same code runs in the training worker, the CLI and the tests.
 */

export type CvMethod = 'none' | 'kfold' | 'stratified' | 'group' | 'time';

export interface CvSpec {
  method: CvMethod;
  folds: number;
  /** Group folds: the column whose values must stay together. */
  groupColumn?: string;
  /** Time folds: rows left out between training and validation rows. */
  gap?: number;
}

export type ImbalanceMode = 'none' | 'class-weights' | 'smote';

export interface ModelChoice {
  kind: ModelKind;
  params?: Record<string, unknown>;
}

export interface TrainingPlan {
  target: string;
  task: Task;
  positiveClass?: string;
  pipeline: PipelineSpec;
  cv: CvSpec;
  imbalance: ImbalanceMode;
  primaryMetric: MetricName;
  seed: number;
  /** Time-ordered data: the column that orders rows (time folds need the rows in this order). */
  timeColumn?: string;
  /** Binary tasks: the problem card's error costs; the default threshold is the one that costs least on validation. */
  costs?: { falsePositive: number; falseNegative: number };
}

/** How models are fitted and loaded: the pure ones from shared/ml/models, the MLP from the training worker. */
export interface ModelFitters {
  fit(kind: ModelKind, X: FeatureMatrix, y: Target, params: Record<string, unknown>, ctx: FitContext): Promise<FittedModel>;
  load(state: ModelState): Promise<FittedModel>;
}

export type Scores = Partial<Record<MetricName, number>>;

export interface CvScores {
  mean: Scores;
  std: Scores;
  folds: Scores[];
}

export interface ModelResult {
  kind: ModelKind;
  params: Record<string, unknown>;
  /** Cross-validated scores on the training partition (absent when the plan has no cross-validation). */
  cv?: CvScores;
  /** Scores of the final model on the validation partition. */
  validation: Scores;
  /** The primary metric's value this model is ranked by: the CV mean when there is one, else validation. */
  score: number;
  /**
   * Binary tasks: P(positive) at or above this predicts the positive class. 0.5, or with the card's costs the
   * threshold that costs least on the validation partition; the class-based validation scores use it.
   */
  threshold?: number;
  /** With costs: the total cost of the validation partition's errors at `threshold`. */
  validationCost?: number;
  trainRows: number;
  validationRows: number;
  /** Seconds for the cross-validation and for the final fit. */
  cvSeconds: number;
  fitSeconds: number;
}

export interface TrainedModel {
  result: ModelResult;
  pipeline: FittedPipeline;
  model: FittedModel;
  classes?: string[];
}

/** A frame with its split: one partition code per row (0 train, 1 validation, 2 test, 255 excluded). */
export interface SplitData {
  frame: Frame;
  partitions: Uint8Array;
}

export interface TrainHooks {
  onProgress?: (progress: Progress) => void;
  isCancelled?: () => boolean;
}

interface Prepared {
  y: Target;
  /** For each row of `y`, its row in the frame. */
  frameRows: Uint32Array;
  /** Indices into `y` of the training and validation partitions. */
  train: Uint32Array;
  validation: Uint32Array;
}

/** The target of every row that has one, and where the training and validation rows are. */
export function prepare(data: SplitData, plan: Pick<TrainingPlan, 'target' | 'task' | 'positiveClass'>): Prepared {
  const column = data.frame.columns.find((c) => c.name === plan.target);
  if (column === undefined) throw new HostError('invalid-argument', `The data has no column named "${plan.target}".`);
  if (data.partitions.length !== data.frame.rowCount) throw new HostError('invalid-argument', `The split has ${data.partitions.length} rows but the data has ${data.frame.rowCount}.`);
  const { target, rows } = prepareTarget(column, plan.task, plan.positiveClass);
  const train: number[] = [];
  const validation: number[] = [];
  rows.forEach((r, i) => {
    if (data.partitions[r] === TRAIN) train.push(i);
    else if (data.partitions[r] === VALIDATION) validation.push(i);
  });
  if (train.length === 0) throw new HostError('invalid-argument', 'The training partition has no rows with a target value.');
  return { y: target, frameRows: rows, train: Uint32Array.from(train), validation: Uint32Array.from(validation) };
}

/** Cross-validation folds over `rows` (indices into y): pairs of index arrays into `rows`' own positions. */
export function cvFolds(data: SplitData, prepared: Prepared, rows: Uint32Array, cv: CvSpec, seed: number): { train: Uint32Array; validation: Uint32Array }[] {
  if (cv.method === 'none') return [];
  const n = rows.length;
  switch (cv.method) {
    case 'kfold':
      return kFold(n, cv.folds, seed);
    case 'stratified': {
      if (prepared.y.task === 'regression') return kFold(n, cv.folds, seed);
      return stratifiedKFold(Float64Array.from(rows, (i) => prepared.y.values[i]!), cv.folds, seed);
    }
    case 'group': {
      const column = data.frame.columns.find((c) => c.name === cv.groupColumn);
      if (column === undefined) throw new HostError('invalid-argument', `Group folds need a group column; "${cv.groupColumn ?? ''}" is not one of the data's columns.`);
      const groups: (number | string)[] = Array.from(rows, (i) => {
        const r = prepared.frameRows[i]!;
        if (column.type === 'category') return column.codes[r]!;
        if (column.type === 'text') return column.values[r] ?? '';
        return column.values[r]!;
      });
      return groupKFold(groups, cv.folds, seed);
    }
    case 'time':
      return timeSeriesFolds(n, cv.folds, cv.gap ?? 0);
  }
}

/**
 * Trains one model: cross-validation on the training partition (when the plan asks for it), then the final
 * model on the whole training partition, scored on the validation partition. Progress runs 0..1 over both.
 */
export async function trainModel(data: SplitData, plan: TrainingPlan, choice: ModelChoice, fitters: ModelFitters, hooks: TrainHooks = {}): Promise<TrainedModel> {
  const prepared = prepare(data, plan);
  return trainPrepared(data, prepared, prepared.train, plan, choice, fitters, hooks);
}

async function trainPrepared(
  data: SplitData,
  prepared: Prepared,
  trainIdx: Uint32Array,
  plan: TrainingPlan,
  choice: ModelChoice,
  fitters: ModelFitters,
  hooks: TrainHooks,
  options: { skipCv?: boolean } = {},
): Promise<TrainedModel> {
  const params = choice.params ?? {};
  if (plan.cv.method === 'time' && options.skipCv !== true) trainIdx = inTimeOrder(data, prepared, trainIdx, plan.timeColumn);
  const folds = options.skipCv === true ? [] : cvFolds(data, prepared, trainIdx, plan.cv, plan.seed);
  const steps = folds.length + 1;
  const report = (step: number) => (p: Progress) => hooks.onProgress?.({ ...p, fraction: (step + Math.min(1, Math.max(0, p.fraction))) / steps });
  const cvStart = Date.now();
  const foldScores: Scores[] = [];
  for (const [f, fold] of folds.entries()) {
    checkCancelled(hooks);
    const fitIdx = Uint32Array.from(fold.train, (i) => trainIdx[i]!);
    const scoreIdx = Uint32Array.from(fold.validation, (i) => trainIdx[i]!);
    const fitted = await fitOne(data, prepared, fitIdx, scoreIdx, plan, choice.kind, params, fitters, hooks, report(f), plan.seed + f + 1);
    foldScores.push(fitted.scores);
  }
  const cvSeconds = (Date.now() - cvStart) / 1000;
  const fitStart = Date.now();
  const final = await fitOne(data, prepared, trainIdx, prepared.validation, plan, choice.kind, params, fitters, hooks, report(folds.length), plan.seed, true);
  const fitSeconds = (Date.now() - fitStart) / 1000;
  const cv = foldScores.length > 0 ? summarise(foldScores) : undefined;
  const primary = cv?.mean[plan.primaryMetric] ?? final.scores[plan.primaryMetric] ?? Number.NaN;
  const result: ModelResult = {
    kind: choice.kind,
    params: { ...final.model.params },
    validation: final.scores,
    score: primary,
    trainRows: trainIdx.length,
    validationRows: prepared.validation.length,
    cvSeconds,
    fitSeconds,
  };
  if (cv !== undefined) result.cv = cv;
  if (plan.task === 'binary') result.threshold = final.threshold ?? 0.5;
  if (final.cost !== undefined) result.validationCost = final.cost;
  hooks.onProgress?.({ fraction: 1 });
  const trained: TrainedModel = { result, pipeline: final.pipeline, model: final.model };
  if (prepared.y.classes !== undefined) trained.classes = prepared.y.classes;
  return trained;
}

/** Fits the pipeline and the model on `fitIdx` (indices into y) and scores `scoreIdx`. */
async function fitOne(
  data: SplitData,
  prepared: Prepared,
  fitIdx: Uint32Array,
  scoreIdx: Uint32Array,
  plan: TrainingPlan,
  kind: ModelKind,
  params: Record<string, unknown>,
  fitters: ModelFitters,
  hooks: TrainHooks,
  onProgress: (p: Progress) => void,
  seed: number,
  chooseThreshold = false,
): Promise<{ pipeline: FittedPipeline; model: FittedModel; scores: Scores; threshold?: number; cost?: number }> {
  const fitFrame = trainingRows(takeFrame(data.frame, Uint32Array.from(fitIdx, (i) => prepared.frameRows[i]!)));
  let y = takeTarget(prepared.y, fitIdx);
  const { fitted: pipeline, train } = fitPipeline(withTargetDropped(plan.pipeline, plan.target), fitFrame, y, seed);
  checkCancelled(hooks);
  let X = train;
  const scoreFrame = takeFrame(data.frame, Uint32Array.from(scoreIdx, (i) => prepared.frameRows[i]!));
  const scoreX = scoreIdx.length > 0 ? transform(pipeline, scoreFrame) : undefined;
  const scoreY = takeTarget(prepared.y, scoreIdx);
  const ctx: FitContext = { seed, onProgress };
  if (hooks.isCancelled !== undefined) ctx.isCancelled = hooks.isCancelled;
  if (scoreX !== undefined) ctx.validation = { X: scoreX, y: scoreY };
  if (plan.task !== 'regression' && kind !== 'baseline') {
    if (plan.imbalance === 'class-weights') ctx.weights = classWeights(y, 'balanced');
    else if (plan.imbalance === 'smote') ({ X, y } = smote(X, y, { seed }));
  }
  const model = await fitters.fit(kind, X, y, params, ctx);
  if (scoreX === undefined) return { pipeline, model, scores: {} };
  const predictions = model.predict(scoreX);
  if (chooseThreshold && plan.task === 'binary' && plan.costs !== undefined) {
    const { threshold, cost } = costThreshold(scoreY.values, predictions, plan.costs);
    return { pipeline, model, scores: computeMetrics(scoreY, predictions, { threshold }), threshold, cost };
  }
  return { pipeline, model, scores: computeMetrics(scoreY, predictions) };
}

/** Training rows sorted by the time column (rows without a time first), so forward-chaining folds never look ahead. */
function inTimeOrder(data: SplitData, prepared: Prepared, rows: Uint32Array, timeColumn: string | undefined): Uint32Array {
  const column = data.frame.columns.find((c) => c.name === timeColumn);
  if (column === undefined || (column.type !== 'datetime' && column.type !== 'number')) {
    throw new HostError('invalid-argument', 'Time-series folds need a date or number column that orders the rows; choose one as the time column.');
  }
  const time = (i: number) => {
    const t = column.values[prepared.frameRows[i]!]!;
    return Number.isNaN(t) ? -Infinity : t;
  };
  return Uint32Array.from(rows).sort((a, b) => time(a) - time(b) || a - b);
}

function summarise(folds: Scores[]): CvScores {
  const mean: Scores = {};
  const std: Scores = {};
  for (const name of Object.keys(folds[0]!) as MetricName[]) {
    const values = folds.map((s) => s[name]).filter((x): x is number => x !== undefined && Number.isFinite(x));
    if (values.length === 0) continue;
    const m = values.reduce((a, b) => a + b, 0) / values.length;
    mean[name] = m;
    // Sample standard deviation across folds, as PyCaret's compare_models shows.
    std[name] = values.length > 1 ? Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1)) : 0;
  }
  return { mean, std, folds };
}

/** Sorts results best first by `metric` (its direction from the catalog); results without a score go last. */
export function rankResults<T extends { score: number }>(results: T[], metric: MetricName): T[] {
  const sign = METRICS[metric].higherIsBetter ? -1 : 1;
  return [...results].sort((a, b) => {
    const fa = Number.isFinite(a.score);
    const fb = Number.isFinite(b.score);
    if (fa !== fb) return fa ? -1 : 1;
    return sign * (a.score - b.score);
  });
}

/** Scores a trained model on the rows of one partition (a split code; the CLI scores TEST once, for the chosen model). */
export function scorePartition(data: SplitData, plan: Pick<TrainingPlan, 'target' | 'task' | 'positiveClass'>, trained: TrainedModel, partition: number): Scores {
  const column = data.frame.columns.find((c) => c.name === plan.target);
  if (column === undefined) throw new HostError('invalid-argument', `The data has no column named "${plan.target}".`);
  const positiveClass = plan.task === 'binary' ? trained.classes?.[1] : plan.positiveClass;
  const { target, rows } = prepareTarget(column, plan.task, positiveClass);
  if (trained.classes !== undefined && target.classes !== undefined && target.classes.join('\u0000') !== trained.classes.join('\u0000')) {
    throw new HostError('invalid-argument', `The ${plan.target} classes differ from the ones the model was trained on.`);
  }
  const picked: number[] = [];
  rows.forEach((r, i) => {
    if (data.partitions[r] === partition) picked.push(i);
  });
  if (picked.length === 0) return {};
  const X = transform(trained.pipeline, takeFrame(data.frame, Uint32Array.from(picked, (i) => rows[i]!)));
  const threshold = trained.result.threshold;
  return computeMetrics(takeTarget(target, picked), trained.model.predict(X), threshold === undefined ? {} : { threshold });
}

export interface LearningCurvePoint {
  /** Training rows used. */
  rows: number;
  train: number;
  validation: number;
}

/**
 * Training and validation score of `choice` against training size: the model is refitted on the first 10%,
 * 25%, 50%, 75% and 100% of the training partition in a seeded order. Shows whether more data would help.
 */
export async function learningCurve(
  data: SplitData,
  plan: TrainingPlan,
  choice: ModelChoice,
  fitters: ModelFitters,
  hooks: TrainHooks = {},
  shares: number[] = [0.1, 0.25, 0.5, 0.75, 1],
): Promise<LearningCurvePoint[]> {
  const prepared = prepare(data, plan);
  if (prepared.validation.length === 0) throw new HostError('invalid-argument', 'A learning curve needs a validation partition.');
  const order = seededPermutation(prepared.train.length, plan.seed);
  const points: LearningCurvePoint[] = [];
  for (const [s, share] of shares.entries()) {
    checkCancelled(hooks);
    const n = Math.max(2, Math.round(order.length * share));
    const subset = Uint32Array.from(order.subarray(0, n), (i) => prepared.train[i]!).sort();
    const step = (p: Progress) => hooks.onProgress?.({ fraction: (s + p.fraction) / shares.length });
    const trained = await trainPrepared(data, prepared, subset, plan, choice, fitters, { ...hooks, onProgress: step }, { skipCv: true });
    const trainX = transform(trained.pipeline, takeFrame(data.frame, Uint32Array.from(subset, (i) => prepared.frameRows[i]!)));
    const trainScores = computeMetrics(takeTarget(prepared.y, subset), trained.model.predict(trainX));
    points.push({ rows: n, train: trainScores[plan.primaryMetric] ?? Number.NaN, validation: trained.result.validation[plan.primaryMetric] ?? Number.NaN });
  }
  return points;
}
