import { HostError } from '../host/errors.js';
import { classCount, type Predictions, type Target, type Task } from './types.js';

/**
 * How well predictions match the truth: the scores of a trained model, and the curves its charts draw.
 *
 * Every score is defined as scikit-learn 1.2 defines it (the function named in each doc comment), checked to
 * 1e-9 against `fixtures/sklearn-metrics.json`, made by `scripts/fixtures/make_metric_fixtures.py`. Prediction
 * conventions are those of `types.ts`: binary, P(positive class) per row; multiclass, row-major n×k
 * probabilities; regression, the predicted values. Optional per-row `weights` act as scikit-learn's
 * `sample_weight`.
 *
 * Where scikit-learn raises because a score is undefined (ROC AUC with one class present, R² of one row, an
 * empty input), these functions return NaN instead, so one undefined score does not lose the others.
 */

export type MetricName = 'accuracy' | 'precision' | 'recall' | 'f1' | 'auc' | 'auc_pr' | 'log_loss' | 'mcc' | 'mae' | 'rmse' | 'r2' | 'mape';

export interface MetricInfo {
  label: string;
  tasks: Task[];
  higherIsBetter: boolean;
  /** One plain sentence for analysts. */
  description: string;
}

/** Every metric Orchard reports: its label, the tasks it applies to, its direction and what it means. */
export const METRICS: Record<MetricName, MetricInfo> = {
  accuracy: {
    label: 'Accuracy',
    tasks: ['binary', 'multiclass'],
    higherIsBetter: true,
    description: 'The share of rows whose predicted class is the true class.',
  },
  precision: {
    label: 'Precision',
    tasks: ['binary', 'multiclass'],
    higherIsBetter: true,
    description: 'Of the rows predicted as a class, the share that truly are (for several classes, the average over classes).',
  },
  recall: {
    label: 'Recall',
    tasks: ['binary', 'multiclass'],
    higherIsBetter: true,
    description: 'Of the rows truly in a class, the share the model finds (for several classes, the average over classes).',
  },
  f1: {
    label: 'F1 score',
    tasks: ['binary', 'multiclass'],
    higherIsBetter: true,
    description: 'The harmonic mean of precision and recall, high only when both are.',
  },
  auc: {
    label: 'ROC AUC',
    tasks: ['binary', 'multiclass'],
    higherIsBetter: true,
    description: 'The chance that a random positive row is scored above a random negative one (0.5 is guessing, 1 is perfect ranking).',
  },
  auc_pr: {
    label: 'Average precision',
    tasks: ['binary'],
    higherIsBetter: true,
    description: 'The area under the precision–recall curve, which tells more than ROC AUC when positives are rare.',
  },
  log_loss: {
    label: 'Log loss',
    tasks: ['binary', 'multiclass'],
    higherIsBetter: false,
    description: 'How surprised the model is by the true classes on average; it punishes confident wrong probabilities hard.',
  },
  mcc: {
    label: 'Matthews correlation',
    tasks: ['binary', 'multiclass'],
    higherIsBetter: true,
    description: 'The correlation between predicted and true classes, from −1 to 1, fair even when the classes are imbalanced.',
  },
  mae: {
    label: 'Mean absolute error',
    tasks: ['regression'],
    higherIsBetter: false,
    description: 'The average distance between the prediction and the true value, in the target’s own units.',
  },
  rmse: {
    label: 'Root mean squared error',
    tasks: ['regression'],
    higherIsBetter: false,
    description: 'Like the mean absolute error, in the target’s units, but large misses count more.',
  },
  r2: {
    label: 'R²',
    tasks: ['regression'],
    higherIsBetter: true,
    description: 'The share of the target’s variation the model explains: 1 is perfect, 0 is no better than predicting the mean.',
  },
  mape: {
    label: 'Mean absolute percentage error',
    tasks: ['regression'],
    higherIsBetter: false,
    description: 'The average miss as a fraction of the true value (0.1 is 10%); it explodes when true values are near zero.',
  },
};

