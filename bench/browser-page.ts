/**
 * Runs a page of bench/browser/ in Debian's Chromium, served by Vite, and returns what the page leaves on
 * `window[global]` when it is done (it leaves `{ error }` when it fails).
 */
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createServer } from 'vite';
import config from '../playwright.config.js';

const repo = fileURLToPath(new URL('..', import.meta.url));

export async function runBenchPage<T>(
  page: string,
  global: string,
  options: { allow?: string[]; isolated?: boolean; timeoutMs?: number } = {},
): Promise<T & { error?: string }> {
  const server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('./browser', import.meta.url)),
    logLevel: 'error',
    worker: { format: 'es' },
    server: {
      host: '127.0.0.1',
      port: 0,
      fs: { allow: [repo, ...(options.allow ?? [])] },
      // As both hosts serve the app: cross-origin isolated, so the data worker's DuckDB runs threaded.
      headers: options.isolated === true ? { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' } : {},
    },
  });
  await server.listen();
  const browser = await chromium.launch(config.use?.launchOptions);
  try {
    const address = server.httpServer?.address();
    if (address === null || address === undefined || typeof address === 'string') throw new Error('Vite did not listen on a port.');
    const tab = await browser.newPage();
    tab.context().on('response', (r) => {
      if (r.status() >= 400) console.error(`[chromium] ${r.status()} ${r.url()}`);
    });
    tab.on('console', (m) => {
      if (m.type() === 'error') console.error(`[chromium] ${m.text()}`);
    });
    await tab.goto(`http://127.0.0.1:${address.port}/${page}`);
    const handle = await tab.waitForFunction((name) => (window as unknown as Record<string, unknown>)[name], global, { timeout: options.timeoutMs ?? 900_000, polling: 500 });
    return (await handle.jsonValue()) as T & { error?: string };
  } finally {
    await browser.close();
    await server.close();
  }
}
