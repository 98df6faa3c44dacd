import { MAX_CSV_BYTES, MAX_LOAD_BYTES } from '../../../shared/protocol/data-worker.js';
import { DEFAULT_MISSING_TOKENS } from '../../../shared/schema/project.js';
import { raggedRow, scanCsv } from './csv-scan.js';
import { checkedSelect, isIntegerType, lateValue, typesSetting, type IntegerColumn } from './csv-integers.js';
import { canStream, loadCsvStreamed } from './csv-stream.js';
import { DEFAULT_STREAMING, duckdbReason, quoteIdent, quoteString, readHead, tooLarge, type LoadContext, type LoadResult } from './load-context.js';
import { badFile, decodeText, encodingName, SNIFF_BYTES, sniffCsv, type CsvDialect } from './sniff.js';

/** A missing-value token for "nothing is missing". */
const NOTHING_IS_MISSING = '\uE000orchard:none\uE000';

/** How much of a CSV is scanned in TypeScript for its delimiter, ragged rows and unclosed quotes. */
const SCAN_BYTES = 4 * 1024 * 1024;

/** Fewer rows than this all fall in DuckDB's sniffer sample (20,480 rows), so no integer column can round a later value. */
const SNIFFED_WHOLE = 20_000;

/**
 * Loads a CSV file. Orchard scans the start of the file itself (encoding, delimiter, ragged rows, unclosed
 * quotes, each refused with its line number), then DuckDB reads it with that dialect, detecting the header and
 * column types, with the missing-value tokens as NULL. UTF-16 is turned into UTF-8 first. When a value past the
 * sniffer's sample does not fit the type it chose, the file is read once more with every row sampled.
 * A plain CSV over `streaming.aboveBytes` is read in chunks instead (csv-stream.ts): progress, cancel, and only
 * the table in memory. Everything else is read whole, up to MAX_LOAD_BYTES.
 */
export async function loadCsv(ctx: LoadContext): Promise<LoadResult> {
  ctx.progress({ phase: 'read', fraction: 0 });
  const { head, size } = await readHead(ctx, SCAN_BYTES, MAX_CSV_BYTES);
  const complete = head.byteLength >= size;
  const dialect = sniffCsv(ctx.fileName, head.subarray(0, SNIFF_BYTES), complete && head.byteLength <= SNIFF_BYTES);
  const { options } = ctx;
  let delimiter = options.delimiter;
  let quote = options.quote;
  let fileNames: string[] | undefined;
  let records = Infinity;
  if (dialect.compression === 'none') {
    const text = decodeText(complete ? head : cutToCharacter(head, dialect), dialect);
    const scan = scanCsv(ctx.fileName, text, complete, { delimiter, quote });
    delimiter = scan.delimiter;
    quote = scan.quote;
    fileNames = scan.records[0]?.fields;
    if (complete) records = scan.records.length;
  }
  const readEncoding = dialect.encoding === 'latin-1' ? 'latin-1' : 'utf-8';
  const plain = dialect.compression === 'none' && (dialect.encoding === 'utf-8' || dialect.encoding === 'latin-1');
  const streamable = plain && ctx.limit === undefined && canStream(delimiter ?? ',', quote ?? '"');
  const tuning = ctx.streaming ?? DEFAULT_STREAMING;
  const read = {
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(quote === undefined ? {} : { quote }),
    encoding: encodingName(dialect),
    ...(fileNames === undefined ? {} : { fileNames }),
    missingApplied: true,
  };
  if (streamable && size > tuning.aboveBytes) {
    const settings = readSettings(ctx, 'none', readEncoding, delimiter, quote);
    const createSql = (file: string, extra: string[]) => createTableSql(ctx, file, settings, extra);
    const streamDialect = { delimiter: delimiter ?? ',', quote: quote ?? '"', encoding: readEncoding, settings, createSql } as const;
    await loadCsvStreamed(ctx, size, streamDialect, tuning, ctx.options.header === false ? undefined : fileNames);
    return read;
  }
  if (size > MAX_LOAD_BYTES && ctx.limit === undefined) {
    const why = dialect.compression !== 'none' ? 'a compressed CSV is read whole' : 'a CSV in this encoding or dialect is read whole';
    throw tooLarge(ctx.fileName, size, MAX_LOAD_BYTES, why);
  }
  let bytes: Uint8Array | null = ctx.source.kind === 'bytes' ? ctx.source.bytes : null;
  if (dialect.encoding === 'utf-16le' || dialect.encoding === 'utf-16be') {
    // DuckDB's UTF-16 support is partial; one decode and encode here reads both byte orders the same way.
    const raw = bytes ?? (await ctx.platform.readFile(pathOf(ctx), (fraction) => ctx.progress({ phase: 'read', fraction })));
    bytes = new TextEncoder().encode(decodeText(raw, dialect));
  }
  ctx.progress({ phase: 'read', fraction: bytes !== null ? 1 : null });

  if (bytes !== null) ctx.db.registerFileBuffer(ctx.virtualName, bytes);
  else ctx.platform.registerPath(ctx.db, ctx.virtualName, pathOf(ctx));
  const settings = readSettings(ctx, dialect.compression, readEncoding, delimiter, quote);
  try {
    ctx.progress({ phase: 'parse', fraction: null });
    const rows = Math.min(records, ctx.limit ?? Infinity);
    const integers = rows < SNIFFED_WHOLE || options.asText === true ? [] : sniffedIntegers(ctx, settings);
    try {
      createChecked(ctx, settings, integers);
    } catch (err) {
      if (!isLateTypeError(err) && lateValue(err) === null) throw err;
      // A value past the sniffer's sample that does not fit (or is not whole, in an integer column): every row
      // sampled, so DuckDB types the column for all of it (DOUBLE for a fraction, VARCHAR for text).
      ctx.progress({ phase: 'parse', fraction: null });
      ctx.conn.query(createTableSql(ctx, ctx.virtualName, settings, ['sample_size = -1']));
    }
  } catch (err) {
    throw csvError(ctx, err);
  } finally {
    ctx.db.dropFile(ctx.virtualName);
  }
  return read;
}

