/**
 * Model quality against the references, on the team's real datasets: Orchard's pipeline is fitted on the
 * training rows, then Orchard's gradient boosting and logistic (or linear) regression train on its output, and
 * XGBoost `hist` and scikit-learn train on exactly the same matrices (scripts/bench/quality_reference.py), so the
 * comparison is model against model. Same trees (100), leaves (31), learning rate (0.1), L2 (1) and minimum
 * child weight (1) on both sides.
 *
 * Datasets with category columns are run a second time with the categories as codes (`defaultPipeline`'s
 * `categories: 'codes'`), which Orchard's boosting splits natively; XGBoost then gets the same features typed as
 * categories (`enable_categorical`).
 *
 * Usage: npx tsx bench/quality.bench.ts [FILE …] [--no-reference]   (FILE: e.g. credit-g.csv, to run only some)
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomSplit, stratifiedSplit } from '../shared/data/split.js';
import { computeMetrics } from '../shared/ml/metrics.js';
import { fitGbdt } from '../shared/ml/models/gbdt.js';
import { fitLinear, fitLogistic } from '../shared/ml/models/linear.js';
import { defaultPipeline, fitPipeline, transform } from '../shared/ml/pipeline/index.js';
import { prepareTarget } from '../shared/ml/target.js';
import { takeFrame, takeTarget, trainingRows, type FeatureMatrix, type Frame, type Target, type Task } from '../shared/ml/types.js';
import { DATASETS } from '../test/team-files.js';
import { dispatchDataRequest } from '../workers/data/core/server.js';
import { createNodeDataEngine } from '../workers/data/platform.node.js';

interface Case {
  file: string;
  target: string;
  task: Extract<Task, 'binary' | 'regression'>;
  positive?: string;
  drop?: string[];
  /** Rows before this index train, the rest test (the dataset's published split); else a seeded 80/20 split. */
  trainRows?: number;
  /** Seeds of the 80/20 split; scores are averaged over them (small datasets, where one split is noisy). */
  seeds?: number[];
  note: string;
}

export const QUALITY_CASES: Case[] = [
  { file: 'adult.csv', target: 'income', task: 'binary', positive: '>50K', trainRows: 32_561, note: 'original split: first 32,561 rows train' },
  { file: 'bank-marketing-full.csv', target: 'y', task: 'binary', positive: 'true', drop: ['duration'], note: 'without `duration`; stratified 80/20, seed 42' },
  { file: 'credit-g.csv', target: 'class', task: 'binary', positive: 'bad', seeds: [42, 43, 44, 45, 46, 47, 48, 49, 50, 51], note: 'stratified 80/20, mean of 10 seeds (200 test rows each)' },
  { file: 'electricity_elec2.csv', target: 'class', task: 'binary', positive: 'UP', note: 'stratified 80/20, seed 42' },
  { file: 'california_housing.csv', target: 'median_house_value', task: 'regression', note: 'random 80/20, seed 42' },
];

export interface QualityRow {
  case: Case;
  metric: 'AUC' | 'RMSE';
  features: number;
  orchard: { gbdt: number; linear: number };
  reference?: { xgboost: number; linear: number; versions: string };
  /** With categories as codes split natively, when the dataset has categories. */
  native?: { features: number; orchard: number; xgboost?: number };
}

const GBDT = { nTrees: 100, maxLeaves: 31, learningRate: 0.1, l2: 1, minChildWeight: 1, minSamplesLeaf: 1 };

async function readFrame(file: string): Promise<Frame> {
  const engine = await createNodeDataEngine();
  try {
    const table = await dispatchDataRequest(engine, 'open', { table: 't', fileName: file, format: 'csv', source: { kind: 'path', path: join(DATASETS, file) } });
    return await dispatchDataRequest(engine, 'frame', { table: 't', columns: table.columns.map((c) => ({ name: c.name })) });
  } finally {
    engine.dispose();
  }
}

async function writeF64(path: string, arrays: Float64Array[]): Promise<void> {
  const out = new Float64Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  await writeFile(path, new Uint8Array(out.buffer));
}

const score = (task: Task, y: Target, p: Float64Array): number => {
  const m = computeMetrics(y, p);
  return (task === 'binary' ? m.auc : m.rmse) ?? Number.NaN;
};

