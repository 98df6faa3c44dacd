import type { Cell, TableInfo } from '../../../shared/protocol/data-worker.js';
import type { PartitionFilter } from '../../../shared/protocol/query.js';
import { READ_RANGE_BYTES } from '../../../shared/host/contract.js';
import { concatBytes } from '../../../shared/data/bytes.js';
import { createDataWorkerClient, type DataWorkerClient } from '../../../shared/protocol/worker-client.js';
import type { DatasetRecord } from '../../../shared/schema/project.js';
import { host } from '../host/index.js';
import { browserPort } from './worker-port.js';

/**
 * The renderer's data worker: DuckDB-WASM in a Web Worker. Only pages of rows and descriptions cross to the UI
 * thread; the rows themselves stay in the worker. Started on first use; restarted if it dies.
 */

let client: Promise<DataWorkerClient> | null = null;

export function dataWorker(): Promise<DataWorkerClient> {
  if (client === null) {
    const started = (async () => {
      const worker = new Worker(new URL('../../../workers/data/web-entry.ts', import.meta.url), {
        type: 'module',
        name: 'orchard-data',
      });
      const c = createDataWorkerClient(browserPort(worker, 'data worker'));
      await c.request('init', {});
      return c;
    })();
    client = started;
    started.catch(() => {
      if (client === started) client = null;
    });
  }
  return client.then((c) => {
    if (!c.closed) return c;
    client = null;
    opened.clear();
    return dataWorker();
  });
}

const opened = new Map<string, Promise<TableInfo>>();

/** The worker's table for one stored dataset, loaded once per session from the project's copy. */
export function openDatasetTable(project: string, dataset: DatasetRecord): Promise<TableInfo> {
  const table = `t_${dataset.sha256.slice(0, 16)}_${dataset.id.replace(/[^A-Za-z0-9_]/g, '_')}`.slice(0, 63);
  const cached = opened.get(table);
  if (cached !== undefined) return cached;
  const loading = (async () => {
    // The typed Parquet copy where there is one (exact types, fast); a version-1 dataset has only its original.
    const bytes = await readStoredCopy(project, dataset.id);
    const worker = await dataWorker();
    const stored = dataset.parquetFile !== undefined;
    // The Parquet copy was read with the analyst's choices already: nothing in it is a missing-value token any more.
    const read = stored ? { format: 'parquet' as const, options: { missingTokens: [] } } : { format: dataset.format };
    return worker.request(
      'open',
      { table, fileName: dataset.originalName, ...read, source: { kind: 'bytes', bytes } },
      { transfer: [bytes.buffer as ArrayBuffer] },
    );
  })();
  opened.set(table, loading);
  loading.catch(() => opened.delete(table));
  return loading;
}

/**
 * The stored copy's bytes, fetched in ranges of READ_RANGE_BYTES: no single message from the host carries more,
 * whatever the file's size. A range shorter than asked is the end of the file.
 */
async function readStoredCopy(project: string, datasetId: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const part = await host.call('datasets.read', { project, datasetId, copy: 'table', offset: total, length: READ_RANGE_BYTES });
    parts.push(part);
    total += part.byteLength;
    if (part.byteLength < READ_RANGE_BYTES) break;
  }
  return concatBytes(parts);
}

/** Rows of `table`; with `partition`, only that partition's rows (offset and limit count within it). */
export async function readPage(table: string, offset: number, limit: number, partition?: PartitionFilter): Promise<Cell[][]> {
  const worker = await dataWorker();
  return (await worker.request('page', { table, offset, limit, ...(partition ? { partition } : {}) })).rows;
}
