import { trainRuntime } from './fitters.js';
import { serveTrainWorker } from './server.js';
import { initWebTraining } from './tf-platform.web.js';

/**
 * The training worker as a module Web Worker (renderer). TensorFlow.js picks WebGPU on a real GPU, else the
 * faster of WASM and WebGL on this machine (workers/train/backend.ts). Started by renderer/src/train/pool.ts.
 */

serveTrainWorker(
  {
    postMessage: (message, transfer) => self.postMessage(message, { transfer }),
    onMessage: (listener) => self.addEventListener('message', (event) => listener((event as MessageEvent).data)),
  },
  async () => trainRuntime(await initWebTraining()),
);
