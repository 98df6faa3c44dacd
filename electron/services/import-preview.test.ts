import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEventName, HostEvents } from '../../shared/host/contract.js';
import type { EmitEvent } from '../../shared/host/registry.js';
import { DATASETS } from '../../test/team-files.js';
import { createNodeInspector } from '../../workers/data/node-inspector.js';
import { servicesForTest } from './fixtures/test-workspace.js';

/**
 * Preview, import options, the Parquet copy and cancelling, through the host's services with the real data
 * engine (a Node worker thread) on real files in a temp workspace.
 */

let t: Awaited<ReturnType<typeof servicesForTest>>;
/** Called on every event; a test sets it to cancel at the moment it wants. */
let onEvent: <E extends HostEventName>(event: E, payload: HostEvents[E]) => void = () => undefined;

beforeAll(async () => {
  const emit: EmitEvent = (event, payload) => onEvent(event, payload);
  t = await servicesForTest({ inspector: createNodeInspector(), emit });
  await t.services.handlers['projects.create']({ name: 'demo' });
});
afterAll(() => t.done());

const h = () => t.services.handlers;
const adult = { kind: 'path' as const, path: join(DATASETS, 'adult.csv') };
const snapshot = async () => ({
  doc: await readFile(join(t.root, 'demo', 'project.json'), 'utf8'),
  datasets: await readdir(join(t.root, 'demo', 'datasets')).catch(() => []),
});

describe('datasets.preview', () => {
  it('shows how adult.csv will be read, with "?" among the missing-value tokens, and saves nothing', async () => {
    const before = await snapshot();
    const preview = await h()['datasets.preview']({ project: 'demo', file: adult });
    expect(preview.detected).toEqual({ format: 'csv', delimiter: ',', quote: '"', header: true, encoding: 'UTF-8' });
    expect(preview.missingTokens).toContain('?');
    expect(preview.columns.find((c) => c.name === 'workclass')).toEqual({ name: 'workclass', detectedType: 'VARCHAR', suggested: 'category' });
    expect(preview.sampleRows[0]?.slice(0, 2)).toEqual([39, 'State-gov']);
    expect(await snapshot()).toEqual(before);
  });
});

describe('datasets.import with options', () => {
  it('stores the typed table as Parquet beside the original and records how the file was read', async () => {
    const record = await h()['datasets.import']({
      project: 'demo',
      file: adult,
      importId: 'adult-1',
      options: { types: { fnlwgt: 'ignore', 'education-num': 'category' } },
    });
    expect([record.rows, record.columns.length]).toEqual([48842, 14]);
    expect(record.columns.find((c) => c.name === 'education-num')).toEqual({ name: 'education-num', type: 'VARCHAR', kind: 'category', missing: 0 });
    expect(record.columns.find((c) => c.name === 'workclass')?.missing).toBe(2799);
    expect(record.read).toEqual({
      delimiter: ',',
      quote: '"',
      header: true,
      encoding: 'UTF-8',
      missingTokens: ['', 'NA', 'N/A', 'null', '?'],
      types: { fnlwgt: 'ignore', 'education-num': 'category' },
    });
    const original = await readFile(adult.path);
    expect(record.sha256).toBe(createHash('sha256').update(original).digest('hex'));
    expect(record.sources).toEqual([{ originalName: 'adult.csv', sha256: record.sha256, sizeBytes: original.byteLength, storedFile: record.storedFile }]);
    expect(record.parquetFile).toBe(`datasets/${record.id}/data.parquet`);
    const parquet = await readFile(join(t.root, 'demo', ...record.parquetFile!.split('/')));
    expect(record.parquetSha256).toBe(createHash('sha256').update(parquet).digest('hex'));
    const table = await h()['datasets.read']({ project: 'demo', datasetId: record.id, copy: 'table' });
    expect(Buffer.from(table).equals(parquet)).toBe(true);
    expect(Buffer.from(table.subarray(0, 4)).toString()).toBe('PAR1');
    expect(Buffer.from(await h()['datasets.read']({ project: 'demo', datasetId: record.id })).equals(original)).toBe(true);
  });
});

