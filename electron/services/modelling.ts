import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import { experimentDocument, EXPERIMENT_ID, pipelineDocument, type ExperimentRecord } from '../../shared/ml/experiment.js';
import { loadPipeline, type PipelineSpec } from '../../shared/ml/pipeline/index.js';
import { problemDocument, type ProblemCard } from '../../shared/ml/problem.js';
import { MODEL_KINDS, type ModelState } from '../../shared/ml/types.js';
import { readDocument, type DocumentKind } from '../../shared/schema/document.js';
import { writeJsonAtomic } from './atomic.js';
import { isCode } from './file-system.js';
import { messageOf, type ProjectFolder, type Projects } from './projects.js';
import { projectKey, type Workspace } from './workspace.js';

/**
 * The modelling documents of a project, each outside project.json:
 * - `problem.json`: the problem card (Define);
 * - `pipeline.json`: the pipeline spec being edited (Prepare);
 * - `experiments/<id>/record.json` + `pipeline.json` + `model.json`: every training run (Train).
 * An experiment's folder is written under a temporary name and renamed into place, so a run is listed only once
 * all three files are complete; a killed save leaves nothing half-written behind.
 */
export class Modelling {
  constructor(
    private readonly ws: Workspace,
    private readonly projects: Projects,
  ) {}

  async problem(project: string): Promise<ProblemCard | null> {
    return this.readOptional(await this.projects.locate(project), 'problem.json', problemDocument);
  }

  async saveProblem(project: string, card: ProblemCard): Promise<ProblemCard> {
    const checked = readDocument(problemDocument, { ...card, updatedAt: new Date().toISOString() });
    const folder = await this.projects.locate(project);
    const dataset = (await this.projects.read(folder)).datasets.find((d) => d.id === checked.datasetId);
    if (dataset === undefined) throw new HostError('not-found', `Project "${folder.name}" has no dataset ${checked.datasetId}.`);
    if (!dataset.columns.some((c) => c.name === checked.target)) throw new HostError('invalid-argument', `${dataset.name} has no column named "${checked.target}".`);
    await this.ws.queue.run(projectKey(project), () => writeJsonAtomic(join(folder.dir, 'problem.json'), checked));
    return checked;
  }

  async pipeline(project: string): Promise<PipelineSpec | null> {
    const doc = await this.readOptional(await this.projects.locate(project), 'pipeline.json', pipelineDocument);
    return doc?.spec ?? null;
  }

  async savePipeline(project: string, spec: PipelineSpec): Promise<PipelineSpec> {
    const doc = readDocument(pipelineDocument, { schemaVersion: 1, spec, updatedAt: new Date().toISOString() });
    const folder = await this.projects.locate(project);
    await this.ws.queue.run(projectKey(project), () => writeJsonAtomic(join(folder.dir, 'pipeline.json'), doc));
    return doc.spec;
  }

  /** Every run of the project, newest first; a damaged one is skipped with a warning. */
  async experiments(project: string): Promise<ExperimentRecord[]> {
    const folder = await this.projects.locate(project);
    let names: string[];
    try {
      names = await readdir(join(folder.dir, 'experiments'));
    } catch (err) {
      if (isCode(err, 'ENOENT')) return [];
      throw err;
    }
    const out: ExperimentRecord[] = [];
    for (const name of names.filter((n) => EXPERIMENT_ID.test(n))) {
      try {
        out.push(await this.readExperiment(folder, name));
      } catch (err) {
        this.ws.warn(`Skipped experiment ${name} of "${folder.name}": ${messageOf(err)}`);
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Keeps a finished run: its record, fitted pipeline and model. The id and time are the host's. */
  async saveExperiment(project: string, record: Omit<ExperimentRecord, 'id' | 'createdAt' | 'schemaVersion'>, pipeline: unknown, model: unknown): Promise<ExperimentRecord> {
    const id = 'ex_' + randomBytes(8).toString('hex');
    const doc = readDocument(experimentDocument, { ...record, schemaVersion: 1, id, createdAt: new Date().toISOString() });
    loadPipeline(pipeline);
    checkModelState(model, doc);
    const folder = await this.projects.locate(project);
    await this.ws.queue.run(projectKey(project), async () => {
      const dir = join(folder.dir, 'experiments');
      const staging = join(dir, `.${id}.partial`);
      await mkdir(staging, { recursive: true });
      try {
        await writeJsonAtomic(join(staging, 'pipeline.json'), pipeline);
        await writeJsonAtomic(join(staging, 'model.json'), model);
        await writeJsonAtomic(join(staging, 'record.json'), doc);
        await rename(staging, join(dir, id));
      } catch (err) {
        await rm(staging, { recursive: true, force: true });
        throw err;
      }
    });
    return doc;
  }

  /** The fitted pipeline and model of a run, for scoring and export. */
  async experimentFiles(project: string, id: string): Promise<{ record: ExperimentRecord; pipeline: unknown; model: ModelState }> {
    const folder = await this.projects.locate(project);
    const record = await this.readExperiment(folder, id);
    const pipeline = await readJson(join(folder.dir, 'experiments', id, 'pipeline.json'), `the pipeline of experiment ${id}`);
    const model = (await readJson(join(folder.dir, 'experiments', id, 'model.json'), `the model of experiment ${id}`)) as ModelState;
    return { record, pipeline, model };
  }

  async deleteExperiment(project: string, id: string): Promise<{ deleted: string }> {
    checkId(id);
    await this.ws.queue.run(projectKey(project), async () => {
      const folder = await this.projects.locate(project);
      await this.readExperiment(folder, id);
      await rm(join(folder.dir, 'experiments', id), { recursive: true });
    });
    return { deleted: id };
  }

  private async readExperiment(folder: ProjectFolder, id: string): Promise<ExperimentRecord> {
    checkId(id);
    const raw = await readJson(join(folder.dir, 'experiments', id, 'record.json'), `experiment ${id} of "${folder.name}"`);
    return readDocument(experimentDocument, raw);
  }

  private async readOptional<T extends { schemaVersion: number }>(folder: ProjectFolder, file: string, kind: DocumentKind<T>): Promise<T | null> {
    try {
      return readDocument(kind, await readJson(join(folder.dir, file), `${file} of "${folder.name}"`));
    } catch (err) {
      if (err instanceof HostError && err.code === 'not-found') return null;
      throw err;
    }
  }
}

function checkId(id: string): void {
  if (!EXPERIMENT_ID.test(id)) throw new HostError('invalid-argument', `"${id.slice(0, 40)}" is not an experiment id.`);
}

function checkModelState(model: unknown, record: ExperimentRecord): void {
  const state = model as Partial<ModelState> | null;
  if (typeof state !== 'object' || state === null || !(MODEL_KINDS as readonly unknown[]).includes(state.kind) || state.kind !== record.result.kind || state.task !== record.plan.task) {
    throw new HostError('invalid-argument', `The model does not match the run: expected a ${record.result.kind} model for a ${record.plan.task} task.`);
  }
}

async function readJson(path: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isCode(err, 'ENOENT')) throw new HostError('not-found', `${what} does not exist.`);
    throw err;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HostError('bad-file', `${what} is not valid JSON.`);
  }
}