/** The metrics that apply to a task, in catalog order. */
export function metricsForTask(task: Task): MetricName[] {
  return (Object.keys(METRICS) as MetricName[]).filter((name) => METRICS[name].tasks.includes(task));
}

export interface MetricOptions {
  /** Binary tasks: a row is predicted positive when P(positive) >= threshold. Default 0.5. */
  threshold?: number;
  /** Per-row weights (scikit-learn's sample_weight); absent means 1. */
  weights?: Float64Array;
}

/**
 * Every metric that applies to `y.task`, computed from `pred` (conventions in `types.ts`). Binary: the class
 * scores use `p >= threshold` as the positive prediction and score the positive class (index 1); multiclass:
 * the predicted class is the most probable one (the first on ties, as numpy's argmax), precision, recall and
 * F1 are macro averages and AUC is one-vs-rest macro; regression: MAE, RMSE, R² and MAPE.
 */
export function computeMetrics(y: Target, pred: Predictions, opts: MetricOptions = {}): Partial<Record<MetricName, number>> {
  const n = y.values.length;
  const w = opts.weights;
  if (w !== undefined && w.length !== n) invalid(`There are ${w.length} weights for ${n} rows.`);
  if (y.task === 'regression') {
    checkLength(pred.length, n, 'predictions');
    return {
      mae: meanAbsoluteError(y.values, pred, w),
      rmse: rootMeanSquaredError(y.values, pred, w),
      r2: r2Score(y.values, pred, w),
      mape: meanAbsolutePercentageError(y.values, pred, w),
    };
  }
  if (y.task === 'binary') {
    checkLength(pred.length, n, 'probabilities');
    const threshold = opts.threshold ?? 0.5;
    const cm = confusionMatrix(y.values, thresholdClasses(pred, threshold), 2, w);
    const prf = precisionRecallF1(cm, 'binary');
    return {
      accuracy: accuracyFromConfusion(cm),
      precision: prf.precision,
      recall: prf.recall,
      f1: prf.f1,
      auc: rocAuc(y.values, pred, w),
      auc_pr: averagePrecision(y.values, pred, w),
      log_loss: logLoss(y.values, pred, w),
      mcc: matthewsCorrcoef(cm),
    };
  }
  const k = classCount(y);
  checkLength(pred.length, n * k, `probabilities (${k} per row)`);
  const cm = confusionMatrix(y.values, argmaxClasses(pred, k), k, w);
  const prf = precisionRecallF1(cm, 'macro');
  return {
    accuracy: accuracyFromConfusion(cm),
    precision: prf.precision,
    recall: prf.recall,
    f1: prf.f1,
    auc: multiclassRocAuc(y.values, pred, k, w),
    log_loss: multiclassLogLoss(y.values, pred, k, w),
    mcc: matthewsCorrcoef(cm),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Classes from probabilities

/** Binary class predictions: 1 where `p[i] >= threshold`, else 0. */
export function thresholdClasses(p: ArrayLike<number>, threshold = 0.5): Int32Array {
  const out = new Int32Array(p.length);
  for (let i = 0; i < p.length; i++) out[i] = p[i]! >= threshold ? 1 : 0;
  return out;
}

/** The most probable class of each row of row-major n×k probabilities; the first one on ties (numpy argmax). */
export function argmaxClasses(probs: ArrayLike<number>, k: number): Int32Array {
  const n = Math.floor(probs.length / k);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestValue = probs[i * k]!;
    for (let c = 1; c < k; c++) {
      const v = probs[i * k + c]!;
      if (v > bestValue) {
        best = c;
        bestValue = v;
      }
    }
    out[i] = best;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Scores from class predictions

/**
 * The k×k confusion matrix: `m[t][p]` is the (weighted) count of rows of true class t predicted as p, rows
 * true and columns predicted, as sklearn `confusion_matrix(y_true, y_pred, labels=range(k), sample_weight=w)`.
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPredClass: ArrayLike<number>, k: number, weights?: ArrayLike<number>): number[][] {
  checkLength(yPredClass.length, yTrue.length, 'predicted classes');
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let i = 0; i < yTrue.length; i++) {
    const t = yTrue[i]!;
    const p = yPredClass[i]!;
    if (!isClass(t, k)) invalid(`Row ${i} has true class ${t}, outside 0..${k - 1}.`);
    if (!isClass(p, k)) invalid(`Row ${i} has predicted class ${p}, outside 0..${k - 1}.`);
    m[t]![p]! += weights === undefined ? 1 : weights[i]!;
  }
  return m;
}

/** The (weighted) share of rows on the diagonal of a confusion matrix: sklearn `accuracy_score`. NaN when empty. */
export function accuracyFromConfusion(cm: number[][]): number {
  let correct = 0;
  let total = 0;
  for (let t = 0; t < cm.length; t++) {
    for (let p = 0; p < cm.length; p++) total += cm[t]![p]!;
    correct += cm[t]![t]!;
  }
  return total > 0 ? correct / total : NaN;
}

/** The share of rows whose predicted class is the true one: sklearn `accuracy_score(y_true, y_pred, sample_weight=w)`. */
export function accuracy(yTrue: ArrayLike<number>, yPredClass: ArrayLike<number>, weights?: ArrayLike<number>): number {
  checkLength(yPredClass.length, yTrue.length, 'predicted classes');
  let correct = 0;
  let total = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    total += w;
    if (yTrue[i] === yPredClass[i]) correct += w;
  }
  return total > 0 ? correct / total : NaN;
}

/**
 * Precision, recall and F1 from a confusion matrix, with sklearn's `zero_division=0` (a ratio with nothing to
 * divide by is 0). `'binary'`: of the positive class, index 1 (sklearn `average='binary'`). `'macro'`: the
 * unweighted mean over the classes that occur among the true or the predicted classes (sklearn
 * `average='macro'`, whose labels are `unique_labels(y_true, y_pred)`); a class with no row at all is left out.
 */
export function precisionRecallF1(cm: number[][], average: 'binary' | 'macro'): { precision: number; recall: number; f1: number } {
  const k = cm.length;
  const one = (c: number): { precision: number; recall: number; f1: number } => {
    const tp = cm[c]![c]!;
    let predSum = 0;
    let trueSum = 0;
    for (let j = 0; j < k; j++) {
      predSum += cm[j]![c]!;
      trueSum += cm[c]![j]!;
    }
    const precision = predSum === 0 ? 0 : tp / predSum;
    const recall = trueSum === 0 ? 0 : tp / trueSum;
    const denom = precision + recall;
    return { precision, recall, f1: denom === 0 ? 0 : (2 * precision * recall) / denom };
  };
  if (average === 'binary') return one(1);
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let present = 0;
  for (let c = 0; c < k; c++) {
    let rows = 0;
    for (let j = 0; j < k; j++) rows += Math.abs(cm[c]![j]!) + Math.abs(cm[j]![c]!);
    if (rows === 0) continue;
    const s = one(c);
    precision += s.precision;
    recall += s.recall;
    f1 += s.f1;
    present++;
  }
  return present === 0 ? { precision: NaN, recall: NaN, f1: NaN } : { precision: precision / present, recall: recall / present, f1: f1 / present };
}

/**
 * Matthews correlation coefficient from a confusion matrix, the multiclass formula (Gorodkin's R_K) of sklearn
 * `matthews_corrcoef`: (c·s − Σ p_k·t_k) / √((s² − Σ p_k²)(s² − Σ t_k²)), and 0 when a denominator factor is 0.
 */
export function matthewsCorrcoef(cm: number[][]): number {
  const k = cm.length;
  const tSum = new Array<number>(k).fill(0);
  const pSum = new Array<number>(k).fill(0);
  let correct = 0;
  for (let t = 0; t < k; t++) {
    for (let p = 0; p < k; p++) {
      tSum[t]! += cm[t]![p]!;
      pSum[p]! += cm[t]![p]!;
    }
    correct += cm[t]![t]!;
  }
  let samples = 0;
  let tp = 0;
  let pp = 0;
  let tt = 0;
  for (let c = 0; c < k; c++) {
    samples += pSum[c]!;
    tp += tSum[c]! * pSum[c]!;
    pp += pSum[c]! * pSum[c]!;
    tt += tSum[c]! * tSum[c]!;
  }
  const covYtYp = correct * samples - tp;
  const covYpYp = samples * samples - pp;
  const covYtYt = samples * samples - tt;
  if (covYpYp * covYtYt === 0) return 0;
  return covYtYp / Math.sqrt(covYtYt * covYpYp);
}

// ---------------------------------------------------------------------------------------------------------
// Scores from probabilities

/**
 * Binary cross-entropy: sklearn `log_loss(y, p, labels=[0, 1], sample_weight=w)` as of 1.2, which clips each
 * probability to [ε, 1 − ε] (ε = 2.22e-16, float64's machine epsilon), forms the pair (1 − p, p), divides it by
 * its sum, and averages −log of the true class's share. `y` holds 0 and 1; `p` is P(class 1).
 */
export function logLoss(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  checkLength(p.length, y.length, 'probabilities');
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    const q1 = clip(p[i]!);
    const q0 = clip(1 - q1);
    const share = (y[i] === 1 ? q1 : q0) / (q0 + q1);
    sum += w * -Math.log(share);
    total += w;
  }
  return total > 0 ? sum / total : NaN;
}

/**
 * Multiclass cross-entropy: sklearn `log_loss(y, probs, labels=range(k), sample_weight=w)` as of 1.2: every
 * probability clipped to [ε, 1 − ε], each row divided by its sum, then the average of −log of the true class's
 * probability. `probs` is row-major n×k.
 */
export function multiclassLogLoss(y: ArrayLike<number>, probs: ArrayLike<number>, k: number, weights?: ArrayLike<number>): number {
  checkLength(probs.length, y.length * k, `probabilities (${k} per row)`);
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const t = y[i]!;
    if (!isClass(t, k)) invalid(`Row ${i} has class ${t}, outside 0..${k - 1}.`);
    const w = weights === undefined ? 1 : weights[i]!;
    let rowSum = 0;
    for (let c = 0; c < k; c++) rowSum += clip(probs[i * k + c]!);
    sum += w * -Math.log(clip(probs[i * k + t]!) / rowSum);
    total += w;
  }
  return total > 0 ? sum / total : NaN;
}

