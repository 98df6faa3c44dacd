import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostArgs, HostChannel, HostResult } from '../../shared/host/contract.js';
import type { HandlerRegistry } from '../../shared/host/registry.js';
import type { DatasetRecord } from '../../shared/schema/project.js';
import type { SplitSpec } from '../../shared/schema/split.js';
import { DATASETS } from '../../test/team-files.js';
import { createNodeInspector } from '../../workers/data/node-inspector.js';
import { servicesForTest } from './fixtures/test-workspace.js';
import { createHandlerRegistry } from './index.js';

/**
 * Splits and saved queries through the host's registry (validators included), with the real data worker on a
 * real temp workspace and the team's titanic.csv.
 */

let registry: HandlerRegistry;
let root: string;
let scratch: string;
let done: () => Promise<void>;
let titanic: DatasetRecord;
const call = <C extends HostChannel>(channel: C, args: HostArgs<C>) => registry.dispatch(channel, args) as Promise<HostResult<C>>;
const spec: SplitSpec = { method: 'stratified', target: 'Survived', fractions: [0.7, 0.15, 0.15], seed: 42 };

beforeAll(async () => {
  const t = await servicesForTest({ inspector: createNodeInspector() });
  ({ root, scratch, done } = t);
  registry = createHandlerRegistry(t.services);
  await call('projects.create', { name: 'Voyage' });
  titanic = await call('datasets.import', { project: 'Voyage', file: { kind: 'path', path: join(DATASETS, 'titanic.csv') }, importId: 'i1' });
}, 60_000);
afterAll(() => done());

describe('splits', () => {
  it('stores a stratified split beside the project file, with its counts and assignment', async () => {
    const split = await call('splits.create', { project: 'Voyage', datasetId: titanic.id, spec });
    expect(split).toMatchObject({ datasetId: titanic.id, datasetSha256: titanic.sha256, rows: 891, spec });
    expect(split.counts).toEqual({ train: 624, validation: 134, test: 133, excluded: 0 });
    expect(split.classes).toEqual([
      { label: '0', counts: [384, 83, 82] },
      { label: '1', counts: [240, 51, 51] },
    ]);
    expect((await readdir(join(root, 'Voyage', 'splits'))).sort()).toEqual([`${split.id}.bin`, `${split.id}.json`]);
    const onDisk = JSON.parse(await readFile(join(root, 'Voyage', 'splits', `${split.id}.json`), 'utf8')) as { schemaVersion: number };
    expect(onDisk.schemaVersion).toBe(1);
    expect(await call('splits.list', { project: 'Voyage' })).toEqual([split]);
    expect(await call('splits.get', { project: 'Voyage', splitId: split.id })).toEqual(split);
    const bytes = await call('splits.assignment', { project: 'Voyage', splitId: split.id });
    expect(bytes.length).toBe(891);
    expect(bytes.filter((b) => b === 0).length).toBe(624);
    // project.json is not touched by a split.
    expect(JSON.stringify(await call('projects.open', { name: 'Voyage' }))).not.toContain(split.id);
  });

  it('refuses a second split of the same dataset, a damaged assignment and bad arguments', async () => {
    await expect(call('splits.create', { project: 'Voyage', datasetId: titanic.id, spec: { ...spec, seed: 1 } })).rejects.toMatchObject({ code: 'conflict' });
    await expect(call('splits.create', { project: 'Voyage', datasetId: titanic.id, spec: { ...spec, fractions: [0.7, 0.2, 0.2] } })).rejects.toMatchObject({ code: 'conflict' });
    await expect(call('splits.get', { project: 'Voyage', splitId: '../project' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(call('splits.create', { project: 'Voyage', datasetId: titanic.id, spec: { ...spec, method: 'magic' } as unknown as SplitSpec })).rejects.toMatchObject({ code: 'invalid-argument' });
    const [split] = await call('splits.list', { project: 'Voyage' });
    const bin = join(root, 'Voyage', 'splits', `${split!.id}.bin`);
    const good = await readFile(bin);
    await writeFile(bin, Buffer.from(good).fill(0, 0, 10));
    await expect(call('splits.assignment', { project: 'Voyage', splitId: split!.id })).rejects.toMatchObject({ code: 'bad-file' });
    await writeFile(bin, good);
  });

  it('saves a query result as a new dataset over the training rows, with the query as lineage', async () => {
    const [split] = await call('splits.list', { project: 'Voyage' });
    const sql = 'SELECT Sex, count(*) AS n FROM titanic GROUP BY 1 ORDER BY 1';
    const saved = await call('datasets.saveQuery', { project: 'Voyage', sql, name: 'By sex', sourceDatasetIds: [titanic.id] });
    expect(saved).toMatchObject({ name: 'By sex', format: 'parquet', rows: 2, columns: [{ name: 'Sex', type: 'VARCHAR' }, { name: 'n', type: 'BIGINT' }] });
    expect(saved.lineage).toEqual({ kind: 'query', sql, sources: [{ datasetId: titanic.id, name: 'titanic', sha256: titanic.sha256, splitId: split!.id, partition: 'train' }] });
    const project = await call('projects.open', { name: 'Voyage' });
    expect(project.datasets.map((d) => d.name)).toEqual(['titanic', 'By sex']);

    // The saved rows are the training partition's: the counts add up to 624, not 891 (one row only if so).
    const check = 'SELECT sum(n) AS rows FROM "By sex" HAVING sum(n) = 624';
    const total = await call('datasets.saveQuery', { project: 'Voyage', sql: check, name: 'Total', sourceDatasetIds: [saved.id] });
    expect(total.rows).toBe(1);
    expect(total.lineage?.sources).toEqual([{ datasetId: saved.id, name: 'By sex', sha256: saved.sha256 }]);
  });

  it('cannot read files through a saved query, and leaves the project as it was when one fails', async () => {
    const before = await call('projects.open', { name: 'Voyage' });
    await writeFile(join(scratch, 'secret'), 'a,b\n1,2\n');
    for (const sql of [`SELECT * FROM read_csv('${join(scratch, 'secret')}')`, 'SELECT nope FROM titanic', 'DROP TABLE titanic']) {
      await expect(call('datasets.saveQuery', { project: 'Voyage', sql, name: 'Leak', sourceDatasetIds: [titanic.id] })).rejects.toMatchObject({ code: 'invalid-argument' });
    }
    const after = await call('projects.open', { name: 'Voyage' });
    expect(after.datasets).toEqual(before.datasets);
    expect((await readdir(join(root, 'Voyage', 'datasets'))).filter((n) => n.endsWith('.partial'))).toEqual([]);
  });

  it('deletes a split, which unlocks the dataset for another', async () => {
    const [split] = await call('splits.list', { project: 'Voyage' });
    expect(await call('splits.delete', { project: 'Voyage', splitId: split!.id })).toEqual({ deleted: split!.id });
    expect(await call('splits.list', { project: 'Voyage' })).toEqual([]);
    await expect(call('splits.get', { project: 'Voyage', splitId: split!.id })).rejects.toMatchObject({ code: 'not-found' });
    const random = await call('splits.create', { project: 'Voyage', datasetId: titanic.id, spec: { method: 'random', fractions: [0.8, 0.1, 0.1], seed: 5 } });
    expect(random.counts).toMatchObject({ train: 713, validation: 89, test: 89 });
    expect(random.classes).toBeUndefined();
  });
});
