import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParquetFile, readParquet, Table as ParquetTable, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell, DataProgress, TableInfo } from '../../shared/protocol/data-worker.js';
import { lastRecordEnd } from './core/csv-stream.js';
import type { DataEngine } from './core/engine.js';
import { COMPRESSED_DATABASE } from './core/load-context.js';
import { dispatchDataRequest } from './core/server.js';
import { createNodeDataEngine } from './platform.node.js';

/**
 * Streamed CSV import: a file of a few MB read in 64 KB chunks by real DuckDB-WASM must give exactly the table the
 * one-shot load gives, report byte progress up to 1, stop on cancel leaving no table, and name the line of a late
 * value that does not fit its column.
 */

const CHUNK = 64 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'orchard-stream-'));
const file = (name: string) => join(dir, name);
const enc = new TextEncoder();
let streamed: DataEngine;
let whole: DataEngine;
let tables = 0;

/** Rows with text in several scripts (2-, 3- and 4-byte UTF-8), quoted delimiters, doubled quotes and quoted line breaks. */
function row(i: number): string {
  const amount = i % 11 === 0 ? 'NA' : (i * 1.25).toFixed(2);
  const name = ['Zoë', 'München', '東京都千代田区丸の内', 'naïve 🍎🍎🍎', 'plain'][i % 5]!;
  const note = i % 2 === 0 ? `"line one ${i}\nline two, with ""quotes"" and é\nline three"` : i % 3 === 0 ? `"a, b ${i}"` : `n${i}`;
  const day = `2021-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  return `${i},${amount},${name},${day},${note}`;
}

beforeAll(async () => {
  const rows = Array.from({ length: 40_000 }, (_, i) => row(i));
  writeFileSync(file('big.csv'), `id,amount,name,day,note\n${rows.join('\n')}\n`);
  // A value that does not fit, far past the first chunk; quoted line breaks before it make its line differ from its row.
  const late = rows.slice(0, 30_000);
  late[25_000] = '25000,not a number,x,2021-01-01,n';
  writeFileSync(file('late.csv'), `id,amount,name,day,note\n${late.join('\n')}\n`);
  // Integer columns past the first chunk: a fraction, ids that grow past 2^53 to 19 digits, a value that is no number.
  const counted = Array.from({ length: 30_000 }, (_, i) => {
    const id = i < 20_000 ? String(i) : String(1234567890123456789n + BigInt(i));
    const n = i === 25_000 ? '4.5' : i === 26_000 ? '-1e-3' : String(i % 1000);
    return `${id},${n},${i % 3},${row(i)}`;
  });
  writeFileSync(file('late-fraction.csv'), `key,n,small,id,amount,name,day,note\n${counted.join('\n')}\n`);
  // Plain, repetitive columns, as most tables have: what compression is for.
  writeFileSync(file('repetitive.csv'), `id,code,city,amount\n${Array.from({ length: 250_000 }, (_, i) => `${i},${i % 7},${['Oslo', 'Lima', 'Pune', 'Kobe', 'Graz'][i % 5]},${(i % 1000) / 10}`).join('\n')}\n`);
  const text = rows.slice(0, 30_000);
  text[25_000] = text[25_000]!.replace(/^\d+/, '12abc');
  writeFileSync(file('late-text.csv'), `id,amount,name,day,note\n${text.join('\n')}\n`);
  [streamed, whole] = await Promise.all([createNodeDataEngine({ aboveBytes: 0, chunkBytes: CHUNK, parquetBatchRows: 7000, parquetWholeBytes: 0, compressAboveBytes: 0 }), createNodeDataEngine()]);
});

afterAll(() => {
  streamed?.dispose();
  whole?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

function open(engine: DataEngine, name: string, onProgress?: (p: DataProgress) => void, isCancelled?: () => boolean): Promise<TableInfo> {
  const args = { table: `t${++tables}`, fileName: name, format: 'csv' as const, source: { kind: 'path' as const, path: file(name) } };
  return dispatchDataRequest(engine, 'open', args, onProgress, isCancelled);
}

function allRows(engine: DataEngine, info: TableInfo): Cell[][] {
  const rows: Cell[][] = [];
  for (let offset = 0; offset < info.rows; offset += 5000) rows.push(...engine.page({ table: info.table, offset, limit: 5000 }).rows);
  return rows;
}

function tableCount(engine: DataEngine): number {
  return Number(engine.access.conn.query('SELECT count(*)::DOUBLE FROM duckdb_tables()').getChildAt(0)?.get(0));
}

describe('cutting a CSV at record boundaries', () => {
  const cut = (text: string) => new TextDecoder().decode(enc.encode(text).subarray(0, lastRecordEnd(enc.encode(text), 0x2c, 0x22)));

  it('cuts after the last line break outside quotes', () => {
    expect(cut('a,b\n1,2\n3,4')).toBe('a,b\n1,2\n');
    expect(cut('a,b\n1,"x\ny"\n3,"open\nstill')).toBe('a,b\n1,"x\ny"\n');
    expect(cut('a,b\r\n1,2\r\n3')).toBe('a,b\r\n1,2\r\n');
  });

  it('reads doubled quotes as text, and a quote inside an unquoted field as text', () => {
    expect(cut('a\n"say ""hi\nthere"""\nb')).toBe('a\n"say ""hi\nthere"""\n');
    expect(cut('a\n5"10,"x\ny"\nz')).toBe('a\n5"10,"x\ny"\n');
  });

  it('finds no cut inside one unfinished record, and never cuts inside a multi-byte character', () => {
    expect(lastRecordEnd(enc.encode('"a\nb\nc'), 0x2c, 0x22)).toBe(0);
    const bytes = enc.encode('x\n🍎é\n東');
    for (let end = 1; end <= bytes.length; end++) {
      const at = lastRecordEnd(bytes.subarray(0, end), 0x2c, 0x22);
      expect(at === 0 || bytes[at - 1] === 0x0a).toBe(true);
    }
  });
});

describe('a CSV read in chunks', () => {
  it('crosses chunk ends inside quoted line breaks and inside multi-byte characters', () => {
    // The same cuts the loader makes: count the candidate ends that fall in a quoted field or mid-character.
    const bytes = new Uint8Array(readFileSync(file('big.csv')));
    let offset = 0;
    let insideQuotes = 0;
    let midCharacter = 0;
    let chunks = 0;
    while (offset < bytes.length) {
      const end = Math.min(offset + CHUNK, bytes.length);
      const at = end === bytes.length ? end - offset : lastRecordEnd(bytes.subarray(offset, end), 0x2c, 0x22);
      if (end < bytes.length) {
        if ((bytes[end]! & 0xc0) === 0x80) midCharacter++;
        if (bytes.subarray(offset + at, end).includes(0x0a)) insideQuotes++;
      }
      offset += at;
      chunks++;
    }
    expect(chunks).toBeGreaterThan(20);
    expect(insideQuotes).toBeGreaterThan(0);
    expect(midCharacter).toBeGreaterThan(0);
  });

  it('gives exactly the table the one-shot load gives, with byte progress rising to 1', async () => {
    const progress: number[] = [];
    const a = await open(streamed, 'big.csv', (p) => {
      if (p.phase === 'parse' && p.fraction !== null) progress.push(p.fraction);
    });
    const b = await open(whole, 'big.csv');
    expect(a.rows).toBe(40_000);
    expect(a.columns).toEqual(b.columns);
    expect(a.columns.map((c) => c.type)).toEqual(['BIGINT', 'DOUBLE', 'VARCHAR', 'DATE', 'VARCHAR']);
    expect(a.read).toEqual(b.read);
    expect(allRows(streamed, a)).toEqual(allRows(whole, b));
    expect(progress.length).toBeGreaterThan(20);
    expect(progress.every((f, i) => i === 0 || f > progress[i - 1]!)).toBe(true);
    expect(progress.at(-1)).toBe(1);
    streamed.close({ table: a.table });
    whole.close({ table: b.table });
  });

  it('writes a big table to Parquet batch by batch and reads it back batch by batch, in row order, with its types', async () => {
    const a = await open(streamed, 'big.csv');
    const written = await streamed.toParquet({ table: a.table });
    // The same file cut into row groups of 5,000 rows, so reading it back takes several.
    const props = new WriterPropertiesBuilder().setMaxRowGroupSize(5000).build();
    const bytes = writeParquet(ParquetTable.fromIPCStream(readParquet(written).intoIPCStream()), props);
    expect((await ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]))).metadata().numRowGroups()).toBe(8);
    const source = { kind: 'bytes' as const, bytes };
    const args = { fileName: 'big.parquet', format: 'parquet' as const, source, options: { missingTokens: [] } };
    const [inBatches, once] = [await streamed.open({ table: `t${++tables}`, ...args }), await whole.open({ table: `t${++tables}`, ...args })];
    expect(inBatches.columns).toEqual(a.columns);
    expect(once.columns).toEqual(a.columns);
    const rows = allRows(streamed, a);
    expect(allRows(streamed, inBatches)).toEqual(rows);
    expect(allRows(whole, once)).toEqual(rows);
    for (const t of [a, inBatches]) streamed.close({ table: t.table });
    whole.close({ table: once.table });
  });

  it('stops on cancel between chunks and leaves no table', async () => {
    const before = tableCount(streamed);
    let chunks = 0;
    const load = open(streamed, 'big.csv', (p) => (chunks += p.phase === 'parse' ? 1 : 0), () => chunks >= 5);
    await expect(load).rejects.toMatchObject({ code: 'cancelled', message: 'The import of big.csv was cancelled.' });
    expect(tableCount(streamed)).toBe(before);
  });

  it('names the line of a late value that does not fit its column, and leaves no table', async () => {
    const before = tableCount(streamed);
    const text = readFileSync(file('late.csv'), 'utf8');
    const line = text.slice(0, text.indexOf('25000,not a number')).split('\n').length;
    expect(line).toBeGreaterThan(25_002); // Quoted line breaks come before it.
    await expect(open(streamed, 'late.csv')).rejects.toMatchObject({
      code: 'bad-file',
      message:
        `Column "amount" of late.csv has "not a number" on line ${line}, which does not fit the type DOUBLE read from the start of the file. ` +
        'Choose the kind "text" for "amount" when importing, or add "not a number" to the missing values.',
    });
    expect(tableCount(streamed)).toBe(before);
  });

  it('widens an integer column to DOUBLE for a late fraction and keeps late 19-digit ids exact, as the one-shot load reads them', async () => {
    const a = await open(streamed, 'late-fraction.csv');
    const b = await open(whole, 'late-fraction.csv');
    expect(a.columns.map((c) => `${c.name}:${c.type}`).slice(0, 3)).toEqual(['key:BIGINT', 'n:DOUBLE', 'small:BIGINT']);
    expect(a.columns).toEqual(b.columns);
    const rows = allRows(streamed, a);
    expect(rows).toEqual(allRows(whole, b));
    expect([rows[25_000]?.slice(0, 3), rows[26_000]?.slice(0, 3)]).toEqual([[String(1234567890123456789n + 25_000n), 4.5, 1], [String(1234567890123456789n + 26_000n), -0.001, 2]]);
    expect(rows[19_999]?.slice(0, 2)).toEqual([19_999, 999]);
    streamed.close({ table: a.table });
    whole.close({ table: b.table });
  });

  it('names the line and the table type of a late value that is no number in an integer column', async () => {
    const text = readFileSync(file('late-text.csv'), 'utf8');
    const line = text.slice(0, text.indexOf('12abc')).split('\n').length;
    await expect(open(streamed, 'late-text.csv')).rejects.toMatchObject({
      code: 'bad-file',
      message: expect.stringContaining(`Column "id" of late-text.csv has "12abc" on line ${line}, which does not fit the type BIGINT read from the start of the file.`) as string,
    });
  });

  it('reads a column as text from the start when the analyst chose a text kind', async () => {
    const info = await dispatchDataRequest(streamed, 'open', {
      table: `t${++tables}`,
      fileName: 'late.csv',
      format: 'csv',
      source: { kind: 'path', path: file('late.csv') },
      options: { types: { amount: 'text' } },
    });
    expect([info.rows, info.columns[1]]).toEqual([30_000, { name: 'amount', type: 'VARCHAR', kind: 'text', missing: expect.any(Number) as number }]);
    streamed.close({ table: info.table });
  });

  it('keeps a table expected to be big compressed in memory: under half the memory of the same rows uncompressed', async () => {
    // The streamed engine compresses every table (its threshold is 0); the other keeps the default, 512 MB.
    for (const engine of [streamed, whole]) {
      const { conn } = engine.access;
      const used = () => Number(conn.query("SELECT sum(memory_usage_bytes)::DOUBLE FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'").getChildAt(0)?.get(0) ?? 0);
      const before = used();
      const info = await open(engine, 'repetitive.csv');
      const kept = used() - before;
      const where = conn.query(`SELECT database_name FROM duckdb_tables() WHERE table_name = '${info.table}'`).getChildAt(0)?.get(0);
      expect(where).toBe(engine === streamed ? COMPRESSED_DATABASE : 'memory');
      // The same rows in DuckDB's default in-memory database, which does not compress; names resolve in both.
      conn.query(`CREATE TABLE memory.main.plain_copy AS SELECT * FROM ${info.table}`);
      const plain = used() - before - kept;
      conn.query('DROP TABLE memory.main.plain_copy');
      expect(await dispatchDataRequest(engine, 'page', { table: info.table, offset: 249_999, limit: 1 })).toMatchObject({ rows: [[249_999, 1, 'Graz', 99.9]] });
      engine.close({ table: info.table });
      if (engine === streamed) expect(kept).toBeLessThan(plain / 2);
      // Uncompressed like the copy (give or take the blocks DuckDB's threads leave part-filled).
      else expect(Math.abs(kept - plain)).toBeLessThan(plain * 0.15);
    }
  });

  it('says the table is too large for memory, with the rows read, and leaves nothing', async () => {
    const before = tableCount(streamed);
    const { conn } = streamed.access;
    const limit = String(conn.query("SELECT current_setting('memory_limit')").getChildAt(0)?.get(0));
    conn.query("SET memory_limit = '16MB'");
    try {
      await expect(open(streamed, 'big.csv')).rejects.toMatchObject({
        code: 'bad-file',
        message: expect.stringMatching(/^big\.csv is too large for memory: the data engine ran out of its 4 GB after [\d,]+ rows \(\d+% of the file\)\./) as string,
      });
    } finally {
      conn.query(`SET memory_limit = '${limit}'`);
    }
    expect(tableCount(streamed)).toBe(before);
    const info = await open(streamed, 'big.csv');
    expect(info.rows).toBe(40_000);
  });
});