const EPS = Number.EPSILON;
function clip(p: number): number {
  return p < EPS ? EPS : p > 1 - EPS ? 1 - EPS : p;
}

export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /** Decreasing; the first is the highest score + 1 (a threshold nothing reaches), as in scikit-learn 1.2. */
  thresholds: number[];
}

/**
 * The ROC curve: sklearn `roc_curve(y, p, sample_weight=w, drop_intermediate=False)` (1.2). One point per
 * distinct score, from the highest down (a row is positive when its score >= the threshold; tied scores move
 * together), after a first point (0, 0) at threshold max + 1. Rows of weight 0 are left out. fpr is all NaN
 * when there is no negative row, tpr when there is no positive one.
 */
export function rocCurve(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): RocCurve {
  const { fps, tps, thresholds } = binaryClfCurve(y, p, weights);
  const lastFp = fps.length > 0 ? fps[fps.length - 1]! : 0;
  const lastTp = tps.length > 0 ? tps[tps.length - 1]! : 0;
  const m = fps.length;
  if (m === 0) return { fpr: [], tpr: [], thresholds: [] };
  const fpr = new Array<number>(m + 1);
  const tpr = new Array<number>(m + 1);
  const thr = new Array<number>(m + 1);
  fpr[0] = lastFp > 0 ? 0 : NaN;
  tpr[0] = lastTp > 0 ? 0 : NaN;
  thr[0] = thresholds[0]! + 1;
  for (let i = 0; i < m; i++) {
    fpr[i + 1] = lastFp > 0 ? fps[i]! / lastFp : NaN;
    tpr[i + 1] = lastTp > 0 ? tps[i]! / lastTp : NaN;
    thr[i + 1] = thresholds[i]!;
  }
  return { fpr, tpr, thresholds: thr };
}

