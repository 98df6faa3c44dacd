import type { QualityReport, ReportPart } from '../../../shared/data/report.js';
import type { Cell } from '../../../shared/protocol/data-worker.js';
import type { PartitionFilter } from '../../../shared/protocol/query.js';
import type { PairPlot, RowFilter } from '../../../shared/protocol/report.js';
import { dataWorker } from './tables.js';

/**
 * The quality report and the rows behind its charts, from the renderer's data worker. Sections arrive as they
 * are finished; only aggregates and the requested page of rows cross to the UI thread.
 */

export interface ReportRequest {
  table: string;
  target: string | null;
  partition: PartitionFilter | null;
  fileBytes: number | null;
}

/** Aborting `signal` stops the worker after the section it is computing, freeing it for the table and charts. */
export async function runQualityReport(request: ReportRequest, onPart: (part: ReportPart, fraction: number | null) => void, signal?: AbortSignal): Promise<QualityReport> {
  const worker = await dataWorker();
  return worker.request(
    'profile',
    { table: request.table, target: request.target, partition: request.partition, fileBytes: request.fileBytes },
    {
      onProgress: (p) => {
        if (p.partial !== undefined) onPart(p.partial, p.fraction);
      },
      ...(signal === undefined ? {} : { signal }),
    },
  );
}

export async function readFilteredRows(
  table: string,
  filters: RowFilter[],
  offset: number,
  limit: number,
  partition: PartitionFilter | null,
): Promise<{ total: number; rows: Cell[][] }> {
  const worker = await dataWorker();
  return worker.request('rows', { table, filters, offset, limit, partition });
}

/** Two columns against each other, coloured by `color`: a seeded sample of points, boxes or counts. */
export async function readPairPlot(table: string, x: string, y: string, color: string | null, partition: PartitionFilter | null): Promise<PairPlot> {
  const worker = await dataWorker();
  return worker.request('pairPlot', { table, x, y, color, partition });
}
