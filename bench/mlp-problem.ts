/**
 * The MLP benchmark's problem and one timed run, shared by the Node bench (mlp.bench.ts) and the browser one
 * (browser/mlp-worker.ts): no Node modules, no DOM. A 64-32 MLP (the defaults) trained for a few epochs on a seeded
 * 80,000 × 20 binary problem; training rows per second = rows × epochs / seconds of `fitMlp`.
 */
import * as tf from '@tensorflow/tfjs';
import { mulberry32 } from '../shared/data/random.js';
import type { FeatureMatrix, Target } from '../shared/ml/types.js';
import type { BackendName } from '../workers/train/backend.js';
import { fitMlp } from '../workers/train/mlp.js';

/** One backend's result (`error` when the backend would not start here). */
export interface MlpBenchRow {
  /** Where it ran: Node, or Chromium's Web Worker. */
  runtime: 'node' | 'chromium';
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
  /** What the backend ran on, when that says more than its name (a WebGPU adapter). */
  note?: string;
  error?: string;
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

/** Switches TensorFlow.js to `backend` and times training and prediction on `problem`. */
export async function timeMlp(
  runtime: MlpBenchRow['runtime'],
  backend: BackendName,
  problem: { X: FeatureMatrix; y: Target },
  epochs: number,
): Promise<MlpBenchRow> {
  const { X, y } = problem;
  const base = { runtime, backend, rows: X.rowCount, features: X.columns.length, epochs, hiddenLayers: [64, 32] };
  let started: boolean;
  try {
    started = await tf.setBackend(backend);
  } catch (err) {
    return { ...base, seconds: 0, rowsPerSecond: 0, predictRowsPerSecond: 0, error: err instanceof Error ? err.message : String(err) };
  }
  if (!started) return { ...base, seconds: 0, rowsPerSecond: 0, predictRowsPerSecond: 0, error: 'the backend did not start' };
  const t0 = performance.now();
  const model = await fitMlp(X, y, { hiddenLayers: [64, 32], epochs }, { seed: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  model.predict(X);
  const predictSeconds = (performance.now() - t1) / 1000;
  return { ...base, seconds, rowsPerSecond: (X.rowCount * epochs) / seconds, predictRowsPerSecond: X.rowCount / predictSeconds };
}

/** The results as a Markdown table. */
export function mlpTable(rows: MlpBenchRow[]): string {
  const lines = ['| where | backend | rows × features | epochs | seconds | train rows/s | predict rows/s |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    const where = r.runtime === 'node' ? 'Node' : 'Chromium (Web Worker)';
    const backend = r.note === undefined ? r.backend : `${r.backend} (${r.note})`;
    if (r.error !== undefined) {
      lines.push(`| ${where} | ${backend} | ${r.rows} × ${r.features} | — | — | did not start: ${r.error.replace(/\|/g, '\\|').slice(0, 120)} | — |`);
      continue;
    }
    lines.push(
      `| ${where} | ${backend} | ${r.rows} × ${r.features} | ${r.epochs} | ${r.seconds.toFixed(1)} | ${Math.round(r.rowsPerSecond).toLocaleString('en')} | ${Math.round(r.predictRowsPerSecond).toLocaleString('en')} |`,
    );
  }
  return lines.join('\n');
}