describe('files dropped together', () => {
  it('appends files whose columns match (any order, compatible types) into one dataset, recording each source', async () => {
    const jan = join(t.scratch, 'jan.csv');
    const feb = join(t.scratch, 'feb.csv');
    await writeFile(jan, 'id,amount,region\n1,10,north\n2,20,south\n');
    await writeFile(feb, 'region,id,amount\neast,3,30.5\n');
    const record = await h()['datasets.import']({ project: 'demo', file: { kind: 'path', path: jan }, importId: 'months', append: [{ kind: 'path', path: feb }] });
    expect(record.rows).toBe(3);
    expect(record.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:BIGINT', 'amount:DOUBLE', 'region:VARCHAR']);
    expect(record.sources?.map((s) => [s.originalName, s.storedFile])).toEqual([
      ['jan.csv', `datasets/${record.id}/jan.csv`],
      ['feb.csv', `datasets/${record.id}/feb.csv`],
    ]);
    const feb2 = createHash('sha256').update(await readFile(feb)).digest('hex');
    expect(record.sources?.[1]?.sha256).toBe(feb2);
  });

  it('refuses to append files whose columns differ, saying how, and saves nothing', async () => {
    const before = await snapshot();
    const a = join(t.scratch, 'a.csv');
    const b = join(t.scratch, 'b.csv');
    await writeFile(a, 'id,amount\n1,10\n');
    await writeFile(b, 'id,amount,extra\nx,10,1\n');
    await expect(h()['datasets.import']({ project: 'demo', file: { kind: 'path', path: a }, importId: 'ab', append: [{ kind: 'path', path: b }] })).rejects.toMatchObject({
      code: 'conflict',
      message: 'These files cannot be appended: "extra" is only in b.csv. "id" is number in a.csv but text in b.csv.',
    });
    expect(await snapshot()).toEqual(before);
  });
});

describe('bad files and cancelling leave the project as it was', () => {
  it.each([
    ['huge.csv', 5, /^huge\.csv is 5\.0 GB, larger than Orchard can load \(4\.0 GB/],
    ['huge.parquet', 2, /^huge\.parquet is 2\.0 GB, larger than Orchard can load \(1\.5 GB/],
  ])('refuses %s over its limit before copying it, saying the limit', async (name, gb, message) => {
    const before = await snapshot();
    const huge = join(t.scratch, name);
    const fd = openSync(huge, 'w');
    ftruncateSync(fd, gb * 1024 ** 3);
    closeSync(fd);
    await expect(h()['datasets.import']({ project: 'demo', file: { kind: 'path', path: huge }, importId: 'huge' })).rejects.toMatchObject({
      code: 'bad-file',
      message: expect.stringMatching(message) as string,
    });
    expect(await snapshot()).toEqual(before);
  });

  it('cancels during the copy', async () => {
    const before = await snapshot();
    const big = join(t.scratch, 'big.csv');
    await writeFile(big, 'a,b\n' + '1,2\n'.repeat(20_000_000));
    onEvent = (event, payload) => {
      const p = payload as HostEvents['import.progress'];
      if (event === 'import.progress' && p.importId === 'big' && p.phase === 'copy' && p.fraction > 0) void h()['datasets.cancelImport']({ importId: 'big' });
    };
    const run = h()['datasets.import']({ project: 'demo', file: { kind: 'path', path: big }, importId: 'big' });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    expect(await snapshot()).toEqual(before);
  });

  it('cancels while the data engine reads the file, and the next import works', async () => {
    const before = await snapshot();
    const seen: boolean[] = [];
    onEvent = (event, payload) => {
      const p = payload as HostEvents['import.progress'];
      if (event === 'import.progress' && p.importId === 'slow' && p.phase === 'inspect' && p.fraction === 0) {
        void h()['datasets.cancelImport']({ importId: 'slow' }).then((r) => seen.push(r.cancelled));
      }
    };
    await expect(h()['datasets.import']({ project: 'demo', file: adult, importId: 'slow' })).rejects.toMatchObject({ code: 'cancelled' });
    expect(seen).toEqual([true]);
    expect(await snapshot()).toEqual(before);
    onEvent = () => undefined;
    expect(await h()['datasets.cancelImport']({ importId: 'nothing-running' })).toEqual({ cancelled: false });
    const titanic = await h()['datasets.import']({ project: 'demo', file: { kind: 'path', path: join(DATASETS, 'titanic.csv') }, importId: 'after' });
    expect(titanic.rows).toBe(891);
  });
});
