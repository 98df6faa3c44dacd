import { readFileSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type * as DuckDBBlocking from '@duckdb/duckdb-wasm/blocking';
import { Compression, ParquetFile, readParquet, readSchema, Table as ParquetTable, transformParquetStream, writeParquet, WriterPropertiesBuilder } from 'parquet-wasm/node';
import { DataEngine } from './core/engine.js';
import { readFileRange } from './read-range.node.js';
import { readParquetRowGroups, writeParquetBatches } from './core/parquet-batches.js';
import type { StreamTuning } from './core/load-context.js';
import type { DataPlatform } from './core/platform.js';
import { nodeThreads, startNodeThreadedDuckDB } from './threads/threads.node.js';

/**
 * The Node side of the data worker: DuckDB-WASM (its threaded build on worker threads, or its Node blocking build
 * reading files straight from disk; see createNodeDataEngine), and parquet-wasm's Node build (which loads its
 * own .wasm).
 */

type DuckDBNodeBlocking = typeof DuckDBBlocking;

const require = createRequire(import.meta.url);
const READ_CHUNK = 8 * 1024 * 1024;

export const nodePlatform = (duckdb: DuckDBNodeBlocking): DataPlatform => ({
  name: 'node',

  async readHead(path, maxBytes) {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const head = new Uint8Array(Math.min(size, maxBytes));
      const { bytesRead } = await file.read(head, 0, head.byteLength, 0);
      return { head: head.subarray(0, bytesRead), size };
    } finally {
      await file.close();
    }
  },

  readRange: readFileRange,

  async readFile(path, onProgress) {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      if (size <= READ_CHUNK) return new Uint8Array(await readFile(path));
      const bytes = new Uint8Array(size);
      let done = 0;
      while (done < size) {
        const { bytesRead } = await file.read(bytes, done, Math.min(READ_CHUNK, size - done), done);
        if (bytesRead === 0) break;
        done += bytesRead;
        onProgress(done / size);
      }
      return bytes.subarray(0, done);
    } finally {
      await file.close();
    }
  },

  registerPath(db, name, path) {
    db.registerFileURL(name, path, duckdb.DuckDBDataProtocol.NODE_FS, false);
  },

  parquetSchema: (bytes) => readSchema(bytes).intoIPCStream(),
  parquetToArrow: (bytes) => readParquet(bytes).intoIPCStream(),
  parquetRowGroups: (bytes) => readParquetRowGroups(ParquetFile, bytes),
  arrowToParquet: (ipc) => writeParquet(ParquetTable.fromIPCStream(ipc), new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build()),
  arrowBatchesToParquet: (next) =>
    writeParquetBatches({ Table: ParquetTable, transformParquetStream }, next, new WriterPropertiesBuilder().setCompression(Compression.ZSTD).build()),
});

/**
 * Starts DuckDB-WASM (about a second) and returns an engine on it; `streaming` as for DataEngine. With more than
 * one core (nodeThreads), DuckDB's threaded build, as in the renderer (threads/threads.node.ts): its file
 * system is the browser's, so a file named by path is read into memory and registered as bytes. Otherwise the
 * single-threaded blocking build, which reads files straight from disk.
 */
export async function createNodeDataEngine(streaming?: StreamTuning): Promise<DataEngine> {
  const duckdb = require('@duckdb/duckdb-wasm/dist/duckdb-node-blocking.cjs') as DuckDBNodeBlocking;
  const threads = nodeThreads();
  if (threads > 1) {
    const threaded = await startNodeThreadedDuckDB(threads);
    const platform: DataPlatform = {
      ...nodePlatform(duckdb),
      name: `node, ${threads} threads`,
      registerPath: (db, name, path) => db.registerFileBuffer(name, readFileSync(path)),
      dispose: () => threaded.terminate(),
    };
    return new DataEngine(threaded.asBindings(), platform, streaming);
  }
  const dist = dirname(require.resolve('@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm'));
  const bundles = {
    mvp: { mainModule: join(dist, 'duckdb-mvp.wasm'), mainWorker: '' },
    eh: { mainModule: join(dist, 'duckdb-eh.wasm'), mainWorker: '' },
  };
  const db = await duckdb.createDuckDB(bundles, new duckdb.VoidLogger(), duckdb.NODE_RUNTIME);
  await db.instantiate(() => undefined);
  return new DataEngine(db, nodePlatform(duckdb), streaming);
}
