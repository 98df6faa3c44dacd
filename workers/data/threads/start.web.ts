import coiModule from '@duckdb/duckdb-wasm/dist/duckdb-coi.wasm?url';
import coiWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js?url';
import pthreadWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-coi.pthread.worker.js?url';
import shim from './heap-views.worker.js?url&no-inline';
import { MAX_THREADS, ThreadedDuckDB, type RelayPort } from './threaded-duckdb.js';

/** Whether this worker can run DuckDB's threaded build: a cross-origin-isolated page and more than one core. */
export function threadsAvailable(): number {
  const threads = Math.min(MAX_THREADS, navigator.hardwareConcurrency || 1);
  return globalThis.crossOriginIsolated === true && threads > 1 ? threads : 1;
}

/** Starts the relay worker and DuckDB's threaded build in it, `threads` DuckDB threads per query. */
export function startThreadedDuckDB(threads: number): Promise<ThreadedDuckDB> {
  const absolute = (url: string) => new URL(url, self.location.href).href;
  const worker = new Worker(new URL('./relay.web.ts', import.meta.url), { type: 'module', name: 'orchard-duckdb' });
  const relay: RelayPort = {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => {
      const onMessage = (event: MessageEvent) => listener(event.data);
      worker.addEventListener('message', onMessage);
      return () => worker.removeEventListener('message', onMessage);
    },
    onError: (listener) => {
      const onError = (event: ErrorEvent) => listener(event.message || 'the relay worker failed to start');
      worker.addEventListener('error', onError);
      return () => worker.removeEventListener('error', onError);
    },
    terminate: () => worker.terminate(),
  };
  return ThreadedDuckDB.start(relay, { shim: absolute(shim), coiWorker: absolute(coiWorker), coiModule: absolute(coiModule), pthreadWorker: absolute(pthreadWorker) }, threads);
}
