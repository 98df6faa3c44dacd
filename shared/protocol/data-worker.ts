import type { ColumnInfo, ColumnKind, DatasetFormat } from '../schema/project.js';
import type { SerializedError } from '../host/errors.js';
import type { DataSession, PartitionFilter, SplitQueryRequests } from './query.js';
import type { ReportRequests } from './report.js';
import type { ReportPart } from '../data/report.js';
import type { Frame, FrameColumn } from '../ml/types.js';

/**
 * The data worker's message protocol. Requests carry an id; the worker answers each with exactly one `ok` or
 * `error` reply and any number of `progress` messages before it. Every request but `init` is refused until
 * `init` has succeeded. Byte buffers travel in the transfer list, never copied.
 */

/** A cell as it crosses to the UI: JSON-safe. BIGINTs outside the safe range become strings, dates ISO strings. */
export type Cell = string | number | boolean | null;

export type FileSource =
  /** Bytes already in memory (browser: a stored dataset fetched from the host). */
  | { kind: 'bytes'; bytes: Uint8Array }
  /** A path the worker reads itself (Node worker only). */
  | { kind: 'path'; path: string };

/** How to read a file; anything left out is detected. */
export interface ReadOptions {
  /** CSV: one character (or `\t`). */
  delimiter?: string;
  /** CSV: the quote character; '' for none. */
  quote?: string;
  /** CSV: whether the first line names the columns. */
  header?: boolean;
  /** Values read as missing (null). Defaults to DEFAULT_MISSING_TOKENS. */
  missingTokens?: string[];
  /** Column kinds chosen by the analyst; `ignore` drops the column. */
  types?: Record<string, ColumnKind>;
  /** Every column as its exact text, nothing read as missing (for checking a parser against expected rows). */
  asText?: boolean;
}

/** What a file looks like before it is imported, with a suggested kind per column. */
export interface FilePreview {
  detected: { format: DatasetFormat; delimiter?: string; quote?: string; header?: boolean; encoding?: string };
  columns: { name: string; detectedType: string; suggested: ColumnKind }[];
  /** The first rows as they will be read (missing tokens already null), at most PREVIEW_ROWS. */
  sampleRows: Cell[][];
  missingTokens: string[];
  /** Things the analyst should know: renamed columns, a header-only file. */
  notes: string[];
}

export const PREVIEW_ROWS = 50;

export interface TableInfo {
  table: string;
  rows: number;
  columns: ColumnInfo[];
  /** How the file was read (detected or as asked), for lineage. */
  read?: { delimiter?: string; quote?: string; header?: boolean; encoding?: string; missingTokens: string[] };
  /** Things the analyst should know: renamed columns, a header-only file. */
  notes?: string[];
}

export interface RowPage {
  offset: number;
  rows: Cell[][];
}

/** Every request: the ones here, plus the split and SQL requests declared in query.ts. */
export interface DataRequests extends SplitQueryRequests, ReportRequests {
  init: { args: Record<string, never>; result: { version: string } };
  /**
   * Loads a CSV or Parquet file as table `table` (replacing one of that name) and describes it. A file Orchard
   * cannot read is refused with a `bad-file` HostError and changes nothing: no half-loaded table is left.
   */
  open: { args: { table: string; fileName: string; format: DatasetFormat; source: FileSource; options?: ReadOptions }; result: TableInfo };
  /** Reads the start of a file and suggests how to import it; loads nothing. */
  preview: { args: { fileName: string; format: DatasetFormat; source: FileSource; options?: ReadOptions }; result: FilePreview };
  /** The table as Parquet bytes (typed, as stored in a project). */
  toParquet: { args: { table: string }; result: Uint8Array };
  /**
   * Appends open table `from` to `table` by column name (files dropped together) and closes `from`; refused with
   * `conflict` naming the differences when their columns do not match. The names say which file is which.
   */
  append: { args: { table: string; from: string; tableName?: string; fromName?: string }; result: TableInfo };
  /** Rows in file order; `limit` is capped at MAX_PAGE_ROWS. With `partition`, only that partition's rows. */
  page: { args: { table: string; offset: number; limit: number; partition?: PartitionFilter }; result: RowPage };
  /**
   * Every row of the named columns in row order, typed for training (see shared/ml/types.ts). A column without
   * a `type` gets the one its kind or DuckDB type implies (shared/ml/columns.ts).
   */
  frame: { args: FrameRequest; result: Frame };
  /** Drops the table; `closed` says whether there was one. */
  close: { args: { table: string }; result: { closed: boolean } };
}

