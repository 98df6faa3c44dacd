import { HostError } from '../../host/errors.js';
import type { ModelFitters } from '../job.js';
import type { FeatureMatrix, FitContext, FittedModel, ModelKind, ModelState, Target } from '../types.js';
import { fitBaseline, loadBaseline } from './baseline.js';
import { fitForest, loadForest } from './forest.js';
import { fitGbdt, loadGbdt } from './gbdt.js';
import { fitLinear, fitLogistic, loadLinear, loadLogistic } from './linear.js';
import { fitTree, loadTree } from './tree.js';

/**
 * The models written in plain TypeScript, by kind. The MLP needs TensorFlow.js, so it lives in the training
 * worker, which joins it to these (`withModel`).
 */

type Fit = (X: FeatureMatrix, y: Target, params: Record<string, unknown>, ctx: FitContext) => FittedModel | Promise<FittedModel>;
type Load = (state: ModelState) => FittedModel | Promise<FittedModel>;

export interface ModelImplementation {
  fit: Fit;
  load: Load;
}

export const PURE_MODELS: Partial<Record<ModelKind, ModelImplementation>> = {
  baseline: { fit: fitBaseline, load: loadBaseline },
  logreg: { fit: fitLogistic, load: loadLogistic },
  linear: { fit: fitLinear, load: loadLinear },
  tree: { fit: fitTree, load: loadTree },
  rf: { fit: fitForest, load: loadForest },
  gbdt: { fit: fitGbdt, load: loadGbdt },
};

/** Which kinds suit a task: logistic regression classifies, linear regression regresses; the rest do both. */
export function kindFitsTask(kind: ModelKind, task: Target['task']): boolean {
  if (kind === 'logreg') return task !== 'regression';
  if (kind === 'linear') return task === 'regression';
  return true;
}

/** Fitters over `models`; a kind without an implementation here is refused with a clear message. */
export function modelFitters(models: Partial<Record<ModelKind, ModelImplementation>> = PURE_MODELS): ModelFitters {
  const get = (kind: ModelKind): ModelImplementation => {
    const found = models[kind];
    if (found === undefined) throw new HostError('not-supported', `This Orchard cannot train a ${kind} model here.`);
    return found;
  };
  return {
    fit: async (kind, X, y, params, ctx) => {
      if (!kindFitsTask(kind, y.task)) {
        const instead = kind === 'logreg' ? 'linear' : 'logreg';
        throw new HostError('invalid-argument', `A ${kind} model cannot do ${y.task === 'regression' ? 'regression' : 'classification'}; use ${instead}.`);
      }
      return get(kind).fit(X, y, params, ctx);
    },
    load: async (state) => get(state.kind).load(state),
  };
}

/** What `--model auto` and the Train stage's defaults train: one model of each kind that fits the task. */
export function defaultModels(task: Target['task']): ModelKind[] {
  return ['baseline', task === 'regression' ? 'linear' : 'logreg', 'tree', 'rf', 'gbdt', 'mlp'];
}
