import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { HostError } from '../../../shared/host/errors.js';
import type { ColumnKind } from '../../../shared/schema/project.js';
import { checkedSelect, isIntegerType, lateValue, readType, type IntegerColumn } from './csv-integers.js';
import { duckdbMessage, duckdbReason, quoteIdent, quoteString, readRange, type LoadContext, type StreamTuning } from './load-context.js';
import { badFile } from './sniff.js';

/**
 * Reading a big plain CSV in chunks: each chunk is cut after the last whole record (a line break outside
 * quotes), handed to DuckDB as a buffer and appended to the table. The first chunk is read with DuckDB's
 * detection over all of it; every later one with those column types, so a value that does not fit names its
 * line. Between chunks the load reports the bytes done and checks for a cancel. Nothing here decodes text:
 * line breaks, quotes and delimiters are ASCII bytes, which never occur inside a UTF-8 (or Latin-1) character.
 */

const LF = 0x0a;
const CR = 0x0d;

/** A single record longer than this is refused rather than grown into memory without end. */
const MAX_RECORD_BYTES = 256 * 1024 ** 2;

/** How the file is read, as decided from its start (csv.ts). */
export interface StreamDialect {
  delimiter: string;
  quote: string;
  encoding: 'utf-8' | 'latin-1';
  /** read_csv's settings shared by every chunk: encoding, delimiter, quote, missing tokens. */
  settings: string[];
  /** The first chunk's statement: CREATE TABLE `target` AS … read_csv(`file`) with detection over all of it. */
  createSql: (file: string, extra: string[]) => string;
}

/** Whether a file can be read in chunks: one-byte ASCII delimiter and quote, so a cut can be found in bytes. */
export function canStream(delimiter: string, quote: string): boolean {
  const ascii = (s: string) => s.length === 1 && s.charCodeAt(0) < 0x80 && s !== '\n' && s !== '\r';
  return ascii(delimiter) && (quote === '' || ascii(quote));
}

/**
 * Where the last whole record of `bytes` ends (just after its line break), or 0 when none does. `bytes` starts
 * at a record. A quote opens a quoted field only at the field's start (as csv-scan.ts reads it); inside, a
 * doubled quote is one quote character; line breaks inside quotes are part of the field.
 */
export function lastRecordEnd(bytes: Uint8Array, delimiter: number, quote: number, newline = LF): number {
  const n = bytes.length;
  let pos = 0;
  let inQuotes = false;
  let last = 0;
  while (pos < n) {
    if (!inQuotes) {
      const q = quote < 0 ? -1 : bytes.indexOf(quote, pos);
      const stop = q < 0 ? n : q;
      if (stop > pos) {
        const br = bytes.lastIndexOf(newline, stop - 1);
        if (br >= pos) last = br + 1;
      }
      if (q < 0) break;
      const before = q === 0 ? LF : bytes[q - 1]!;
      if (before === delimiter || before === LF || before === CR) inQuotes = true;
      pos = q + 1;
    } else {
      const q = bytes.indexOf(quote, pos);
      // The chunk ends inside a quoted field, or on a quote that may be the first of a doubled pair.
      if (q < 0 || q + 1 >= n) break;
      if (bytes[q + 1] === quote) {
        pos = q + 2;
      } else {
        inQuotes = false;
        pos = q + 1;
      }
    }
  }
  return last;
}

/** Line breaks in `bytes` (the physical lines a chunk spans). */
function countLines(bytes: Uint8Array, newline: number): number {
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === newline) lines++;
  return lines;
}

/** The physical line (1-based, within `bytes`) on which record `record` (1-based) starts. */
function lineOfRecord(bytes: Uint8Array, record: number, delimiter: number, quote: number, newline: number): number {
  let line = 1;
  let records = 1;
  let inQuotes = false;
  let fieldStart = true;
  for (let i = 0; i < bytes.length && records < record; i++) {
    const b = bytes[i]!;
    if (b === newline) line++;
    if (inQuotes) {
      if (b === quote) {
        if (bytes[i + 1] === quote) i++;
        else inQuotes = false;
      }
      continue;
    }
    if (b === quote && fieldStart) inQuotes = true;
    else if (b === newline) records++;
    fieldStart = b === delimiter || b === LF || b === CR;
  }
  return line;
}

/** Kinds the analyst chose that make a column text: read it as text from the start, so no later value can fail. */
function textColumns(types: Record<string, ColumnKind> | undefined): string[] {
  return Object.entries(types ?? {})
    .filter(([, kind]) => kind === 'text' || kind === 'category' || kind === 'identifier')
    .map(([name]) => name);
}

/**
 * Loads the CSV into `ctx.target` chunk by chunk. On any failure (a bad value, memory, a cancel) the partly
 * filled table is left for the caller (load.ts) to drop, so nothing half-made survives.
 */
