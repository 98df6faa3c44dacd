import { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import { serveRelay } from './relay.js';
import type { RelayRequest } from './protocol.js';

/** The relay as a Web Worker (see relay.ts); DuckDB's worker is a classic Web Worker. */
serveRelay(
  {
    onMessage: (listener) => self.addEventListener('message', (event: MessageEvent<RelayRequest>) => listener(event.data)),
    postMessage: (message) => self.postMessage(message),
  },
  (url) => new Worker(url),
  { AsyncDuckDB, VoidLogger },
);
