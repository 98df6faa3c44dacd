/**
 * MLP training speed on each TensorFlow.js backend Node has (WASM, CPU); see mlp-problem.ts for the problem and
 * mlp-browser.bench.ts for Chromium's backends. Usage: npx tsx bench/mlp.bench.ts [--rows N] [--epochs N]
 * `runMlpBench()` returns the rows so that the main bench runner can include them.
 */
import { pathToFileURL } from 'node:url';
import type { BackendName } from '../workers/train/backend.js';
import { prepareNodeTf } from '../workers/train/tf-platform.node.js';
import { mlpBenchProblem, mlpTable, timeMlp, type MlpBenchRow } from './mlp-problem.js';

/** Trains the MLP on each backend in `backends` (default: WASM, CPU) and returns one row each. */
export async function runMlpBench(options: { rows?: number; epochs?: number; backends?: BackendName[] } = {}): Promise<MlpBenchRow[]> {
  const problem = mlpBenchProblem(options.rows ?? 80_000);
  prepareNodeTf();
  const out: MlpBenchRow[] = [];
  for (const backend of options.backends ?? (['wasm', 'cpu'] as BackendName[])) {
    const row = await timeMlp('node', backend, problem, options.epochs ?? 3);
    if (row.error !== undefined) throw new Error(`The ${backend} backend did not start: ${row.error}`);
    out.push(row);
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  console.log(mlpTable(await runMlpBench({ rows: arg('--rows'), epochs: arg('--epochs') })));
}
