import { HostError } from '../../shared/host/errors.js';
import type { DataProgress, DatasetInspector } from '../../shared/protocol/data-worker.js';
import type { DataWorkerClient } from '../../shared/protocol/worker-client.js';
import { startNodeDataWorker } from './node-client.js';

/**
 * The host's dataset inspector: reads a file's shape (and, for an import, its Parquet copy) in the Node data
 * worker. The worker starts on the first inspection, and again after a crash; `close()` stops it. `cancel()`
 * terminates the worker, which is the only way to stop DuckDB's blocking build mid-load: what was running
 * rejects with `cancelled`, and the next inspection starts a fresh worker.
 */
export function createNodeInspector(): DatasetInspector {
  let worker: Promise<DataWorkerClient> | null = null;
  let closed = false;
  let inspections = 0;
  let cancels = 0;

  const client = async (): Promise<DataWorkerClient> => {
    const current = worker === null ? null : await worker.catch(() => null);
    if (current !== null && !current.closed) return current;
    worker = startNodeDataWorker();
    return worker;
  };

  /** Runs `work`; if a cancel comes while it runs, its failure is reported as `cancelled`. */
  const cancellable = async <T>(work: (data: DataWorkerClient) => Promise<T>): Promise<T> => {
    if (closed) throw new HostError('internal', 'The dataset inspector is closed.');
    const before = cancels;
    try {
      return await work(await client());
    } catch (err) {
      if (cancels !== before) throw new HostError('cancelled', 'The import was cancelled.');
      throw err;
    }
  };

  return {
    inspect: ({ path, fileName, format, options, parquet, append = [] }, onProgress) =>
      cancellable(async (data) => {
        const table = `inspect_${++inspections}`;
        const source = { kind: 'path' as const, path };
        const read = options === undefined ? {} : { options };
        const progress = (p: DataProgress) => {
          if (p.phase === 'parse' && p.fraction !== null) onProgress?.(p.fraction);
        };
        let info = await data.request('open', { table, fileName, format, source, ...read }, { onProgress: progress });
        try {
          for (const more of append) {
            const from = `inspect_${++inspections}`;
            await data.request('open', { table: from, fileName: more.fileName, format: more.format, source: { kind: 'path', path: more.path }, ...read });
            const appended = await data.request('append', { table, from, tableName: fileName, fromName: more.fileName });
            info = { ...appended, ...(info.read ? { read: info.read } : {}), notes: [...(info.notes ?? [])] };
          }
          const bytes = parquet === true ? await data.request('toParquet', { table }) : undefined;
          return { rows: info.rows, columns: info.columns, ...(info.read ? { read: info.read } : {}), notes: info.notes ?? [], ...(bytes ? { parquet: bytes } : {}) };
        } finally {
          await data.request('close', { table }).catch(() => undefined);
        }
      }),

    preview: ({ path, fileName, format, options }) =>
      cancellable((data) => data.request('preview', { fileName, format, source: { kind: 'path', path }, ...(options === undefined ? {} : { options }) })),

    async cancel() {
      cancels++;
      const current = worker;
      worker = null;
      const data = current === null ? null : await current.catch(() => null);
      await data?.terminate();
    },

    /** A fresh worker of the caller's own (splits, saved queries), separate from imports; `close` ends it. */
    async session() {
      if (closed) throw new HostError('internal', 'The dataset inspector is closed.');
      const own = await startNodeDataWorker();
      return { request: (type, args) => own.request(type, args), close: () => own.terminate() };
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
