/**
 * The data worker's synchronous line to DuckDB's threaded build. DuckDB-WASM's threaded (COI) build exists only
 * behind its asynchronous worker API, while the data engine runs its SQL synchronously. So a relay worker holds
 * the AsyncDuckDB, and the data worker posts it one request at a time and then *waits* (Atomics.wait, allowed in
 * a worker) until the answer is in shared memory: a byte payload copied over in chunks of `CHUNK_BYTES`.
 */
import type { ArrowInsertOptions, DuckDBConfig } from '@duckdb/duckdb-wasm/blocking';

export type RelayRequest =
  | { op: 'init'; control: SharedArrayBuffer; data: SharedArrayBuffer; urls: ThreadedBundle; threads: number }
  | { op: 'open'; config: DuckDBConfig }
  | { op: 'version' }
  | { op: 'connect' }
  | { op: 'disconnect'; conn: number }
  /** Answers DuckDB's Arrow IPC bytes. */
  | { op: 'query'; conn: number; sql: string }
  /** A streamed query: answers its first IPC message (the schema); `fetch` answers each next one, empty at the end. */
  | { op: 'start'; conn: number; sql: string }
  | { op: 'fetch'; conn: number }
  | { op: 'insert'; conn: number; ipc: Uint8Array; options: ArrowInsertOptions }
  | { op: 'register'; name: string; bytes: Uint8Array }
  | { op: 'drop'; name: string };

/** Where the threaded build's files are served. */
export interface ThreadedBundle {
  /** heap-views.worker.js, which runs the COI worker (`coiWorker`) with its heap views kept fresh. */
  shim: string;
  coiWorker: string;
  coiModule: string;
  pthreadWorker: string;
}

/** The shared control words (Int32Array indices). */
export const STATE = 0;
export const CHUNK_LENGTH = 1;
export const TOTAL_LENGTH = 2;
export const CONTROL_WORDS = 4;

/** STATE values: the data worker waits on WAITING; the relay sets one of the others when a chunk is in place. */
export const WAITING = 0;
export const MORE = 1;
export const DONE = 2;
export const FAILED = 3;

export const CHUNK_BYTES = 16 * 1024 * 1024;