export interface FrameRequest {
  table: string;
  columns: { name: string; type?: FrameColumn['type'] }[];
}

export type DataRequestType = keyof DataRequests;

export type DataRequestMessage = {
  [T in DataRequestType]: { id: number; type: T; args: DataRequests[T]['args'] };
}[DataRequestType];

export interface DataProgress {
  /** `open` reports 'read' (bytes from disk), 'parse' (DuckDB or the Parquet reader at work), 'describe'. */
  phase: string;
  /** 0..1, or null when the worker cannot estimate. */
  fraction: number | null;
  /** `profile`: a finished section of the report, to show before the rest is ready. */
  partial?: ReportPart;
}

export type DataReplyMessage =
  | { id: number; kind: 'ok'; result: unknown }
  | { id: number; kind: 'error'; error: SerializedError }
  | { id: number; kind: 'progress'; progress: DataProgress };

/** Tables are named by the caller; only plain identifiers reach SQL. */
export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * The largest file the data worker reads whole: Parquet, JSON, and CSV it cannot stream (gzip, UTF-16). The
 * file's bytes, the decoded copy and the table must fit DuckDB-WASM's 4 GB together.
 */
export const MAX_LOAD_BYTES = 1.5 * 1024 ** 3;

/**
 * The largest plain CSV file (UTF-8 or Latin-1) the data worker loads: it is read in chunks, so only the table
 * has to fit DuckDB-WASM's memory (about 3.1 GB; a table takes roughly 1 to 1.5 times its CSV's size). Past this
 * no table can fit, so the host refuses before copying; below it a table that does not fit stops with a clear error.
 */
export const MAX_CSV_BYTES = 4 * 1024 ** 3;

/** The byte limit for a format as the host checks it before copying (the worker refines it for CSV it cannot stream). */
export function loadLimit(format: DatasetFormat): number {
  return format === 'csv' ? MAX_CSV_BYTES : MAX_LOAD_BYTES;
}

/** What to tell an analyst whose file is over `limit` (the host says it before copying, the worker before reading). */
export function tooLargeToLoad(fileName: string, size: number, limit = MAX_LOAD_BYTES, why = 'the data engine has 4 GB of memory'): string {
  const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);
  return (
    `${fileName} is ${gb(size)} GB, larger than Orchard can load (${gb(limit)} GB: ${why}). ` +
    'Split the file, or keep only the columns you need, and import the parts.'
  );
}

/** The largest page a single request may ask for. */
export const MAX_PAGE_ROWS = 5000;

export interface InspectedFile {
  rows: number;
  columns: ColumnInfo[];
  read?: TableInfo['read'];
  notes?: string[];
  parquet?: Uint8Array;
}

/** What the host's import needs from the data engine: the file's shape, or a `bad-file` HostError saying why not. */
export interface DatasetInspector {
  /**
   * With `parquet`, also returns the loaded table as Parquet bytes. `onProgress` gets the fraction of the first
   * file read, where the worker can tell (a streamed CSV).
   */
  inspect(file: {
    path: string;
    fileName: string;
    format: DatasetFormat;
    options?: ReadOptions;
    parquet?: boolean;
    /** Files appended to this one, read with the same options; their columns must match. */
    append?: { path: string; fileName: string; format: DatasetFormat }[];
  }, onProgress?: (fraction: number) => void): Promise<InspectedFile>;
  preview?(file: { path: string; fileName: string; format: DatasetFormat; options?: ReadOptions }): Promise<FilePreview>;
  /** Stops whatever inspection is running (its promise rejects with `cancelled`). */
  cancel?(): Promise<void>;
  /** A fresh data worker for one job (splits, saved queries); see DataSession in query.ts. */
  session?(): Promise<DataSession>;
  close(): Promise<void>;
}
