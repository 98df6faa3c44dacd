import { trainingPartition, type QueryOutcome, type QueryTable } from '../../../shared/protocol/query.js';
import type { DatasetRecord } from '../../../shared/schema/project.js';
import type { SplitDocument } from '../../../shared/schema/split.js';
import { host } from '../host/index.js';
import { dataWorker, openDatasetTable } from './tables.js';

/**
 * Splits and SQL in the renderer's data worker. A stored split's assignment is fetched from the host once and
 * registered beside its dataset's table; from then on every view of that dataset filters on its training
 * partition (the test partition is never shown).
 */

const attached = new Map<string, Promise<void>>();

/** Registers `split` beside the dataset's table (once per table and split). */
export function attachSplit(project: string, table: string, split: SplitDocument): Promise<void> {
  const key = `${table}:${split.id}`;
  const known = attached.get(key);
  if (known !== undefined) return known;
  const work = (async () => {
    const codes = await host.call('splits.assignment', { project, splitId: split.id });
    const worker = await dataWorker();
    await worker.request('attachSplit', { table, codes }, { transfer: [codes.buffer as ArrayBuffer] });
  })();
  attached.set(key, work);
  work.catch(() => attached.delete(key));
  return work;
}

/**
 * Runs one read-only statement over the project's datasets, each under its name (the first of two with the
 * same name wins), split ones as their training rows. Every dataset is loaded into the worker on first use.
 */
export async function runConsoleQuery(
  project: string,
  datasets: DatasetRecord[],
  splits: SplitDocument[],
  sql: string,
): Promise<QueryOutcome> {
  const tables: QueryTable[] = [];
  const names = new Set<string>();
  for (const dataset of datasetsNamedIn(sql, datasets)) {
    if (names.has(dataset.name.toLowerCase())) continue;
    names.add(dataset.name.toLowerCase());
    const info = await openDatasetTable(project, dataset);
    const split = splits.find((s) => s.datasetId === dataset.id);
    if (split !== undefined) await attachSplit(project, info.table, split);
    tables.push({ name: dataset.name, table: info.table, ...(split ? { partition: trainingPartition(info.table) } : {}) });
  }
  const worker = await dataWorker();
  return worker.request('query', { sql, tables });
}

/** The datasets whose names appear in the SQL (so a query loads only what it reads). */
export function datasetsNamedIn(sql: string, datasets: DatasetRecord[]): DatasetRecord[] {
  const text = sql.toLowerCase();
  return datasets.filter((d) => d.name !== '' && text.includes(d.name.toLowerCase()));
}
