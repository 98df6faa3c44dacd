import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { tsxEsmApi } from '../node-client.js';
import { MAX_THREADS, ThreadedDuckDB, type RelayPort } from './threaded-duckdb.js';

/** DuckDB threads for a Node engine: one per core up to 4; `ORCHARD_DUCKDB_THREADS=1` keeps the single-threaded build. */
export function nodeThreads(env: Record<string, string | undefined> = process.env): number {
  const asked = Number(env['ORCHARD_DUCKDB_THREADS']);
  const cores = Number.isInteger(asked) && asked >= 1 ? asked : availableParallelism();
  return Math.max(1, Math.min(MAX_THREADS, cores));
}

/**
 * Starts DuckDB's threaded build in Node: the relay on a worker thread of its own (relay-entry.node.ts), DuckDB's
 * browser worker scripts on threads behind a Web Worker shim (web-worker.node.ts). The relay stops holding the
 * process open once it has started; `terminate()` on the answer stops it and every thread under it.
 */
export async function startNodeThreadedDuckDB(threads: number): Promise<ThreadedDuckDB> {
  const worker = spawnRelay();
  const relay: RelayPort = {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => {
      worker.on('message', listener);
      return () => worker.off('message', listener);
    },
    onError: (listener) => {
      const onError = (err: Error) => listener(err.message);
      worker.on('error', onError);
      return () => worker.off('error', onError);
    },
    terminate: () => void worker.terminate(),
  };
  const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-coi.wasm'));
  const file = (name: string) => pathToFileURL(join(dist, name)).href;
  const urls = {
    shim: new URL('./heap-views.worker.js', import.meta.url).href,
    coiWorker: file('duckdb-browser-coi.worker.js'),
    coiModule: file('duckdb-coi.wasm'),
    pthreadWorker: file('duckdb-browser-coi.pthread.worker.js'),
  };
  const db = await ThreadedDuckDB.start(relay, urls, threads);
  worker.unref();
  return db;
}

/** The relay's thread from compiled output, or from sources through tsx (as node-client.ts starts the data worker). */
function spawnRelay(): Worker {
  const compiled = new URL('./relay-entry.node.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled);
  const entry = new URL('./relay-entry.node.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsxEsmApi())}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}
