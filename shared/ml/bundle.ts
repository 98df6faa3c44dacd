import { v, type Validator } from '../host/validate.js';
import { defineDocument } from '../schema/document.js';
import type { ModelResult, Scores, TrainingPlan } from './job.js';
import type { Task } from './types.js';

/**
 * A trained model on disk: `run.json` (this document: what was trained on what, and how well) beside
 * `pipeline.json` (the fitted pipeline) and `model.json` (the model's state). `orchard train` writes one,
 * `orchard predict` scores files with it, and the exported bundle will serve it.
 */

export const BUNDLE_FILES = { run: 'run.json', pipeline: 'pipeline.json', model: 'model.json' } as const;

export interface RunDocument {
  schemaVersion: 1;
  createdAt: string;
  target: string;
  task: Task;
  /** Classification: the classes in the model's order (binary: the positive class second). */
  classes?: string[];
  /** Binary: P(positive) at or above this predicts the positive class. */
  threshold?: number;
  data: { fileName: string; sha256: string; rows: number };
  split: { method: string; fractions: [number, number, number]; seed: number; counts: { train: number; validation: number; test: number; excluded: number } };
  plan: TrainingPlan;
  chosen: ModelResult;
  leaderboard: ModelResult[];
  metrics: { validation: Scores; test: Scores };
  /** Where a TensorFlow.js model trained, and why there. */
  backend?: { name: string; reason: string };
  seconds: number;
}

/** Loose on the nested results (they are ours, written in one go); strict on what predict relies on. */
const validate: Validator<RunDocument> = (value, path) => {
  const doc = v.object({
    schemaVersion: v.literal(1),
    createdAt: v.string({ min: 1, max: 40 }),
    target: v.string({ min: 1, max: 1000 }),
    task: v.literal('binary', 'multiclass', 'regression'),
    classes: v.optional(v.array(v.string({ max: 1000 }), { max: 1000 })),
    threshold: v.optional(v.number({ min: 0, max: 1 })),
    data: v.object({ fileName: v.string({ max: 1000 }), sha256: v.string({ max: 64 }), rows: v.number({ min: 0, integer: true }) }),
    split: (x, p) => object(x, p) as unknown as RunDocument['split'],
    plan: (x, p) => object(x, p) as unknown as TrainingPlan,
    chosen: (x, p) => object(x, p) as unknown as ModelResult,
    leaderboard: (x, p) => v.array(object)(x, p) as unknown as ModelResult[],
    metrics: (x, p) => object(x, p) as unknown as RunDocument['metrics'],
    backend: v.optional(v.object({ name: v.string({ max: 100 }), reason: v.string({ max: 2000 }) })),
    seconds: v.number({ min: 0 }),
  })(value, path);
  if (doc.task !== 'regression' && (doc.classes === undefined || doc.classes.length < 2)) throw new Error('A classification run must list its classes.');
  return doc;
};

const object: Validator<Record<string, unknown>> = (value, path = '') => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`${path || 'value'} must be an object.`);
  return value as Record<string, unknown>;
};

export const runDocument = defineDocument<RunDocument>({ kind: 'trained model', version: 1, migrations: [], validate });
