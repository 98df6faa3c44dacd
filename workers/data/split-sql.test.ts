import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainingPartition, type QueryOutcome } from '../../shared/protocol/query.js';
import type { SplitSpec } from '../../shared/schema/split.js';
import { DATASETS } from '../../test/team-files.js';
import { checkReadOnly, errorPosition } from './core/sql-statement.js';
import { ENGINE_TARGETS, type Request } from './test-support.js';

/**
 * Splits and the SQL console on the real DuckDB-WASM engine, in this process and through the worker thread
 * (one suite, two targets), on the team's real files.
 */

interface SklearnPartition {
  rows: number;
  classes: Record<string, { count: number; share: number }>;
}
interface SklearnCase {
  file: string;
  target: string;
  all: SklearnPartition;
  train: SklearnPartition;
  validation: SklearnPartition;
  test: SklearnPartition;
}
const SKLEARN = JSON.parse(readFileSync(join(import.meta.dirname, '../../shared/data/fixtures/sklearn-splits.json'), 'utf8')) as { cases: SklearnCase[] };

const stratified = (target: string, seed = 42): SplitSpec => ({ method: 'stratified', target, fractions: [0.7, 0.15, 0.15], seed });

const targets = ENGINE_TARGETS;

describe.each(targets)('splits and SQL on $name', (target) => {
  let request: Request;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    ({ request, stop } = await target.start());
    for (const [table, file] of [['titanic', 'titanic.csv'], ['adult', 'adult.csv'], ['bikes', 'bike_sharing_day.csv']]) {
      await request('open', { table: table!, fileName: file!, format: 'csv', source: { kind: 'path', path: join(DATASETS, file!) } });
    }
  }, 60_000);
  afterAll(() => stop());

  it('splits titanic on Survived reproducibly, 624 / 134 / 133, and pages the training rows only', async () => {
    const first = await request('assignSplit', { table: 'titanic', spec: stratified('Survived') });
    expect(first.summary.counts).toEqual({ train: 624, validation: 134, test: 133, excluded: 0 });
    expect(first.summary.classes).toEqual([
      { label: '0', counts: [384, 83, 82] },
      { label: '1', counts: [240, 51, 51] },
    ]);
    const again = await request('assignSplit', { table: 'titanic', spec: stratified('Survived') });
    expect(Array.from(again.codes)).toEqual(Array.from(first.codes));
    const other = await request('assignSplit', { table: 'titanic', spec: stratified('Survived', 43) });
    expect(Array.from(other.codes)).not.toEqual(Array.from(first.codes));

    await request('attachSplit', { table: 'titanic', codes: first.codes });
    const page = await request('page', { table: 'titanic', offset: 0, limit: 5000, partition: trainingPartition('titanic') });
    expect(page.rows).toHaveLength(624);
    // PassengerId is the row number + 1: the rows paged are exactly the rows assigned to train, in file order.
    const trainIds = [...first.codes].flatMap((c, i) => (c === 0 ? [i + 1] : []));
    expect(page.rows.map((r) => r[0])).toEqual(trainIds);
    const tail = await request('page', { table: 'titanic', offset: 620, limit: 10, partition: trainingPartition('titanic') });
    expect(tail.rows.map((r) => r[0])).toEqual(trainIds.slice(620));

    // Closing a table drops its split with it; a split of the wrong length is refused.
    await request('open', { table: 'tmp', fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path: join(DATASETS, 'titanic.csv') } });
    await request('attachSplit', { table: 'tmp', codes: first.codes });
    await request('close', { table: 'tmp' });
    await request('open', { table: 'tmp', fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path: join(DATASETS, 'titanic.csv') } });
    await expect(request('page', { table: 'tmp', offset: 0, limit: 5, partition: trainingPartition('tmp') })).rejects.toThrow(/tmp__split/);
    await expect(request('attachSplit', { table: 'tmp', codes: first.codes.subarray(1) })).rejects.toThrow(/belongs to other data/);
  });

  it.each(SKLEARN.cases)("matches scikit-learn's class counts per partition within one row ($file, $target)", async (c) => {
    // The rows differ (the random generators differ); the class counts per partition must not.
    const table = c.file === 'adult.csv' ? 'adult' : 'titanic';
    const { summary } = await request('assignSplit', { table, spec: stratified(c.target, 7) });
    expect(summary.rows).toBe(c.all.rows);
    for (const cls of summary.classes ?? []) {
      const parts = [c.train, c.validation, c.test];
      parts.forEach((part, p) => expect(Math.abs(cls.counts[p]! - part.classes[cls.label]!.count)).toBeLessThanOrEqual(1));
      const share = cls.counts[0]! / summary.counts.train;
      expect(Math.abs(share - c.train.classes[cls.label]!.share)).toBeLessThan(2 / summary.counts.train);
    }
    expect(summary.classes?.map((k) => k.label).sort()).toEqual(Object.keys(c.all.classes).sort());
  });

  it('stratifies a continuous target on its deciles, so every partition spans low to high values', async () => {
    const { summary, codes } = await request('assignSplit', { table: 'bikes', spec: stratified('cnt', 5) });
    // Each decile is cut by largest remainder on its own, so the totals are within a row or two of 70/15/15.
    expect(summary.counts).toEqual({ train: 511, validation: 110, test: 110, excluded: 0 });
    const bins = summary.classes!;
    expect(bins).toHaveLength(10);
    // ntile: 731 rows in 10 bins of 74 or 73 rows, each split 70/15/15 within one row.
    for (const bin of bins) {
      const total = bin.counts[0] + bin.counts[1] + bin.counts[2];
      expect([73, 74]).toContain(total);
      bin.counts.forEach((n, p) => expect(Math.abs(n - total * [0.7, 0.15, 0.15][p]!)).toBeLessThanOrEqual(1));
    }
    expect(bins[0]!.label).toMatch(/^22 to \d+$/);
    expect(bins[9]!.label).toMatch(/^\d+ to 8714$/);
    // The test partition holds days from the quietest and the busiest decile alike.
    const counts = (await request('page', { table: 'bikes', offset: 0, limit: 5000 })).rows.map((r) => Number(r.at(-1)));
    const test = counts.filter((_, i) => codes[i] === 2);
    expect(Math.min(...test)).toBeLessThan(1000);
    expect(Math.max(...test)).toBeGreaterThan(7000);
  });

  it('splits by date with a gap, and by group with no group in two partitions', async () => {
    const time = await request('assignSplit', {
      table: 'bikes',
      spec: { method: 'time', timeColumn: 'dteday', fractions: [0.7, 0.15, 0.15], seed: 0, gap: { span: 7 } },
    });
    expect(time.summary.counts.train).toBe(512);
    // 731 days: 512 / 110 / 109 by largest remainder; validation and test each lose their first 6 days.
    expect(time.summary.counts.excluded).toBe(12);
    const days = (await request('page', { table: 'bikes', offset: 0, limit: 5000 })).rows.map((r) => String(r[1]));
    const span = (p: number) => days.filter((_, i) => time.codes[i] === p).sort();
    expect(span(0).at(-1)).toBe('2012-05-26');
    expect(span(1)[0]).toBe('2012-06-02');
    expect(span(1).at(-1)! < span(2)[0]!).toBe(true);
    const group = await request('assignSplit', {
      table: 'titanic',
      spec: { method: 'group', groupColumn: 'Ticket', target: 'Survived', fractions: [0.7, 0.15, 0.15], seed: 3 },
    });
    const ticketsIn = new Map<string, Set<number>>();
    const rows = (await request('page', { table: 'titanic', offset: 0, limit: 5000 })).rows;
    rows.forEach((r, i) => ticketsIn.set(String(r[8]), (ticketsIn.get(String(r[8])) ?? new Set()).add(group.codes[i]!)));
    expect([...ticketsIn.values()].every((s) => s.size === 1)).toBe(true);
    expect(Math.abs(group.summary.counts.train - 891 * 0.7)).toBeLessThan(15);
  });

  it('answers a query with its rows and total, over the training partition when split', async () => {
    const first = await request('assignSplit', { table: 'titanic', spec: stratified('Survived') });
    const sql = 'SELECT Sex, count(*) AS n FROM titanic GROUP BY 1 ORDER BY 1';
    const all = await request('query', { sql, tables: [{ name: 'titanic', table: 'titanic' }] });
    expect(all).toEqual({ kind: 'rows', columns: [{ name: 'Sex', type: 'Utf8' }, { name: 'n', type: 'Int64' }], rows: [['female', 314], ['male', 577]], totalRows: 2 });
    const train = (await request('query', { sql, tables: [{ name: 'titanic', table: 'titanic', partition: trainingPartition('titanic') }] })) as QueryOutcome & { kind: 'rows' };
    expect(train.rows.reduce((s, r) => s + Number(r[1]), 0)).toBe(first.summary.counts.train);
    const capped = (await request('query', { sql: 'SELECT * FROM range(5000);', tables: [] })) as QueryOutcome & { kind: 'rows' };
    expect([capped.rows.length, capped.totalRows, capped.rows[999]]).toEqual([1000, 5000, [999]]);
    const empty = await request('query', { sql: 'SELECT Sex FROM titanic WHERE false', tables: [{ name: 'titanic', table: 'titanic' }] });
    expect(empty).toEqual({ kind: 'rows', columns: [{ name: 'Sex', type: 'Utf8' }], rows: [], totalRows: 0 });
  });

  it('shows DuckDB errors with their position, and refuses anything but one reading statement', async () => {
    const tables = [{ name: 'titanic', table: 'titanic' }];
    expect(await request('query', { sql: 'SELECT Sex,\n  nope FROM titanic', tables })).toMatchObject({ kind: 'error', line: 2, column: 3, message: expect.stringContaining('"nope" not found') });
    expect(await request('query', { sql: 'DROP TABLE titanic', tables })).toMatchObject({ kind: 'error', line: 1, column: 1 });
    expect(await request('query', { sql: 'SELECT 1; SELECT 2', tables })).toMatchObject({ kind: 'error', message: 'Run one statement at a time.', column: 11 });
    expect(await request('query', { sql: "SELECT * FROM read_csv('/etc/hosts')", tables })).toMatchObject({ kind: 'error', message: expect.stringContaining('read_csv') });
    expect(await request('query', { sql: `SELECT * FROM '${join(DATASETS, 'adult.csv')}'`, tables })).toMatchObject({ kind: 'error', message: expect.stringContaining('looks like a file') });
    const rows = await request('page', { table: 'titanic', offset: 0, limit: 1 });
    expect(rows.rows).toHaveLength(1);
  });

  it('keeps a query result as a table that pages like a loaded file', async () => {
    const info = await request('materialize', {
      sql: 'SELECT Pclass, avg(Fare) AS fare FROM titanic GROUP BY 1 ORDER BY 1',
      tables: [{ name: 'titanic', table: 'titanic' }],
      into: 'fares',
    });
    expect(info).toMatchObject({ table: 'fares', rows: 3, columns: [{ name: 'Pclass', type: 'BIGINT' }, { name: 'fare', type: 'DOUBLE' }] });
    const page = await request('page', { table: 'fares', offset: 0, limit: 10 });
    expect(page.rows.map((r) => r[0])).toEqual([1, 2, 3]);
    await expect(request('materialize', { sql: 'DELETE FROM titanic', tables: [], into: 'x' })).rejects.toThrow(/queries that read/);
  });

  it('switches file access off for good (the last test: the engine can load nothing by path afterwards)', async () => {
    const path = join(DATASETS, 'titanic.csv');
    await expect(request('open', { table: 'again', fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path } })).resolves.toMatchObject({ rows: 891 });
    await request('lockFiles', {});
    await expect(request('open', { table: 'again', fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path } })).rejects.toThrow(/disabled by configuration/);
    const outcome = await request('query', { sql: 'SELECT count(*) FROM again', tables: [{ name: 'again', table: 'again' }] });
    expect(outcome).toMatchObject({ kind: 'rows', rows: [[891]] });
  });
});

