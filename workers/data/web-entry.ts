import { serveDataWorker } from './core/server.js';
import { createWebDataEngine } from './platform.web.js';

/**
 * The data worker as a module Web Worker (renderer, browser mode). Start it from the renderer with
 * `new Worker(new URL('…/workers/data/web-entry.ts', import.meta.url), { type: 'module' })` and talk to it
 * through `createDataWorkerClient` (shared/protocol/worker-client.ts).
 */

serveDataWorker(
  {
    postMessage: (message, transfer) => self.postMessage(message, { transfer }),
    onMessage: (listener) => self.addEventListener('message', (event) => listener((event as MessageEvent).data)),
  },
  createWebDataEngine,
);
