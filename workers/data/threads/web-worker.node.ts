import { Worker as NodeWorker } from 'node:worker_threads';

/**
 * Just enough of the Web Worker API, over Node worker threads, to run DuckDB-WASM's browser scripts in Node: its
 * threaded (COI) worker and that worker's own threads. Each thread runs SCOPE, which gives the classic script
 * `self`, `postMessage`/`onmessage`, `importScripts`, `fetch` of `file:` URLs, `navigator.hardwareConcurrency` (DuckDB
 * aborts without it) and this same `Worker`, silences `console.log` (DuckDB's worker logs every failed request
 * before answering with it), and hides `process`: seeing Node, the bundle's Emscripten and
 * js-sha256 would take code paths the browser bundle has stubbed out.
 */

/** The Worker class, as source: the threads run it too, to start DuckDB's own threads. */
const WORKER_CLASS = String.raw`(NodeWorker, scope) => class WebWorker {
  constructor(url, options = {}) {
    const href = url instanceof URL ? url.href : String(url);
    this.listeners = { message: [], error: [] };
    this.onmessage = null;
    this.onerror = null;
    this.thread = new NodeWorker(scope, { eval: true, workerData: { url: href, name: options.name ?? '', scope } });
    this.thread.on('message', (data) => {
      const event = { data };
      if (this.onmessage) this.onmessage(event);
      for (const listener of [...this.listeners.message]) listener(event);
    });
    this.thread.on('error', (error) => {
      const event = { message: error && error.message, error };
      if (this.onerror) this.onerror(event);
      for (const listener of [...this.listeners.error]) listener(event);
    });
  }
  postMessage(message, transfer) { this.thread.postMessage(message, Array.isArray(transfer) ? transfer : (transfer && transfer.transfer) || []); }
  addEventListener(type, listener) { (this.listeners[type] = this.listeners[type] || []).push(listener); }
  removeEventListener(type, listener) { const list = this.listeners[type] || []; const i = list.indexOf(listener); if (i >= 0) list.splice(i, 1); }
  terminate() { void this.thread.terminate(); }
}`;

/** What each thread runs first (CommonJS, as `eval` threads do), then the script named by its URL. */
const SCOPE = String.raw`
const { parentPort, workerData, Worker: NodeWorker } = require('node:worker_threads');
const fs = require('node:fs');
const os = require('node:os');
const vm = require('node:vm');
const { fileURLToPath } = require('node:url');
const g = globalThis;
g.self = g;
g.location = new URL(workerData.url);
g.name = workerData.name;
g.navigator = { hardwareConcurrency: os.availableParallelism ? os.availableParallelism() : os.cpus().length, userAgent: 'Node.js' };
const listeners = [];
let onmessage = null;
Object.defineProperty(g, 'onmessage', { get: () => onmessage, set: (f) => { onmessage = f; }, configurable: true });
g.addEventListener = (type, listener) => { if (type === 'message') listeners.push(listener); };
g.removeEventListener = (type, listener) => { const i = listeners.indexOf(listener); if (i >= 0) listeners.splice(i, 1); };
g.postMessage = (message, transfer) => parentPort.postMessage(message, Array.isArray(transfer) ? transfer : (transfer && transfer.transfer) || []);
g.close = () => parentPort.close();
parentPort.on('message', (data) => {
  const event = { data };
  if (onmessage) onmessage(event);
  for (const listener of [...listeners]) listener(event);
});
g.importScripts = (...urls) => {
  for (const url of urls) {
    const path = fileURLToPath(new URL(url, g.location));
    vm.runInThisContext(fs.readFileSync(path, 'utf8'), { filename: path });
  }
};
const fetchOther = g.fetch;
g.fetch = async (input, init) => {
  const url = new URL(typeof input === 'object' && input !== null && 'url' in input ? input.url : String(input), g.location);
  if (url.protocol !== 'file:') return fetchOther(input, init);
  const bytes = fs.readFileSync(fileURLToPath(url));
  return new Response(bytes, { headers: { 'Content-Type': url.pathname.endsWith('.wasm') ? 'application/wasm' : 'text/javascript' } });
};
g.Worker = (${WORKER_CLASS})(NodeWorker, workerData.scope);
// DuckDB's worker logs each failed request before answering with it; the answer is what counts.
console.log = () => undefined;
Object.defineProperty(g, 'process', { value: undefined, configurable: true, writable: true });
g.importScripts(workerData.url);
`;

export interface WebWorkerLike {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  addEventListener(type: 'message' | 'error', listener: (event: { data?: unknown; message?: string }) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (event: { data?: unknown; message?: string }) => void): void;
  terminate(): void;
}

type WebWorkerClass = new (url: URL | string, options?: { name?: string }) => WebWorkerLike;

/** A Web Worker running the classic script at `url` (a `file:` URL) on a Node worker thread (the class is source, so the threads can run it too). */
export const NodeWebWorker = (new Function(`return ${WORKER_CLASS}`)() as (worker: typeof NodeWorker, scope: string) => WebWorkerClass)(NodeWorker, SCOPE);
