import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { ImportOptions } from '../../shared/host/contract.js';
import { COLUMN_KINDS, DEFAULT_MISSING_TOKENS, type ColumnKind, type DatasetRecord, type ProjectDocument } from '../../shared/schema/project.js';
import { UsageError } from './args.js';
import { withCliHost } from './cli-host.js';
import type { Command } from './command.js';
import { formatBytes, formatCount, formatTable, formatTime, plural, type Io } from './output.js';

export const importCommand: Command = {
  words: ['import'],
  operands: ['PROJECT', 'FILE'],
  options: ['type', 'missing', 'json'],
  summary: 'Copy a CSV, Parquet or JSON file into a project',
  help: [
    'Copies FILE into the project (the original is never changed), records its SHA-256, reads it with the',
    'data engine and stores the typed table as Parquet beside it. Imports .csv, .tsv, .txt, .parquet, .pq,',
    '.json, .ndjson and .jsonl files.',
    "--type COL=KIND sets a column's kind, one of:",
    `  ${COLUMN_KINDS.join(', ')} (ignore leaves the column out).`,
    '--missing TOKEN reads TOKEN as a missing value; give it once per token. Without it:',
    `  ${DEFAULT_MISSING_TOKENS.map((t) => JSON.stringify(t)).join(', ')}.`,
    '--json prints the dataset\'s record as JSON.',
  ],
  run: ({ operands: [project = '', file = ''], options, lists, workspaceRoot, io }) =>
    withCliHost(workspaceRoot, io, async (host) => {
      const path = resolve(file);
      const importOptions = readImportOptions(lists);
      const record = await host.handlers['datasets.import']({
        project,
        file: { kind: 'path', path },
        importId: randomUUID(),
        ...(importOptions === undefined ? {} : { options: importOptions }),
      });
      for (const note of record.read?.notes ?? []) io.out(note);
      if (options.has('json')) {
        io.out(JSON.stringify(record, null, 2));
      } else {
        const shape = `${plural(record.rows, 'row')}, ${plural(record.columns.length, 'column')}, ${formatBytes(record.sizeBytes)}`;
        io.out(`Imported ${record.originalName} into "${project}" as ${record.id}: ${shape}.`);
      }
      return 0;
    }),
};

export const infoCommand: Command = {
  words: ['info'],
  operands: ['PROJECT'],
  options: ['json'],
  summary: 'Show a project and its datasets',
  help: ['Shows the project\'s folder and dates, and for each dataset its file, size, SHA-256, rows and columns.'],
  run: ({ operands: [project = ''], options, workspaceRoot, io }) =>
    withCliHost(workspaceRoot, io, async (host) => {
      const doc = await host.handlers['projects.open']({ name: project });
      const folder = join(workspaceRoot, doc.name);
      if (options.has('json')) {
        const { schemaVersion: _version, datasets, ...about } = doc;
        io.out(JSON.stringify({ ...about, folder, datasets }, null, 2));
      } else {
        printProject(io, doc, folder);
      }
      return 0;
    }),
};

function printProject(io: Io, doc: ProjectDocument, folder: string): void {
  io.out(`Project "${doc.name}"`);
  const about: string[][] = [
    ['Folder', folder],
    ['Created', formatTime(doc.createdAt)],
    ['Changed', formatTime(doc.updatedAt)],
  ];
  if (doc.sample !== undefined) about.push(['Sample', `${doc.sample.title}. ${doc.sample.credit}. ${doc.sample.licence}, ${doc.sample.url}`]);
  for (const line of formatTable(about)) io.out('  ' + line);
  io.out('');
  if (doc.datasets.length === 0) {
    io.out(`No datasets yet. Import one with: orchard import "${doc.name}" FILE`);
    return;
  }
  io.out(doc.datasets.length === 1 ? '1 dataset' : `${doc.datasets.length} datasets`);
  for (const dataset of doc.datasets) printDataset(io, dataset);
}

function printDataset(io: Io, d: DatasetRecord): void {
  io.out('');
  io.out(`  ${d.name} (${d.id})`);
  const about = [
    ['File', `${d.originalName}, ${d.format.toUpperCase()}, ${formatBytes(d.sizeBytes)}, imported ${formatTime(d.importedAt)}`],
    ['Stored as', d.storedFile],
    ['SHA-256', d.sha256],
    ...(d.parquetFile === undefined ? [] : [['Table copy', `${d.parquetFile} (Parquet)`]]),
    ...(d.read === undefined ? [] : [['Missing values', d.read.missingTokens.map((t) => JSON.stringify(t)).join(', ') || 'none']]),
    ...(d.sources !== undefined && d.sources.length > 1 ? [['Appended', d.sources.slice(1).map((s) => s.originalName).join(', ')]] : []),
    ['Rows', formatCount(d.rows)],
    ['Columns', String(d.columns.length)],
  ];
  for (const line of formatTable(about)) io.out('    ' + line);
  const columnRow = (c: DatasetRecord['columns'][number]) => [c.name, c.type, c.kind ?? '', c.missing === undefined ? '' : `${formatCount(c.missing)} missing`];
  for (const line of formatTable(d.columns.map(columnRow))) io.out('      ' + line.trimEnd());
}

/** `--type COL=KIND` and `--missing TOKEN`, as the import's options; undefined when neither is given. */
export function readImportOptions(lists: ReadonlyMap<string, readonly string[]>): ImportOptions | undefined {
  const types: Record<string, ColumnKind> = {};
  for (const pair of lists.get('type') ?? []) {
    const eq = pair.lastIndexOf('=');
    const column = pair.slice(0, eq);
    const kind = pair.slice(eq + 1);
    if (eq <= 0 || !(COLUMN_KINDS as readonly string[]).includes(kind)) {
      throw new UsageError(`--type needs COLUMN=KIND, KIND one of ${COLUMN_KINDS.join(', ')} (got "${pair}")`);
    }
    types[column] = kind as ColumnKind;
  }
  const missing = lists.get('missing');
  if (Object.keys(types).length === 0 && missing === undefined) return undefined;
  return { ...(Object.keys(types).length > 0 ? { types } : {}), ...(missing === undefined ? {} : { missingTokens: [...missing] }) };
}
