import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { HostError } from '../../shared/host/errors.js';
import { projectDocument } from '../../shared/schema/project.js';
import { readDocument } from '../../shared/schema/document.js';
import { csvLineCounter, servicesForTest } from './fixtures/test-workspace.js';

let t: Awaited<ReturnType<typeof servicesForTest>>;
afterEach(async () => {
  await t.done();
});

const CSV = 'age,income,city\n34,52000,Lyon\n51,61000,Graz\n29,38000,Turku\n';

async function setUp(overrides: Parameters<typeof servicesForTest>[0] = {}): Promise<void> {
  t = await servicesForTest(overrides);
  await t.services.handlers['projects.create']({ name: 'demo' });
}

const failure = async (promise: Promise<unknown>): Promise<HostError> => {
  try {
    await promise;
  } catch (err) {
    return err as HostError;
  }
  throw new Error('expected the call to fail');
};

/** The project's document bytes and its datasets/ listing, to prove a failed import changed nothing. */
const snapshot = async (): Promise<{ doc: string; datasets: string[] }> => ({
  doc: await readFile(join(t.root, 'demo', 'project.json'), 'utf8'),
  datasets: await readdir(join(t.root, 'demo', 'datasets')).catch(() => []),
});

const importPath = (path: string, importId = 'imp-1') =>
  t.services.handlers['datasets.import']({ project: 'demo', file: { kind: 'path', path }, importId });

describe('datasets.import', () => {
  it('copies the file, hashes it, records it and reports progress', async () => {
    await setUp();
    const file = join(t.scratch, 'loans 2024.csv');
    await writeFile(file, CSV);
    const record = await importPath(file);
    expect(record).toMatchObject({
      name: 'loans 2024',
      originalName: 'loans 2024.csv',
      format: 'csv',
      sha256: createHash('sha256').update(CSV).digest('hex'),
      sizeBytes: Buffer.byteLength(CSV),
      rows: 3,
      columns: [
        { name: 'age', type: 'VARCHAR' },
        { name: 'income', type: 'VARCHAR' },
        { name: 'city', type: 'VARCHAR' },
      ],
    });
    expect(record.id).toMatch(/^ds_[0-9a-f]{16}$/);
    expect(record.storedFile).toBe(`datasets/${record.id}/loans 2024.csv`);
    expect(await readFile(join(t.root, 'demo', ...record.storedFile.split('/')), 'utf8')).toBe(CSV);
    expect(await readdir(join(t.root, 'demo', 'datasets'))).toEqual([record.id]);
    const saved = readDocument(projectDocument, JSON.parse(await readFile(join(t.root, 'demo', 'project.json'), 'utf8')));
    expect(saved.datasets).toEqual([record]);
    const phases = t.events.filter((e) => e.event === 'import.progress').map((e) => e.payload);
    expect(phases.map((p) => ('phase' in p ? p.phase : '')).filter((p, i, all) => all[i - 1] !== p)).toEqual(['copy', 'inspect', 'save']);
    expect(phases.at(-1)).toEqual({ importId: 'imp-1', phase: 'save', fraction: 1 });
    expect(t.events.slice(-2)).toContainEqual({ event: 'projects.changed', payload: { project: 'demo' } });
  });

  it('refuses bad files with a clear message and leaves the project exactly as it was', async () => {
    await setUp();
    const before = await snapshot();
    const cases: { name: string; content?: Buffer | string; code: string; message: RegExp }[] = [
      { name: 'missing.csv', code: 'not-found', message: /^There is no file at .*missing\.csv\.$/ },
      { name: 'empty.csv', content: '', code: 'bad-file', message: /^empty\.csv is empty\.$/ },
      { name: 'photo.csv', content: randomBytes(4096), code: 'bad-file', message: /photo\.csv is not a text file: it contains binary data/ },
      { name: 'book.xlsx', content: 'PK', code: 'bad-file', message: /book\.xlsx is a \.xlsx file; Orchard imports CSV \(\.csv, \.tsv, \.txt\), Parquet \(\.parquet, \.pq\) or JSON \(\.json, \.ndjson, \.jsonl\)/ },
      { name: 'fake.parquet', content: 'not parquet at all', code: 'bad-file', message: /fake\.parquet is not a Parquet file/ },
    ];
    for (const c of cases) {
      const path = join(t.scratch, c.name);
      if (c.content !== undefined) await writeFile(path, c.content);
      const err = await failure(importPath(path));
      expect({ code: err.code, message: err.message }).toEqual({ code: c.code, message: expect.stringMatching(c.message) });
      expect(await snapshot()).toEqual(before);
    }
    await mkdir(join(t.scratch, 'folder.csv'));
    expect((await failure(importPath(join(t.scratch, 'folder.csv')))).message).toMatch(/folder\.csv is not a file/);
  });

  it('removes the partial copy when the data engine refuses the file', async () => {
    await setUp({ inspector: csvLineCounter({ fail: 'loans.csv has no header row.' }) });
    const before = await snapshot();
    await writeFile(join(t.scratch, 'loans.csv'), CSV);
    const err = await failure(importPath(join(t.scratch, 'loans.csv')));
    expect({ code: err.code, message: err.message }).toEqual({ code: 'bad-file', message: 'loans.csv has no header row.' });
    expect(await readdir(join(t.root, 'demo', 'datasets'))).toEqual([]);
    expect((await snapshot()).doc).toBe(before.doc);
  });

  it('refuses a path where the host does not allow paths, and a missing project', async () => {
    await setUp({ allowPathRefs: false });
    await writeFile(join(t.scratch, 'loans.csv'), CSV);
    expect((await failure(importPath(join(t.scratch, 'loans.csv')))).code).toBe('not-supported');
    const other = t.services.handlers['datasets.import']({ project: 'nope', file: { kind: 'upload', uploadId: 'x', originalName: 'a.csv' }, importId: 'i' });
    expect((await failure(other)).code).toBe('not-found');
  });

  it('imports a staged upload and removes it either way', async () => {
    await setUp({ allowPathRefs: false });
    const { uploadId } = await t.services.stageUpload(Readable.from([Buffer.from(CSV)]), 'from browser.csv', Buffer.byteLength(CSV));
    expect(await readdir(join(t.root, '.staging'))).toEqual([uploadId]);
    const record = await t.services.handlers['datasets.import']({
      project: 'demo',
      file: { kind: 'upload', uploadId, originalName: 'from browser.csv' },
      importId: 'up-1',
    });
    expect(record).toMatchObject({ originalName: 'from browser.csv', rows: 3 });
    expect(await readdir(join(t.root, '.staging'))).toEqual([]);

    const bad = await t.services.stageUpload(Readable.from([Buffer.alloc(0)]), 'blank.csv');
    const err = await failure(
      t.services.handlers['datasets.import']({ project: 'demo', file: { kind: 'upload', uploadId: bad.uploadId, originalName: 'blank.csv' }, importId: 'up-2' }),
    );
    expect(err.message).toBe('blank.csv is empty.');
    expect(await readdir(join(t.root, '.staging'))).toEqual([]);

    for (const uploadId of ['../demo/project.json', '..', 'a/b']) {
      const refused = t.services.handlers['datasets.import']({ project: 'demo', file: { kind: 'upload', uploadId, originalName: 'x.csv' }, importId: 'up-3' });
      expect((await failure(refused)).code).toBe('invalid-argument');
    }
    expect((await t.services.handlers['projects.open']({ name: 'demo' })).datasets).toHaveLength(1);
  });

  it('keeps every record when imports into one project finish together', async () => {
    await setUp();
    const files = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => {
        const path = join(t.scratch, `part-${i}.csv`);
        await writeFile(path, CSV + `${i},${i},Oslo\n`);
        return path;
      }),
    );
    const records = await Promise.all(files.map((path, i) => importPath(path, `imp-${i}`)));
    const doc = await t.services.handlers['projects.open']({ name: 'demo' });
    expect(doc.datasets.map((d) => d.id).sort()).toEqual(records.map((r) => r.id).sort());
    expect((await readdir(join(t.root, 'demo', 'datasets'))).sort()).toEqual(records.map((r) => r.id).sort());
  });

  it('refuses to rename or delete a project while a file is being imported into it', async () => {
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await setUp({ inspector: csvLineCounter({ gate: () => held }) });
    await writeFile(join(t.scratch, 'slow.csv'), CSV);
    const importing = importPath(join(t.scratch, 'slow.csv'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await failure(t.services.handlers['projects.rename']({ name: 'demo', newName: 'other' }))).code).toBe('conflict');
    expect((await failure(t.services.handlers['projects.delete']({ name: 'demo' }))).code).toBe('conflict');
    release();
    await importing;
    expect((await t.services.handlers['projects.rename']({ name: 'demo', newName: 'other' })).datasets).toHaveLength(1);
  });
});

