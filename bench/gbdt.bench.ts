/**
 * Gradient boosting benchmark: Orchard's histogram GBDT (TypeScript and WebAssembly kernels; by default on two
 * threads, the second one building half of each large node's histograms and taking half of each round's
 * gradients and score updates: workers/train/hist-threads.node.ts) against XGBoost `hist`
 * (nthread=2) and scikit-learn's HistGradientBoostingClassifier (OMP_NUM_THREADS=2), same data, same trees,
 * leaves, learning rate and L2, in one run. The data is a seeded synthetic binary problem with 20 features,
 * noise and missing values (shared/ml/models/synthetic.ts), written to a temp folder as raw float64 for the
 * Python side (scripts/bench/gbdt_reference.py, run with /usr/bin/python3 and Debian's python3-xgboost and
 * python3-sklearn).
 *
 * Usage: npx tsx bench/gbdt.bench.ts [--rows 1000000,80000] [--repeats 2] [--threads 2|1] [--no-reference]
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fitGbdt } from '../shared/ml/models/gbdt.js';
import { syntheticBinary } from '../shared/ml/models/synthetic.js';
import { rocAuc } from '../shared/ml/metrics.js';
import type { FeatureMatrix, Target } from '../shared/ml/types.js';
import { startHistogramThread, type NodeHistogramHelper } from '../workers/train/hist-threads.node.js';

/** One dataset's result: seconds to train and test AUC for each implementation. */
export interface BenchRow {
  case: string;
  rows: number;
  /** `threads`: 2 with the histogram thread, 1 without. */
  orchard: { seconds: number; auc: number; threads: number };
  xgboost?: { seconds: number; auc: number; version: string };
  sklearn?: { seconds: number; auc: number; version: string };
}

/** The parameters both sides train with (bench/train.bench.ts prints them). */
export const GBDT_BENCH_PARAMS = { nTrees: 100, maxLeaves: 31, learningRate: 0.1, l2: 0, minSamplesLeaf: 20 };
const FEATURES = 20;

async function writeF64(path: string, arrays: Float64Array[]): Promise<void> {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const buf = new Float64Array(total);
  let o = 0;
  for (const a of arrays) {
    buf.set(a, o);
    o += a.length;
  }
  await writeFile(path, new Uint8Array(buf.buffer));
}

function slice(X: FeatureMatrix, y: Target, a: number, b: number): { X: FeatureMatrix; y: Target } {
  return {
    X: { rowCount: b - a, names: X.names, columns: X.columns.map((c) => c.subarray(a, b)) },
    y: { ...y, values: y.values.subarray(a, b) },
  };
}

