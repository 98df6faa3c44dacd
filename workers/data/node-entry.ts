import { parentPort } from 'node:worker_threads';
import { serveDataWorker } from './core/server.js';
import { createNodeDataEngine } from './platform.node.js';

/** The data worker as a Node worker thread (Electron main process, web host, CLI). Start it with node-client.ts. */

if (parentPort === null) throw new Error('node-entry runs as a worker thread: start it with startNodeDataWorker().');
const port = parentPort;

serveDataWorker(
  {
    postMessage: (message, transfer) => port.postMessage(message, transfer),
    onMessage: (listener) => port.on('message', listener),
  },
  createNodeDataEngine,
);