describe('datasets.remove and datasets.read', () => {
  it('reads the stored bytes, removes a dataset, and says not-found after', async () => {
    await setUp();
    await writeFile(join(t.scratch, 'loans.csv'), CSV);
    const record = await importPath(join(t.scratch, 'loans.csv'));
    const bytes = await t.services.handlers['datasets.read']({ project: 'demo', datasetId: record.id });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(bytes).toString('utf8')).toBe(CSV);
    const doc = await t.services.handlers['datasets.remove']({ project: 'demo', datasetId: record.id });
    expect(doc.datasets).toEqual([]);
    expect(await readdir(join(t.root, 'demo', 'datasets'))).toEqual([]);
    expect((await failure(t.services.handlers['datasets.read']({ project: 'demo', datasetId: record.id }))).code).toBe('not-found');
    expect((await failure(t.services.handlers['datasets.remove']({ project: 'demo', datasetId: record.id }))).code).toBe('not-found');
  });

  it('refuses to read a stored copy over 1.5 GB in one piece, and reads it in ranges', async () => {
    await setUp();
    await writeFile(join(t.scratch, 'big.csv'), CSV);
    const record = await importPath(join(t.scratch, 'big.csv'));
    // A sparse file: 1.6 GB long without taking the space.
    const size = Math.round(1.6 * 1024 ** 3);
    await truncate(join(t.root, 'demo', ...record.storedFile.split('/')), size);
    const read = t.services.handlers['datasets.read'];
    const err = await failure(read({ project: 'demo', datasetId: record.id }));
    expect({ code: err.code, message: err.message }).toEqual({
      code: 'not-supported',
      message: 'big.csv is 1.6 GB, too large to read in one piece: the limit is 1.5 GB; read it in ranges.',
    });
    expect(Buffer.from(await read({ project: 'demo', datasetId: record.id, offset: 0, length: 5 })).toString('utf8')).toBe(CSV.slice(0, 5));
    expect((await read({ project: 'demo', datasetId: record.id, offset: size - 3, length: 1000 })).byteLength).toBe(3);
    expect((await read({ project: 'demo', datasetId: record.id, offset: size + 10, length: 1000 })).byteLength).toBe(0);
  });
});
