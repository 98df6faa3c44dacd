import type { ColumnInfo, DatasetFormat } from '../schema/project.js';
import type { SerializedError } from '../host/errors.js';

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

export interface TableInfo {
  table: string;
  rows: number;
  columns: ColumnInfo[];
}

export interface RowPage {
  offset: number;
  rows: Cell[][];
}

export interface DataRequests {
  init: { args: Record<string, never>; result: { version: string } };
  /**
   * Loads a CSV or Parquet file as table `table` (replacing one of that name) and describes it. A file Orchard
   * cannot read is refused with a `bad-file` HostError and changes nothing: no half-loaded table is left.
   */
  open: { args: { table: string; fileName: string; format: DatasetFormat; source: FileSource }; result: TableInfo };
  /** Rows in file order; `limit` is capped at MAX_PAGE_ROWS. */
  page: { args: { table: string; offset: number; limit: number }; result: RowPage };
  /** Drops the table; `closed` says whether there was one. */
  close: { args: { table: string }; result: { closed: boolean } };
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
}

export type DataReplyMessage =
  | { id: number; kind: 'ok'; result: unknown }
  | { id: number; kind: 'error'; error: SerializedError }
  | { id: number; kind: 'progress'; progress: DataProgress };

/** Tables are named by the caller; only plain identifiers reach SQL. */
export const TABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** The largest page a single request may ask for. */
export const MAX_PAGE_ROWS = 5000;

/** What the host's import needs from the data engine: the file's shape, or a `bad-file` HostError saying why not. */
export interface DatasetInspector {
  inspect(file: { path: string; fileName: string; format: DatasetFormat }): Promise<{ rows: number; columns: ColumnInfo[] }>;
  close(): Promise<void>;
}