/** The columns DuckDB's sniffer types as integers: the same detection the load runs, without reading the rest. */
function sniffedIntegers(ctx: LoadContext, settings: string[]): IntegerColumn[] {
  const described = ctx.conn.query(`DESCRIBE ${readSql(ctx, ctx.virtualName, settings, [], '*')}`);
  const columns: IntegerColumn[] = [];
  for (let i = 0; i < described.numRows; i++) {
    const type = String(described.getChildAt(1)?.get(i));
    if (isIntegerType(type)) columns.push({ name: String(described.getChildAt(0)?.get(i)), type, read: 'double' });
  }
  return columns;
}

/**
 * CREATE TABLE with the integer columns read as DOUBLE and checked back to their type (csv-integers.ts). A
 * column whose whole numbers are too big for a DOUBLE is read again as checked text; a value that is not whole
 * is thrown (the caller reads the file again with every row sampled).
 */
function createChecked(ctx: LoadContext, settings: string[], integers: IntegerColumn[]): void {
  for (;;) {
    try {
      ctx.conn.query(createTableSql(ctx, ctx.virtualName, settings, typesSetting(integers), checkedSelect(integers)));
      return;
    } catch (err) {
      const late = lateValue(err);
      const column = late?.reason === 'wide' ? integers.find((c) => c.name === late.column && c.read === 'double') : undefined;
      if (column === undefined) throw err;
      column.read = 'text';
    }
  }
}

function pathOf(ctx: LoadContext): string {
  if (ctx.source.kind !== 'path') throw new Error('expected a path source');
  return ctx.source.path;
}

/** A head cut at a byte limit may end inside a character; drop the incomplete tail. */
function cutToCharacter(head: Uint8Array, dialect: CsvDialect): Uint8Array {
  if (dialect.encoding === 'utf-16le' || dialect.encoding === 'utf-16be') return head.subarray(0, head.byteLength & ~1);
  if (dialect.encoding !== 'utf-8') return head;
  let end = head.byteLength;
  while (end > 0 && end > head.byteLength - 4 && (head[end - 1]! & 0xc0) === 0x80) end--;
  if (end > 0 && head[end - 1]! >= 0xc0) end--;
  return head.subarray(0, end);
}

/** read_csv's settings for the file's dialect and the missing-value tokens (every chunk of a streamed file shares them). */
function readSettings(ctx: LoadContext, compression: string, encoding: string, delimiter: string | undefined, quote: string | undefined): string[] {
  const { options } = ctx;
  const missing = options.asText === true ? [] : (options.missingTokens ?? [...DEFAULT_MISSING_TOKENS]);
  const list = (values: string[]) => `[${values.map(quoteString).join(', ')}]`;
  return [
    `encoding = ${quoteString(encoding)}`,
    `compression = ${quoteString(compression)}`,
    ...(delimiter === undefined ? [] : [`delim = ${quoteString(delimiter)}`]),
    ...(quote === undefined ? [] : [`quote = ${quoteString(quote)}`, `escape = ${quoteString(quote)}`]),
    // DuckDB reads an empty cell as missing unless told otherwise; a private-use token never occurs in real text.
    `nullstr = ${list(missing.length > 0 ? missing : [NOTHING_IS_MISSING])}`,
  ];
}

/** CREATE TABLE target AS the CSV `file` with detection (header, types), plus `extra` settings. */
function createTableSql(ctx: LoadContext, file: string, settings: string[], extra: string[], select = '*'): string {
  return `CREATE TABLE ${quoteIdent(ctx.target)} AS ${readSql(ctx, file, settings, extra, select)}`;
}

/** SELECT `select` FROM the CSV `file` with detection (header, types), plus `extra` settings. */
function readSql(ctx: LoadContext, file: string, settings: string[], extra: string[], select: string): string {
  const { options } = ctx;
  const all = [
    'auto_detect = true',
    ...settings,
    ...(options.header === undefined ? [] : [`header = ${options.header}`]),
    ...(options.asText === true ? ['all_varchar = true'] : []),
    ...extra,
  ];
  const limit = ctx.limit === undefined ? '' : ` LIMIT ${ctx.limit}`;
  return `SELECT ${select} FROM read_csv(${quoteString(file)}, ${all.join(', ')})${limit}`;
}

/** A value after the sniffer's sample that does not convert to the column type it detected. */
function isLateTypeError(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /Conversion Error|Error when converting column/i.test(text);
}

/** DuckDB's CSV errors, said with the line number where Orchard can find it. */
function csvError(ctx: LoadContext, err: unknown): Error {
  const text = err instanceof Error ? err.message : String(err);
  const line = /CSV Error on Line: (\d+)/.exec(text)?.[1];
  const columns = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(text);
  if (line !== undefined && columns !== null) return raggedRow(ctx.fileName, Number(line), Number(columns[2]), Number(columns[1]));
  if (line !== undefined && /unterminated quote/i.test(text)) {
    return badFile(`${ctx.fileName} has a quote that is never closed, near line ${line}.`);
  }
  return badFile(`${ctx.fileName} could not be read as CSV: ${duckdbReason(err, ctx.virtualName, ctx.fileName)}`);
}
