import type { HostArgs, HostChannel } from './contract.js';
import { validateSplitSpec } from '../schema/split.js';
import { v, type Validator } from './validate.js';
import { COLUMN_KINDS } from '../schema/project.js';

const name = v.string({ min: 1, max: 200 });
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
  'datasets.read': v.object({ project: name, datasetId: v.string({ min: 1, max: 64 }), copy: v.optional(v.literal('original', 'table')) }),
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
  'app.openExternal': v.object({ url: v.string({ min: 1, max: 2000 }) }),
} as { [C in HostChannel]: Validator<HostArgs<C>> };
