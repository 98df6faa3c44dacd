/**
 * The renderer's data path timed in Debian's Chromium: the app's own data worker (DuckDB-WASM's threaded build
 * in a cross-origin-isolated page, as both hosts serve it) loads a CSV and computes the quality report. Vite serves
 * bench/browser/data.html with the app's isolation headers.
 */
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import config from '../playwright.config.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

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
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('./browser', import.meta.url)),
    logLevel: 'error',
    worker: { format: 'es' },
    server: { host: '127.0.0.1', port: 0, fs: { allow: [repo, dirname(csv)] }, headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } },
  });
  await server.listen();
  const browser = await chromium.launch(config.use?.launchOptions);
  try {
    const address = server.httpServer?.address();
    if (address === null || address === undefined || typeof address === 'string') throw new Error('Vite did not listen on a port.');
    const page = await browser.newPage();
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`[chromium] ${m.text()}`);
    });
    const query = new URLSearchParams({ csv: `/@fs${csv}`, runs: String(options.runs ?? 1), ...(options.target === undefined ? {} : { target: options.target }) });
    await page.goto(`http://127.0.0.1:${address.port}/data.html?${query}`);
    const handle = await page.waitForFunction(() => (window as unknown as { dataBench?: unknown }).dataBench, undefined, { timeout: 900_000, polling: 500 });
    const result = (await handle.jsonValue()) as BrowserDataRun & { error?: string };
    if (result.error !== undefined) throw new Error(`The browser data bench failed: ${result.error}`);
    return result;
  } finally {
    await browser.close();
    await server.close();
  }
}
