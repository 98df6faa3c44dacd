import { randomUUID } from 'node:crypto';
import { join, resolve } from 'node:path';
import type { DatasetRecord, ProjectDocument } from '../../shared/schema/project.js';
import { withCliHost } from './cli-host.js';
import type { Command } from './command.js';
import { formatBytes, formatCount, formatTable, formatTime, plural, type Io } from './output.js';

export const importCommand: Command = {
  words: ['import'],
  operands: ['PROJECT', 'FILE'],
  options: ['json'],
  summary: 'Copy a CSV or Parquet file into a project',
  help: [
    'Copies FILE into the project (the original is never changed), records its SHA-256 and reads its',
    'columns with the data engine. Imports .csv, .tsv, .txt, .parquet and .pq files.',
    '--json prints the dataset\'s record as JSON.',
  ],
  run: ({ operands: [project = '', file = ''], options, workspaceRoot, io }) =>
    withCliHost(workspaceRoot, io, async (host) => {
      const path = resolve(file);
      const record = await host.handlers['datasets.import']({ project, file: { kind: 'path', path }, importId: randomUUID() });
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
    ['Rows', formatCount(d.rows)],
    ['Columns', String(d.columns.length)],
  ];
  for (const line of formatTable(about)) io.out('    ' + line);
  for (const line of formatTable(d.columns.map((c) => [c.name, c.type]))) io.out('      ' + line);
}
