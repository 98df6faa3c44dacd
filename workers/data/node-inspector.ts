import { HostError } from '../../shared/host/errors.js';
import type { DatasetInspector } from '../../shared/protocol/data-worker.js';
import type { DataWorkerClient } from '../../shared/protocol/worker-client.js';
import { startNodeDataWorker } from './node-client.js';

/**
 * The host's dataset inspector: reads a file's shape in the Node data worker. The worker starts on the first
 * inspection, and again after a crash; `close()` stops it.
 */
export function createNodeInspector(): DatasetInspector {
  let worker: Promise<DataWorkerClient> | null = null;
  let closed = false;
  let inspections = 0;

  const client = async (): Promise<DataWorkerClient> => {
    const current = worker === null ? null : await worker.catch(() => null);
    if (current !== null && !current.closed) return current;
    worker = startNodeDataWorker();
    return worker;
  };

  return {
    async inspect({ path, fileName, format }) {
      if (closed) throw new HostError('internal', 'The dataset inspector is closed.');
      const data = await client();
      const table = `inspect_${++inspections}`;
      const info = await data.request('open', { table, fileName, format, source: { kind: 'path', path } });
      await data.request('close', { table }).catch(() => undefined);
      return { rows: info.rows, columns: info.columns };
    },

    async close() {
      closed = true;
      const current = worker;
      worker = null;
      const data = current === null ? null : await current.catch(() => null);
      await data?.terminate();
    },
  };
}
