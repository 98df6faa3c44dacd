import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { createDataWorkerClient, type DataWorkerClient, type WorkerPort } from '../../shared/protocol/worker-client.js';

/**
 * Starts the data worker on a Node worker thread and initialises it (DuckDB-WASM takes about a second). From
 * compiled output it runs node-entry.js beside this file; from TypeScript sources (vitest, tsx) it runs
 * node-entry.ts through tsx.
 */
export async function startNodeDataWorker(): Promise<DataWorkerClient> {
  const client = spawnNodeDataWorker();
  try {
    await client.request('init', {});
  } catch (err) {
    await client.terminate();
    throw err;
  }
  return client;
}

/** The worker without `init`: every request but `init` is refused until one is sent. */
export function spawnNodeDataWorker(): DataWorkerClient {
  return createDataWorkerClient(nodeWorkerPort(spawnDataWorkerThread()));
}

/** The data worker's thread itself: the built entry when there is one, else the source through tsx. */
export function spawnDataWorkerThread(): Worker {
  const compiled = new URL('./node-entry.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled);
  // Node 20 ignores `--import tsx` in a worker's execArgv, so the worker registers tsx's ESM loader itself.
  const tsx = tsxEsmApi();
  const entry = new URL('./node-entry.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true });
}

/** tsx's ESM loader API (`tsx/esm/api` under the import condition), which `require.resolve` cannot name. */
export function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as { exports: Record<string, { import?: { default?: string } }> };
  const file = exports['./esm/api']?.import?.default;
  if (file === undefined) throw new Error('This tsx has no ESM loader API; build the app (npm run build:node) instead.');
  return pathToFileURL(join(dirname(manifest), file)).href;
}

/**
 * Adapts a worker thread to the client's port. The thread keeps Node alive only while a request is out, so a
 * forgotten idle worker never stops a process from exiting.
 */
export function nodeWorkerPort(worker: Worker): WorkerPort {
  let outstanding = 0;
  const settle = (delta: number): void => {
    outstanding = Math.max(0, outstanding + delta);
    if (outstanding > 0) worker.ref();
    else worker.unref();
  };
  worker.unref();
  return {
    postMessage(message, transfer) {
      worker.postMessage(message, transfer ?? []);
      settle(+1);
    },
    onMessage(listener) {
      worker.on('message', (message: unknown) => {
        const kind = (message as { kind?: unknown } | null)?.kind;
        if (kind === 'ok' || kind === 'error') settle(-1);
        listener(message);
      });
    },
    onError(listener) {
      worker.on('error', listener);
      worker.on('messageerror', listener);
    },
    onExit(listener) {
      worker.on('exit', listener);
    },
    terminate: () => worker.terminate(),
  };
}
