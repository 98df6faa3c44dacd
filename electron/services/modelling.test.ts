import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostArgs, HostChannel, HostResult } from '../../shared/host/contract.js';
import type { HandlerRegistry } from '../../shared/host/registry.js';
import { trainModel, type TrainingPlan } from '../../shared/ml/job.js';
import { modelFitters } from '../../shared/ml/models/registry.js';
import { defaultPipeline } from '../../shared/ml/pipeline/index.js';
import type { ProblemCard } from '../../shared/ml/problem.js';
import type { DatasetRecord } from '../../shared/schema/project.js';
import type { SplitDocument } from '../../shared/schema/split.js';
import { DATASETS } from '../../test/team-files.js';
import { startNodeDataWorker } from '../../workers/data/node-client.js';
import { createNodeInspector } from '../../workers/data/node-inspector.js';
import { servicesForTest } from './fixtures/test-workspace.js';
import { createHandlerRegistry } from './index.js';

/**
 * The problem card, the pipeline spec and experiments through the host's registry (validators included), on a
 * real temp workspace: a real logistic regression trained on titanic's training partition is kept and read back.
 */

let registry: HandlerRegistry;
let root: string;
let done: () => Promise<void>;
let titanic: DatasetRecord;
let split: SplitDocument;
const call = <C extends HostChannel>(channel: C, args: HostArgs<C>) => registry.dispatch(channel, args) as Promise<HostResult<C>>;

beforeAll(async () => {
  const t = await servicesForTest({ inspector: createNodeInspector() });
  ({ root, done } = t);
  registry = createHandlerRegistry(t.services);
  await call('projects.create', { name: 'Voyage' });
  titanic = await call('datasets.import', { project: 'Voyage', file: { kind: 'path', path: join(DATASETS, 'titanic.csv') }, importId: 'i1' });
  split = await call('splits.create', { project: 'Voyage', datasetId: titanic.id, spec: { method: 'stratified', target: 'Survived', fractions: [0.7, 0.15, 0.15], seed: 1 } });
}, 60_000);
afterAll(() => done());

describe('the problem card and the pipeline', () => {
  const card: ProblemCard = {
    schemaVersion: 1,
    objective: 'Who survived?',
    datasetId: '',
    target: 'Survived',
    task: 'binary',
    positiveClass: '1',
    primaryMetric: 'auc',
    secondaryMetrics: ['f1', 'log_loss'],
    updatedAt: 'x',
  };

  it('is null before it is saved, then reads back as saved', async () => {
    expect(await call('problem.get', { project: 'Voyage' })).toBeNull();
    const saved = await call('problem.save', { project: 'Voyage', card: { ...card, datasetId: titanic.id } });
    expect(saved.updatedAt).not.toBe('x');
    expect(await call('problem.get', { project: 'Voyage' })).toEqual(saved);
  });

  it('refuses a target the dataset does not have, and a metric of another task', async () => {
    await expect(call('problem.save', { project: 'Voyage', card: { ...card, datasetId: titanic.id, target: 'Nope' } })).rejects.toThrow('titanic has no column named "Nope"');
    await expect(call('problem.save', { project: 'Voyage', card: { ...card, datasetId: titanic.id, primaryMetric: 'rmse' } })).rejects.toThrow('cannot be the primary metric');
  });

  it('keeps the pipeline spec, validated', async () => {
    expect(await call('pipeline.get', { project: 'Voyage' })).toBeNull();
    const spec = defaultPipeline([{ name: 'Age', type: 'number' }, { name: 'Sex', type: 'category' }], 'Survived');
    expect(await call('pipeline.save', { project: 'Voyage', spec })).toEqual(spec);
    expect(await call('pipeline.get', { project: 'Voyage' })).toEqual(spec);
    await expect(call('pipeline.save', { project: 'Voyage', spec: { steps: [{ kind: 'explode' }] } as never })).rejects.toThrow();
  });
});

describe('experiments', () => {
  it('keeps a trained run with its pipeline and model, lists it and deletes it', async () => {
    const client = await startNodeDataWorker();
    const table = await client.request('open', { table: 't', fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path: join(root, 'Voyage', titanic.storedFile) } });
    const frame = await client.request('frame', { table: 't', columns: table.columns.filter((c) => ['Survived', 'Pclass', 'Sex', 'Age', 'Fare'].includes(c.name)).map((c) => ({ name: c.name })) });
    await client.terminate();
    const partitions = await call('splits.assignment', { project: 'Voyage', splitId: split.id });
    const plan: TrainingPlan = {
      target: 'Survived',
      task: 'binary',
      positiveClass: '1',
      pipeline: defaultPipeline(frame.columns.map((c) => ({ name: c.name, type: c.type })), 'Survived'),
      cv: { method: 'stratified', folds: 3 },
      imbalance: 'none',
      primaryMetric: 'auc',
      seed: 7,
    };
    const trained = await trainModel({ frame, partitions }, plan, { kind: 'logreg' }, modelFitters());
    expect(trained.result.validation.auc).toBeGreaterThan(0.75);
    const record = await call('experiments.save', {
      project: 'Voyage',
      record: { datasetId: titanic.id, datasetSha256: titanic.sha256, splitId: split.id, plan, result: trained.result, classes: trained.classes!, seconds: 1 },
      pipeline: JSON.parse(JSON.stringify(trained.pipeline)) as unknown,
      model: trained.model.toJSON(),
    });
    expect(record.id).toMatch(/^ex_[0-9a-f]{16}$/);
    expect(await readdir(join(root, 'Voyage', 'experiments', record.id))).toEqual(['model.json', 'pipeline.json', 'record.json']);
    expect(await call('experiments.list', { project: 'Voyage' })).toEqual([record]);
    const files = await call('experiments.files', { project: 'Voyage', id: record.id });
    expect(files.model.kind).toBe('logreg');
    const reloaded = await modelFitters().load(files.model);
    expect(reloaded.params).toEqual(trained.model.params);

    // A save that died half way leaves a hidden partial folder, which is never listed.
    await mkdir(join(root, 'Voyage', 'experiments', '.ex_0000000000000000.partial'));
    await writeFile(join(root, 'Voyage', 'experiments', '.ex_0000000000000000.partial', 'pipeline.json'), '{');
    expect((await call('experiments.list', { project: 'Voyage' })).map((r) => r.id)).toEqual([record.id]);

    await expect(
      call('experiments.save', { project: 'Voyage', record: { ...record, result: { ...record.result, kind: 'gbdt' } } as never, pipeline: trained.pipeline as unknown, model: trained.model.toJSON() }),
    ).rejects.toThrow();
    expect(await call('experiments.delete', { project: 'Voyage', id: record.id })).toEqual({ deleted: record.id });
    expect(await call('experiments.list', { project: 'Voyage' })).toEqual([]);
    await expect(call('experiments.files', { project: 'Voyage', id: 'ex_../../x' })).rejects.toThrow('is not an experiment id');
  }, 60_000);
});
