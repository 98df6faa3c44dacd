import { readFile, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import { BUNDLE_FILES, runDocument, type RunDocument } from '../../shared/ml/bundle.js';
import { loadPipeline, transform } from '../../shared/ml/pipeline/index.js';
import type { ModelState } from '../../shared/ml/types.js';
import { readDocument } from '../../shared/schema/document.js';
import { startNodeDataWorker } from '../../workers/data/node-client.js';
import { nodeModelFitters } from '../../workers/train/fitters.node.js';
import { writeFileAtomic } from '../services/atomic.js';
import { IMPORT_FORMATS } from '../services/import-checks.js';
import { UsageError } from './args.js';
import type { Command } from './command.js';
import { plural } from './output.js';

/** `orchard predict DIR FILE --out preds.csv`: scores every row of FILE with the model `orchard train` wrote to DIR. */
export const predictCommand: Command = {
  words: ['predict'],
  operands: ['DIR', 'FILE'],
  options: ['out'],
  summary: 'Score a file with a model that orchard train wrote',
  help: [
    'Reads run.json, pipeline.json and model.json from DIR, reads FILE (it needs the columns the model was',
    'trained on; the target may be absent) and writes one line per row of FILE to --out OUT:',
    'classification: the predicted class and one probability column per class; regression: the prediction.',
  ],
  run: async ({ operands: [dir = '', file = ''], options, io }) => {
    const out = options.get('out');
    if (typeof out !== 'string' || out === '') throw new UsageError('predict needs --out OUT');
    const folder = resolve(dir);
    const run = readDocument(runDocument, await readJson(join(folder, BUNDLE_FILES.run)));
    const pipeline = loadPipeline(await readJson(join(folder, BUNDLE_FILES.pipeline)));
    const state = (await readJson(join(folder, BUNDLE_FILES.model))) as ModelState;
    const path = resolve(file);
    const format = IMPORT_FORMATS[extname(path).toLowerCase()];
    if (format === undefined) throw new UsageError(`"${basename(path)}" is not a file Orchard reads: use .csv, .tsv, .txt, .parquet, .pq, .json or .ndjson`);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) throw new HostError('not-found', `${file} does not exist or is not a file.`);

    const client = await startNodeDataWorker();
    let frame;
    try {
      const table = await client.request('open', { table: 'scored', fileName: basename(path), format, source: { kind: 'path', path } });
      const missing = pipeline.inputColumns.filter((c) => !table.columns.some((t) => t.name === c.name)).map((c) => c.name);
      if (missing.length > 0) throw new HostError('invalid-argument', `${basename(path)} lacks ${missing.length === 1 ? 'a column' : 'columns'} the model needs: ${missing.slice(0, 20).join(', ')}.`);
      frame = await client.request('frame', { table: 'scored', columns: pipeline.inputColumns.map((c) => ({ name: c.name, type: c.type })) });
    } finally {
      await client.terminate();
    }
    const fitters = await nodeModelFitters();
    try {
      const model = await fitters.fitters.load(state);
      const predictions = model.predict(transform(pipeline, frame));
      await writeFileAtomic(resolve(out), toCsv(run, predictions, frame.rowCount));
    } finally {
      await fitters.dispose();
    }
    io.err(`Scored ${plural(frame.rowCount, 'row')} of ${basename(path)} with the ${state.kind} model; wrote ${resolve(out)}.`);
    return 0;
  },
};

/** One line per row: the predicted class and P(class) per class, or the predicted value. */
export function toCsv(run: Pick<RunDocument, 'task' | 'classes' | 'threshold' | 'target'>, predictions: Float64Array, rows: number): string {
  const lines: string[] = [];
  if (run.task === 'regression') {
    lines.push(csvField(`predicted_${run.target}`));
    for (let i = 0; i < rows; i++) lines.push(String(predictions[i]));
  } else if (run.task === 'binary') {
    const [negative, positive] = run.classes as [string, string];
    const threshold = run.threshold ?? 0.5;
    lines.push([`predicted_${run.target}`, `p_${negative}`, `p_${positive}`].map(csvField).join(','));
    for (let i = 0; i < rows; i++) {
      const p = predictions[i]!;
      lines.push([csvField(p >= threshold ? positive : negative), String(1 - p), String(p)].join(','));
    }
  } else {
    const classes = run.classes!;
    const k = classes.length;
    lines.push([`predicted_${run.target}`, ...classes.map((c) => `p_${c}`)].map(csvField).join(','));
    for (let i = 0; i < rows; i++) {
      let best = 0;
      for (let c = 1; c < k; c++) if (predictions[i * k + c]! > predictions[i * k + best]!) best = c;
      lines.push([csvField(classes[best]!), ...Array.from(predictions.subarray(i * k, i * k + k), String)].join(','));
    }
  }
  return lines.join('\n') + '\n';
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new HostError('not-found', `${path} does not exist: is the folder one that orchard train wrote?`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new HostError('bad-file', `${path} is not valid JSON.`);
  }
}
