import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { createServer, type ViteDevServer } from 'vite';

/**
 * The data worker's line to DuckDB's threaded build (workers/data/threads/), checked on its own in Chromium: a
 * cross-origin-isolated page (as both hosts serve the app) whose worker makes every call the data engine makes.
 */

let server: ViteDevServer;
let url = '';

test.beforeAll(async () => {
  server = await createServer({
    configFile: false,
    root: fileURLToPath(new URL('./threads', import.meta.url)),
    logLevel: 'error',
    worker: { format: 'es' },
    server: {
      host: '127.0.0.1',
      port: 0,
      fs: { allow: [fileURLToPath(new URL('..', import.meta.url))] },
      headers: { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' },
    },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (address === null || address === undefined || typeof address === 'string') throw new Error('Vite did not listen on a port.');
  url = `http://127.0.0.1:${address.port}/index.html`;
});

test.afterAll(async () => {
  await server?.close();
});

test('DuckDB threaded build: threads, memory growth, chunked and streamed answers, errors, Arrow and files', async ({ page }) => {
  test.setTimeout(180_000);
  await page.goto(url);
  const handle = await page.waitForFunction(() => (window as unknown as { checks?: unknown }).checks, undefined, { timeout: 150_000, polling: 500 });
  const checks = (await handle.jsonValue()) as Record<string, unknown>;
  expect(checks['failed']).toBeUndefined();
  expect(checks).toMatchObject({
    isolated: true,
    threads: 2,
    bigRows: 4_000_000,
    bigSum: (4_000_000 * 3_999_999) / 2,
    columnRows: 3_000_000,
    columnLast: 5_999_998,
    columnSum: 3_000_000 * 2_999_999,
    streamedRows: 300_000,
    afterError: 42,
    inserted: 6,
    csvRows: 2,
    dropped: true,
  });
  expect(checks['version']).toMatch(/^v\d+\.\d+/);
  expect(checks['streamedBatches']).toBeGreaterThan(1);
  expect(String(checks['sqlError'])).toContain('no_such_table');
  expect(checks['ipcBytes']).toBeGreaterThan(0);
});
