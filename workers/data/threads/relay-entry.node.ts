import { parentPort } from 'node:worker_threads';
import type { DuckDBModule } from './relay.js';
import type { RelayRequest } from './protocol.js';
import { serveRelay } from './relay.js';
import { NodeWebWorker } from './web-worker.node.js';

/**
 * The relay as a Node worker thread (see relay.ts). It runs DuckDB-WASM's *browser* module, whose AsyncDuckDB
 * talks to DuckDB's worker scripts on threads behind a Web Worker shim (web-worker.node.ts); the package's Node
 * entry would start its own single-threaded worker instead. That module reads the global `Worker` as it loads.
 */
if (parentPort === null) throw new Error('relay-entry runs as a worker thread.');
const port = parentPort;
(globalThis as { Worker?: unknown }).Worker = NodeWebWorker;
const browserModule = '@duckdb/duckdb-wasm/dist/duckdb-browser.mjs';
const duckdb = (await import(browserModule)) as DuckDBModule;
serveRelay(
  {
    onMessage: (listener) => port.on('message', (request: RelayRequest) => listener(request)),
    postMessage: (message) => port.postMessage(message),
  },
  (url) => new NodeWebWorker(url),
  duckdb,
);
