// Loads a CSV into the app's own data worker (workers/data/web-entry.ts) and computes the full quality report,
// timing each request as the renderer makes it; leaves the result on window.dataBench.
import { createDataWorkerClient } from '../../shared/protocol/worker-client.js';
import { browserPort } from '../../renderer/src/data/worker-port.js';

const params = new URLSearchParams(location.search);
const done = (result: unknown) => {
  (window as unknown as { dataBench: unknown }).dataBench = result;
};

async function run() {
  const csv = params.get('csv');
  const target = params.get('target') ?? undefined;
  if (csv === null) throw new Error('No ?csv= given.');
  let t = performance.now();
  const worker = new Worker(new URL('../../workers/data/web-entry.ts', import.meta.url), { type: 'module', name: 'orchard-data' });
  const client = createDataWorkerClient(browserPort(worker, 'data worker'));
  const { version } = await client.request('init', {});
  const startMs = performance.now() - t;
  const bytes = new Uint8Array(await (await fetch(csv)).arrayBuffer());
  const loadMs: number[] = [];
  const reportMs: number[] = [];
  let rows = 0;
  for (let run = 0; run < Number(params.get('runs') ?? 1); run++) {
    // A copy moved to the worker, not cloned, as the renderer moves a stored dataset's bytes (renderer/src/data/tables.ts).
    const copy = bytes.slice();
    t = performance.now();
    const info = await client.request('open', { table: 'wide', fileName: 'wide.csv', format: 'csv', source: { kind: 'bytes', bytes: copy } }, { transfer: [copy.buffer] });
    loadMs.push(performance.now() - t);
    rows = info.rows;
    t = performance.now();
    await client.request('profile', { table: 'wide', ...(target === undefined ? {} : { target }) });
    reportMs.push(performance.now() - t);
  }
  worker.terminate();
  return { version, isolated: crossOriginIsolated, rows, startMs, loadMs, reportMs };
}

run().then(done, (err: unknown) => done({ error: err instanceof Error ? err.message : String(err) }));
