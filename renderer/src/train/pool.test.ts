import { describe, expect, it } from 'vitest';
import { HostError } from '../../../shared/host/errors.js';
import type { SplitData } from '../../../shared/ml/job.js';
import type { WorkerPort } from '../../../shared/protocol/worker-client.js';
import { TrainPool, type DataSource } from './pool.js';

/**
 * A scripted training worker speaking the real envelope: `init` and `useData` answer at once, every other
 * request waits until the test answers it. It records what it received so the pool's traffic can be checked.
 */
class ScriptedWorker {
  readonly received: { id: number; type: string; args: unknown }[] = [];
  terminated = false;
  private listener: ((m: unknown) => void) | null = null;

  port(): WorkerPort {
    return {
      postMessage: (message) => {
        const m = message as { id: number; type: string; args: unknown };
        this.received.push(m);
        if (m.type === 'init') this.reply(m.id, { backend: { name: 'cpu', reason: 'scripted' } });
        if (m.type === 'useData') this.reply(m.id, { rows: (m.args as { data: SplitData }).data.frame.rowCount });
      },
      onMessage: (listener) => {
        this.listener = listener;
      },
      onError: () => undefined,
      onExit: () => undefined,
      terminate: () => {
        this.terminated = true;
      },
    };
  }

  /** The requests of this type still waiting for an answer. */
  waiting(type: string): { id: number; type: string; args: unknown }[] {
    return this.received.filter((m) => m.type === type);
  }

  reply(id: number, result: unknown): void {
    queueMicrotask(() => this.listener?.({ id, kind: 'ok', result }));
  }

  progress(id: number, fraction: number): void {
    this.listener?.({ id, kind: 'progress', progress: { fraction } });
  }
}

const data = (rows: number): SplitData => ({ frame: { rowCount: rows, columns: [] }, partitions: new Uint8Array(rows) });
const source = (key: string, rows = 3): DataSource & { loads: number } => {
  const s = { key, loads: 0, load: async () => { s.loads += 1; return data(rows); } };
  return s;
};
const flush = () => new Promise((r) => setTimeout(r, 0));
const plan = {} as never;

function setup(size: number) {
  const workers: ScriptedWorker[] = [];
  const pool = new TrainPool(size, () => {
    const w = new ScriptedWorker();
    workers.push(w);
    return w.port();
  });
  return { pool, workers };
}

describe('the training worker pool', () => {
  it('initialises each worker, sends the data once per worker, and runs jobs two at a time', async () => {
    const { pool, workers } = setup(2);
    const src = source('d1');
    const jobs = [0, 1, 2].map(() => pool.run('baseline', src, (key) => ({ key, plan })));
    await flush();
    await flush();
    expect(workers).toHaveLength(2);
    expect(src.loads).toBe(1);
    for (const w of workers) {
      expect(w.received.map((m) => m.type)).toEqual(['init', 'useData', 'baseline']);
      expect((w.received[2]!.args as { key: string }).key).toBe('d1');
    }
    // Each worker got its own copy of the partition codes.
    const [a, b] = workers.map((w) => (w.received[1]!.args as { data: SplitData }).data.partitions);
    expect(a).not.toBe(b);
    expect(pool.pending).toBe(3);

    workers[0]!.reply(workers[0]!.waiting('baseline')[0]!.id, { score: 1 });
    await expect(jobs[0]!.promise).resolves.toEqual({ score: 1 });
    await flush();
    // The third job went to the free worker, which already held the data: no second useData.
    expect(workers[0]!.received.map((m) => m.type)).toEqual(['init', 'useData', 'baseline', 'baseline']);
    expect(workers).toHaveLength(2);
  });

  it('passes progress through and cancels a running job by replacing its worker', async () => {
    const { pool, workers } = setup(1);
    const seen: number[] = [];
    const job = pool.run('baseline', source('d1'), (key) => ({ key, plan }), (p) => seen.push(p.fraction));
    const next = pool.run('baseline', source('d1'), (key) => ({ key, plan }));
    await flush();
    await flush();
    const first = workers[0]!;
    first.progress(first.waiting('baseline')[0]!.id, 0.25);
    expect(seen).toEqual([0.25]);

    job.cancel();
    await expect(job.promise).rejects.toMatchObject({ code: 'cancelled' });
    expect(first.terminated).toBe(true);
    await flush();
    await flush();
    // A fresh worker took over and runs the queued job from scratch.
    expect(workers).toHaveLength(2);
    const fresh = workers[1]!;
    expect(fresh.received.map((m) => m.type)).toEqual(['init', 'useData', 'baseline']);
    fresh.reply(fresh.waiting('baseline')[0]!.id, { ok: true });
    await expect(next.promise).resolves.toEqual({ ok: true });
  });

  it('takes a queued job off the queue without touching any worker', async () => {
    const { pool, workers } = setup(1);
    pool.run('baseline', source('d1'), (key) => ({ key, plan }));
    const queued = pool.run('baseline', source('d1'), (key) => ({ key, plan }));
    await flush();
    queued.cancel();
    await expect(queued.promise).rejects.toBeInstanceOf(HostError);
    expect(workers[0]!.terminated).toBe(false);
    expect(pool.pending).toBe(1);
  });

  it('sends new data when a job needs another dataset', async () => {
    const { pool, workers } = setup(1);
    const one = pool.run('baseline', source('d1', 3), (key) => ({ key, plan }));
    await flush();
    await flush();
    const w = workers[0]!;
    w.reply(w.waiting('baseline')[0]!.id, 1);
    await one.promise;
    pool.run('baseline', source('d2', 5), (key) => ({ key, plan }));
    await flush();
    await flush();
    const uses = w.waiting('useData').map((m) => (m.args as { key: string; data: SplitData }).key);
    expect(uses).toEqual(['d1', 'd2']);
    expect((w.waiting('baseline')[1]!.args as { key: string }).key).toBe('d2');
  });

  it('rejects a job whose data cannot be loaded, and keeps working', async () => {
    const { pool, workers } = setup(1);
    const broken: DataSource = { key: 'bad', load: () => Promise.reject(new HostError('not-found', 'The split is gone.')) };
    await expect(pool.run('baseline', broken, (key) => ({ key, plan })).promise).rejects.toThrow('The split is gone.');
    const ok = pool.run('baseline', source('d1'), (key) => ({ key, plan }));
    await flush();
    await flush();
    const w = workers[0]!;
    w.reply(w.waiting('baseline')[0]!.id, 7);
    await expect(ok.promise).resolves.toBe(7);
  });
});