export async function loadCsvStreamed(ctx: LoadContext, size: number, dialect: StreamDialect, tuning: StreamTuning, firstLine: string[] | undefined): Promise<void> {
  const d = dialect.delimiter.charCodeAt(0);
  const q = dialect.quote === '' ? -1 : dialect.quote.charCodeAt(0);
  const head = await readRange(ctx, 0, Math.min(size, 64 * 1024));
  const newline = head.includes(LF) || !head.includes(CR) ? LF : CR;
  const { conn, db } = ctx;
  const target = quoteIdent(ctx.target);
  let offset = 0;
  let linesBefore = 0;
  let rows = 0;
  let columns: { name: string; type: string }[] | null = null;
  let integers: IntegerColumn[] = [];
  let formats: string[] = [];
  let part = 0;
  ctx.progress({ phase: 'parse', fraction: 0 });
  while (offset < size) {
    if (ctx.isCancelled?.() === true) throw new HostError('cancelled', `The import of ${ctx.fileName} was cancelled.`);
    let want = tuning.chunkBytes;
    let bytes: Uint8Array;
    let cut: number;
    for (;;) {
      bytes = await readRange(ctx, offset, Math.min(want, size - offset));
      cut = offset + bytes.byteLength >= size ? bytes.byteLength : lastRecordEnd(bytes, d, q, newline);
      if (cut > 0) break;
      if (want >= MAX_RECORD_BYTES) {
        throw badFile(`${ctx.fileName} has a record longer than ${MAX_RECORD_BYTES / 1024 ** 2} MB near line ${linesBefore + 1}: a quote that is never closed?`);
      }
      want *= 2;
    }
    const chunk = bytes.subarray(0, cut);
    const name = `${ctx.virtualName.replace(/\.[a-z]+$/, '')}_part_${++part}.csv`;
    db.registerFileBuffer(name, chunk);
    try {
      if (columns === null) {
        // The analyst's text kinds are read as text from the start; everything else as detected over this chunk.
        // Only names in the header: without one the columns are named later (column_N), after this read.
        const asText = firstLine === undefined ? [] : textColumns(ctx.options.types).filter((c) => firstLine.includes(c));
        const types = asText.length === 0 ? [] : [`types = {${asText.map((c) => `${quoteString(c)}: 'VARCHAR'`).join(', ')}}`];
        conn.query(dialect.createSql(name, ['sample_size = -1', ...types]));
        ({ columns, formats } = describeForChunks(conn, ctx.target, name, dialect, types));
        integers = columns.filter((c) => isIntegerType(c.type)).map((c) => ({ ...c, read: 'double' }));
        rows = countRows(conn, target);
      } else {
        rows += insertChunk(ctx, name, columns, integers, formats, dialect.settings);
      }
    } catch (err) {
      // A type named in a conversion error is the table's, not the DOUBLE or text an integer column is read as.
      const shown = (column: string, type: string) => integers.find((c) => c.name === column && c.read !== 'widened')?.type ?? type;
      throw chunkError(ctx, err, { name, chunk, linesBefore, rows, done: offset / size, first: part === 1, d, q, newline, shown });
    } finally {
      db.dropFile(name);
    }
    linesBefore += countLines(chunk, newline);
    offset += cut;
    ctx.progress({ phase: 'parse', fraction: offset / size });
  }
}

/**
 * Appends a later chunk, read with the first chunk's types; integer columns are read as DOUBLE (or text) and
 * checked back (csv-integers.ts). A whole number too big for a DOUBLE switches its column to text; a value that
 * is not whole widens its column to DOUBLE (`ALTER … TYPE`, the rows so far converted exactly), and the chunk is
 * read again, so no value is ever rounded. Returns the rows added.
 */
function insertChunk(
  ctx: LoadContext,
  name: string,
  columns: { name: string; type: string }[],
  integers: IntegerColumn[],
  formats: string[],
  shared: string[],
): number {
  const target = quoteIdent(ctx.target);
  for (;;) {
    const types = columns.map((c) => {
      const integer = integers.find((i) => i.name === c.name);
      return `${quoteString(c.name)}: ${quoteString(integer === undefined ? c.type : readType(integer))}`;
    });
    const settings = ['header = false', 'auto_detect = false', `columns = {${types.join(', ')}}`, ...formats, ...shared];
    try {
      const inserted = ctx.conn.query(`INSERT INTO ${target} SELECT ${checkedSelect(integers)} FROM read_csv(${quoteString(name)}, ${settings.join(', ')})`);
      return Number(inserted.getChildAt(0)?.get(0) ?? 0);
    } catch (err) {
      const late = lateValue(err);
      const column = late === null ? undefined : integers.find((c) => c.name === late.column && c.read !== 'widened');
      if (late === null || column === undefined) throw err;
      if (late.reason === 'wide' && column.read === 'double') {
        column.read = 'text';
      } else {
        ctx.conn.query(`ALTER TABLE ${target} ALTER ${quoteIdent(column.name)} TYPE DOUBLE`);
        column.read = 'widened';
      }
    }
  }
}

