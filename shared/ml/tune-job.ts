import { METRICS } from './metrics.js';
import { trainModel, type ModelFitters, type SplitData, type TrainedModel, type TrainHooks, type TrainingPlan } from './job.js';
import { decodeHiddenLayers, searchSpaceFor } from './search-spaces.js';
import { tune, type SearchSpace, type Trial, type TuneStrategy } from './tuning.js';
import type { ModelKind } from './types.js';

/**
 * Tuning one model kind: every trial trains with the plan's cross-validation on the training partition (or,
 * without folds, scores the validation partition), so the search never sees the test partition. The best
 * trial's parameters are then trained once more into the model it returns.
 */

export interface TuneJob {
  kind: ModelKind;
  strategy: TuneStrategy;
  space?: SearchSpace;
  maxTrials?: number;
  maxSeconds?: number;
}

export interface TunedModel {
  trials: Trial[];
  best: TrainedModel | null;
  stoppedBy: string;
}

/** Parameters as a model reads them: the MLP's layer widths travel through the search as text ("64-32"). */
export function modelParams(kind: ModelKind, params: Record<string, unknown>): Record<string, unknown> {
  if (kind === 'mlp' && typeof params.hiddenLayers === 'string') return { ...params, hiddenLayers: decodeHiddenLayers(params.hiddenLayers) };
  return params;
}

export async function tuneModel(
  data: SplitData,
  plan: TrainingPlan,
  job: TuneJob,
  fitters: ModelFitters,
  hooks: TrainHooks & { onTrial?: (trial: Trial, best: Trial | undefined) => void } = {},
): Promise<TunedModel> {
  const space = job.space ?? searchSpaceFor(job.kind, plan.task);
  const direction = METRICS[plan.primaryMetric].higherIsBetter ? 'maximize' : 'minimize';
  const budget = job.maxTrials ?? (job.maxSeconds === undefined ? 20 : undefined);
  const search = await tune(
    space,
    async (params) => {
      const trained = await trainModel(data, plan, { kind: job.kind, params: modelParams(job.kind, params) }, fitters, { ...hooks, onProgress: undefined });
      return trained.result.score;
    },
    {
      strategy: job.strategy,
      direction,
      seed: plan.seed,
      ...(budget === undefined ? {} : { maxTrials: budget }),
      ...(job.maxSeconds === undefined ? {} : { maxSeconds: job.maxSeconds }),
      ...(hooks.isCancelled === undefined ? {} : { isCancelled: hooks.isCancelled }),
      onTrial: (trial, best) => {
        hooks.onTrial?.(trial, best);
        if (budget !== undefined) hooks.onProgress?.({ fraction: Math.min(1, (trial.index + 1) / budget), message: `Trial ${trial.index + 1}` });
      },
    },
  );
  if (search.best === undefined) return { trials: search.trials, best: null, stoppedBy: search.stoppedBy };
  const best = await trainModel(data, plan, { kind: job.kind, params: modelParams(job.kind, search.best.params) }, fitters, hooks);
  return { trials: search.trials, best, stoppedBy: search.stoppedBy };
}