export async function runQualityBench(options: { reference?: boolean; files?: string[] } = {}): Promise<QualityRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'orchard-quality-'));
  const rows: QualityRow[] = [];
  try {
    for (const c of QUALITY_CASES.filter((q) => options.files === undefined || options.files.length === 0 || options.files.includes(q.file))) {
      const frame = await readFrame(c.file);
      const targetColumn = frame.columns.find((col) => col.name === c.target)!;
      const { target, rows: labelled } = prepareTarget(targetColumn, c.task, c.positive);
      const seeds = c.seeds ?? [42];
      const runs: QualityRow[] = [];
      for (const seed of seeds) {
        const parts = c.trainRows !== undefined
          ? Uint8Array.from(labelled, (r) => (r < c.trainRows! ? 0 : 2))
          : c.task === 'binary'
            ? stratifiedSplit(target.values, [0.8, 0, 0.2], seed)
            : randomSplit(labelled.length, [0.8, 0, 0.2], seed);
        runs.push(await compare(c, frame, labelled, target, parts, dir, options.reference !== false));
      }
      const row = average(runs);
      rows.push(row);
      console.log(`${c.file}: ${JSON.stringify({ orchard: row.orchard, reference: row.reference })}`);
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

async function compare(c: Case, frame: Frame, labelled: Uint32Array, target: Target, parts: Uint8Array, dir: string, reference: boolean): Promise<QualityRow> {
  const trainIdx = [...parts.keys()].filter((i) => parts[i] === 0);
  const testIdx = [...parts.keys()].filter((i) => parts[i] === 2);
  const trainFrame = trainingRows(takeFrame(frame, trainIdx.map((i) => labelled[i]!)));
  const testFrame = takeFrame(frame, testIdx.map((i) => labelled[i]!));
  const yTrain = takeTarget(target, trainIdx);
  const yTest = takeTarget(target, testIdx);
  const matrices = (categories: 'onehot' | 'codes') => {
    const spec = defaultPipeline(frame.columns.map((col) => ({ name: col.name, type: col.type })), c.target, c.drop, { categories });
    const { fitted, train: X } = fitPipeline(spec, trainFrame, yTrain, 42);
    return { X, Xtest: transform(fitted, testFrame) };
  };
  const { X, Xtest } = matrices('onehot');

  const gbdt = fitGbdt(X, yTrain, GBDT, { seed: 1 });
  const linear = c.task === 'binary' ? fitLogistic(X, yTrain, { penalty: 'l2', C: 1 }, { seed: 1 }) : fitLinear(X, yTrain, { penalty: 'none' }, { seed: 1 });
  const row: QualityRow = {
    case: c,
    metric: c.task === 'binary' ? 'AUC' : 'RMSE',
    features: X.columns.length,
    orchard: { gbdt: score(c.task, yTest, gbdt.predict(Xtest)), linear: score(c.task, yTest, linear.predict(Xtest)) },
  };
  const name = c.file.replace(/\W/g, '_');
  if (reference) {
    const ref = await runReference(dir, name, c, X, yTrain, Xtest, yTest);
    row.reference = {
      xgboost: ref.xgboost,
      linear: ref.linear!,
      versions: `XGBoost ${ref.xgboost_version}, scikit-learn ${ref.sklearn_version}`,
    };
  }
  if (frame.columns.some((col) => col.type === 'category' && col.name !== c.target && !(c.drop ?? []).includes(col.name))) {
    const codes = matrices('codes');
    const native = fitGbdt(codes.X, yTrain, GBDT, { seed: 1 });
    row.native = { features: codes.X.columns.length, orchard: score(c.task, yTest, native.predict(codes.Xtest)) };
    if (reference) {
      const categorical = (codes.X.categorical ?? []).flatMap((marked, f) => (marked ? [f] : []));
      row.native.xgboost = (await runReference(dir, `${name}_codes`, c, codes.X, yTrain, codes.Xtest, yTest, categorical)).xgboost;
    }
  }
  return row;
}

/** Writes the matrices and runs the reference script on them (`categorical`: XGBoost only, those features as categories). */
async function runReference(dir: string, name: string, c: Case, X: FeatureMatrix, yTrain: Target, Xtest: FeatureMatrix, yTest: Target, categorical?: number[]) {
  await writeF64(join(dir, `${name}.train.x.f64`), X.columns);
  await writeF64(join(dir, `${name}.train.y.f64`), [yTrain.values]);
  await writeF64(join(dir, `${name}.test.x.f64`), Xtest.columns);
  await writeF64(join(dir, `${name}.test.y.f64`), [yTest.values]);
  const env: NodeJS.ProcessEnv = { ...process.env, OMP_NUM_THREADS: '2' };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const script = fileURLToPath(new URL('../scripts/bench/quality_reference.py', import.meta.url));
  const args = [script, dir, name, c.task, String(X.rowCount), String(Xtest.rowCount), String(X.columns.length)];
  if (categorical) args.push(categorical.join(','));
  const run = spawnSync('/usr/bin/python3', args, { env, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`quality_reference.py failed on ${c.file}: ${run.stderr}`);
  return JSON.parse(run.stdout) as { xgboost: number; linear?: number; xgboost_version: string; sklearn_version: string };
}

/** The mean of each score over the runs (one run: itself). */
function average(runs: QualityRow[]): QualityRow {
  if (runs.length === 1) return runs[0]!;
  const mean = (pick: (r: QualityRow) => number) => runs.reduce((a, r) => a + pick(r), 0) / runs.length;
  const first = runs[0]!;
  const row: QualityRow = {
    ...first,
    orchard: { gbdt: mean((r) => r.orchard.gbdt), linear: mean((r) => r.orchard.linear) },
  };
  if (first.reference !== undefined) {
    row.reference = { ...first.reference, xgboost: mean((r) => r.reference!.xgboost), linear: mean((r) => r.reference!.linear) };
  }
  if (first.native !== undefined) {
    row.native = { ...first.native, orchard: mean((r) => r.native!.orchard) };
    if (first.native.xgboost !== undefined) row.native.xgboost = mean((r) => r.native!.xgboost!);
  }
  return row;
}

/** The markdown section for docs/benchmarks.md. */
export function qualityMarkdown(rows: QualityRow[]): string {
  const f = (x: number, metric: string) => (metric === 'AUC' ? x.toFixed(4) : x.toFixed(0));
  const lines = [
    '## Model quality against XGBoost and scikit-learn',
    '',
    "Orchard's default pipeline is fitted on the training rows; Orchard's models and the references then train on",
    'exactly the same matrices (`scripts/bench/quality_reference.py`). Gradient boosting: 100 trees, 31 leaves,',
    'learning rate 0.1, L2 1, minimum child weight 1 on both sides (XGBoost `hist`, lossguide, 2 threads).',
    'Linear: L2 logistic regression with C = 1 (scikit-learn lbfgs), or ordinary least squares for regression.',
    `Targets: gradient boosting within 0.005 AUC (1% RMSE) of XGBoost; logistic regression within 0.002 AUC of scikit-learn. Gap = Orchard − reference. ${rows[0]?.reference?.versions ?? ''}`,
    '',
    '| dataset | split | features | metric | Orchard GBDT | XGBoost | gap | Orchard linear | scikit-learn | gap |',
    '|---|---|---:|---|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const ref = r.reference;
    const gap = (a: number, b: number | undefined) => (b === undefined ? '–' : r.metric === 'AUC' ? (a - b).toFixed(4) : `${(((a - b) / b) * 100).toFixed(2)}%`);
    lines.push(
      `| ${r.case.file} | ${r.case.note} | ${r.features} | ${r.metric} | ${f(r.orchard.gbdt, r.metric)} | ${ref ? f(ref.xgboost, r.metric) : '–'} | ${gap(r.orchard.gbdt, ref?.xgboost)} | ` +
        `${f(r.orchard.linear, r.metric)} | ${ref ? f(ref.linear, r.metric) : '–'} | ${gap(r.orchard.linear, ref?.linear)} |`,
    );
  }
  const native = rows.filter((r) => r.native !== undefined);
  if (native.length > 0) {
    lines.push(
      '',
      '### Categories split natively',
      '',
      "The same splits with the category columns ordinal encoded (`defaultPipeline`'s `categories: 'codes'`, missing",
      "values left missing) instead of one-hot: Orchard's boosting splits those codes by sets of categories",
      '(LightGBM-style, see `shared/ml/models/category-split.ts`); XGBoost gets the same matrix with those features typed as',
      'categories (`enable_categorical`, its default category splits). Same trees, leaves and regularisation as above.',
      '',
      '| dataset | features (one-hot → codes) | metric | Orchard, one-hot | Orchard, native | XGBoost, native | gap (native) |',
      '|---|---:|---|---:|---:|---:|---:|',
    );
    for (const r of native) {
      const n = r.native!;
      const gap = n.xgboost === undefined ? '–' : r.metric === 'AUC' ? (n.orchard - n.xgboost).toFixed(4) : `${(((n.orchard - n.xgboost) / n.xgboost) * 100).toFixed(2)}%`;
      lines.push(
        `| ${r.case.file} | ${r.features} → ${n.features} | ${r.metric} | ${f(r.orchard.gbdt, r.metric)} | ${f(n.orchard, r.metric)} | ${n.xgboost === undefined ? '–' : f(n.xgboost, r.metric)} | ${gap} |`,
      );
    }
  }
  return lines.join('\n') + '\n';
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const files = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const rows = await runQualityBench({ reference: !process.argv.includes('--no-reference'), files });
  console.log(qualityMarkdown(rows));
}