/**
 * Area under the ROC curve: sklearn `roc_auc_score(y, p, sample_weight=w)` for a binary target (y is 0 or 1,
 * p the score of class 1): the trapezoidal area under `rocCurve`, so tied scores count a half. NaN unless both
 * classes are present (scikit-learn raises).
 */
export function rocAuc(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const { fpr, tpr } = rocCurve(y, p, weights);
  if (fpr.length < 2 || Number.isNaN(fpr[1]!) || Number.isNaN(tpr[1]!)) return NaN;
  let area = 0;
  for (let i = 1; i < fpr.length; i++) area += ((fpr[i]! - fpr[i - 1]!) * (tpr[i]! + tpr[i - 1]!)) / 2;
  return area;
}

/**
 * One-vs-rest macro ROC AUC: sklearn `roc_auc_score(y, probs, multi_class='ovr', average='macro',
 * labels=range(k), sample_weight=w)`, the unweighted mean over classes of the AUC of "this class against the
 * rest" scored by that class's probability. scikit-learn raises when a class has no row; here such a class is
 * left out of the mean (NaN when none is left).
 */
export function multiclassRocAuc(y: ArrayLike<number>, probs: ArrayLike<number>, k: number, weights?: ArrayLike<number>): number {
  checkLength(probs.length, y.length * k, `probabilities (${k} per row)`);
  const n = y.length;
  const isC = new Float64Array(n);
  const score = new Float64Array(n);
  let sum = 0;
  let defined = 0;
  for (let c = 0; c < k; c++) {
    for (let i = 0; i < n; i++) {
      isC[i] = y[i] === c ? 1 : 0;
      score[i] = probs[i * k + c]!;
    }
    const auc = rocAuc(isC, score, weights);
    if (Number.isNaN(auc)) continue;
    sum += auc;
    defined++;
  }
  return defined > 0 ? sum / defined : NaN;
}

