import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { HostError } from '../../shared/host/errors.js';
import { createDataWorkerClient } from '../../shared/protocol/worker-client.js';
import { nodeWorkerPort, spawnDataWorkerThread, spawnNodeDataWorker } from './node-client.js';
import { createNodeInspector } from './node-inspector.js';
import { DATASETS } from '../../test/team-files.js';

/** What only the worker has: its lifecycle (init, death, termination) and the host's inspector on top of it. */

const TITANIC = join(DATASETS, 'titanic.csv');
const ADULT = join(DATASETS, 'adult.csv');
const dir = mkdtempSync(join(tmpdir(), 'orchard-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the data worker thread', () => {
  const client = spawnNodeDataWorker();
  afterAll(() => client.terminate());

  it('refuses every request before init, then serves after it', async () => {
    const early = await client.request('page', { table: 't', offset: 0, limit: 1 }).catch((e: unknown) => e);
    expect(early).toMatchObject({ name: 'NotInitialised', message: expect.stringMatching(/send "init" before "page"/) });
    await expect(client.request('open', { table: 't', fileName: 't.csv', format: 'csv', source: { kind: 'path', path: TITANIC } })).rejects.toMatchObject({ name: 'NotInitialised' });
    expect((await client.request('init', {})).version).toMatch(/^DuckDB v.* \(node(, \d threads)?\)$/);
    const info = await client.request('open', { table: 't', fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path: TITANIC } });
    expect(info.rows).toBe(891);
  });

  it('answers requests in order, one reply each', async () => {
    const [opened, page, first, second] = await Promise.all([
      client.request('open', { table: 'a', fileName: 'adult.csv', format: 'csv', source: { kind: 'path', path: ADULT } }),
      client.request('page', { table: 'a', offset: 48841, limit: 5 }),
      client.request('close', { table: 'a' }),
      client.request('close', { table: 'a' }),
    ]);
    expect([opened.rows, page.rows.length, first.closed, second.closed]).toEqual([48842, 1, true, false]);
  });

  it('rejects pending requests when terminated, and every request after', async () => {
    const pending = client.request('open', { table: 'a', fileName: 'adult.csv', format: 'csv', source: { kind: 'path', path: ADULT } });
    const queued = client.request('page', { table: 't', offset: 0, limit: 1 });
    const settled = Promise.allSettled([pending, queued]);
    await client.terminate();
    const [a, b] = await settled;
    expect(a).toMatchObject({ status: 'rejected', reason: { code: 'cancelled', message: expect.stringMatching(/stopped before it answered \(while answering "open"\)/) } });
    expect(b).toMatchObject({ status: 'rejected', reason: expect.any(HostError) });
    await expect(client.request('init', {})).rejects.toMatchObject({ code: 'cancelled' });
    expect(client.closed).toBe(true);
  });
});

describe('cancelling a request', () => {
  it('stops a quality report after the section it is on, and the worker goes on serving', async () => {
    // Every message the worker sends, as it arrives.
    const port = nodeWorkerPort(spawnDataWorkerThread());
    const received: { id: number; kind: string; progress?: { partial?: unknown }; error?: { code?: string } }[] = [];
    const client = createDataWorkerClient({ ...port, onMessage: (listener) => port.onMessage((m) => (received.push(m as never), listener(m))) });
    try {
      await client.request('init', {});
      await client.request('open', { table: 'r', fileName: 'adult.csv', format: 'csv', source: { kind: 'path', path: ADULT } });
      const controller = new AbortController();
      let sections = 0;
      const report = client.request('profile', { table: 'r', target: 'income' }, {
        signal: controller.signal,
        onProgress: (p) => {
          if (p.partial !== undefined && ++sections === 2) controller.abort();
        },
      });
      await expect(report).rejects.toMatchObject({ code: 'cancelled' });
      // Answered only after the worker has left the report: by then it has said why it stopped.
      expect((await client.request('page', { table: 'r', offset: 0, limit: 1 })).rows).toHaveLength(1);
      const id = received.find((m) => m.progress?.partial !== undefined)!.id;
      const mine = received.filter((m) => m.id === id);
      // A whole report sends 19 sections (15 columns, overview, dataset, correlations, target); this one 2 or 3.
      expect(mine.filter((m) => m.progress?.partial !== undefined).length).toBeLessThanOrEqual(3);
      expect(mine.at(-1)).toMatchObject({ kind: 'error', error: { code: 'cancelled' } });
      // The next report is not cancelled.
      expect((await client.request('profile', { table: 'r', target: null })).dataset?.rows).toBe(48842);
    } finally {
      await client.terminate();
    }
  }, 60_000);
});

describe('a data worker that dies', () => {
  it('rejects what was pending with the exit code, never hanging', async () => {
    const dying = createDataWorkerClient(nodeWorkerPort(new Worker('setTimeout(() => process.exit(3), 50)', { eval: true })));
    await expect(dying.request('init', {})).rejects.toThrow(/data worker stopped unexpectedly \(exit code 3\)/);
    expect(dying.closed).toBe(true);
  });

  it('rejects what was pending when the worker throws', async () => {
    const failing = createDataWorkerClient(nodeWorkerPort(new Worker('setTimeout(() => { throw new Error("boom"); }, 50)', { eval: true })));
    await expect(failing.request('init', {})).rejects.toThrow(/data worker failed: boom/);
  });
});

describe('the host dataset inspector', () => {
  const inspector = createNodeInspector();
  afterAll(() => inspector.close());

  it('inspects a file by path and closes its table', async () => {
    const shape = await inspector.inspect({ path: TITANIC, fileName: 'titanic.csv', format: 'csv' });
    expect(shape.rows).toBe(891);
    expect(shape.columns[0]).toEqual({ name: 'PassengerId', type: 'BIGINT', missing: 0 });
    expect(shape.columns.find((c) => c.name === 'Age')?.missing).toBe(177);
    expect(Object.keys(shape).sort()).toEqual(['columns', 'notes', 'read', 'rows']);
    expect(shape.read).toEqual({ delimiter: ',', quote: '"', header: true, encoding: 'UTF-8', missingTokens: ['', 'NA', 'N/A', 'null', '?'] });
  });

  it('refuses a bad file with a bad-file HostError, and keeps working', async () => {
    writeFileSync(join(dir, 'empty.csv'), '');
    const err = await inspector.inspect({ path: join(dir, 'empty.csv'), fileName: 'empty.csv', format: 'csv' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'bad-file', message: 'empty.csv is empty.' });
    expect((await inspector.inspect({ path: TITANIC, fileName: 'titanic.csv', format: 'csv' })).rows).toBe(891);
  });

  it('refuses to inspect once closed', async () => {
    await inspector.close();
    await expect(inspector.inspect({ path: TITANIC, fileName: 'titanic.csv', format: 'csv' })).rejects.toThrow(/closed/);
  });
});
