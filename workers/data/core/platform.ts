import type { DuckDBBindings } from '@duckdb/duckdb-wasm/blocking';
import { HostError } from '../../../shared/host/errors.js';

/**
 * What differs between the Node worker and the browser worker, in one interface. Everything else in core/ runs
 * unchanged in both. Implementations: workers/data/platform.node.ts and workers/data/platform.web.ts.
 */
export interface DataPlatform {
  /** 'node' or 'browser', reported by `init`. */
  readonly name: string;
  /** The first `maxBytes` bytes of the file at `path`, and the file's size. */
  readHead(path: string, maxBytes: number): Promise<{ head: Uint8Array; size: number }>;
  /** `length` bytes of the file at `path` from `offset` (fewer at its end). */
  readRange(path: string, offset: number, length: number): Promise<Uint8Array>;
  /** The whole file at `path`; `onProgress` gets the fraction read so far. */
  readFile(path: string, onProgress: (fraction: number) => void): Promise<Uint8Array>;
  /** Lets DuckDB read the file at `path` as `name` without loading it into memory first. */
  registerPath(db: DuckDBBindings, name: string, path: string): void;
  /** The Parquet file's schema as an Arrow IPC stream with no batches; throws with the reader's reason. */
  parquetSchema(bytes: Uint8Array): Uint8Array;
  /** The whole Parquet file decoded to an Arrow IPC stream; throws with the reader's reason. */
  parquetToArrow(bytes: Uint8Array): Uint8Array;
  /** The Parquet file's row groups, each decoded on its own to an Arrow IPC stream; `close` frees the reader. */
  parquetRowGroups(bytes: Uint8Array): Promise<{ count: number; read(index: number): Promise<Uint8Array>; close(): void }>;
  /** An Arrow IPC stream written as a Parquet file (zstd-compressed). */
  arrowToParquet(ipc: Uint8Array): Uint8Array;
  /** Arrow IPC streams, one per call of `next` until it gives null, written as one Parquet file (zstd), a batch at a time. */
  arrowBatchesToParquet(next: () => Uint8Array | null): Promise<Uint8Array>;
  /** Stops what the platform started for the engine (DuckDB's threads), when the engine is disposed of. */
  dispose?(): void;
}

/** A platform that can only take bytes (the browser worker): reading by path is refused. */
export const NO_PATHS: Pick<DataPlatform, 'readHead' | 'readRange' | 'readFile' | 'registerPath'> = {
  readHead: () => Promise.reject(pathsNotSupported()),
  readRange: () => Promise.reject(pathsNotSupported()),
  readFile: () => Promise.reject(pathsNotSupported()),
  registerPath: () => {
    throw pathsNotSupported();
  },
};

function pathsNotSupported(): HostError {
  return new HostError('not-supported', 'This data worker cannot read files by path; send the file as bytes.');
}
