import type { HostArgs, HostChannel } from './contract.js';
import { v, type Validator } from './validate.js';

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

/** One validator per channel; hosts run it on every call before the handler sees the argument. */
export const hostValidators: { [C in HostChannel]: Validator<HostArgs<C>> } = {
  'workspace.info': none,
  'projects.list': none,
  'projects.open': v.object({ name }),
  'projects.create': v.object({ name }),
  'projects.rename': v.object({ name, newName: name }),
  'projects.delete': v.object({ name }),
  'projects.createSample': none,
  'datasets.import': v.object({ project: name, file: fileRef, importId: v.string({ min: 1, max: 64 }) }),
  'datasets.remove': v.object({ project: name, datasetId: v.string({ min: 1, max: 64 }) }),
  'datasets.read': v.object({ project: name, datasetId: v.string({ min: 1, max: 64 }) }),
  'app.openExternal': v.object({ url: v.string({ min: 1, max: 2000 }) }),
} as { [C in HostChannel]: Validator<HostArgs<C>> };
