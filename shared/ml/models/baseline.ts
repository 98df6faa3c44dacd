import { HostError } from '../../host/errors.js';
import type { FeatureMatrix, FitContext, FittedModel, ModelState, Predictions, Target, Task } from '../types.js';
import { checkCancelled, classCount } from '../types.js';

/**
 * The baseline every other model has to beat, and ignores the features: a classifier predicts the training
 * class priors for every row (scikit-learn's DummyClassifier(strategy='prior')), a regressor the training mean
 * (DummyRegressor(strategy='mean')). With `ctx.weights` the priors and the mean are weighted, as sklearn's
 * sample_weight does. A class absent from the training rows gets prior 0.
 */

/** The baseline has no parameters; any given are kept as they are. */
export type BaselineParams = Record<string, unknown>;

/** A fitted baseline. */
export interface BaselineModel extends FittedModel {
  readonly kind: 'baseline';
  /** Classification: the prior of each class (summing to 1). Regression: one value, the mean. */
  readonly value: readonly number[];
}

/** The JSON state of a baseline (`toJSON()`). */
export interface BaselineState extends ModelState {
  kind: 'baseline';
  version: 1;
  /** Classification: the class priors; regression: [mean]. */
  value: number[];
  classes?: string[];
}

/** Fits the baseline: weighted class priors, or the weighted mean. */
export function fitBaseline(X: FeatureMatrix, y: Target, params: BaselineParams, ctx: FitContext): BaselineModel {
  const n = y.values.length;
  if (X.rowCount !== n) throw new HostError('invalid-argument', `The target has ${n} rows but the features ${X.rowCount}.`);
  if (n === 0) throw new HostError('invalid-argument', 'There are no training rows.');
  const weights = ctx.weights;
  if (weights && weights.length !== n) throw new HostError('invalid-argument', 'The weights have the wrong length.');
  checkCancelled(ctx);
  const K = classCount(y);
  const sums = new Float64Array(y.task === 'regression' ? 1 : K);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const wi = weights ? weights[i]! : 1;
    if (!(wi >= 0 && wi < Infinity)) throw new HostError('invalid-argument', `Weight ${wi} of row ${i + 1} is not a finite number ≥ 0.`);
    const v = y.values[i]!;
    if (y.task === 'regression') {
      if (v - v !== 0) throw new HostError('invalid-argument', `The target is missing or infinite in row ${i + 1}.`);
      sums[0]! += wi * v;
    } else {
      if (!(Number.isInteger(v) && v >= 0 && v < K)) throw new HostError('invalid-argument', `Class index ${v} is outside 0..${K - 1}.`);
      sums[v]! += wi;
    }
    total += wi;
  }
  if (!(total > 0)) throw new HostError('invalid-argument', 'The weights sum to 0.');
  const value = Array.from(sums, (s) => s / total);
  ctx.onProgress?.({ fraction: 1 });
  return makeBaseline(y.task, { ...params }, value, y.classes ? [...y.classes] : undefined);
}

function makeBaseline(task: Task, params: BaselineParams, value: number[], classes: string[] | undefined): BaselineModel {
  return {
    kind: 'baseline',
    task,
    params,
    value,
    predict(X: FeatureMatrix): Predictions {
      const n = X.rowCount;
      if (task === 'multiclass') {
        const K = value.length;
        const out = new Float64Array(n * K);
        for (let i = 0; i < n; i++) for (let k = 0; k < K; k++) out[i * K + k] = value[k]!;
        return out;
      }
      // Binary: P(class index 1); regression: the mean.
      return new Float64Array(n).fill(task === 'binary' ? value[1]! : value[0]!);
    },
    toJSON(): BaselineState {
      return { kind: 'baseline', task, version: 1, params: { ...params }, value: [...value], ...(classes ? { classes: [...classes] } : {}) };
    },
  };
}

/** Rebuilds a baseline from its `toJSON()` state (after a JSON round trip). */
export function loadBaseline(state: ModelState): BaselineModel {
  if (state.kind !== 'baseline' || state.version !== 1) throw new HostError('invalid-argument', `Not a version 1 baseline state (${state.kind} v${state.version}).`);
  const value = state.value;
  const ok =
    Array.isArray(value) &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    (state.task === 'regression' ? value.length === 1 : value.length >= 2);
  if (!ok) throw new HostError('invalid-argument', 'The baseline state is malformed.');
  const classes = Array.isArray(state.classes) ? (state.classes as string[]) : undefined;
  return makeBaseline(state.task, { ...state.params }, [...(value as number[])], classes);
}