/** Runs the benchmark for each training size in `rows` (test rows: a fifth of it, at most 200,000). */
export async function runGbdtBench(options: { rows?: number[]; repeats?: number; reference?: boolean; threads?: 1 | 2 } = {}): Promise<BenchRow[]> {
  const sizes = options.rows ?? [80_000, 1_000_000];
  const repeats = options.repeats ?? 2;
  const threads = options.threads ?? 2;
  const dir = await mkdtemp(join(tmpdir(), 'orchard-gbdt-bench-'));
  const results: BenchRow[] = [];
  const helper: NodeHistogramHelper | null = threads === 2 ? await startHistogramThread() : null;
  try {
    for (const nTrain of sizes) {
      const nTest = Math.min(200_000, Math.ceil(nTrain / 4));
      const all = syntheticBinary(nTrain + nTest, 42, { features: FEATURES, noise: 0.8, missingRate: 0.05 });
      const train = slice(all.X, all.y, 0, nTrain);
      const test = slice(all.X, all.y, nTrain, nTrain + nTest);
      let seconds = Infinity;
      let score = NaN;
      for (let r = 0; r < repeats; r++) {
        const t = performance.now();
        const model = fitGbdt(train.X, train.y, GBDT_BENCH_PARAMS, { seed: 1 }, { histogramHelper: helper });
        seconds = Math.min(seconds, (performance.now() - t) / 1000);
        score = rocAuc(test.y.values, model.predict(test.X));
      }
      const row: BenchRow = { case: `${nTrain.toLocaleString('en')} × ${FEATURES}`, rows: nTrain, orchard: { seconds, auc: score, threads } };
      if (options.reference !== false) {
        const prefix = `d${nTrain}`;
        await writeF64(join(dir, `${prefix}.train.x.f64`), train.X.columns);
        await writeF64(join(dir, `${prefix}.train.y.f64`), [train.y.values]);
        await writeF64(join(dir, `${prefix}.test.x.f64`), test.X.columns);
        await writeF64(join(dir, `${prefix}.test.y.f64`), [test.y.values]);
        const env: Record<string, string | undefined> = { ...process.env, OMP_NUM_THREADS: '2' };
        delete env.OPENBLAS_CORETYPE;
        delete env.OPENBLAS_L2_SIZE;
        const script = fileURLToPath(new URL('../scripts/bench/gbdt_reference.py', import.meta.url));
        const args = [script, dir, prefix, GBDT_BENCH_PARAMS.nTrees, GBDT_BENCH_PARAMS.maxLeaves, GBDT_BENCH_PARAMS.learningRate, GBDT_BENCH_PARAMS.l2, GBDT_BENCH_PARAMS.minSamplesLeaf].map(String);
        const run = spawnSync('/usr/bin/python3', args, { env, encoding: 'utf8', maxBuffer: 1 << 20 });
        if (run.status !== 0) throw new Error(`gbdt_reference.py failed: ${run.stderr}`);
        const ref = JSON.parse(run.stdout.trim().split('\n').pop()!) as Pick<BenchRow, 'xgboost' | 'sklearn'>;
        row.xgboost = ref.xgboost;
        row.sklearn = ref.sklearn;
      }
      results.push(row);
    }
  } finally {
    await helper?.dispose();
    await rm(dir, { recursive: true, force: true });
  }
  return results;
}

function threadsOf(rows: BenchRow[]): string {
  const t = [...new Set(rows.map((r) => r.orchard.threads))];
  return t.length === 1 ? `${t[0]} thread${t[0] === 1 ? '' : 's'}` : `${t.join(' / ')} threads`;
}

/** The results as a Markdown table. */
export function gbdtTable(rows: BenchRow[]): string {
  const f = (s?: number) => (s === undefined ? '—' : `${s.toFixed(2)} s`);
  const a = (x?: number) => (x === undefined ? '—' : x.toFixed(4));
  const lines = [
    `| data | Orchard (${threadsOf(rows)}) | XGBoost hist (2 threads) | ratio | sklearn HGB (2 threads) | ratio | AUC Orchard | AUC XGBoost | AUC sklearn |`,
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const rx = r.xgboost ? `${(r.orchard.seconds / r.xgboost.seconds).toFixed(2)}×` : '—';
    const rs = r.sklearn ? `${(r.orchard.seconds / r.sklearn.seconds).toFixed(2)}×` : '—';
    lines.push(
      `| ${r.case} | ${f(r.orchard.seconds)} | ${f(r.xgboost?.seconds)} | ${rx} | ${f(r.sklearn?.seconds)} | ${rs} | ${a(r.orchard.auc)} | ${a(r.xgboost?.auc)} | ${a(r.sklearn?.auc)} |`,
    );
  }
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const rows = arg('--rows')?.split(',').map(Number);
  const repeats = arg('--repeats') ? Number(arg('--repeats')) : undefined;
  const threads = arg('--threads') === '1' ? 1 : 2;
  const results = await runGbdtBench({ rows, repeats, threads, reference: !process.argv.includes('--no-reference') });
  console.log(`${GBDT_BENCH_PARAMS.nTrees} trees, ${GBDT_BENCH_PARAMS.maxLeaves} leaves, learning rate ${GBDT_BENCH_PARAMS.learningRate}, L2 ${GBDT_BENCH_PARAMS.l2}`);
  console.log(gbdtTable(results));
}
