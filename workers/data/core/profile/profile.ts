import { applyReportPart, emptyReport, type ClassShare, type QualityReport, type ReportPart } from '../../../../shared/data/report.js';
import { HostError } from '../../../../shared/host/errors.js';
import { reportWarnings } from '../../../../shared/data/warnings.js';
import type { DataProgress } from '../../../../shared/protocol/data-worker.js';
import type { ProfileArgs } from '../../../../shared/protocol/report.js';
import { hasStatistics, numericStatsOf, profileColumn, topValuesOf, type ColumnStats, type TopValues } from './columns.js';
import { correlationsOf, matrixColumns, matrixValue } from './correlations.js';
import { datasetFacts } from './dataset.js';
import { overviewOf } from './overview.js';
import { buildSource, invalid, type ReportAccess } from './source.js';
import { RowSample } from './sampled.js';
import { classBalance, targetAnalysis, targetPlan } from './target.js';

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
  const built = buildSource(conn, open, { missingTokens: args.missingTokens, partition: args.partition ?? null });
  let source = built;
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
  const present = new Map(facts.columns.map((c) => [c.name, c.count]));
  source = { ...built, nonFinite: new Set([...facts.numbers].filter(([name, n]) => n.finite < present.get(name)!).map(([name]) => name)) };
  await emit('overview', { section: 'overview', table: open.table, rows: facts.rows, partition: source.partition, target, overview: facts.columns });
  // Number columns first, all from the same two scans, then the others, whose top values share one statement.
  const withStats = columns.flatMap((column, index) => (hasStatistics(column, facts.columns[index]!) && facts.numbers.has(column.name) ? [index] : []));
  const stats = new Map<number, ColumnStats | null>();
  numericStatsOf(
    conn,
    source,
    withStats.map((index) => ({ column: columns[index]!, present: facts.columns[index]!.count, unique: facts.columns[index]!.unique, facts: facts.numbers.get(columns[index]!.name)! })),
  ).forEach((s, k) => stats.set(withStats[k]!, s));
  const top = (indices: number[]): Map<number, TopValues | null> => {
    const items = indices.map((index) => ({ column: columns[index]!, overview: facts.columns[index]!, valueCounts: stats.get(index)?.valueCounts ?? null }));
    const found = topValuesOf(conn, source, items);
    return new Map(indices.map((index, k) => [index, found[k]!]));
  };
  const others = [...columns.keys()].filter((index) => !stats.has(index));
  for (const batch of [withStats, others]) {
    const tops = top(batch);
    for (const index of batch) {
      const column = columns[index]!;
      const meanLength = facts.textLength.get(column.name)?.mean ?? null;
      const profile = profileColumn(column, facts.columns[index]!, meanLength, stats.get(index) ?? null, tops.get(index) ?? null, facts.numbers.get(column.name)?.dateRange ?? null);
      await emit('columns', { section: 'column', index, column: profile });
    }
  }
  await emit('dataset', { section: 'dataset', dataset: datasetFacts(conn, source, columns, facts, fileBytes) });
  // One row sample (large tables only) serves Spearman and the target's AUCs, so a binary target's classes come first.
  const plan = target === null ? null : targetPlan(columns, facts.columns, target);
  const classes = plan?.classes === true ? (listedClasses(report, plan.target.name) ?? classBalance(conn, source, plan.target)) : null;
  const positive = plan !== null && classes?.length === 2 ? { target: plan.target, positive: classes[1]!.value } : null;
  let sample: RowSample | undefined;
  const sampled = (): RowSample => {
    const wanted = new Map([...matrixColumns(columns, facts.columns, target).numeric, ...(plan?.numeric ?? [])].map((c) => [c.name, c]));
    return (sample ??= RowSample.take(conn, source, [...wanted.values()], positive, facts.rows));
  };
  const correlations = correlationsOf(conn, source, columns, facts.columns, target, sampled);
  await emit('correlations', { section: 'correlations', correlations });
  if (plan !== null) {
    const cramersV = (a: string, b: string): number | null | undefined => matrixValue(correlations.cramersV, a, b);
    await emit('target', { section: 'target', target: targetAnalysis(conn, source, facts.columns, plan, { classes, sample: sampled, cramersV }) });
  }
  return { ...report, warnings: reportWarnings(report) };
}

/** A class target's balance from its column's top values, when they list every value (no query needed). */
function listedClasses(report: QualityReport, target: string): ClassShare[] | null {
  const top = report.columns.find((c) => c?.name === target)?.topValues;
  if (top === null || top === undefined || top.other !== 0) return null;
  const total = top.values.reduce((sum, v) => sum + v.count, 0);
  return top.values.map(({ value, count }) => ({ value, count, share: count / Math.max(total, 1) }));
}
