import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Float64, Int64, Table, Utf8, vectorFromArray, tableToIPC, Int32, Bool, DateDay, TimestampMillisecond } from 'apache-arrow';
import { Table as ParquetTable, writeParquet } from 'parquet-wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostError } from '../../shared/host/errors.js';
import type { Cell, DataProgress, DataRequestType } from '../../shared/protocol/data-worker.js';
import type { ColumnInfo } from '../../shared/schema/project.js';
import { CORPUS, DATASETS } from '../../test/team-files.js';
import { ENGINE_TARGETS, type Request } from './test-support.js';

/**
 * One behaviour suite, run against the engine in this process and against the worker thread through its client
 * (STYLE item 9). Real DuckDB-WASM, real parquet-wasm, real files.
 */

const targets = ENGINE_TARGETS;

const PARQUET_TESTING = join(CORPUS, 'parquet-testing');
const dir = mkdtempSync(join(tmpdir(), 'orchard-data-'));
const file = (name: string) => join(dir, name);

beforeAll(() => {
  const lines = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('\n');
  writeFileSync(file('empty.csv'), '');
  writeFileSync(file('header.csv'), 'a,b,c\n');
  writeFileSync(file('rowid.csv'), 'rowid,name\n5,e\n3,c\n9,i\n');
  writeFileSync(file('latin1.csv'), Buffer.from('name,city\nJos\xe9,M\xfcnchen\n', 'latin1'));
  writeFileSync(file('late-text.csv'), `id,val\n${lines(30000, (i) => `${i},${i}`)}\n30000,n/a\n`);
  writeFileSync(file('ragged.csv'), `id,val\n${lines(30000, (i) => `${i},${i}`)}\n30000,1,2\n`);
  const wasm = createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm');
  writeFileSync(file('binary.csv'), readFileSync(wasm).subarray(0, 20_000));
  writeFileSync(file('typed.parquet'), parquetOf(typedTable()));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function parquetOf(table: Table): Uint8Array {
  return writeParquet(ParquetTable.fromIPCStream(tableToIPC(table, 'stream')));
}

function typedTable(): Table {
  return new Table({
    id: vectorFromArray([1, 2, 3], new Int32()),
    big: vectorFromArray([1n, 9007199254740993n, null], new Int64()),
    name: vectorFromArray(['a', null, 'ç'], new Utf8()),
    score: vectorFromArray([1.5, Number.NaN, null], new Float64()),
    ok: vectorFromArray([true, false, null], new Bool()),
    day: vectorFromArray([new Date('2020-01-02'), null, new Date('1969-12-31')], new DateDay()),
    at: vectorFromArray([new Date('2020-01-02T03:04:05.123Z'), null, null], new TimestampMillisecond()),
  });
}

/** Arrow columns built back from cells, to write the same rows as Parquet. */
function arrowFromCells(columns: ColumnInfo[], rows: Cell[][]): Table {
  const vectors = columns.map((c, i) => {
    const values = rows.map((r) => r[i] ?? null);
    if (c.type === 'BIGINT') return vectorFromArray(values.map((v) => (v === null ? null : BigInt(v as number))), new Int64());
    if (c.type === 'DOUBLE') return vectorFromArray(values as (number | null)[], new Float64());
    return vectorFromArray(values as (string | null)[], new Utf8());
  });
  return new Table(Object.fromEntries(columns.map((c, i) => [c.name, vectors[i]!])));
}

const path = (p: string) => ({ kind: 'path' as const, path: p });
const csv = (table: string, p: string) => ({ table, fileName: p.split('/').pop()!, format: 'csv' as const, source: path(p) });
const parquet = (table: string, p: string) => ({ table, fileName: p.split('/').pop()!, format: 'parquet' as const, source: path(p) });

describe.each(targets)('the data engine through $name', (target) => {
  let request: Request;
  let stop: () => Promise<void>;
  const failure = (promise: Promise<unknown>) => promise.then(() => new Error('expected a refusal'), (e: unknown) => e);

  beforeAll(async () => {
    ({ request, stop } = await target.start());
    await request('open', csv('titanic', `${DATASETS}/titanic.csv`));
  });
  afterAll(() => stop());

  it('answers init with the DuckDB version', async () => {
    expect((await request('init', {})).version).toMatch(/^DuckDB v\d+\.\d+/);
  });

  it('reads titanic.csv: 891 rows, its 12 columns with sniffed types', async () => {
    const info = await request('open', csv('titanic', `${DATASETS}/titanic.csv`));
    expect(info.rows).toBe(891);
    expect(info.columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'PassengerId:BIGINT', 'Survived:BIGINT', 'Pclass:BIGINT', 'Name:VARCHAR', 'Sex:VARCHAR', 'Age:DOUBLE',
      'SibSp:BIGINT', 'Parch:BIGINT', 'Ticket:VARCHAR', 'Fare:DOUBLE', 'Cabin:VARCHAR', 'Embarked:VARCHAR',
    ]);
    const { rows } = await request('page', { table: 'titanic', offset: 0, limit: 1 });
    expect(rows).toEqual([[1, 0, 3, 'Braund, Mr. Owen Harris', 'male', 22, 1, 0, 'A/5 21171', 7.25, null, 'S']]);
  });

  it('reads the same table from bytes as from a path', async () => {
    const bytes = new Uint8Array(readFileSync(`${DATASETS}/titanic.csv`));
    const info = await request('open', { table: 'titanic_bytes', fileName: 'titanic.csv', format: 'csv', source: { kind: 'bytes', bytes } });
    expect(info.rows).toBe(891);
    const [a, b] = await Promise.all(['titanic', 'titanic_bytes'].map((table) => request('page', { table, offset: 300, limit: 20 })));
    expect(b).toEqual(a);
    await request('close', { table: 'titanic_bytes' });
  });

  it('reads adult.csv: 48,842 rows of 15 columns, and caps a page at 5000 rows', async () => {
    const info = await request('open', csv('adult', `${DATASETS}/adult.csv`));
    expect([info.rows, info.columns.length]).toEqual([48842, 15]);
    const big = await request('page', { table: 'adult', offset: 0, limit: 100_000 });
    expect(big.rows).toHaveLength(5000);
    const last = await request('page', { table: 'adult', offset: 48841, limit: 10 });
    expect(last.rows[0]?.slice(0, 3)).toEqual([35, 'Self-emp-inc', 182148]);
    expect(await request('close', { table: 'adult' })).toEqual({ closed: true });
  });

  it('pages titanic in file order: first, middle and last pages, past the end, deterministically', async () => {
    const ids = async (offset: number, limit: number) =>
      (await request('page', { table: 'titanic', offset, limit })).rows.map((r) => r[0]);
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(await ids(0, 10)).toEqual(range(1, 10));
    expect(await ids(400, 25)).toEqual(range(401, 425));
    expect(await ids(880, 50)).toEqual(range(881, 891));
    expect(await ids(891, 50)).toEqual([]);
    expect(await ids(5, 0)).toEqual([]);
    const whole = await request('page', { table: 'titanic', offset: 0, limit: 891 });
    const pieces = await Promise.all([0, 300, 600].map((offset) => request('page', { table: 'titanic', offset, limit: 300 })));
    expect(pieces.flatMap((p) => p.rows)).toEqual(whole.rows);
    expect(await request('page', { table: 'titanic', offset: 0, limit: 891 })).toEqual(whole);
  });

  it('keeps file order when a column named "rowid" hides DuckDB\'s row id', async () => {
    await request('open', csv('with_rowid', file('rowid.csv')));
    expect((await request('page', { table: 'with_rowid', offset: 1, limit: 5 })).rows).toEqual([[3, 'c'], [9, 'i']]);
  });

  it('reads a header-only CSV as 0 rows, and a Latin-1 CSV as text', async () => {
    const header = await request('open', csv('header_only', file('header.csv')));
    expect([header.rows, header.columns.map((c) => c.name)]).toEqual([0, ['a', 'b', 'c']]);
    await request('open', csv('latin', file('latin1.csv')));
    expect((await request('page', { table: 'latin', offset: 0, limit: 5 })).rows).toEqual([['José', 'München']]);
  });

  it('re-reads a CSV whose late value does not fit the sniffed type, rather than refusing it', async () => {
    const info = await request('open', csv('late', file('late-text.csv')));
    expect([info.rows, info.columns[1]?.type]).toEqual([30001, 'VARCHAR']);
  });

  it('writes titanic to Parquet and reads back the same rows and types', async () => {
    const csvInfo = await request('open', csv('titanic', `${DATASETS}/titanic.csv`));
    const csvRows = (await request('page', { table: 'titanic', offset: 0, limit: 891 })).rows;
    const bytes = parquetOf(arrowFromCells(csvInfo.columns, csvRows));
    const info = await request('open', { table: 'titanic_pq', fileName: 'titanic.parquet', format: 'parquet', source: { kind: 'bytes', bytes } });
    expect(info.columns).toEqual(csvInfo.columns);
    expect((await request('page', { table: 'titanic_pq', offset: 0, limit: 891 })).rows).toEqual(csvRows);
  });

  it('turns Parquet values into JSON-safe cells', async () => {
    const info = await request('open', parquet('typed', file('typed.parquet')));
    expect(info.columns.map((c) => c.type)).toEqual(['INTEGER', 'BIGINT', 'VARCHAR', 'DOUBLE', 'BOOLEAN', 'DATE', 'TIMESTAMP_MS']);
    expect((await request('page', { table: 'typed', offset: 0, limit: 10 })).rows).toEqual([
      [1, 1, 'a', 1.5, true, '2020-01-02', '2020-01-02T03:04:05.123'],
      [2, '9007199254740993', null, 'NaN', false, null, null],
      [3, null, 'ç', null, null, '1969-12-31', null],
    ]);
  });

  // Row counts checked independently with native DuckDB's own Parquet reader (@duckdb/node-api 1.5) and, for
  // hadoop_lz4_compressed_larger, the file's footer; ids and values likewise.
  it.each([
    ['alltypes_plain', 8],
    ['alltypes_tiny_pages', 7300],
    ['datapage_v1-snappy-compressed-checksum', 5120],
    ['hadoop_lz4_compressed_larger', 10000],
    ['int96_from_spark', 6],
    ['byte_array_decimal', 24],
    ['concatenated_gzip_members', 513],
  ])('reads parquet-testing %s.parquet: %i rows', async (name, rows) => {
    const info = await request('open', parquet('pq', `${PARQUET_TESTING}/data/${name}.parquet`));
    expect(info.rows).toBe(rows);
  });

  it('reads parquet-testing values in file order', async () => {
    await request('open', parquet('plain', `${PARQUET_TESTING}/data/alltypes_plain.parquet`));
    expect((await request('page', { table: 'plain', offset: 0, limit: 10 })).rows.map((r) => r[0])).toEqual([4, 5, 6, 7, 2, 3, 0, 1]);
    await request('open', parquet('tiny', `${PARQUET_TESTING}/data/alltypes_tiny_pages.parquet`));
    const pages = await Promise.all([0, 5000].map((offset) => request('page', { table: 'tiny', offset, limit: 5000 })));
    expect(pages.flatMap((p) => p.rows).reduce((sum, r) => sum + (r[0] as number), 0)).toBe(26641350);
    await request('open', parquet('decimals', `${PARQUET_TESTING}/data/byte_array_decimal.parquet`));
    expect((await request('page', { table: 'decimals', offset: 0, limit: 3 })).rows).toEqual([[1], [2], [3]]);
    await request('open', parquet('spark', `${PARQUET_TESTING}/data/int96_from_spark.parquet`));
    expect((await request('page', { table: 'spark', offset: 0, limit: 1 })).rows).toEqual([['2024-01-01T20:34:56.123']]);
  });

  it('refuses nested Parquet columns by name', async () => {
    const err = await failure(request('open', parquet('nested', `${PARQUET_TESTING}/data/list_columns.parquet`)));
    expect(err).toMatchObject({ code: 'bad-file' });
    expect((err as Error).message).toMatch(/list_columns\.parquet has nested columns.*"int64_list", "utf8_list"/);
    const structs = await failure(request('open', parquet('nested', `${PARQUET_TESTING}/data/nested_structs.rust.parquet`)));
    expect((structs as Error).message).toMatch(/nested columns.*"roll_num"/);
  });

  it.each(['PARQUET-1481', 'ARROW-GH-41321', 'ARROW-GH-47662'])('refuses bad_data/%s.parquet and still answers', async (name) => {
    const err = await failure(request('open', parquet('broken', `${PARQUET_TESTING}/bad_data/${name}.parquet`)));
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'bad-file', message: expect.stringMatching(new RegExp(`^${name}\\.parquet is not a valid Parquet file: .+`)) });
    expect((await request('page', { table: 'titanic', offset: 0, limit: 1 })).rows[0]?.[0]).toBe(1);
    await expect(request('page', { table: 'broken', offset: 0, limit: 1 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('refuses files that are not what they claim, with a message for an analyst', async () => {
    // Each refusal is caught as soon as it is made (failure()), so none is ever an unhandled rejection while an
    // earlier one is being awaited.
    const cases: [Promise<unknown>, RegExp][] = [
      [request('open', csv('bad', file('empty.csv'))), /^empty\.csv is empty\.$/],
      [request('open', parquet('bad', file('empty.csv'))), /is empty/],
      [request('open', csv('bad', file('binary.csv'))), /^binary\.csv is not a text CSV file \(it contains binary data\)\.$/],
      [request('open', parquet('bad', `${DATASETS}/titanic.csv`)), /^titanic\.csv is not a valid Parquet file: .*PAR1/],
      [request('open', csv('bad', file('ragged.csv'))), /^ragged\.csv has rows of different lengths: line 30002 has 3 fields, expected 2 like line 1\.$/],
    ];
    const refusals = cases.map(([promise, message]) => [failure(promise), message] as const);
    for (const [refusal, message] of refusals) {
      expect(await refusal).toMatchObject({ code: 'bad-file', message: expect.stringMatching(message) });
    }
    expect((await request('close', { table: 'bad' })).closed).toBe(false);
  });

  it('leaves the previous table in place when a replacement fails', async () => {
    await request('open', csv('kept', file('rowid.csv')));
    await failure(request('open', csv('kept', file('binary.csv'))));
    expect((await request('page', { table: 'kept', offset: 0, limit: 1 })).rows).toEqual([[5, 'e']]);
  });

  it('refuses bad table names, bad paging and unknown requests', async () => {
    const refusals = [
      request('open', csv('1; DROP TABLE titanic', `${DATASETS}/titanic.csv`)),
      request('page', { table: 'x"y', offset: 0, limit: 1 }),
      request('open', csv('__orchard_load_1', `${DATASETS}/titanic.csv`)),
      request('page', { table: 'titanic', offset: -1, limit: 1 }),
      request('page', { table: 'titanic', offset: 0, limit: 1.5 }),
      request('bogus' as DataRequestType, {} as never),
    ].map(failure);
    for (const refusal of refusals) expect(await refusal).toMatchObject({ code: 'invalid-argument' });
    await expect(request('page', { table: 'nowhere', offset: 0, limit: 1 })).rejects.toMatchObject({ code: 'not-found' });
  });

  it('reports progress, in phase order, before the reply', async () => {
    const events: string[] = [];
    const onProgress = (p: DataProgress) => events.push(p.phase);
    await request('open', parquet('progress', file('typed.parquet')), { onProgress });
    events.push('reply');
    expect(events.filter((e, i) => e !== events[i - 1])).toEqual(['read', 'parse', 'describe', 'reply']);
  });
});
