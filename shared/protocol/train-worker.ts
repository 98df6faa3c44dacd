import type { SerializedError } from '../host/errors.js';
import type { LearningCurvePoint, ModelChoice, ModelResult, SplitData, TrainingPlan } from '../ml/job.js';
import type { LeakageWarning } from '../ml/leakage.js';
import type { FittedPipeline, PipelineSpec } from '../ml/pipeline/index.js';
import type { Dimension, Trial, TuneStrategy } from '../ml/tuning.js';
import type { ModelKind, ModelState, Progress, Task } from '../ml/types.js';

/**
 * The training worker's messages (same envelope as the data worker: ids, progress, one ok or error). The
 * worker keeps one dataset (`useData`) so several runs on the same data do not copy it again. A run is
 * cancelled by terminating its worker: training loops are synchronous, and a fresh worker starts in a moment.
 */

export interface BackendInfo {
  name: string;
  reason: string;
}

export interface TrainedResult {
  result: ModelResult;
  pipeline: FittedPipeline;
  model: ModelState;
  classes?: string[];
}

export interface TuneArgs {
  key: string;
  plan: TrainingPlan;
  kind: ModelKind;
  strategy: TuneStrategy;
  /** Defaults to the model's declared space (shared/ml/search-spaces.ts). */
  space?: Dimension[];
  maxTrials?: number;
  maxSeconds?: number;
}

export interface TuneResult {
  trials: Trial[];
  best: TrainedResult | null;
  stoppedBy: string;
}

export interface TrainRequests {
  /** Picks the TensorFlow.js backend (a short probe) and says which and why. */
  init: { args: Record<string, never>; result: { backend: BackendInfo } };
  /** Keeps `data` under `key` for the requests below (replacing what was kept). */
  useData: { args: { key: string; data: SplitData }; result: { rows: number } };
  train: { args: { key: string; plan: TrainingPlan; choice: ModelChoice }; result: TrainedResult };
  learningCurve: { args: { key: string; plan: TrainingPlan; choice: ModelChoice }; result: LearningCurvePoint[] };
  /** Searches the model's parameters on validation folds only; progress carries each finished trial. */
  tune: { args: TuneArgs; result: TuneResult };
  /**
   * Fits the pipeline on the training partition and shows its first transformed rows, with the leakage check
   * of the training rows. Nothing is kept.
   */
  preview: {
    args: { key: string; spec: PipelineSpec; target: string; task: Task; positiveClass?: string; limit: number; timeColumn?: string };
    result: { names: string[]; rows: number[][]; trainRows: number; leakage: LeakageWarning[] };
  };
  /** The naive baseline's validation score for the problem card. */
  baseline: { args: { key: string; plan: TrainingPlan }; result: ModelResult };
}

export type TrainRequestType = keyof TrainRequests;

export type TrainProgress = Progress & { trial?: Trial };

export type TrainReplyMessage =
  | { id: number; kind: 'ok'; result: unknown }
  | { id: number; kind: 'error'; error: SerializedError }
  | { id: number; kind: 'progress'; progress: TrainProgress };
