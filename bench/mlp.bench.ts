/**
 * MLP training speed on each TensorFlow.js backend Node has (WASM, CPU): a 64-32 MLP (the defaults) trained for a
 * few epochs on a seeded 80,000 × 20 binary problem, in training rows per second (rows × epochs / seconds), and
 * the JavaScript predict's rows per second on the same rows. Usage: npx tsx bench/mlp.bench.ts [--rows N] [--epochs N]
 * `runMlpBench()` returns the rows so that the main bench runner can include them.
 */
import * as tf from '@tensorflow/tfjs';
import { pathToFileURL } from 'node:url';
import { mulberry32 } from '../shared/data/random.js';
import type { FeatureMatrix, Target } from '../shared/ml/types.js';
import type { BackendName } from '../workers/train/backend.js';
import { fitMlp } from '../workers/train/mlp.js';
import { prepareNodeTf } from '../workers/train/tf-platform.node.js';

/** One backend's result. */
export interface MlpBenchRow {
  backend: BackendName;
  rows: number;
  features: number;
  epochs: number;
  hiddenLayers: number[];
  /** Wall-clock seconds of `fitMlp`. */
  seconds: number;
  /** Training rows per second: rows × epochs / seconds. */
  rowsPerSecond: number;
  /** Rows per second of `predict` (plain JavaScript, the same on every backend). */
  predictRowsPerSecond: number;
}

/** The seeded benchmark problem: 20 standard-uniform features, a nonlinear label of the first five. */
export function mlpBenchProblem(rows: number, features = 20, seed = 20240601): { X: FeatureMatrix; y: Target } {
  const random = mulberry32(seed);
  const columns = Array.from({ length: features }, () => new Float64Array(rows));
  const values = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let f = 0; f < features; f++) columns[f]![i] = 2 * random() - 1;
    const [a, b, c, d, e] = [0, 1, 2, 3, 4].map((f) => columns[f]![i]!) as [number, number, number, number, number];
    const score = Math.sin(3 * a) + b * c - d * d + 0.5 * e + 0.3 * (random() - 0.5);
    values[i] = score > 0 ? 1 : 0;
  }
  return { X: { rowCount: rows, names: columns.map((_, f) => `f${f}`), columns }, y: { task: 'binary', values, classes: ['0', '1'] } };
}

/** Trains the MLP on each backend in `backends` (default: WASM, CPU) and returns one row each. */
export async function runMlpBench(options: { rows?: number; epochs?: number; backends?: BackendName[] } = {}): Promise<MlpBenchRow[]> {
  const rows = options.rows ?? 80_000;
  const epochs = options.epochs ?? 3;
  const { X, y } = mlpBenchProblem(rows);
  prepareNodeTf();
  const out: MlpBenchRow[] = [];
  for (const backend of options.backends ?? (['wasm', 'cpu'] as BackendName[])) {
    if (!(await tf.setBackend(backend))) throw new Error(`The ${backend} backend did not start.`);
    const t0 = performance.now();
    const model = await fitMlp(X, y, { hiddenLayers: [64, 32], epochs }, { seed: 1 });
    const seconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    model.predict(X);
    const predictSeconds = (performance.now() - t1) / 1000;
    out.push({
      backend,
      rows,
      features: X.columns.length,
      epochs,
      hiddenLayers: [64, 32],
      seconds,
      rowsPerSecond: (rows * epochs) / seconds,
      predictRowsPerSecond: rows / predictSeconds,
    });
  }
  return out;
}

/** The results as a Markdown table. */
export function mlpTable(rows: MlpBenchRow[]): string {
  const lines = ['| backend | rows × features | epochs | seconds | train rows/s | predict rows/s |', '| --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    lines.push(`| ${r.backend} | ${r.rows} × ${r.features} | ${r.epochs} | ${r.seconds.toFixed(1)} | ${Math.round(r.rowsPerSecond).toLocaleString('en')} | ${Math.round(r.predictRowsPerSecond).toLocaleString('en')} |`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  console.log(mlpTable(await runMlpBench({ rows: arg('--rows'), epochs: arg('--epochs') })));
}
