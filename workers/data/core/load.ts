import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { DataProgress, FileSource, ReadOptions, TableInfo } from '../../../shared/protocol/data-worker.js';
import { DEFAULT_MISSING_TOKENS, type ColumnInfo, type DatasetFormat } from '../../../shared/schema/project.js';
import { loadCsv } from './csv.js';
import { loadJson } from './json.js';
import { quoteIdent, type LoadContext, type LoadResult, type StreamTuning } from './load-context.js';
import { loadParquet } from './parquet.js';
import type { DataPlatform } from './platform.js';
import { shapeTable } from './shape.js';

/** What loading needs from the engine. */
export interface LoadParts {
  db: DuckDBBindings;
  conn: DuckDBConnection;
  platform: DataPlatform;
  /** When big CSV files are read in chunks; the default is DEFAULT_STREAMING. */
  streaming?: StreamTuning;
}

export interface LoadRequest {
  fileName: string;
  format: DatasetFormat;
  source: FileSource;
  options?: ReadOptions;
  /** Read only this many rows (a preview). */
  limit?: number;
  /** Whether the request was cancelled; a streamed CSV checks between chunks. */
  isCancelled?: () => boolean;
}

export interface Loaded {
  columns: ColumnInfo[];
  read: NonNullable<TableInfo['read']>;
  notes: string[];
}

const LOADERS: Record<DatasetFormat, (ctx: LoadContext) => Promise<LoadResult>> = {
  csv: loadCsv,
  parquet: loadParquet,
  json: loadJson,
};

/**
 * Reads a file into the new table `target` as the analyst asked (dialect, missing tokens, column kinds), through
 * a raw table `${target}_raw` that is always dropped. On failure no table is left behind.
 */
export async function loadTable(parts: LoadParts, request: LoadRequest, target: string, virtualName: string, onProgress: (p: DataProgress) => void): Promise<Loaded> {
  const asked = request.options ?? {};
  // Parquet keeps its own typed nulls: its text is only searched for tokens the analyst names.
  const defaults = request.format === 'parquet' ? [] : [...DEFAULT_MISSING_TOKENS];
  const options: ReadOptions = { ...asked, missingTokens: asked.asText === true ? [] : (asked.missingTokens ?? defaults) };
  const raw = `${target}_raw`;
  const ctx: LoadContext = {
    ...parts,
    fileName: request.fileName,
    source: request.source,
    target: raw,
    virtualName,
    progress: onProgress,
    options,
    ...(request.limit === undefined ? {} : { limit: request.limit }),
    ...(request.isCancelled === undefined ? {} : { isCancelled: request.isCancelled }),
  };
  try {
    const load = await LOADERS[request.format](ctx);
    onProgress({ phase: 'describe', fraction: null });
    const shaped = shapeTable(parts.conn, raw, target, request.fileName, load, options);
    const read: Loaded['read'] = {
      ...(load.delimiter === undefined ? {} : { delimiter: load.delimiter }),
      ...(load.quote === undefined ? {} : { quote: load.quote }),
      ...(shaped.header === undefined ? {} : { header: shaped.header }),
      ...(load.encoding === undefined ? {} : { encoding: load.encoding }),
      missingTokens: options.missingTokens ?? [],
    };
    return { columns: shaped.columns, read, notes: shaped.notes };
  } catch (err) {
    dropQuietly(parts.conn, raw);
    dropQuietly(parts.conn, target);
    throw err;
  }
}

export function dropQuietly(conn: DuckDBConnection, table: string): void {
  try {
    conn.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
  } catch {
    // Nothing was created, or DuckDB is past caring; the original error is the one to report.
  }
}

/** Tables with more rows than this go to Parquet a batch of this many rows at a time. */
export const PARQUET_BATCH_ROWS = 250_000;

/**
 * The table as Parquet bytes: DuckDB's Arrow IPC stream written by parquet-wasm. A big table (more than
 * `batchRows` rows, ordered by rowid) is written batch by batch, so neither engine holds all of it as Arrow.
 */
export async function tableToParquet(parts: LoadParts, table: string, selectList: string, rows = 0, batchRows = PARQUET_BATCH_ROWS): Promise<Uint8Array> {
  const query = (sql: string) => ipcFileToStream(parts.conn.useUnsafe((bindings, conn) => bindings.runQuery(conn, sql)));
  const from = `SELECT ${selectList} FROM ${quoteIdent(table)}`;
  if (rows <= batchRows) return parts.platform.arrowToParquet(query(from));
  let at = 0;
  return parts.platform.arrowBatchesToParquet(() => {
    if (at >= rows) return null;
    const ipc = query(`${from} WHERE rowid >= ${at} AND rowid < ${at + batchRows} ORDER BY rowid`);
    at += batchRows;
    return ipc;
  });
}

const ARROW_MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"

/**
 * DuckDB answers in Arrow's IPC *file* format; parquet-wasm reads the *stream* format. A file is the magic and
 * padding (8 bytes), the stream (ending with its end-of-stream marker), the footer, its int32 length and the
 * magic again, so the stream is a view into the file: no copy.
 */
export function ipcFileToStream(ipc: Uint8Array): Uint8Array {
  const isFile = ARROW_MAGIC.every((b, i) => ipc[i] === b);
  if (!isFile) return ipc;
  const footerLength = new DataView(ipc.buffer, ipc.byteOffset + ipc.byteLength - 10, 4).getInt32(0, true);
  return ipc.subarray(8, ipc.byteLength - 10 - footerLength);
}
