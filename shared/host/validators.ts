import { READ_RANGE_BYTES, type HostArgs, type HostChannel } from './contract.js';
import { validateSplitSpec } from '../schema/split.js';
import { HostError } from './errors.js';
import { v, type Validator } from './validate.js';
import { COLUMN_KINDS } from '../schema/project.js';
import { validateProblemCard } from '../ml/problem.js';
import { validatePipelineSpec } from '../ml/pipeline/spec.js';

const name = v.string({ min: 1, max: 200 });
const experimentId = v.string({ min: 1, max: 64 });
/** A JSON object checked in full by the service (an experiment record, a fitted pipeline, a model state). */
const jsonObject = <T>(what: string): Validator<T> => (value, path = '') => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new HostError('invalid-argument', `${path || what} must be an object.`);
  return value as T;
};
const none = v.object({});

const fileRef = v.union('kind', {
  path: v.object({ kind: v.literal('path'), path: v.string({ min: 1, max: 4096 }) }),
  upload: v.object({
    kind: v.literal('upload'),
    uploadId: v.string({ min: 1, max: 64 }),
    originalName: v.string({ min: 1, max: 300 }),
  }),
});

const importOptions = v.object({
  delimiter: v.optional(v.string({ min: 1, max: 4 })),
  quote: v.optional(v.string({ max: 1 })),
  header: v.optional(v.boolean()),
  missingTokens: v.optional(v.array(v.string({ max: 100 }), { max: 100 })),
  types: v.optional(v.record(v.string({ min: 1, max: 1000 }), v.literal(...COLUMN_KINDS), { max: 100_000 })),
});

/** One validator per channel; hosts run it on every call before the handler sees the argument. */
export const hostValidators: { [C in HostChannel]: Validator<HostArgs<C>> } = {
  'workspace.info': none,
  'projects.list': none,
  'projects.open': v.object({ name }),
  'projects.create': v.object({ name }),
  'projects.rename': v.object({ name, newName: name }),
  'projects.delete': v.object({ name }),
  'projects.createSample': none,
  'datasets.import': v.object({
    project: name,
    file: fileRef,
    importId: v.string({ min: 1, max: 64 }),
    options: v.optional(importOptions),
    append: v.optional(v.array(fileRef, { max: 100 })),
  }),
  'datasets.preview': v.object({ project: name, file: fileRef, options: v.optional(importOptions) }),
  'datasets.cancelImport': v.object({ importId: v.string({ min: 1, max: 64 }) }),
  'datasets.remove': v.object({ project: name, datasetId: v.string({ min: 1, max: 64 }) }),
  'datasets.read': v.object({
    project: name,
    datasetId: v.string({ min: 1, max: 64 }),
    copy: v.optional(v.literal('original', 'table')),
    offset: v.optional(v.number({ min: 0, integer: true })),
    length: v.optional(v.number({ min: 1, max: READ_RANGE_BYTES, integer: true })),
  }),
  'splits.create': v.object({ project: name, datasetId: v.string({ min: 1, max: 64 }), spec: validateSplitSpec }),
  'splits.list': v.object({ project: name }),
  'splits.get': v.object({ project: name, splitId: v.string({ min: 1, max: 64 }) }),
  'splits.assignment': v.object({ project: name, splitId: v.string({ min: 1, max: 64 }) }),
  'splits.delete': v.object({ project: name, splitId: v.string({ min: 1, max: 64 }) }),
  'datasets.saveQuery': v.object({
    project: name,
    sql: v.string({ min: 1, max: 100_000 }),
    name: v.string({ min: 1, max: 200 }),
    sourceDatasetIds: v.array(v.string({ min: 1, max: 64 }), { max: 200 }),
  }),
  'problem.get': v.object({ project: name }),
  'problem.save': v.object({ project: name, card: validateProblemCard }),
  'pipeline.get': v.object({ project: name }),
  'pipeline.save': v.object({ project: name, spec: validatePipelineSpec }),
  'experiments.list': v.object({ project: name }),
  'experiments.save': v.object({ project: name, record: jsonObject('record'), pipeline: jsonObject('pipeline'), model: jsonObject('model') }),
  'experiments.files': v.object({ project: name, id: experimentId }),
  'experiments.delete': v.object({ project: name, id: experimentId }),
  'app.openExternal': v.object({ url: v.string({ min: 1, max: 2000 }) }),
} as { [C in HostChannel]: Validator<HostArgs<C>> };
