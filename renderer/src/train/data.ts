import { HostError } from '../../../shared/host/errors.js';
import type { SplitData } from '../../../shared/ml/job.js';
import type { Frame } from '../../../shared/ml/types.js';
import { frameTypeOf } from '../../../shared/ml/columns.js';
import type { DatasetRecord } from '../../../shared/schema/project.js';
import type { SplitDocument } from '../../../shared/schema/split.js';
import { dataWorker, openDatasetTable } from '../data/tables.js';
import { host } from '../host/index.js';
import type { DataSource } from './pool.js';

/**
 * The data training reads: the dataset's feature columns and the target as a typed frame (the data worker's
 * `frame` request), and the split's partition code of every row. Identifier and ignored columns are left out;
 * the target is always in. Frames are cached per dataset and column list for the session.
 */

/** The columns a frame of `dataset` holds for `target`: every column that can be a feature, plus the target. */
export function frameColumns(dataset: DatasetRecord, target: string): string[] {
  return dataset.columns.filter((c) => c.name === target || frameTypeOf(c) !== null).map((c) => c.name);
}

const frames = new Map<string, Promise<Frame>>();

export function loadFrame(project: string, dataset: DatasetRecord, target: string): Promise<Frame> {
  const columns = frameColumns(dataset, target);
  const key = `${dataset.sha256}:${JSON.stringify(columns)}`;
  let found = frames.get(key);
  if (found === undefined) {
    found = (async () => {
      const table = await openDatasetTable(project, dataset);
      const worker = await dataWorker();
      return worker.request('frame', { table: table.table, columns: columns.map((name) => ({ name })) });
    })();
    frames.set(key, found);
    found.catch(() => frames.delete(key));
  }
  return found;
}

const assignments = new Map<string, Promise<Uint8Array>>();

/** A split's partition code of every row, fetched once per split. Callers must not change it. */
export function loadPartitions(project: string, split: SplitDocument): Promise<Uint8Array> {
  let found = assignments.get(split.id);
  if (found === undefined) {
    found = host.call('splits.assignment', { project, splitId: split.id });
    assignments.set(split.id, found);
    found.catch(() => assignments.delete(split.id));
  }
  return found;
}

/** The data source for the training pool: the frame and the split's partitions, fetched once per key. */
export function splitDataSource(project: string, dataset: DatasetRecord, split: SplitDocument, target: string): DataSource {
  const columns = frameColumns(dataset, target);
  return {
    key: `${dataset.sha256.slice(0, 16)}:${split.id}:${columns.length}:${hash(columns.join('\u0000'))}`,
    load: async (): Promise<SplitData> => {
      const [frame, partitions] = await Promise.all([loadFrame(project, dataset, target), loadPartitions(project, split)]);
      if (partitions.length !== frame.rowCount) {
        throw new HostError('conflict', `The split has ${partitions.length} rows but ${dataset.name} has ${frame.rowCount}; make the split again.`);
      }
      return { frame, partitions };
    },
  };
}

/** FNV-1a, enough to tell column lists apart in a cache key. */
function hash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

/** Per-class row counts of a category or number target, over the rows whose partition code is `partition` (all rows when null). */
export function classCounts(frame: Frame, target: string, partitions: Uint8Array | null, partition = 0): { label: string; count: number }[] {
  const column = frame.columns.find((c) => c.name === target);
  if (column === undefined) return [];
  const counts = new Map<string, number>();
  const keep = (r: number) => partitions === null || partitions[r] === partition;
  if (column.type === 'category') {
    const n = new Float64Array(column.levels.length);
    column.codes.forEach((c, r) => {
      if (c >= 0 && keep(r)) n[c]! += 1;
    });
    column.levels.forEach((label, i) => {
      if (n[i]! > 0) counts.set(label, n[i]!);
    });
  } else if (column.type === 'number') {
    column.values.forEach((v, r) => {
      if (!Number.isNaN(v) && keep(r)) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
    });
  } else {
    return [];
  }
  return [...counts].map(([label, count]) => ({ label, count })).sort((a, b) => b.count - a.count || (a.label < b.label ? -1 : 1));
}

/** The smallest class's share of the counted rows (undefined without two classes). */
export function minorityShare(counts: { count: number }[]): number | undefined {
  if (counts.length < 2) return undefined;
  const total = counts.reduce((a, c) => a + c.count, 0);
  return total > 0 ? Math.min(...counts.map((c) => c.count)) / total : undefined;
}
