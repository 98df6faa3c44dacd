import type { DuckDBBindings, DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { HostError } from '../../../shared/host/errors.js';
import {
  MAX_PAGE_ROWS,
  TABLE_NAME,
  type DataProgress,
  type DataRequests,
  type FilePreview,
  type FileSource,
  type RowPage,
  type TableInfo,
} from '../../../shared/protocol/data-worker.js';
import type { ColumnInfo, DatasetFormat } from '../../../shared/schema/project.js';
import { tableToRows } from './cells.js';
import { COMPRESS_ABOVE_BYTES, COMPRESSED_DATABASE, createTablesIn, expectedTableBytes, quoteIdent, type StreamTuning } from './load-context.js';
import { loadTable, tableToParquet } from './load.js';
import { previewFile } from './preview.js';
import type { DataPlatform } from './platform.js';
import type { ConsoleAccess } from './sql-console.js';
import { dropSplit, partitionPage, type SplitAccess } from './split-table.js';
import type { ReportAccess } from './profile/source.js';
import type { FrameAccess } from './frame.js';

export type ProgressListener = (progress: DataProgress) => void;

interface OpenTable extends TableInfo {
  /** False when a column named "rowid" hides DuckDB's row id; pages then rely on insertion order alone. */
  byRowId: boolean;
  /** The SELECT list for pages: types Arrow renders badly are cast to text by DuckDB. */
  selectList: string;
}

/** Column types DuckDB turns into better text than their Arrow values would give. */
const AS_TEXT = /^(TIME|TIME_NS|TIMETZ|TIME WITH TIME ZONE|INTERVAL|BIT|VARINT|BIGNUM)$/;

/**
 * The data engine: loads CSV and Parquet files into DuckDB tables and serves pages of rows. It runs on a
 * DuckDB-WASM *blocking* bindings instance (synchronous queries inside the worker thread) plus a platform object
 * for what differs between Node and the browser. Tables are keyed case-insensitively, as DuckDB names them.
 */
export class DataEngine {
  private readonly conn: DuckDBConnection;
  private readonly tables = new Map<string, OpenTable>();
  private loads = 0;

  /** `db` must be instantiated and not yet opened. `streaming` sets when a CSV is read in chunks (tests force tiny ones). */
  constructor(
    private readonly db: DuckDBBindings,
    private readonly platform: DataPlatform,
    private readonly streaming?: StreamTuning,
  ) {
    db.open({ query: { castDecimalToDouble: true } });
    this.conn = db.connect();
    // Never reach for the network: a missing extension must fail at once, not try to download.
    this.conn.query('SET autoinstall_known_extensions = false');
    this.conn.query('SET autoload_known_extensions = false');
    // Big tables go to a compressed in-memory database (see COMPRESSED_DATABASE).
    this.conn.query(`ATTACH ':memory:' AS ${COMPRESSED_DATABASE} (COMPRESS)`);
    createTablesIn(this.conn, 'memory');
  }

  get version(): string {
    return `DuckDB ${this.db.getVersion()} (${this.platform.name})`;
  }

  /** Loads the file as `table`, replacing any table of that name. A failure leaves every table as it was. */
  async open(args: DataRequests['open']['args'], onProgress: ProgressListener = () => undefined, isCancelled: () => boolean = () => false): Promise<TableInfo> {
    const table = checkTable(args?.table);
    const { fileName, format, source } = checkOpen(args);
    const n = ++this.loads;
    const staging = `__orchard_load_${n}`;
    const parts = { db: this.db, conn: this.conn, platform: this.platform, ...(this.streaming === undefined ? {} : { streaming: this.streaming }) };
    const compress = expectedTableBytes(format, await this.sourceBytes(source)) > (this.streaming?.compressAboveBytes ?? COMPRESS_ABOVE_BYTES);
    try {
      const request = { fileName, format, source, isCancelled, ...(args.options === undefined ? {} : { options: args.options }) };
      if (compress) createTablesIn(this.conn, COMPRESSED_DATABASE);
      let loaded: Awaited<ReturnType<typeof loadTable>>;
      try {
        loaded = await loadTable(parts, request, staging, `orchard_file_${n}.${format}`, onProgress);
      } finally {
        if (compress) createTablesIn(this.conn, 'memory');
      }
      const columns = loaded.columns;
      const rows = Number(this.conn.query(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(staging)}`).getChildAt(0)?.get(0) ?? 0);
      this.replace(table, staging);
      // DuckDB compresses at checkpoints, which it makes by itself every 16 MB written: this one takes the tail.
      if (compress) this.conn.query(`CHECKPOINT ${COMPRESSED_DATABASE}`);
      const info: TableInfo = { table, rows, columns, read: loaded.read, notes: loaded.notes };
      this.tables.set(table.toLowerCase(), {
        ...info,
        byRowId: !columns.some((c) => c.name.toLowerCase() === 'rowid'),
        selectList: columns.map(selectItem).join(', '),
      });
      onProgress({ phase: 'describe', fraction: 1 });
      return info;
    } catch (err) {
      this.dropQuietly(staging);
      throw err;
    }
  }

  /** How a file would be read, with a sample of rows and a suggested kind per column; loads nothing. */
  async preview(args: DataRequests['preview']['args'], onProgress: ProgressListener = () => undefined): Promise<FilePreview> {
    const { fileName, format, source } = checkOpen(args);
    const n = ++this.loads;
    const parts = { db: this.db, conn: this.conn, platform: this.platform };
    const request = { fileName, format, source, ...(args.options === undefined ? {} : { options: args.options }) };
    return previewFile(parts, request, `__orchard_preview_${n}`, `orchard_file_${n}.${format}`, onProgress);
  }

  /** An open table as Parquet bytes, typed as loaded (what a project stores beside the original file). */
  async toParquet(args: DataRequests['toParquet']['args']): Promise<Uint8Array> {
    const table = checkTable(args?.table);
    const open = this.tables.get(table.toLowerCase());
    if (open === undefined) throw new HostError('not-found', `No table named ${table} is open.`);
    // Batches by row id need the table's own row ids; a table whose "rowid" column hides them goes whole.
    const rows = open.byRowId ? open.rows : 0;
    return tableToParquet({ db: this.db, conn: this.conn, platform: this.platform }, open.table, open.columns.length === 0 ? '*' : open.selectList, rows, this.streaming?.parquetBatchRows);
  }

  /** Rows `offset .. offset+limit` in file order; `limit` is capped at MAX_PAGE_ROWS. */
  page(args: DataRequests['page']['args']): RowPage {
    const table = checkTable(args?.table);
    const offset = checkCount(args.offset, 'offset');
    const limit = Math.min(checkCount(args.limit, 'limit'), MAX_PAGE_ROWS);
    const open = this.tables.get(table.toLowerCase());
    if (open === undefined) throw new HostError('not-found', `No table named ${table} is open.`);
    if (limit === 0 || offset >= open.rows || open.columns.length === 0) return { offset, rows: [] };
    const from = `SELECT ${open.selectList} FROM ${quoteIdent(open.table)}`;
    // Tables are only ever created whole, so row ids run 0..rows-1 in file order; the range is pushed into the scan.
    const sql =
      args.partition !== undefined
        ? partitionPage(this.conn, from, args.partition, offset, limit)
        : open.byRowId
          ? `${from} WHERE rowid >= ${offset} AND rowid < ${offset + limit} ORDER BY rowid`
          : `${from} LIMIT ${limit} OFFSET ${offset}`;
    return { offset, rows: tableToRows(this.conn.query(sql)) };
  }

  close(args: DataRequests['close']['args']): { closed: boolean } {
    const table = checkTable(args?.table);
    const key = table.toLowerCase();
    const open = this.tables.get(key);
    if (open === undefined) return { closed: false };
    this.conn.query(`DROP TABLE IF EXISTS ${quoteIdent(open.table)}`);
    dropSplit(this.conn, open.table);
    this.tables.delete(key);
    return { closed: true };
  }

  /** What the split and SQL requests (split-table.ts, sql-console.ts) need: the connection and the open tables. */
  get access(): SplitAccess & ConsoleAccess & ReportAccess & FrameAccess {
    const lookup = (name: string): OpenTable => {
      const open = this.tables.get(checkTable(name).toLowerCase());
      if (open === undefined) throw new HostError('not-found', `No table named ${name} is open.`);
      return open;
    };
    const adopt = (name: string): TableInfo => {
      const columns = this.describe(name);
      const rows = Number(this.conn.query(`SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(name)}`).getChildAt(0)?.get(0) ?? 0);
      const byRowId = !columns.some((c) => c.name.toLowerCase() === 'rowid');
      this.tables.set(name.toLowerCase(), { table: name, rows, columns, byRowId, selectList: columns.map(selectItem).join(', ') });
      return { table: name, rows, columns };
    };
    return { conn: this.conn, table: lookup, adopt };
  }

  /** Closes the connection (and stops DuckDB's threads, where it has them); the engine is unusable afterwards. */
  dispose(): void {
    this.tables.clear();
    try {
      this.conn.close();
    } finally {
      this.platform.dispose?.();
    }
  }

  private describe(table: string): ColumnInfo[] {
    const result = this.conn.query(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(table)})`);
    const names = result.getChildAt(0);
    const types = result.getChildAt(1);
    const columns: ColumnInfo[] = [];
    for (let i = 0; i < result.numRows; i++) columns.push({ name: String(names?.get(i)), type: String(types?.get(i)) });
    return columns;
  }

  /** Drops `table` and renames `staging` to it, in one transaction. */
  private replace(table: string, staging: string): void {
    this.conn.query('BEGIN TRANSACTION');
    try {
      this.conn.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
      this.conn.query(`ALTER TABLE ${quoteIdent(staging)} RENAME TO ${quoteIdent(table)}`);
      this.conn.query('COMMIT');
    } catch (err) {
      this.conn.query('ROLLBACK');
      throw err;
    }
  }

  /** The size of a file to load (0 when it cannot be read: the loader then says why). */
  private async sourceBytes(source: FileSource): Promise<number> {
    if (source.kind === 'bytes') return source.bytes.byteLength;
    try {
      return (await this.platform.readHead(source.path, 0)).size;
    } catch {
      return 0;
    }
  }

  private dropQuietly(table: string): void {
    try {
      this.conn.query(`DROP TABLE IF EXISTS ${quoteIdent(table)}`);
    } catch {
      // Nothing was created, or DuckDB is past caring; the original error is the one to report.
    }
  }
}

function selectItem(column: ColumnInfo): string {
  const name = quoteIdent(column.name);
  return AS_TEXT.test(column.type) ? `CAST(${name} AS VARCHAR) AS ${name}` : name;
}

function invalid(message: string): HostError {
  return new HostError('invalid-argument', message);
}

/** Loads are staged under this prefix, so callers may not use it. */
const RESERVED = /^__orchard_/i;

function checkTable(table: unknown): string {
  if (typeof table === 'string' && TABLE_NAME.test(table) && !RESERVED.test(table)) return table;
  const shown = typeof table === 'string' ? `"${table.slice(0, 70)}"` : String(table);
  throw invalid(`${shown} is not a valid table name: use up to 63 letters, digits and underscores, not starting with a digit.`);
}

function checkCount(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalid(`The page ${what} must be a whole number of rows, 0 or more.`);
}

function checkOpen(args: DataRequests['preview']['args']): { fileName: string; format: DatasetFormat; source: FileSource } {
  const { fileName, format, source } = args;
  if (typeof fileName !== 'string' || fileName.length === 0) throw invalid('open needs the file name to show in messages.');
  if (format !== 'csv' && format !== 'parquet' && format !== 'json') throw invalid(`Orchard reads CSV, Parquet and JSON files, not "${String(format)}".`);
  if (source?.kind === 'bytes' && source.bytes instanceof Uint8Array) return { fileName, format, source };
  if (source?.kind === 'path' && typeof source.path === 'string' && source.path !== '') return { fileName, format, source };
  throw invalid('open needs the file as { kind: "bytes", bytes } or { kind: "path", path }.');
}
