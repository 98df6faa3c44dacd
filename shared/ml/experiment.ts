import { v, type Validator } from '../host/validate.js';
import { defineDocument } from '../schema/document.js';
import type { ModelResult, TrainingPlan } from './job.js';
import type { PipelineSpec } from './pipeline/index.js';
import { validatePipelineSpec } from './pipeline/spec.js';
import { MODEL_KINDS } from './types.js';

/**
 * One training run, kept for good: `<project>/experiments/<id>/record.json` (this document) beside the fitted
 * `pipeline.json` and `model.json`. It says exactly what was trained on what (dataset hash, split, pipeline,
 * model, parameters, seed, backend) and how it scored, so a run can be listed, compared and reproduced: the
 * same seed on the same backend gives the same model.
 */

export interface ExperimentRecord {
  schemaVersion: 1;
  id: string;
  createdAt: string;
  datasetId: string;
  datasetSha256: string;
  splitId: string;
  plan: TrainingPlan;
  result: ModelResult;
  classes?: string[];
  /** TensorFlow.js models: where they trained and why there. */
  backend?: { name: string; reason: string };
  /** Set when the run is a tuning search's best trial. */
  tuning?: { strategy: string; trials: number; stoppedBy: string };
  /** Wall time of the whole run, seconds. */
  seconds: number;
}

export const EXPERIMENT_ID = /^ex_[0-9a-f]{16}$/;

const object: Validator<Record<string, unknown>> = (value, path = '') => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path || 'value'} must be an object.`);
  return value as Record<string, unknown>;
};

const validatePlan: Validator<TrainingPlan> = (value, path = 'plan') => {
  const plan = object(value, path);
  v.string({ min: 1, max: 1000 })(plan.target, `${path}.target`);
  v.literal('binary', 'multiclass', 'regression')(plan.task, `${path}.task`);
  validatePipelineSpec(plan.pipeline, `${path}.pipeline`) satisfies PipelineSpec;
  v.number({ min: 0, max: 0xffffffff, integer: true })(plan.seed, `${path}.seed`);
  object(plan.cv, `${path}.cv`);
  return plan as unknown as TrainingPlan;
};

const validateResult: Validator<ModelResult> = (value, path = 'result') => {
  const result = object(value, path);
  v.literal(...MODEL_KINDS)(result.kind, `${path}.kind`);
  object(result.params, `${path}.params`);
  object(result.validation, `${path}.validation`);
  if (typeof result.score !== 'number') throw new Error(`${path}.score must be a number.`);
  return result as unknown as ModelResult;
};

export const experimentDocument = defineDocument<ExperimentRecord>({
  kind: 'experiment',
  version: 1,
  migrations: [],
  validate: v.object({
    schemaVersion: v.literal(1),
    id: (value, path) => {
      const id = v.string({ max: 64 })(value, path);
      if (!EXPERIMENT_ID.test(id)) throw new Error(`${path} is not an experiment id.`);
      return id;
    },
    createdAt: v.string({ min: 1, max: 40 }),
    datasetId: v.string({ min: 1, max: 64 }),
    datasetSha256: v.string({ min: 64, max: 64 }),
    splitId: v.string({ min: 1, max: 64 }),
    plan: validatePlan,
    result: validateResult,
    classes: v.optional(v.array(v.string({ max: 1000 }), { max: 1000 })),
    backend: v.optional(v.object({ name: v.string({ max: 100 }), reason: v.string({ max: 2000 }) })),
    tuning: v.optional(v.object({ strategy: v.string({ max: 20 }), trials: v.number({ min: 0, integer: true }), stoppedBy: v.string({ max: 40 }) })),
    seconds: v.number({ min: 0 }),
  }),
});

/** The saved pipeline spec of a project (`<project>/pipeline.json`): what the Prepare stage edits. */
export interface PipelineDocument {
  schemaVersion: 1;
  spec: PipelineSpec;
  updatedAt: string;
}

export const pipelineDocument = defineDocument<PipelineDocument>({
  kind: 'pipeline',
  version: 1,
  migrations: [],
  validate: v.object({ schemaVersion: v.literal(1), spec: validatePipelineSpec, updatedAt: v.string({ min: 1, max: 40 }) }),
});
