import { stat, writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import type { ColumnProfile, QualityReport } from '../../shared/data/report.js';
import { formatNumber, formatShare, measureName } from '../../shared/data/warnings.js';
import { HostError } from '../../shared/host/errors.js';
import { reportToHtml } from '../../shared/report/html.js';
import { startNodeDataWorker } from '../../workers/data/node-client.js';
import { UsageError } from './args.js';
import { IMPORT_FORMATS } from '../services/import-checks.js';
import type { Command } from './command.js';
import { formatBytes, formatCount, formatTable, plural, type Io } from './output.js';

/** `orchard profile FILE [--target COL] [--json OUT] [--html OUT]`: the quality report of a file, without a project. */


export const profileCommand: Command = {
  words: ['profile'],
  operands: ['FILE'],
  options: ['target', 'json', 'html'],
  valueOptions: ['json'],
  summary: 'Print a data quality report of a CSV, Parquet or JSON file',
  help: [
    'Reads FILE with the data engine (the usual missing-value tokens "", NA, N/A, null and ? count as missing)',
    'and prints its rows, columns, the warnings an analyst should read and one line per column.',
    '--target COL also measures every column against COL (class balance, leakage suspects).',
    '--json OUT writes the whole report as JSON; --html OUT as one self-contained HTML page.',
  ],
  run: async ({ operands: [file = ''], options, io }) => {
    const path = resolve(file);
    const format = IMPORT_FORMATS[extname(path).toLowerCase()];
    if (format === undefined) throw new UsageError(`"${basename(path)}" is not a file Orchard reads: use .csv, .tsv, .txt, .parquet, .pq, .json or .ndjson`);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) throw new HostError('not-found', `${file} does not exist or is not a file.`);
    const target = stringOption(options, 'target');
    const client = await startNodeDataWorker();
    let report: QualityReport;
    try {
      const table = await client.request('open', { table: 'profiled', fileName: basename(path), format, source: { kind: 'path', path } });
      if (target !== undefined && !table.columns.some((c) => c.name === target)) {
        const names = table.columns.map((c) => c.name);
        throw new HostError('invalid-argument', `${basename(path)} has no column named "${target}"; its columns are ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', …' : ''}.`);
      }
      report = await client.request('profile', { table: 'profiled', target: target ?? null, fileBytes: info.size });
    } finally {
      await client.terminate();
    }
    printSummary(io, basename(path), report);
    const json = stringOption(options, 'json');
    if (json !== undefined) await writeFile(resolve(json), JSON.stringify(report, null, 1) + '\n');
    const html = stringOption(options, 'html');
    if (html !== undefined) await writeFile(resolve(html), reportToHtml(report, { title: basename(path), generatedAt: new Date().toISOString() }));
    for (const [what, out] of [['JSON', json], ['HTML', html]] as const) if (out !== undefined) io.err(`Wrote the ${what} report to ${resolve(out)}.`);
    return 0;
  },
};

function stringOption(options: ReadonlyMap<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

function printSummary(io: Io, name: string, report: QualityReport): void {
  const d = report.dataset!;
  const disk = d.fileBytes === null ? '' : `, ${formatBytes(d.fileBytes)} on disk`;
  io.out(`${name}: ${plural(d.rows, 'row')} × ${plural(d.columns, 'column')}, ${plural(d.duplicateRows, 'duplicate row')}, ${plural(d.missingCells, 'missing cell')}${disk}, about ${formatBytes(d.memoryBytes)} in memory.`);
  const t = report.targetAnalysis;
  if (t !== null) {
    io.out('');
    if (t.classes !== null) io.out(`Target ${t.column}: ${t.classes.slice(0, 6).map((c) => `${c.value} ${formatShare(c.share)}`).join(' · ')}`);
    else io.out(`Target ${t.column}: numeric`);
    if (t.imbalance !== null) io.out(`  ${t.imbalance}`);
    const strongest = t.features.slice(0, 5).map((f) => `${f.column} (${measureName(f.measure)} ${f.value.toFixed(3)})`);
    if (strongest.length > 0) io.out(`  Strongest: ${strongest.join(', ')}`);
  }
  io.out('');
  if (report.warnings.length === 0) io.out('No warnings.');
  else io.out(`Warnings (${report.warnings.length}):`);
  for (const w of report.warnings.slice(0, 15)) io.out(`  ${w.severity.toUpperCase().padEnd(6)} ${w.message}`);
  if (report.warnings.length > 15) io.out(`  … and ${report.warnings.length - 15} more (see --json or --html).`);
  io.out('');
  const rows = [['COLUMN', 'KIND', 'MISSING', 'DISTINCT', 'SUMMARY']];
  for (const c of report.columns) rows.push([c.name, c.kind, c.missing === 0 ? '0' : `${formatCount(c.missing)} (${formatShare(c.missingShare)})`, formatCount(c.unique), oneLine(c)]);
  for (const line of formatTable(rows)) io.out(line);
}

function oneLine(c: ColumnProfile): string {
  const s = c.numeric;
  if (s !== null) return `${formatNumber(s.min)} … ${formatNumber(s.max)}, mean ${formatNumber(s.mean)}, median ${formatNumber(s.median)}, std ${formatNumber(s.std)}, skew ${formatNumber(s.skew)}`;
  if (c.dateRange !== null) return `${c.dateRange.min} … ${c.dateRange.max}`;
  const top = c.topValues?.values.slice(0, 3).map((v) => `${v.value.length > 20 ? `${v.value.slice(0, 19)}…` : v.value} ${formatShare(v.count / Math.max(c.count, 1))}`);
  return top === undefined || top.length === 0 ? '' : top.join(', ');
}