export interface PrCurve {
  /** Precision at each threshold from the lowest up, then a final 1. */
  precision: number[];
  /** Recall at each threshold from the lowest up, then a final 0. */
  recall: number[];
  /** The distinct scores, increasing. */
  thresholds: number[];
}

/**
 * The precision–recall curve: sklearn `precision_recall_curve(y, p, sample_weight=w)` as of 1.2 (every
 * threshold kept, thresholds increasing, a last point precision 1 and recall 0 with no threshold). Precision
 * is 0 where nothing is predicted positive; recall is 1 everywhere when there is no positive row.
 */
export function prCurve(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): PrCurve {
  const { fps, tps, thresholds } = binaryClfCurve(y, p, weights);
  const m = tps.length;
  const lastTp = m > 0 ? tps[m - 1]! : 0;
  const precision: number[] = [];
  const recall: number[] = [];
  const thr: number[] = [];
  for (let i = m - 1; i >= 0; i--) {
    const predicted = tps[i]! + fps[i]!;
    precision.push(predicted !== 0 ? tps[i]! / predicted : 0);
    recall.push(lastTp === 0 ? 1 : tps[i]! / lastTp);
    thr.push(thresholds[i]!);
  }
  precision.push(1);
  recall.push(0);
  return { precision, recall, thresholds: thr };
}

