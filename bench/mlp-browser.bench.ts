/**
 * MLP training speed on each TensorFlow.js backend of Debian's Chromium (WebGPU, WASM, WebGL, CPU), in a module
 * Web Worker served by Vite from bench/browser/. Usage: npx tsx bench/mlp-browser.bench.ts [--rows N] [--epochs N]
 */
import { pathToFileURL } from 'node:url';
import { runBenchPage } from './browser-page.js';
import { mlpTable, type MlpBenchRow } from './mlp-problem.js';

/** Serves the bench page, runs it in Chromium and returns one row per backend (with `error` where one would not start). */
export async function runBrowserMlpBench(options: { rows?: number; epochs?: number } = {}): Promise<MlpBenchRow[]> {
  const result = await runBenchPage<{ rows?: MlpBenchRow[] }>(`mlp.html?rows=${options.rows ?? 80_000}&epochs=${options.epochs ?? 3}`, 'mlpBench');
  if (result.rows === undefined) throw new Error(`The browser MLP bench failed: ${result.error ?? 'no result'}`);
  return result.rows;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  console.log(mlpTable(await runBrowserMlpBench({ rows: arg('--rows'), epochs: arg('--epochs') })));
}
