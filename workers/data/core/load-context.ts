import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { MAX_LOAD_BYTES, tooLargeToLoad, type DataProgress, type FileSource, type ReadOptions } from '../../../shared/protocol/data-worker.js';
import type { DatasetFormat } from '../../../shared/schema/project.js';
import type { DataPlatform } from './platform.js';
import { badFile, SNIFF_BYTES } from './sniff.js';

/** What a loader needs to turn one file into one new table. */
export interface LoadContext {
  db: DuckDBBindings;
  conn: DuckDBConnection;
  platform: DataPlatform;
  /** The user's name for the file, used in every message. */
  fileName: string;
  source: FileSource;
  /** The table to create, a plain identifier that does not exist yet. */
  target: string;
  /** A name, unique in this worker, for registering the file with DuckDB. */
  virtualName: string;
  progress: (progress: DataProgress) => void;
  options: ReadOptions;
  /** Read only this many rows (a preview); undefined reads them all. */
  limit?: number;
  /** Whether the request was cancelled; loads made of many steps (a streamed CSV) check it between them. */
  isCancelled?: () => boolean;
  /** When a CSV is read in chunks, and how big they are (tests force tiny chunks). */
  streaming?: StreamTuning;
}

export interface StreamTuning {
  /** Plain CSV files larger than this are read in chunks, with progress and cancel. */
  aboveBytes: number;
  /** The size of each chunk (cut back to the last whole record). */
  chunkBytes: number;
  /** Rows per batch when a table is written to Parquet (load.ts PARQUET_BATCH_ROWS unless set). */
  parquetBatchRows?: number;
  /** Parquet files over this many bytes are decoded a row group at a time (parquet.ts's 64 MB unless set). */
  parquetWholeBytes?: number;
  /** Tables expected to take more memory than this are compressed (COMPRESS_ABOVE_BYTES unless set). */
  compressAboveBytes?: number;
}

/**
 * Big tables are kept in an attached in-memory database that DuckDB compresses: about 5 times smaller (a 14.5M ×
 * 20 table takes 0.6 GB there instead of 2.9 GB of the engine's 3.1 GB, which left the quality report no room),
 * at the price of a load about 1.5 times as long. Smaller tables stay in DuckDB's default database, uncompressed
 * and quicker to write. Table names are looked up in both (`createTablesIn`).
 */
export const COMPRESSED_DATABASE = 'orchard_packed';

/** Tables expected to take more memory than this are compressed (a sixth of the engine's memory). */
export const COMPRESS_ABOVE_BYTES = 512 * 1024 ** 2;

/** The memory a file's table is expected to take: about 1.5 times a CSV or JSON file, about 6 times a Parquet one. */
export function expectedTableBytes(format: DatasetFormat, fileBytes: number): number {
  return fileBytes * (format === 'parquet' ? 6 : 1.5);
}

/** Makes new tables go to `database` (the search path's first entry), while names are looked up in both databases. */
export function createTablesIn(conn: { query(sql: string): unknown }, database: 'memory' | typeof COMPRESSED_DATABASE): void {
  const other = database === 'memory' ? COMPRESSED_DATABASE : 'memory';
  conn.query(`USE ${database}`);
  conn.query(`SET search_path = '${database}.main,${other}.main'`);
}

export const DEFAULT_STREAMING: StreamTuning = { aboveBytes: 256 * 1024 ** 2, chunkBytes: 32 * 1024 ** 2 };

/** What a loader learnt about the file while reading it. */
export interface LoadResult {
  delimiter?: string;
  quote?: string;
  header?: boolean;
  encoding?: string;
  /** The column names exactly as the file gives them (CSV header), to explain renames. */
  fileNames?: string[];
  /** Whether missing-value tokens were already applied while reading (CSV); otherwise they are applied after. */
  missingApplied: boolean;
}

/** The start of the file and its size; refuses an empty file, and one over `limit` bytes. */
export async function readHead(ctx: LoadContext, maxBytes = SNIFF_BYTES, limit = MAX_LOAD_BYTES): Promise<{ head: Uint8Array; size: number }> {
  const { source } = ctx;
  const found =
    source.kind === 'bytes'
      ? { head: source.bytes.subarray(0, maxBytes), size: source.bytes.byteLength }
      : await ctx.platform.readHead(source.path, maxBytes);
  const complete = found.head.byteLength >= found.size;
  if (found.size === 0 || (complete && isBlank(found.head))) throw badFile(`${ctx.fileName} is empty.`);
  if (found.size > limit) throw tooLarge(ctx.fileName, found.size, limit);
  return found;
}

/** The refusal for a file over `limit` bytes: DuckDB-WASM's memory stops at 4 GB. */
export function tooLarge(fileName: string, size: number, limit = MAX_LOAD_BYTES, why?: string): Error {
  return badFile(tooLargeToLoad(fileName, size, limit, why));
}

/** A byte range of the source: a view of in-memory bytes, or read from disk by the platform. */
export async function readRange(ctx: LoadContext, offset: number, length: number): Promise<Uint8Array> {
  const { source } = ctx;
  if (source.kind === 'bytes') return source.bytes.subarray(offset, offset + length);
  return ctx.platform.readRange(source.path, offset, length);
}

function isBlank(bytes: Uint8Array): boolean {
  // Spaces, tabs and line breaks only, after an optional UTF-8 byte order mark.
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  return bytes.subarray(bom ? 3 : 0).every((b) => b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d);
}

/** An identifier quoted for DuckDB SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A string literal for DuckDB SQL. */
export function quoteString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

const MAX_REASON_LINE = 200;

/** DuckDB's error text; DuckDB-WASM sometimes sends it as JSON with an `exception_message`. */
export function duckdbMessage(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  if (!text.startsWith('{')) return text;
  try {
    const parsed = JSON.parse(text) as { exception_message?: unknown };
    return typeof parsed.exception_message === 'string' ? parsed.exception_message : text;
  } catch {
    return text; // Not JSON after all.
  }
}

/**
 * DuckDB's error text, cut down for an analyst: the error kind prefix, the suggested SQL options, the echoed
 * query and the parameter dump go; the line number, the original line and the cause stay. The virtual file
 * name is replaced by the user's.
 */
export function duckdbReason(err: unknown, virtualName: string, fileName: string): string {
  const text = duckdbMessage(err);
  const kept: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' && kept.length > 0) break;
    if (/^(Possible (Solution|fixes)|LINE \d+:|file = )/i.test(line)) break;
    if (line === '') continue;
    kept.push(line.length > MAX_REASON_LINE ? `${line.slice(0, MAX_REASON_LINE)}…` : line);
  }
  const first = (kept[0] ?? 'unknown error').replace(/^[A-Za-z ]*Error: /, '');
  kept[0] = first;
  return kept
    .map((line) => (/[.:;!?…]$/.test(line) ? line : `${line}.`))
    .join(' ')
    .replaceAll(virtualName, fileName);
}