/**
 * Average precision: sklearn `average_precision_score(y, p, sample_weight=w)`, the step-wise area
 * Σ (R_i − R_{i−1}) · P_i over thresholds from the highest score down (no interpolation). NaN when there is no
 * positive row (scikit-learn warns and returns a meaningless value).
 */
export function averagePrecision(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  const { fps, tps } = binaryClfCurve(y, p, weights);
  const m = tps.length;
  if (m === 0 || !(tps[m - 1]! > 0)) return NaN;
  const lastTp = tps[m - 1]!;
  let ap = 0;
  let prevRecall = 0;
  for (let i = 0; i < m; i++) {
    const recall = tps[i]! / lastTp;
    const predicted = tps[i]! + fps[i]!;
    ap += (recall - prevRecall) * (predicted !== 0 ? tps[i]! / predicted : 0);
    prevRecall = recall;
  }
  return ap;
}

/**
 * sklearn's `_binary_clf_curve`: rows sorted by score, highest first; at the last row of each run of equal
 * scores, the (weighted) false and true positives so far and the score. Rows of weight 0 are dropped.
 */
function binaryClfCurve(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): { fps: number[]; tps: number[]; thresholds: number[] } {
  checkLength(p.length, y.length, 'scores');
  if (weights !== undefined) checkLength(weights.length, y.length, 'weights');
  for (let i = 0; i < y.length; i++) if (Number.isNaN(p[i]!)) invalid(`Row ${i} has no score (NaN); scores must be numbers.`);
  const fps: number[] = [];
  const tps: number[] = [];
  const thresholds: number[] = [];
  if (weights === undefined) {
    // Unweighted: the positives' and the negatives' scores sorted apart (native typed-array sorts, much faster
    // than sorting row indices with a comparator), then merged from the top, a run of equal scores at a time.
    let positives = 0;
    for (let i = 0; i < y.length; i++) if (y[i] === 1) positives++;
    const pos = new Float64Array(positives);
    const neg = new Float64Array(y.length - positives);
    for (let i = 0, a = 0, b = 0; i < y.length; i++) {
      if (y[i] === 1) pos[a++] = p[i]!;
      else neg[b++] = p[i]!;
    }
    pos.sort();
    neg.sort();
    let a = pos.length - 1;
    let b = neg.length - 1;
    while (a >= 0 || b >= 0) {
      const score = a < 0 ? neg[b]! : b < 0 ? pos[a]! : Math.max(pos[a]!, neg[b]!);
      while (a >= 0 && pos[a] === score) a--;
      while (b >= 0 && neg[b] === score) b--;
      tps.push(pos.length - 1 - a);
      fps.push(neg.length - 1 - b);
      thresholds.push(score);
    }
    return { fps, tps, thresholds };
  }
  const rows: number[] = [];
  for (let i = 0; i < y.length; i++) if (weights[i] !== 0) rows.push(i);
  rows.sort((a, b) => (p[b]! > p[a]! ? 1 : p[b]! < p[a]! ? -1 : 0)); // not p[b] - p[a]: scores may be ±Infinity
  let tp = 0;
  let fp = 0;
  for (let j = 0; j < rows.length; j++) {
    const i = rows[j]!;
    if (y[i] === 1) tp += weights[i]!;
    else fp += weights[i]!;
    if (j === rows.length - 1 || p[rows[j + 1]!] !== p[i]) {
      fps.push(fp);
      tps.push(tp);
      thresholds.push(p[i]!);
    }
  }
  return { fps, tps, thresholds };
}

export interface CalibrationBins {
  /** Per non-empty bin, the share of positive rows (sklearn's prob_true). */
  probTrue: number[];
  /** Per non-empty bin, the mean predicted probability (sklearn's prob_pred). */
  probPred: number[];
  /** Per non-empty bin, its number of rows. */
  count: number[];
  /** Per non-empty bin, its index 0..nBins-1 (bin b covers b/nBins .. (b+1)/nBins). */
  bin: number[];
}

