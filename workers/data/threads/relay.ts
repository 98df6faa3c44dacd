import type { AsyncDuckDB, VoidLogger } from '@duckdb/duckdb-wasm';
import { CHUNK_BYTES, CHUNK_LENGTH, DONE, FAILED, MORE, STATE, TOTAL_LENGTH, type RelayRequest } from './protocol.js';

/**
 * The relay worker (see protocol.ts): holds DuckDB's threaded build behind its AsyncDuckDB API and answers the
 * data worker's requests, one at a time, into shared memory. Its entries: relay.web.ts (a Web Worker) and
 * relay-entry.node.ts (a Node worker thread).
 */

/** The relay's own side of its channel. */
export interface RelayScope {
  onMessage(listener: (request: RelayRequest) => void): void;
  postMessage(message: unknown): void;
}

/** DuckDB-WASM's browser module, which each entry imports in its own way. */
export interface DuckDBModule {
  AsyncDuckDB: typeof AsyncDuckDB;
  VoidLogger: typeof VoidLogger;
}

/** DuckDB's worker, as AsyncDuckDB uses it, and its failure. */
export interface DuckDBWorker {
  addEventListener(type: 'error', listener: (event: { message?: string }) => void): void;
}

let db: AsyncDuckDB | null = null;
let threads = 1;
let control: Int32Array | null = null;
let data: Uint8Array | null = null;
const encoder = new TextEncoder();
const EMPTY = new Uint8Array(0);

/**
 * Rejects once DuckDB's worker has died (a WebAssembly abort). AsyncDuckDB then drops its pending requests without
 * settling them, so every answer races this, and the waiting data worker gets an error instead of waiting forever.
 */
let stopped: Promise<never> = new Promise(() => undefined);

/** Starts DuckDB; answered by a plain message, since the data worker is not blocked yet. */
async function init(scope: RelayScope, request: Extract<RelayRequest, { op: 'init' }>, startWorker: (url: URL) => DuckDBWorker, duckdb: DuckDBModule): Promise<void> {
  try {
    control = new Int32Array(request.control);
    data = new Uint8Array(request.data);
    threads = request.threads;
    const { shim, coiWorker, coiModule, pthreadWorker } = request.urls;
    const script = new URL(shim);
    script.searchParams.set('worker', coiWorker);
    const worker = startWorker(script);
    stopped = new Promise<never>((_, reject) => {
      worker.addEventListener('error', (event) => reject(new Error(`DuckDB stopped: ${event.message || 'its worker failed'}. Reload the window to go on.`)));
    });
    stopped.catch(() => undefined);
    db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker as unknown as ConstructorParameters<typeof AsyncDuckDB>[1]);
    await db.instantiate(coiModule, pthreadWorker);
    scope.postMessage({ ready: true });
  } catch (err) {
    scope.postMessage({ ready: false, error: err instanceof Error ? err.message : String(err) });
  }
}

async function answer(request: Exclude<RelayRequest, { op: 'init' }>): Promise<Uint8Array> {
  if (db === null) throw new Error('DuckDB is not started.');
  switch (request.op) {
    case 'open':
      await db.open({ ...request.config, maximumThreads: threads });
      return EMPTY;
    case 'version':
      return encoder.encode(await db.getVersion());
    case 'connect': {
      const conn = await db.connect();
      return encoder.encode(JSON.stringify(conn.useUnsafe((_, id) => id)));
    }
    case 'disconnect':
      await db.disconnect(request.conn);
      return EMPTY;
    case 'query':
      return db.runQuery(request.conn, request.sql);
    case 'start': {
      let header = await db.startPendingQuery(request.conn, request.sql, true);
      while (header === null) header = await db.pollPendingQuery(request.conn);
      return header;
    }
    case 'fetch':
      return (await db.fetchQueryResults(request.conn)) ?? EMPTY;
    case 'insert':
      await db.insertArrowFromIPCStream(request.conn, request.ipc, request.options);
      return EMPTY;
    case 'register':
      await db.registerFileBuffer(request.name, request.bytes);
      return EMPTY;
    case 'drop':
      await db.dropFile(request.name);
      return EMPTY;
  }
}

/** Hands `payload` over chunk by chunk, waiting for the data worker to take each one. */
function reply(payload: Uint8Array, final: typeof DONE | typeof FAILED): void {
  if (control === null || data === null) return;
  let at = 0;
  do {
    const length = Math.min(CHUNK_BYTES, payload.byteLength - at);
    data.set(payload.subarray(at, at + length));
    at += length;
    const state = at < payload.byteLength ? MORE : final;
    Atomics.store(control, CHUNK_LENGTH, length);
    Atomics.store(control, TOTAL_LENGTH, payload.byteLength);
    Atomics.store(control, STATE, state);
    Atomics.notify(control, STATE);
    if (state === MORE) Atomics.wait(control, STATE, MORE);
  } while (at < payload.byteLength);
}

/** Answers the data worker's requests on `scope`, one at a time; `startWorker` starts DuckDB's own worker script. */
export function serveRelay(scope: RelayScope, startWorker: (url: URL) => DuckDBWorker, duckdb: DuckDBModule): void {
  let queue = Promise.resolve();
  scope.onMessage((request) => {
    queue = queue.then(async () => {
      if (request.op === 'init') return init(scope, request, startWorker, duckdb);
      try {
        reply(await Promise.race([answer(request), stopped]), DONE);
      } catch (err) {
        reply(encoder.encode(err instanceof Error ? err.message : String(err)), FAILED);
      }
    });
  });
}
