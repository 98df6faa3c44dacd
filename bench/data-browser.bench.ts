/**
 * The renderer's data path timed in Debian's Chromium: the app's own data worker (DuckDB-WASM's threaded build
 * in a cross-origin-isolated page, as both hosts serve it) loads a CSV and computes the quality report
 * (bench/browser/data.html).
 */
import { dirname } from 'node:path';
import { runBenchPage } from './browser-page.js';

export interface BrowserDataRun {
  version: string;
  isolated: boolean;
  rows: number;
  startMs: number;
  /** One per run: the first run is the engine's first load and report (cold code), later ones warm. */
  loadMs: number[];
  reportMs: number[];
}

/** Loads `csv` and computes its quality report (with `target`), `runs` times, in the app's data worker in Chromium. */
export async function runBrowserDataBench(csv: string, options: { target?: string; runs?: number } = {}): Promise<BrowserDataRun> {
  const query = new URLSearchParams({ csv: `/@fs${csv}`, runs: String(options.runs ?? 1), ...(options.target === undefined ? {} : { target: options.target }) });
  const result = await runBenchPage<BrowserDataRun>(`data.html?${query}`, 'dataBench', { allow: [dirname(csv)], isolated: true });
  if (result.error !== undefined) throw new Error(`The browser data bench failed: ${result.error}`);
  return result;
}