/**
 * A reliability diagram's points: sklearn `calibration_curve(y, p, n_bins=nBins, strategy='uniform')`.
 * [0, 1] is cut into nBins equal bins; a probability on an inner edge goes to the lower bin (numpy
 * searchsorted, side 'left'); empty bins are left out. Probabilities must lie in [0, 1].
 */
export function calibrationBins(y: ArrayLike<number>, p: ArrayLike<number>, nBins = 10): CalibrationBins {
  checkLength(p.length, y.length, 'probabilities');
  if (!Number.isInteger(nBins) || nBins < 1) invalid(`The number of calibration bins must be a whole number of at least 1 (got ${nBins}).`);
  // numpy linspace(0, 1, nBins + 1) computes edge j as j * (1 / nBins); the inner edges are j = 1..nBins-1.
  const step = 1 / nBins;
  const inner: number[] = [];
  for (let j = 1; j < nBins; j++) inner.push(j * step);
  const sums = new Float64Array(nBins);
  const trues = new Float64Array(nBins);
  const totals = new Float64Array(nBins);
  for (let i = 0; i < y.length; i++) {
    const v = p[i]!;
    if (!(v >= 0 && v <= 1)) invalid(`Row ${i} has probability ${v}, outside [0, 1].`);
    let lo = 0;
    let hi = inner.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (inner[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    sums[lo]! += v;
    trues[lo]! += y[i] === 1 ? 1 : 0;
    totals[lo]! += 1;
  }
  const out: CalibrationBins = { probTrue: [], probPred: [], count: [], bin: [] };
  for (let b = 0; b < nBins; b++) {
    if (totals[b] === 0) continue;
    out.probTrue.push(trues[b]! / totals[b]!);
    out.probPred.push(sums[b]! / totals[b]!);
    out.count.push(totals[b]!);
    out.bin.push(b);
  }
  return out;
}

export interface CostThreshold {
  /** Predict positive when P(positive) >= threshold. */
  threshold: number;
  /** The total cost on these rows at that threshold: falsePositives · cost + falseNegatives · cost. */
  cost: number;
  falsePositives: number;
  falseNegatives: number;
}

/**
 * The threshold that minimises the total misclassification cost on these rows, for a binary task's default
 * threshold. Every distinct way of cutting the rows sorted by score is tried (all negative, then each distinct
 * score and those above it positive); the threshold returned lies strictly inside the gap it cuts at: the
 * midpoint between the two neighbouring distinct scores, and at the ends the midpoint with 0 or 1 (or the
 * score itself / just above it when it is already outside (0, 1)). Several cuts can cost the same; the one
 * nearest to falsePositive / (falsePositive + falseNegative), the optimal threshold of a calibrated model, wins.
 * Counts are weighted when `weights` is given. On no rows the threshold is that optimal value, at cost 0.
 */
export function costThreshold(y: ArrayLike<number>, p: ArrayLike<number>, costs: { falsePositive: number; falseNegative: number }, weights?: ArrayLike<number>): CostThreshold {
  const { falsePositive: cFp, falseNegative: cFn } = costs;
  if (!(cFp >= 0 && cFn >= 0 && Number.isFinite(cFp) && Number.isFinite(cFn)) || cFp + cFn === 0) {
    invalid('The costs of a false positive and of a false negative must be finite, not negative, and not both zero.');
  }
  const bayes = cFp / (cFp + cFn);
  const { fps, tps, thresholds } = binaryClfCurve(y, p, weights);
  const m = thresholds.length;
  if (m === 0) return { threshold: bayes, cost: 0, falsePositives: 0, falseNegatives: 0 };
  const allPositives = tps[m - 1]!;
  // Cut j = 0: nothing positive; cut j >= 1: the rows with score >= thresholds[j - 1] are positive.
  let best: CostThreshold | null = null;
  for (let j = 0; j <= m; j++) {
    const fp = j === 0 ? 0 : fps[j - 1]!;
    const fn = allPositives - (j === 0 ? 0 : tps[j - 1]!);
    const cost = fp * cFp + fn * cFn;
    const threshold = cutThreshold(thresholds, j);
    if (best === null || cost < best.cost || (cost === best.cost && Math.abs(threshold - bayes) < Math.abs(best.threshold - bayes))) {
      best = { threshold, cost, falsePositives: fp, falseNegatives: fn };
    }
  }
  return best!;
}

/** A threshold strictly between distinct scores `desc[j - 1]` (positive) and `desc[j]` (negative). */
function cutThreshold(desc: number[], j: number): number {
  const m = desc.length;
  if (j === 0) {
    const top = desc[0]!;
    return top < 1 ? (top + 1) / 2 : top + Math.max(Math.abs(top), 1) * Number.EPSILON;
  }
  const above = desc[j - 1]!;
  if (j === m) return above > 0 && above <= 1 ? above / 2 : above;
  const below = desc[j]!;
  const mid = (above + below) / 2;
  return mid > below ? mid : above;
}

// ---------------------------------------------------------------------------------------------------------
// Regression

/** sklearn `mean_absolute_error(y, p, sample_weight=w)`. */
export function meanAbsoluteError(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  return weightedMean(y, p, weights, (t, v) => Math.abs(v - t));
}

/** The square root of sklearn `mean_squared_error(y, p, sample_weight=w)` (`squared=False` in 1.2). */
export function rootMeanSquaredError(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  return Math.sqrt(weightedMean(y, p, weights, (t, v) => (v - t) * (v - t)));
}

/** sklearn `mean_absolute_percentage_error(y, p, sample_weight=w)`: mean of |p − y| / max(|y|, ε), ε = 2.22e-16. */
export function meanAbsolutePercentageError(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  return weightedMean(y, p, weights, (t, v) => Math.abs(v - t) / Math.max(Math.abs(t), EPS));
}

/**
 * Coefficient of determination: sklearn `r2_score(y, p, sample_weight=w)` with `force_finite=True`:
 * 1 − Σw(y − p)² / Σw(y − ȳ)², ȳ the weighted mean; when y is constant, 1 for a perfect prediction and 0
 * otherwise. NaN with fewer than two rows.
 */
export function r2Score(y: ArrayLike<number>, p: ArrayLike<number>, weights?: ArrayLike<number>): number {
  checkLength(p.length, y.length, 'predictions');
  if (y.length < 2) return NaN;
  let total = 0;
  let sumY = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    total += w;
    sumY += w * y[i]!;
  }
  const mean = sumY / total;
  let num = 0;
  let den = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    num += w * (y[i]! - p[i]!) ** 2;
    den += w * (y[i]! - mean) ** 2;
  }
  if (den === 0) return num === 0 ? 1 : 0;
  return 1 - num / den;
}

function weightedMean(y: ArrayLike<number>, p: ArrayLike<number>, weights: ArrayLike<number> | undefined, f: (t: number, v: number) => number): number {
  checkLength(p.length, y.length, 'predictions');
  let sum = 0;
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    const w = weights === undefined ? 1 : weights[i]!;
    sum += w * f(y[i]!, p[i]!);
    total += w;
  }
  return total > 0 ? sum / total : NaN;
}

// ---------------------------------------------------------------------------------------------------------

function isClass(v: number, k: number): boolean {
  return Number.isInteger(v) && v >= 0 && v < k;
}

function checkLength(actual: number, expected: number, what: string): void {
  if (actual !== expected) invalid(`Expected ${expected} ${what}, got ${actual}.`);
}

function invalid(message: string): never {
  throw new HostError('invalid-argument', message);
}
