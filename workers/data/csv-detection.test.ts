import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Table, tableToIPC, Utf8, vectorFromArray } from 'apache-arrow';
import { Table as ParquetTable, writeParquet } from 'parquet-wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataRequests, ReadOptions } from '../../shared/protocol/data-worker.js';
import type { DatasetFormat } from '../../shared/schema/project.js';
import { DATASETS } from '../../test/team-files.js';
import type { DataEngine } from './core/engine.js';
import { createNodeDataEngine } from './platform.node.js';

/**
 * How files are read: delimiters, quotes, header or not, encodings, JSON and NDJSON, missing-value tokens and the
 * analyst's column kinds, and the preview an import starts with. Real DuckDB-WASM on real temp files.
 */

const dir = mkdtempSync(join(tmpdir(), 'orchard-detect-'));
const file = (name: string) => join(dir, name);
let engine: DataEngine;
let tables = 0;

const ROWS = 'name,city,score\nJosé,München,1.5\nAnn,"Paris, FR",2\n';
beforeAll(async () => {
  engine = await createNodeDataEngine();
  const put = (name: string, text: string | Buffer) => writeFileSync(file(name), text);
  put('comma.csv', ROWS);
  put('semicolon.csv', ROWS.replaceAll(',', ';').replace('"Paris; FR"', '"Paris, FR"'));
  put('tab.tsv', ROWS.replaceAll(',', '\t').replace('"Paris\t FR"', 'Paris, FR'));
  put('pipe.txt', ROWS.replaceAll(',', '|').replace('"Paris| FR"', 'Paris, FR'));
  put('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROWS)]));
  put('utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(ROWS, 'utf16le')]));
  put('utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(ROWS, 'utf16le').swap16()]));
  put('latin1.csv', Buffer.from(ROWS, 'latin1'));
  put('no-header.csv', '1,2,x\n3,4,y\n5,6,z\n');
  put('quote.csv', "a,b\n1,'x, y'\n");
  put('rows.json', JSON.stringify([{ id: 1, name: 'a', score: 1.5, ok: true }, { id: 2, name: null, score: 2, ok: false }]));
  put('rows.ndjson', '{"id":1,"name":"a"}\n\n{"id":2,"extra":"late key"}\n');
  put('nested.json', '[{"id":1,"tags":["a"]}]');
  put('bad.json', '[{"id":1},\n{"id":2,}]');
  put('bad.ndjson', '{"id":1}\n{"id":\n');
  const words = new Table({ word: vectorFromArray(['NA', '?', null, 'ok'], new Utf8()) });
  put('words.parquet', Buffer.from(writeParquet(ParquetTable.fromIPCStream(tableToIPC(words, 'stream')))));
  put('tokens.csv', 'a,b,c\n1,NA,x\n?,null,\n3, ,N/A\n');
  // Past DuckDB's sniffer sample (20,480 rows): a fraction in a column of whole numbers, 19-digit ids, a late text value.
  const big = (i: number) => String(1234567890123456789n + BigInt(i));
  const past = (row: (i: number) => string, late: string) => [...Array.from({ length: 30_000 }, (_, i) => row(i)), late, ...Array.from({ length: 10 }, (_, i) => row(i))].join('\n');
  put('late-decimal.csv', `n,id,count\n${past((i) => `${i},${big(i)},${i % 7}`, '4.5,9223372036854775807,3')}\n`);
  put('late-mixed.csv', `n,code\n${past((i) => `${i},${i}`, '-0.25,12abc')}\n`);
});
afterAll(() => {
  engine.dispose();
  rmSync(dir, { recursive: true, force: true });
});

async function open(name: string, format: DatasetFormat = 'csv', options?: ReadOptions) {
  const table = `t${++tables}`;
  const args: DataRequests['open']['args'] = { table, fileName: name, format, source: { kind: 'path', path: file(name) }, ...(options ? { options } : {}) };
  const info = await engine.open(args);
  return { info, rows: engine.page({ table, offset: 0, limit: 100 }).rows };
}

describe('CSV dialects and encodings', () => {
  it.each([
    ['comma.csv', ',', 'UTF-8'],
    ['semicolon.csv', ';', 'UTF-8'],
    ['tab.tsv', '\t', 'UTF-8'],
    ['pipe.txt', '|', 'UTF-8'],
    ['bom.csv', ',', 'UTF-8 with BOM'],
    ['utf16le.csv', ',', 'UTF-16 LE'],
    ['utf16be.csv', ',', 'UTF-16 BE'],
    ['latin1.csv', ',', 'Latin-1'],
  ])('%s: delimiter %j, %s, header, the same rows', async (name, delimiter, encoding) => {
    const { info, rows } = await open(name);
    expect(info.read).toMatchObject({ delimiter, encoding, header: true });
    expect(info.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['name:VARCHAR', 'city:VARCHAR', 'score:DOUBLE']);
    expect(rows).toEqual([['José', 'München', 1.5], ['Ann', 'Paris, FR', 2]]);
  });

  it('reads a file without a header as column_1, column_2, …', async () => {
    const { info, rows } = await open('no-header.csv');
    expect(info.read?.header).toBe(false);
    expect(info.columns.map((c) => c.name)).toEqual(['column_1', 'column_2', 'column_3']);
    expect(rows).toHaveLength(3);
  });

  it('takes the delimiter, quote and header the analyst gives', async () => {
    const { info, rows } = await open('quote.csv', 'csv', { quote: "'" });
    expect(rows).toEqual([[1, 'x, y']]);
    expect(info.read?.quote).toBe("'");
    const asData = await open('comma.csv', 'csv', { header: false });
    expect(asData.rows[0]).toEqual(['name', 'city', 'score']);
  });
});

describe('missing values and column kinds', () => {
  it('reads the default tokens "", NA, N/A, null and ? as missing, and a single space when asked', async () => {
    const { info, rows } = await open('tokens.csv');
    expect(info.read?.missingTokens).toEqual(['', 'NA', 'N/A', 'null', '?']);
    expect(rows).toEqual([[1, null, 'x'], [null, null, null], [3, ' ', null]]);
    const spaced = await open('tokens.csv', 'csv', { missingTokens: ['NA', ' '] });
    expect(spaced.rows.map((r) => r[1])).toEqual([null, 'null', null]);
  });

  it('keeps Parquet text as it is unless the analyst names tokens: Parquet has its own nulls', async () => {
    const plain = await open('words.parquet', 'parquet');
    expect([plain.rows.map((r) => r[0]), plain.info.read?.missingTokens]).toEqual([['NA', '?', null, 'ok'], []]);
    const asked = await open('words.parquet', 'parquet', { missingTokens: ['NA', '?'] });
    expect(asked.rows.map((r) => r[0])).toEqual([null, null, null, 'ok']);
  });

  it('reads adult.csv with 2,799 missing in workclass (its "?"), and the preview lists "?"', async () => {
    const table = `t${++tables}`;
    const source = { kind: 'path' as const, path: join(DATASETS, 'adult.csv') };
    const info = await engine.open({ table, fileName: 'adult.csv', format: 'csv', source });
    const workclass = info.columns.findIndex((c) => c.name === 'workclass');
    let missing = 0;
    for (let offset = 0; offset < info.rows; offset += 5000) {
      missing += engine.page({ table, offset, limit: 5000 }).rows.filter((r) => r[workclass] === null).length;
    }
    expect([info.rows, missing, info.columns[workclass]?.missing]).toEqual([48842, 2799, 2799]);
    expect((await engine.preview({ fileName: 'adult.csv', format: 'csv', source })).missingTokens).toContain('?');
  });

  it('applies kinds: integer, category, identifier, ignore; refuses a value that does not fit, with its row', async () => {
    const { info, rows } = await open('comma.csv', 'csv', { types: { score: 'integer', name: 'identifier', city: 'ignore' } });
    expect(info.columns).toEqual([
      { name: 'name', type: 'VARCHAR', kind: 'identifier', missing: 0 },
      { name: 'score', type: 'BIGINT', kind: 'integer', missing: 0 },
    ]);
    expect(rows).toEqual([['José', 2], ['Ann', 2]]);
    await expect(open('comma.csv', 'csv', { types: { city: 'number' } })).rejects.toMatchObject({
      code: 'bad-file',
      message: 'Column "city" of comma.csv cannot be read as number: row 1 has "München". Choose another type, or add "München" to the missing values.',
    });
    await expect(open('comma.csv', 'csv', { types: { nowhere: 'text' } })).rejects.toThrow('comma.csv has no column named "nowhere".');
  });
});

describe('integer columns past the sniffer sample', () => {
  const cellsAt = (table: string, row: number) => engine.page({ table, offset: row, limit: 1 }).rows[0];

  it('widens a column of whole numbers to DOUBLE for a late fraction, and keeps whole numbers and 19-digit ids exact', async () => {
    const { info, rows } = await open('late-decimal.csv');
    expect(info.rows).toBe(30_011);
    expect(info.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['n:DOUBLE', 'id:BIGINT', 'count:BIGINT']);
    expect(rows[1]).toEqual([1, '1234567890123456790', 1]);
    expect(cellsAt(info.table, 29_999)).toEqual([29_999, '1234567890123486788', 29_999 % 7]);
    expect(cellsAt(info.table, 30_000)).toEqual([4.5, '9223372036854775807', 3]);
  });

  it('keeps a column of whole numbers BIGINT, and a late text value still makes its column text', async () => {
    const { info } = await open('late-mixed.csv');
    expect(info.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['n:DOUBLE', 'code:VARCHAR']);
    expect(cellsAt(info.table, 30_000)).toEqual([-0.25, '12abc']);
    const whole = await open('late-decimal.csv', 'csv', { types: { n: 'ignore' } });
    expect(whole.info.columns.map((c) => c.type)).toEqual(['BIGINT', 'BIGINT']);
  });
});

describe('JSON and NDJSON', () => {
  it('reads an array of objects with typed columns', async () => {
    const { info, rows } = await open('rows.json', 'json');
    expect(info.columns.map((c) => `${c.name}:${c.type}`)).toEqual(['id:BIGINT', 'name:VARCHAR', 'score:DOUBLE', 'ok:BOOLEAN']);
    expect(rows).toEqual([[1, 'a', 1.5, true], [2, null, 2, false]]);
  });

  it('reads one object per line, keys in first-seen order, blank lines skipped', async () => {
    const { info, rows } = await open('rows.ndjson', 'json');
    expect(info.columns.map((c) => c.name)).toEqual(['id', 'name', 'extra']);
    expect(rows).toEqual([[1, 'a', null], [2, null, 'late key']]);
  });

  it('refuses nested values by name and broken JSON with its line', async () => {
    await expect(open('nested.json', 'json')).rejects.toThrow(/^nested\.json has nested values \(objects or arrays\), which Orchard cannot import yet: "tags"\./);
    await expect(open('bad.json', 'json')).rejects.toThrow(/^bad\.json is not valid JSON \(the error is on line 2\)\.$/);
    await expect(open('bad.ndjson', 'json')).rejects.toThrow('bad.ndjson is not valid JSON lines: line 2 is not a JSON value.');
  });
});

describe('preview', () => {
  it('shows the detected settings, a kind per column and sample rows as they will be read, loading nothing', async () => {
    const preview = await engine.preview({ fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path: join(DATASETS, 'titanic.csv') } });
    expect(preview.detected).toEqual({ format: 'csv', delimiter: ',', quote: '"', header: true, encoding: 'UTF-8' });
    expect(Object.fromEntries(preview.columns.map((c) => [c.name, c.suggested]))).toMatchObject({
      PassengerId: 'identifier',
      Survived: 'integer',
      Name: 'identifier',
      Sex: 'category',
      Age: 'number',
      Embarked: 'category',
    });
    expect(preview.sampleRows).toHaveLength(50);
    expect(preview.sampleRows[0]?.slice(0, 4)).toEqual([1, 0, 3, 'Braund, Mr. Owen Harris']);
    expect(preview.missingTokens).toEqual(['', 'NA', 'N/A', 'null', '?']);
  });

  it('applies the options it is given, and keeps ignored columns listed', async () => {
    const preview = await engine.preview({ fileName: 'comma.csv', format: 'csv', source: { kind: 'path', path: file('comma.csv') }, options: { types: { city: 'ignore' } } });
    expect(preview.columns.map((c) => `${c.name}:${c.suggested}`)).toEqual(['name:category', 'score:number', 'city:ignore']);
    expect(preview.sampleRows).toEqual([['José', 1.5], ['Ann', 2]]);
  });
});
