import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { partitionCounts, quantileBins, stratifiedSplit, TEST, TRAIN } from '../../shared/data/split.js';
import { HostError } from '../../shared/host/errors.js';
import { BUNDLE_FILES, runDocument, type RunDocument } from '../../shared/ml/bundle.js';
import { checkLeakage } from '../../shared/ml/leakage.js';
import { rankResults, scorePartition, trainModel, type ModelResult, type TrainedModel, type TrainingPlan } from '../../shared/ml/job.js';
import { METRICS, type MetricName } from '../../shared/ml/metrics.js';
import { defaultModels } from '../../shared/ml/models/registry.js';
import { defaultPipeline } from '../../shared/ml/pipeline/index.js';
import { defaultPrimaryMetric } from '../../shared/ml/problem.js';
import { inferTask, prepareTarget } from '../../shared/ml/target.js';
import { MODEL_KINDS, takeFrame, trainingRows, type Frame, type ModelKind, type Task } from '../../shared/ml/types.js';
import { startNodeDataWorker } from '../../workers/data/node-client.js';
import { nodeModelFitters } from '../../workers/train/fitters.node.js';
import { writeFileAtomic } from '../services/atomic.js';
import { IMPORT_FORMATS } from '../services/import-checks.js';
import { UsageError } from './args.js';
import type { Command } from './command.js';
import { formatTable, plural, type Io } from './output.js';

/**
 * `orchard train FILE --target COL …`: split, train, rank, and write the fitted pipeline and the chosen model to
 * a folder; `--json` prints one object instead of the table. The same job code as the app's training worker.
 */

const TASKS: readonly Task[] = ['binary', 'multiclass', 'regression'];

