import type { DuckDBBindings, DuckDBRuntime } from '@duckdb/duckdb-wasm/blocking';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import initParquet, { Compression, ParquetFile, readParquet, readSchema, Table as ParquetTable, transformParquetStream, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm/esm';
import parquetWasm from 'parquet-wasm/esm/parquet_wasm_bg.wasm?url';
// @ts-expect-error The package's "exports" map omits its browser blocking build, so neither Vite nor TypeScript
// will resolve it by package name; the file is imported by path and typed as `BrowserBlocking` below.
import * as blocking from '../../node_modules/@duckdb/duckdb-wasm/dist/duckdb-browser-blocking.mjs';
import { DataEngine } from './core/engine.js';
import { startThreadedDuckDB, threadsAvailable } from './threads/start.web.js';
import { readParquetRowGroups, writeParquetBatches } from './core/parquet-batches.js';
import { NO_PATHS, type DataPlatform } from './core/platform.js';

/**
 * The browser side of the data worker: DuckDB-WASM's browser blocking build and parquet-wasm's ESM build, their
 * .wasm files served by Vite. Files arrive as bytes; a Web Worker cannot read paths.
 */

interface BrowserBlocking {
  createDuckDB: (bundles: { mvp: { mainModule: string; mainWorker: string }; eh?: { mainModule: string; mainWorker: string } }, logger: object, runtime: DuckDBRuntime) => Promise<DuckDBBindings>;
  VoidLogger: new () => object;
  BROWSER_RUNTIME: DuckDBRuntime;
}

const duckdb = blocking as BrowserBlocking;

export const webPlatform: DataPlatform = {
  name: 'browser',
  ...NO_PATHS,
  parquetSchema: (bytes) => readSchema(bytes).intoIPCStream(),
  parquetToArrow: (bytes) => readParquet(bytes).intoIPCStream(),
  parquetRowGroups: (bytes) => readParquetRowGroups(ParquetFile, bytes),
  arrowToParquet: (ipc) => writeParquet(ParquetTable.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build()),
  arrowBatchesToParquet: (next) =>
    writeParquetBatches({ Table: ParquetTable, transformParquetStream }, next, new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build()),
};

/**
 * Starts the data engine. A cross-origin-isolated page (both hosts send COOP and COEP) gets DuckDB's threaded
 * build, one DuckDB thread per core up to MAX_THREADS, behind a relay worker (threads/); anywhere else, the
 * single-threaded blocking build runs in this worker (DuckDB picks its exception-handling build where the
 * browser has it).
 */
export async function createWebDataEngine(): Promise<DataEngine> {
  const threads = threadsAvailable();
  if (threads > 1) {
    const [db] = await Promise.all([startThreadedDuckDB(threads), initParquet({ module_or_path: parquetWasm })]);
    return new DataEngine(db.asBindings(), { ...webPlatform, name: `browser, ${threads} threads` });
  }
  const bundles = { mvp: { mainModule: mvpWasm, mainWorker: '' }, eh: { mainModule: ehWasm, mainWorker: '' } };
  const [db] = await Promise.all([
    duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.BROWSER_RUNTIME),
    initParquet({ module_or_path: parquetWasm }),
  ]);
  await db.instantiate(() => undefined);
  return new DataEngine(db, webPlatform);
}
