import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import type { DatasetInspector } from '../../shared/protocol/data-worker.js';
import { trainingPartition, type QueryTable } from '../../shared/protocol/query.js';
import { safeFileName } from '../../shared/schema/names.js';
import { validateDataset, type DatasetLineage, type DatasetRecord } from '../../shared/schema/project.js';
import { checkReadOnly } from '../../workers/data/core/sql-statement.js';
import { writeFileAtomic } from './atomic.js';
import type { Projects } from './projects.js';
import { withSession, type Splits } from './splits.js';
import { findDataset, openStoredDataset } from './stored-dataset.js';

/**
 * "Save result as dataset": the query runs again in a fresh Node data worker over the project's stored
 * datasets (each under its name, split ones as their training rows, exactly as the console showed them), with
 * file access switched off once they are loaded. The result is stored as Parquet (typed, via the worker's
 * parquet-wasm) in `datasets/<id>/`, and its record keeps the query and the exact sources as lineage.
 */
export async function saveQuery(
  deps: { projects: Projects; splits: Splits; inspector: DatasetInspector },
  args: { project: string; sql: string; name: string; sourceDatasetIds: string[] },
): Promise<DatasetRecord> {
  const { projects, splits, inspector } = deps;
  const folder = await projects.locate(args.project);
  const doc = await projects.read(folder);
  // Refuse what the console would refuse before starting a worker for it.
  const checked = checkReadOnly(args.sql);
  if (!checked.ok) throw new HostError('invalid-argument', checked.message);
  const name = args.name.trim();
  if (name === '') throw new HostError('invalid-argument', 'The new dataset needs a name.');
  const ids = [...new Set(args.sourceDatasetIds)];
  const sources = ids.map((id) => findDataset(doc, folder, id));
  const lineage: DatasetLineage = { kind: 'query', sql: args.sql, sources: [] };

  const result = await withSession(inspector, async (data) => {
    const tables: QueryTable[] = [];
    for (const [i, record] of sources.entries()) {
      const table = `source_${i}`;
      await data.request('open', openStoredDataset(folder, record, table));
      const split = await splits.forDataset(folder, record.id);
      const entry: DatasetLineage['sources'][number] = { datasetId: record.id, name: record.name, sha256: record.sha256 };
      if (split !== undefined) {
        await data.request('attachSplit', { table, codes: await splits.assignment(folder.name, split.id) });
        Object.assign(entry, { splitId: split.id, partition: 'train' });
      }
      tables.push({ name: record.name, table, ...(split ? { partition: trainingPartition(table) } : {}) });
      lineage.sources.push(entry);
    }
    await data.request('lockFiles', {});
    const info = await data.request('materialize', { sql: args.sql, tables, into: 'result' });
    const bytes = await data.request('toParquet', { table: 'result' });
    return { info, bytes };
  });

  const id = 'ds_' + randomBytes(8).toString('hex');
  const fileName = `${safeFileName(name) || 'query'}.parquet`;
  const sha256 = createHash('sha256').update(result.bytes).digest('hex');
  const record = validateDataset(
    {
      id,
      name,
      originalName: fileName,
      format: 'parquet',
      storedFile: `datasets/${id}/${fileName}`,
      sha256,
      sizeBytes: result.bytes.byteLength,
      importedAt: new Date().toISOString(),
      rows: result.info.rows,
      columns: result.info.columns,
      parquetFile: `datasets/${id}/${fileName}`,
      parquetSha256: sha256,
      lineage,
    },
    'dataset',
  );
  const partial = join(folder.dir, 'datasets', `${id}.partial`);
  let saved = false;
  try {
    await mkdir(partial, { recursive: true });
    await writeFileAtomic(join(partial, fileName), result.bytes);
    await projects.update(folder.name, async (current, at) => {
      await rename(join(at.dir, 'datasets', `${id}.partial`), join(at.dir, 'datasets', id));
      return { ...current, datasets: [...current.datasets, record] };
    });
    saved = true;
    return record;
  } finally {
    if (!saved) {
      await rm(partial, { recursive: true, force: true }).catch(() => undefined);
      await rm(join(folder.dir, 'datasets', id), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