export const trainCommand: Command = {
  words: ['train'],
  operands: ['FILE'],
  options: ['target', 'task', 'positive', 'model', 'cv', 'seed', 'out', 'json'],
  summary: 'Train models on a file and keep the best',
  help: [
    'Splits FILE into train, validation and test (70/15/15, stratified on the target for classification),',
    'builds the default leakage-safe pipeline, trains, prints the leaderboard and writes run.json,',
    'pipeline.json and model.json to --out DIR. The test partition is scored once, by the chosen model.',
    `--model one of ${[...MODEL_KINDS, 'auto'].join(', ')} (default auto: one of each kind that fits the task, best on validation).`,
    '--task binary, multiclass or regression (default: guessed from the target).',
    '--positive CLASS the class a binary model scores (default: the rarer one).',
    '--cv K cross-validates each model with K folds on the training partition (default 5; 0 for none).',
    '--seed N makes the split and the training repeatable (default 42).',
    '--json prints one JSON object: the chosen model, its parameters, the leaderboard and metrics.test.',
  ],
  run: async ({ operands: [file = ''], options, io }) => {
    const started = performance.now();
    const path = resolve(file);
    const format = IMPORT_FORMATS[extname(path).toLowerCase()];
    if (format === undefined) throw new UsageError(`"${basename(path)}" is not a file Orchard reads: use .csv, .tsv, .txt, .parquet, .pq, .json or .ndjson`);
    const info = await stat(path).catch(() => null);
    if (info === null || !info.isFile()) throw new HostError('not-found', `${file} does not exist or is not a file.`);
    const target = required(options, 'target');
    const out = resolve(required(options, 'out'));
    const modelOption = text(options, 'model') ?? 'auto';
    if (modelOption !== 'auto' && !(MODEL_KINDS as readonly string[]).includes(modelOption)) throw new UsageError(`--model must be one of ${[...MODEL_KINDS, 'auto'].join(', ')}`);
    const taskOption = text(options, 'task');
    if (taskOption !== undefined && !(TASKS as readonly string[]).includes(taskOption)) throw new UsageError(`--task must be one of ${TASKS.join(', ')}`);
    const folds = whole(options, 'cv', 5);
    if (folds === 1) throw new UsageError('--cv needs at least 2 folds (or 0 for none)');
    const seed = whole(options, 'seed', 42);
    const say = (line: string) => io.err(line);

    const [frame, sha256] = await Promise.all([readFrame(path, format), fileSha256(path)]);
    const targetColumn = frame.columns.find((c) => c.name === target);
    if (targetColumn === undefined) {
      const names = frame.columns.map((c) => c.name);
      throw new HostError('invalid-argument', `${basename(path)} has no column named "${target}"; its columns are ${names.slice(0, 30).join(', ')}${names.length > 30 ? ', …' : ''}.`);
    }
    const task = (taskOption as Task | undefined) ?? inferTask(targetColumn);
    const positiveClass = text(options, 'positive');
    const labels = prepareTarget(targetColumn, task, positiveClass);
    const classes = labels.target.classes;

    // The split: every row gets a partition; rows without a target are in none.
    const fractions: [number, number, number] = [0.7, 0.15, 0.15];
    const partitions = new Uint8Array(frame.rowCount).fill(255);
    // Regression: stratified on the target's deciles, so every partition spans its low and high values.
    const assigned = stratifiedSplit(task === 'regression' ? quantileBins(labels.target.values) : labels.target.values, fractions, seed);
    labels.rows.forEach((r, i) => (partitions[r] = assigned[i]!));
    const counts = partitionCounts(partitions);
    say(`${basename(path)}: ${plural(frame.rowCount, 'row')}; ${task} target ${target}${classes ? ` (${classes.join(', ')}${task === 'binary' ? `; positive: ${classes[1]}` : ''})` : ''}.`);
    say(`Split stratified on ${task === 'regression' ? `the deciles of ${target}` : target}, seed ${seed}: ${counts.train} train, ${counts.validation} validation, ${counts.test} test${labels.missing > 0 ? ` (${plural(labels.missing, 'row')} without a target left out)` : ''}.`);

    // The leakage check reads the training rows only, and identifiers never become features.
    const trainRows = Uint32Array.from(labels.rows.filter((r) => partitions[r] === TRAIN));
    const warnings = checkLeakage(trainingRows(takeFrame(frame, trainRows)), positiveClass === undefined ? { column: target, task } : { column: target, task, positiveClass });
    for (const w of warnings) say(`${w.severity === 'high' ? 'WARNING' : 'note'}: ${w.message}`);
    const excluded = new Set(warnings.filter((w) => w.kind === 'identifier').map((w) => w.column));
    if (excluded.size > 0) say(`Left out as identifiers: ${[...excluded].join(', ')}.`);
    const primaryMetric: MetricName = defaultPrimaryMetric(task, minorityShare(labels.target.values, classes?.length ?? 0));
    // Gradient boosting alone splits categories natively, so they reach it as codes rather than one-hot columns.
    const categories = modelOption === 'gbdt' ? 'codes' : 'onehot';
    if (categories === 'codes' && frame.columns.some((c) => c.type === 'category' && c.name !== target)) {
      say('Categories are numbered (ordinal codes) for the boosted trees to split as categories.');
    }
    const plan: TrainingPlan = {
      target,
      task,
      pipeline: defaultPipeline(frame.columns.map((c) => ({ name: c.name, type: c.type })), target, [...excluded], { categories }),
      cv: { method: folds === 0 ? 'none' : task === 'regression' ? 'kfold' : 'stratified', folds: Math.max(folds, 2) },
      imbalance: 'none',
      primaryMetric,
      seed,
    };
    if (classes !== undefined && task === 'binary') plan.positiveClass = classes[1]!;

    const fitters = await nodeModelFitters();
    const kinds = modelOption === 'auto' ? defaultModels(task) : [modelOption as ModelKind];
    const data = { frame, partitions };
    const trained: TrainedModel[] = [];
    try {
      for (const kind of kinds) {
        say(`Training ${kind}…`);
        const model = await trainModel(data, plan, { kind }, fitters.fitters);
        say(`${kind}: validation ${METRICS[primaryMetric].label} ${format4(model.result.validation[primaryMetric])} (${model.result.fitSeconds.toFixed(1)} s${model.result.cv ? `, ${folds}-fold CV ${model.result.cvSeconds.toFixed(1)} s` : ''})`);
        trained.push(model);
      }
    } finally {
      await fitters.dispose();
    }
    // The choice uses validation scores only; the test partition is read once, for the chosen model.
    const ranked = rankResults(
      trained.map((t) => ({ t, score: t.result.validation[primaryMetric] ?? Number.NaN })),
      primaryMetric,
    ).map((x) => x.t);
    const chosen = ranked[0]!;
    const test = scorePartition(data, plan, chosen, TEST);
    const validation = chosen.result.validation;
    const leaderboard = ranked.map((t) => t.result);

    await mkdir(out, { recursive: true });
    const run: RunDocument = {
      schemaVersion: 1,
      createdAt: new Date().toISOString(),
      target,
      task,
      data: { fileName: basename(path), sha256, rows: frame.rowCount },
      split: { method: task === 'regression' ? 'stratified on deciles' : 'stratified', fractions, seed, counts },
      plan,
      chosen: chosen.result,
      leaderboard,
      metrics: { validation, test },
      seconds: (performance.now() - started) / 1000,
    };
    if (classes !== undefined) run.classes = classes;
    if (chosen.result.threshold !== undefined) run.threshold = chosen.result.threshold;
    if (chosen.model.kind === 'mlp' && fitters.backend !== undefined) run.backend = fitters.backend;
    runDocument.validate(run);
    await writeFileAtomic(join(out, BUNDLE_FILES.pipeline), JSON.stringify(chosen.pipeline) + '\n');
    await writeFileAtomic(join(out, BUNDLE_FILES.model), JSON.stringify(chosen.model.toJSON()) + '\n');
    await writeFileAtomic(join(out, BUNDLE_FILES.run), JSON.stringify(run, null, 1) + '\n');

    if (options.has('json')) {
      io.out(
        JSON.stringify({
          model: chosen.result.kind,
          params: chosen.result.params,
          target,
          task,
          classes,
          primaryMetric,
          leaderboard: leaderboard.map(leaderboardRow),
          metrics: { validation, test },
          out,
        }),
      );
    } else {
      const shown = shownMetrics(primaryMetric, task);
      printLeaderboard(io, leaderboard, shown);
      io.out('');
      io.out(`Chosen: ${chosen.result.kind}. Test ${shown.map((m) => `${m} ${format4(test[m])}`).join(', ')}.`);
      io.out(`Wrote ${BUNDLE_FILES.run}, ${BUNDLE_FILES.pipeline} and ${BUNDLE_FILES.model} to ${out}.`);
    }
    return 0;
  },
};

