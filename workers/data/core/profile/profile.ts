import { applyReportPart, emptyReport, type QualityReport, type ReportPart } from '../../../../shared/data/report.js';
import { HostError } from '../../../../shared/host/errors.js';
import { reportWarnings } from '../../../../shared/data/warnings.js';
import type { DataProgress } from '../../../../shared/protocol/data-worker.js';
import type { ProfileArgs } from '../../../../shared/protocol/report.js';
import { profileColumn } from './columns.js';
import { correlationsOf } from './correlations.js';
import { datasetFacts } from './dataset.js';
import { overviewOf } from './overview.js';
import { buildSource, invalid, type ReportAccess } from './source.js';
import { targetAnalysis } from './target.js';

/**
 * Computes the quality report progressively: the cheap overview first (rows, per-column missing and distinct
 * counts), then each column's statistics, then dataset facts, correlations and the target. Each finished section
 * goes out as a progress message (`partial`) so the UI fills in while the rest runs; the reply is the whole report.
 */
export async function profileTable(
  access: ReportAccess,
  args: ProfileArgs,
  onProgress: (p: DataProgress) => void = () => undefined,
  isCancelled: () => boolean = () => false,
): Promise<QualityReport> {
  const { conn } = access;
  const open = access.table(args?.table);
  const target = args.target ?? null;
  if (target !== null && (typeof target !== 'string' || !open.columns.some((c) => c.name === target))) {
    throw invalid(`${open.table} has no column named "${String(target).slice(0, 80)}" to use as the target.`);
  }
  const fileBytes = typeof args.fileBytes === 'number' && Number.isFinite(args.fileBytes) && args.fileBytes >= 0 ? args.fileBytes : null;
  const source = buildSource(conn, open, { missingTokens: args.missingTokens, partition: args.partition ?? null });
  const columns = open.columns;
  const steps = columns.length + 3 + (target === null ? 0 : 1);
  let done = 0;
  let report = emptyReport(open.table);
  // After each section: send it, let the worker read its messages (a cancel), and stop if it was one.
  const emit = async (phase: string, part: ReportPart): Promise<void> => {
    report = applyReportPart(report, part);
    onProgress({ phase, fraction: Math.min(1, ++done / steps), partial: part });
    await new Promise((resolve) => setTimeout(resolve, 0));
    if (isCancelled()) throw new HostError('cancelled', 'The quality report was cancelled.');
  };

  const facts = overviewOf(conn, source, columns);
  await emit('overview', { section: 'overview', table: open.table, rows: facts.rows, partition: source.partition, target, overview: facts.columns });
  for (const [index, column] of columns.entries()) {
    const profile = profileColumn(conn, source, column, facts.columns[index]!, facts.textLength.get(column.name)?.mean ?? null);
    await emit('columns', { section: 'column', index, column: profile });
  }
  await emit('dataset', { section: 'dataset', dataset: datasetFacts(conn, source, columns, facts, fileBytes) });
  await emit('correlations', { section: 'correlations', correlations: correlationsOf(conn, source, columns, facts.columns, target) });
  if (target !== null) await emit('target', { section: 'target', target: targetAnalysis(conn, source, columns, facts.columns, target) });
  return { ...report, warnings: reportWarnings(report) };
}