describe('the statement check', () => {
  it('accepts reading statements and blanks literals and comments', () => {
    for (const sql of ['SELECT 1;', 'WITH a AS (SELECT 1) SELECT * FROM a', 'DESCRIBE t', 'SUMMARIZE t', 'PIVOT t ON x', "SELECT 'drop table' -- delete\n", 'FROM t SELECT "update"']) {
      expect(checkReadOnly(sql).ok, sql).toBe(true);
    }
    expect(checkReadOnly('SELECT 1;').ok && checkReadOnly('SELECT 1;')).toMatchObject({ sql: 'SELECT 1' });
    expect(checkReadOnly('SELECT * FROM "By sex" ; ')).toMatchObject({ sql: 'SELECT * FROM "By sex"' });
    for (const sql of ['', '"read_csv"(\'/etc/hosts\')', 'SELECT * FROM "read_csv"(\'/etc/passwd\')', 'INSERT INTO t VALUES (1)', 'SELECT 1; DROP TABLE t', 'ATTACH \'x.db\'', 'SELECT * FROM glob(\'*\')', 'WITH a AS (SELECT 1) DELETE FROM t']) {
      expect(checkReadOnly(sql).ok, sql).toBe(false);
    }
  });

  it("reads DuckDB's caret, also in a window of a long line", () => {
    const sql = `SELECT ${'a, '.repeat(60)}nope FROM t`;
    const message = `Binder Error: x\n\nLINE 1: ...a, a, a, nope FROM t\n                    ^`;
    expect(errorPosition(message, sql)).toEqual({ line: 1, column: sql.indexOf('nope') + 1 });
  });
});
