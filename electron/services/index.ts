import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import { READ_RANGE_BYTES } from '../../shared/host/contract.js';
import { HandlerRegistry, type HandlerMap } from '../../shared/host/registry.js';
import { appVersion, defaultResourcesDir } from './app-folders.js';
import { Datasets } from './datasets.js';
import { Projects } from './projects.js';
import { createSampleProject } from './sample.js';
import { saveQuery } from './saved-query.js';
import { Splits } from './splits.js';
import { Modelling } from './modelling.js';
import type { HostServices, HostServicesOptions } from './types.js';
import { stageUpload } from './uploads.js';
import { isOrchardEntry, Workspace } from './workspace.js';

export type { DatasetInspector, HostServices, HostServicesOptions } from './types.js';
export { resolveWorkspaceRoot } from './workspace.js';
export { appVersion } from './app-folders.js';

/**
 * The host's services over one workspace folder: every operation of the host contract, the upload staging
 * that browser mode needs, and `close`. Electron, the browser host and the CLI all serve these same handlers.
 */
export async function createHostServices(opts: HostServicesOptions): Promise<HostServices> {
  const ws = new Workspace(resolve(opts.workspaceRoot), opts.warn ?? ((message) => console.warn(`orchard: ${message}`)));
  await ws.open();
  const projects = new Projects(ws, opts.emit);
  const datasets = new Datasets(ws, projects, opts.inspector, opts.emit, opts.allowPathRefs);
  const splits = new Splits(ws, projects, opts.inspector);
  const modelling = new Modelling(ws, projects);
  const resourcesDir = opts.resourcesDir ?? defaultResourcesDir();

  const offerSample = async (): Promise<boolean> => {
    const entries = await readdir(ws.root, { withFileTypes: true });
    if (entries.some((e) => e.isDirectory() && !isOrchardEntry(e.name))) return false;
    return (await ws.readSettings()).offerSample;
  };

  const handlers: HandlerMap = {
    'workspace.info': async () => ({ root: ws.root, host: opts.host, offerSample: await offerSample(), version: appVersion() }),
    'projects.list': () => projects.list(),
    'projects.open': ({ name }) => projects.open(name),
    'projects.create': ({ name }) => projects.create(name),
    'projects.rename': ({ name, newName }) => projects.rename(name, newName),
    'projects.delete': ({ name }) => projects.delete(name),
    'projects.createSample': () => createSampleProject(ws, projects, datasets, resourcesDir),
    'datasets.import': ({ project, file, importId, options, append }) => datasets.import(project, file, importId, options, append),
    'datasets.preview': ({ file, options }) => datasets.preview(file, options),
    'datasets.cancelImport': ({ importId }) => datasets.cancelImport(importId),
    'datasets.remove': ({ project, datasetId }) => datasets.remove(project, datasetId),
    'datasets.read': ({ project, datasetId, copy, offset, length }) =>
      datasets.read(project, datasetId, copy, offset === undefined && length === undefined ? undefined : { offset: offset ?? 0, length: length ?? READ_RANGE_BYTES }),
    'splits.create': ({ project, datasetId, spec }) => splits.create(project, datasetId, spec),
    'splits.list': ({ project }) => splits.list(project),
    'splits.get': ({ project, splitId }) => splits.get(project, splitId),
    'splits.assignment': ({ project, splitId }) => splits.assignment(project, splitId),
    'splits.delete': ({ project, splitId }) => splits.delete(project, splitId),
    'datasets.saveQuery': (args) => saveQuery({ projects, splits, inspector: opts.inspector }, args),
    'problem.get': ({ project }) => modelling.problem(project),
    'problem.save': ({ project, card }) => modelling.saveProblem(project, card),
    'pipeline.get': ({ project }) => modelling.pipeline(project),
    'pipeline.save': ({ project, spec }) => modelling.savePipeline(project, spec),
    'experiments.list': ({ project }) => modelling.experiments(project),
    'experiments.save': ({ project, record, pipeline, model }) => modelling.saveExperiment(project, record, pipeline, model),
    'experiments.files': ({ project, id }) => modelling.experimentFiles(project, id),
    'experiments.delete': ({ project, id }) => modelling.deleteExperiment(project, id),
    'app.openExternal': async ({ url }) => ({ opened: await opts.openExternal(checkExternalUrl(url)) }),
  };

  let closing: Promise<void> | undefined;
  return {
    handlers,
    stageUpload: (body, originalName, expectedBytes) => stageUpload(ws.stagingDir, body, originalName, expectedBytes),
    close: () => (closing ??= opts.inspector.close()),
  };
}

/** A registry serving these services: it validates every argument before a handler sees it. */
export function createHandlerRegistry(services: Pick<HostServices, 'handlers'>): HandlerRegistry {
  const registry = new HandlerRegistry();
  registry.registerAll(services.handlers);
  return registry;
}

/** Only web links leave the app: `file:`, `javascript:` and custom schemes could run or open anything. */
export function checkExternalUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new HostError('invalid-argument', `"${url}" is not a valid link.`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new HostError('invalid-argument', `Only http and https links can be opened (got ${parsed.protocol}).`);
  }
  return parsed.href;
}
