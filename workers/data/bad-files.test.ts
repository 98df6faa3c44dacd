import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, ftruncateSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataWorkerClient } from '../../shared/protocol/worker-client.js';
import type { DatasetFormat } from '../../shared/schema/project.js';
import { startNodeDataWorker } from './node-client.js';

/**
 * The bad-file corpus: each file gets a message that says what is wrong and where, nothing crashes, and the worker
 * keeps answering. Real DuckDB-WASM in the real worker thread, real files in a temp folder.
 */

const dir = mkdtempSync(join(tmpdir(), 'orchard-bad-'));
const file = (name: string) => join(dir, name);
let worker: DataWorkerClient;
let tables = 0;

beforeAll(async () => {
  worker = await startNodeDataWorker();
  const lines = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n');
  writeFileSync(file('empty.csv'), '');
  writeFileSync(file('blank.csv'), '\n  \n');
  writeFileSync(file('header-only.csv'), 'id,name,score\n');
  writeFileSync(file('ragged.csv'), 'a,b,c\n1,2,3\n4,5\n6,7,8\n');
  // Past the 4 MB Orchard scans itself: DuckDB finds it, and its message is said the same way.
  writeFileSync(file('late-ragged.csv'), `a,b\n${lines(450_000, (i) => `${i},${i}`)}\n1,2,3\n`);
  writeFileSync(file('unclosed.csv'), 'a,b\n1,"two\n3,4\n');
  const wasm = createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm');
  writeFileSync(file('garbage.csv'), readFileSync(wasm).subarray(0, 5000));
  writeFileSync(file('duplicates.csv'), 'x,y,x,x\n1,2,3,4\n');
  writeFileSync(file('unnamed.csv'), 'a,,c,\n1,2,3,4\n');
  const wide = Array.from({ length: 10_000 }, (_, i) => i);
  writeFileSync(file('wide.csv'), `${wide.map((i) => `c${i}`).join(',')}\n${wide.join(',')}\n${wide.map((i) => i * 2).join(',')}\n`);
  // Big files that take no disk: sparse files. A CSV is streamed up to 4 GB; formats read whole stop at 1.5 GB.
  for (const [name, size] of [['huge.csv', 5 * 1024 ** 3], ['huge.parquet', 2 * 1024 ** 3]] as const) {
    const big = openSync(file(name), 'w');
    ftruncateSync(big, size);
    closeSync(big);
  }
});
afterAll(async () => {
  await worker.terminate();
  rmSync(dir, { recursive: true, force: true });
});

function open(name: string, format: DatasetFormat = 'csv') {
  return worker.request('open', { table: `t${++tables}`, fileName: name, format, source: { kind: 'path', path: file(name) } });
}

describe('bad files', () => {
  it.each([
    ['empty.csv', 'empty.csv is empty.'],
    ['blank.csv', 'blank.csv is empty.'],
    ['ragged.csv', 'ragged.csv has rows of different lengths: line 3 has 2 fields, expected 3 like line 1.'],
    ['late-ragged.csv', 'late-ragged.csv has rows of different lengths: line 450002 has 3 fields, expected 2 like line 1.'],
    ['unclosed.csv', 'unclosed.csv has a quote that is never closed: it opens on line 2.'],
    ['garbage.csv', 'garbage.csv is not a text CSV file (it contains binary data).'],
    [
      'huge.csv',
      'huge.csv is 5.0 GB, larger than Orchard can load (4.0 GB: the data engine has 4 GB of memory). ' +
        'Split the file, or keep only the columns you need, and import the parts.',
    ],
    [
      'huge.parquet',
      'huge.parquet is 2.0 GB, larger than Orchard can load (1.5 GB: the data engine has 4 GB of memory). ' +
        'Split the file, or keep only the columns you need, and import the parts.',
    ],
  ])('refuses %s: "%s", and the worker keeps answering', async (name, message) => {
    await expect(open(name, name.endsWith('.parquet') ? 'parquet' : 'csv')).rejects.toMatchObject({ code: 'bad-file', message });
    expect((await worker.request('init', {})).version).toMatch(/^DuckDB/);
  });

  it('reads a header-only file as 0 rows, and the preview says so', async () => {
    const info = await open('header-only.csv');
    expect([info.rows, info.columns.map((c) => c.name)]).toEqual([0, ['id', 'name', 'score']]);
    const preview = await worker.request('preview', { fileName: 'header-only.csv', format: 'csv', source: { kind: 'path', path: file('header-only.csv') } });
    expect(preview.notes).toContain('The file has a header but no rows: it imports as 0 rows.');
  });

  it('renames repeated column names and says which', async () => {
    const info = await open('duplicates.csv');
    expect(info.columns.map((c) => c.name)).toEqual(['x', 'y', 'x_1', 'x_2']);
    expect(info.notes).toEqual(['The name "x" appears 3 times in the header; the columns are called "x", "x_1", "x_2".']);
  });

  it('names columns without a name column_N and says so', async () => {
    const info = await open('unnamed.csv');
    expect(info.columns.map((c) => c.name)).toEqual(['a', 'column_2', 'c', 'column_4']);
    expect(info.notes).toEqual(['Columns 2, 4 had no name in the header; named column_2, column_4.']);
  });

  it('reads 10,000 columns', async () => {
    const info = await open('wide.csv');
    expect([info.rows, info.columns.length, info.columns[9999]?.name]).toEqual([2, 10_000, 'c9999']);
    const { rows } = await worker.request('page', { table: `t${tables}`, offset: 1, limit: 1 });
    expect(rows[0]?.[9999]).toBe(19998);
  });
});