function leaderboardRow(r: ModelResult): Record<string, unknown> {
  return { model: r.kind, params: r.params, score: r.score, cv: r.cv ? { mean: r.cv.mean, std: r.cv.std } : null, validation: r.validation, fitSeconds: r.fitSeconds, cvSeconds: r.cvSeconds };
}

/** The primary metric first, then the task's usual ones. */
function shownMetrics(primary: MetricName, task: Task): MetricName[] {
  const usual: MetricName[] = task === 'regression' ? ['rmse', 'mae', 'r2'] : task === 'binary' ? ['auc', 'auc_pr', 'f1', 'log_loss', 'accuracy'] : ['log_loss', 'accuracy', 'f1'];
  return [primary, ...usual.filter((m) => m !== primary)];
}

function printLeaderboard(io: Io, results: ModelResult[], metrics: MetricName[]): void {
  const primary = metrics[0]!;
  const rows = [['MODEL', ...metrics.map((m) => `${m.toUpperCase()} (CV)`), `${primary.toUpperCase()} (VAL)`, 'FIT S']];
  for (const r of results) {
    rows.push([
      r.kind,
      ...metrics.map((m) => (r.cv ? `${format4(r.cv.mean[m])} ± ${format4(r.cv.std[m])}` : '–')),
      format4(r.validation[primary]),
      r.fitSeconds.toFixed(1),
    ]);
  }
  for (const line of formatTable(rows)) io.out(line);
}

const format4 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(4));

function minorityShare(values: Float64Array, classes: number): number | undefined {
  if (classes < 2) return undefined;
  const counts = new Float64Array(classes);
  for (const v of values) counts[v]! += 1;
  return Math.min(...counts) / values.length;
}

async function readFrame(path: string, format: 'csv' | 'parquet' | 'json'): Promise<Frame> {
  const client = await startNodeDataWorker();
  try {
    const table = await client.request('open', { table: 'training', fileName: basename(path), format, source: { kind: 'path', path } });
    return await client.request('frame', { table: 'training', columns: table.columns.map((c) => ({ name: c.name })) });
  } finally {
    await client.terminate();
  }
}

async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function text(options: ReadonlyMap<string, string | true>, name: string): string | undefined {
  const value = options.get(name);
  if (value === true) throw new UsageError(`--${name} needs a value`);
  return value;
}

function required(options: ReadonlyMap<string, string | true>, name: string): string {
  const value = text(options, name);
  if (value === undefined || value === '') throw new UsageError(`train needs --${name}`);
  return value;
}

function whole(options: ReadonlyMap<string, string | true>, name: string, fallback: number): number {
  const value = text(options, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new UsageError(`--${name} must be a whole number, 0 or more`);
  return n;
}
