/**
 * MLP training speed on each TensorFlow.js backend of Debian's Chromium (WebGPU, WASM, WebGL, CPU), in a module
 * Web Worker served by Vite from bench/browser/. Usage: npx tsx bench/mlp-browser.bench.ts [--rows N] [--epochs N]
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import config from '../playwright.config.js';
import { mlpTable, type MlpBenchRow } from './mlp-problem.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

/** Serves the bench page, runs it in Chromium and returns one row per backend (with `error` where one would not start). */
export async function runBrowserMlpBench(options: { rows?: number; epochs?: number } = {}): Promise<MlpBenchRow[]> {
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('./browser', import.meta.url)),
    logLevel: 'error',
    worker: { format: 'es' },
    server: { host: '127.0.0.1', port: 0, fs: { allow: [repo] } },
  });
  await server.listen();
  const browser = await chromium.launch(config.use?.launchOptions);
  try {
    const address = server.httpServer?.address();
    if (address === null || address === undefined || typeof address === 'string') throw new Error('Vite did not listen on a port.');
    const page = await browser.newPage();
    page.context().on('response', (r) => {
      if (r.status() >= 400) console.error(`[chromium] ${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error') console.error(`[chromium] ${m.text()}`);
    });
    await page.goto(`http://127.0.0.1:${address.port}/mlp.html?rows=${options.rows ?? 80_000}&epochs=${options.epochs ?? 3}`);
    const handle = await page.waitForFunction(() => (window as unknown as { mlpBench?: unknown }).mlpBench, undefined, { timeout: 900_000, polling: 1000 });
    const result = (await handle.jsonValue()) as { rows?: MlpBenchRow[]; error?: string };
    if (result.rows === undefined) throw new Error(`The browser MLP bench failed: ${result.error ?? 'no result'}`);
    return result.rows;
  } finally {
    await browser.close();
    await server.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : undefined;
  };
  console.log(mlpTable(await runBrowserMlpBench({ rows: arg('--rows'), epochs: arg('--epochs') })));
}