/** The first chunk's columns and types, and the date formats DuckDB detected for it. */
function describeForChunks(conn: DuckDBConnection, table: string, file: string, dialect: StreamDialect, types: string[]): { columns: { name: string; type: string }[]; formats: string[] } {
  const described = conn.query(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(table)})`);
  const columns: { name: string; type: string }[] = [];
  let dated = false;
  for (let i = 0; i < described.numRows; i++) {
    const type = String(described.getChildAt(1)?.get(i));
    if (/^(DATE|TIME)/.test(type)) dated = true;
    columns.push({ name: String(described.getChildAt(0)?.get(i)), type });
  }
  const formats: string[] = [];
  if (dated) {
    // Later chunks are not sniffed, so they need the formats DuckDB found for dates and timestamps (01/02/2020).
    const sniffed = conn.query(`SELECT DateFormat, TimestampFormat FROM sniff_csv(${quoteString(file)}, sample_size = -1, ${[...dialect.settings, ...types].join(', ')})`);
    const date = sniffed.getChildAt(0)?.get(0) as string | null | undefined;
    const timestamp = sniffed.getChildAt(1)?.get(0) as string | null | undefined;
    if (typeof date === 'string' && date !== '') formats.push(`dateformat = ${quoteString(date)}`);
    if (typeof timestamp === 'string' && timestamp !== '') formats.push(`timestampformat = ${quoteString(timestamp)}`);
  }
  return { columns, formats };
}

function countRows(conn: DuckDBConnection, table: string): number {
  return Number(conn.query(`SELECT count(*)::DOUBLE FROM ${table}`).getChildAt(0)?.get(0) ?? 0);
}

/** Out of memory, as DuckDB says it, or as WebAssembly does when its 4 GB are spent. */
const OUT_OF_MEMORY = /Out of Memory|could not allocate|failed to allocate|Maximum memory size|memory access out of bounds|Array buffer allocation failed|Cannot allocate/i;

interface ChunkAt {
  name: string;
  chunk: Uint8Array;
  linesBefore: number;
  rows: number;
  done: number;
  first: boolean;
  d: number;
  q: number;
  newline: number;
  /** The table's type for a column, in place of the type read_csv was told to read it as. */
  shown: (column: string, type: string) => string;
}

/** A chunk's failure said for the analyst: memory, a value that does not fit its column (with its line), or DuckDB's reason. */
function chunkError(ctx: LoadContext, err: unknown, at: ChunkAt): Error {
  if (err instanceof HostError) return err;
  const text = duckdbMessage(err);
  if (OUT_OF_MEMORY.test(text) || err instanceof RangeError) {
    return badFile(
      `${ctx.fileName} is too large for memory: the data engine ran out of its 4 GB after ${at.rows.toLocaleString('en')} rows ` +
        `(${Math.floor(at.done * 100)}% of the file). Split the file, or keep only the columns you need, and import the parts.`,
    );
  }
  const record = /CSV Error on Line: (\d+)/.exec(text)?.[1];
  // DuckDB counts records within the chunk (the header included in the first); the analyst needs the file's line.
  const line = record === undefined ? undefined : at.linesBefore + lineOfRecord(at.chunk, Number(record), at.d, at.q, at.newline);
  const conversion = /Error when converting column "((?:[^"]|"")*)"\. Could not convert string "((?:[^"]|"")*)" to '([^']+)'/.exec(text);
  if (line !== undefined && conversion !== null) {
    const [, column, value, readAs] = conversion;
    const shown = value!.slice(0, 60);
    const type = at.shown(column!.replaceAll('""', '"'), readAs!);
    return badFile(
      `Column "${column}" of ${ctx.fileName} has "${shown}" on line ${line}, which does not fit the type ${type} read from the start of the file. ` +
        `Choose the kind "text" for "${column}" when importing, or add "${shown}" to the missing values.`,
    );
  }
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  if (line !== undefined && columns !== null) {
    return badFile(`${ctx.fileName} has rows of different lengths: line ${line} has ${columns[2]} fields, expected ${columns[1]} like line 1.`);
  }
  if (line !== undefined && /unterminated quote/i.test(text)) return badFile(`${ctx.fileName} has a quote that is never closed, near line ${line}.`);
  const reason = duckdbReason(err, at.name, ctx.fileName);
  return badFile(`${ctx.fileName} could not be read as CSV${line === undefined ? '' : ` (line ${line})`}: ${reason}`);
}
