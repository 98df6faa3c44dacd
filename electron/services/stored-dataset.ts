import { join, resolve } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import type { DataRequests, ReadOptions } from '../../shared/protocol/data-worker.js';
import type { DatasetRecord, ProjectDocument } from '../../shared/schema/project.js';
import { isInside } from './file-system.js';
import type { ProjectFolder } from './projects.js';

/**
 * How the host's data worker opens a stored dataset: its typed Parquet copy when it has one (version 2), else
 * the original file read the way it was imported. The renderer opens the same copy, so row numbers agree.
 */
export function openStoredDataset(folder: ProjectFolder, record: DatasetRecord, table: string): DataRequests['open']['args'] {
  const file = record.parquetFile ?? record.storedFile;
  const path = resolve(folder.dir, ...file.split('/'));
  if (!isInside(join(folder.dir, 'datasets'), path)) {
    throw new HostError('bad-file', `Dataset ${record.id} of "${folder.name}" points outside the project (${file}).`);
  }
  const source = { kind: 'path' as const, path };
  if (record.parquetFile !== undefined) return { table, fileName: record.originalName, format: 'parquet', source };
  const read = record.read;
  const options: ReadOptions | undefined =
    read === undefined
      ? undefined
      : { delimiter: read.delimiter, quote: read.quote, header: read.header, missingTokens: read.missingTokens, types: read.types };
  return { table, fileName: record.originalName, format: record.format, source, ...(options ? { options } : {}) };
}

export function findDataset(doc: ProjectDocument, folder: ProjectFolder, datasetId: string): DatasetRecord {
  const record = doc.datasets.find((d) => d.id === datasetId);
  if (record === undefined) throw new HostError('not-found', `Project "${folder.name}" has no dataset ${datasetId}.`);
  return record;
}
