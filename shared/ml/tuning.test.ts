import { describe, expect, it } from 'vitest';
import { HostError } from '../host/errors.js';
import { decodeHiddenLayers, describeDimension, encodeHiddenLayers, SEARCH_SPACES, searchSpaceFor } from './search-spaces.js';
import { MODEL_KINDS } from './types.js';
import { gridValues, tpeGamma, tune, type SearchSpace, type Trial } from './tuning.js';

const budget = { maxTrials: 1 };

describe('grid search', () => {
  it('enumerates the exact cartesian product, last dimension fastest, then stops', async () => {
    const space: SearchSpace = [
      { name: 'a', type: 'categorical', choices: ['x', 'y'] },
      { name: 'b', type: 'float', low: 0, high: 1 },
      { name: 'c', type: 'int', low: 1, high: 100, log: true },
    ];
    const seen: Record<string, unknown>[] = [];
    const result = await tune(space, async (p) => (seen.push(p), 0), { strategy: 'grid', direction: 'maximize', seed: 1 });
    const expected: Record<string, unknown>[] = [];
    for (const a of ['x', 'y']) for (const b of [0, 0.5, 1]) for (const c of [1, 10, 100]) expected.push({ a, b, c });
    expect(seen).toEqual(expected);
    expect(result.trials.map((t) => t.params)).toEqual(expected);
    expect(result.trials.map((t) => t.index)).toEqual(expected.map((_, i) => i));
    expect(result.stoppedBy).toBe('grid-exhausted');
  });

  it('rounds and deduplicates int levels, log-spaces floats, and takes the midpoint for one level', () => {
    expect(gridValues({ name: 'n', type: 'int', low: 1, high: 3 }, 5)).toEqual([1, 2, 3]);
    expect(gridValues({ name: 'n', type: 'int', low: 8, high: 128, log: true }, 5)).toEqual([8, 16, 32, 64, 128]);
    const lr = gridValues({ name: 'lr', type: 'float', low: 1e-4, high: 1, log: true }, 5) as number[];
    expect(lr[0]).toBe(1e-4);
    expect(lr[4]).toBe(1);
    [1e-3, 1e-2, 1e-1].forEach((v, i) => expect(lr[i + 1]).toBeCloseTo(v, 12));
    expect(gridValues({ name: 'x', type: 'float', low: 2, high: 4 }, 1)).toEqual([3]);
    expect(gridValues({ name: 'x', type: 'float', low: 1, high: 100, log: true }, 1)[0]).toBeCloseTo(10, 12);
  });

  it('honours gridLevels and maxTrials, and passes fixed parameters instead of searching them', async () => {
    const space: SearchSpace = [
      { name: 'x', type: 'float', low: 0, high: 4 },
      { name: 'y', type: 'int', low: 0, high: 10 },
    ];
    const result = await tune(space, async (p) => (p.x as number) + (p.y as number), {
      strategy: 'grid',
      direction: 'maximize',
      seed: 1,
      gridLevels: 5,
      fixed: { y: 7, extra: 'kept' },
    });
    expect(result.trials.map((t) => t.params)).toEqual([0, 1, 2, 3, 4].map((x) => ({ x, y: 7, extra: 'kept' })));
    expect(result.best?.params.x).toBe(4);
    const limited = await tune(space, async () => 0, { strategy: 'grid', direction: 'maximize', seed: 1, maxTrials: 4 });
    expect(limited.trials).toHaveLength(4);
    expect(limited.stoppedBy).toBe('trials');
  });

  it('runs an empty space once', async () => {
    for (const strategy of ['grid', 'random', 'tpe'] as const) {
      const result = await tune([], async () => 1, { strategy, direction: 'maximize', seed: 1, maxTrials: 10 });
      expect(result.trials).toHaveLength(1);
      expect(result.stoppedBy).toBe('grid-exhausted');
    }
  });
});

describe('random search', () => {
  const space: SearchSpace = [
    { name: 'f', type: 'float', low: -2, high: 3 },
    { name: 'lf', type: 'float', low: 1e-4, high: 1, log: true },
    { name: 'i', type: 'int', low: 2, high: 6 },
    { name: 'li', type: 'int', low: 1, high: 1000, log: true },
    { name: 'c', type: 'categorical', choices: ['a', 'b', 'c'] },
  ];

  it('stays within bounds, samples ints as ints, log dimensions uniformly in log space', async () => {
    const result = await tune(space, async () => 0, { strategy: 'random', direction: 'maximize', seed: 3, maxTrials: 2000 });
    const col = (k: string) => result.trials.map((t) => t.params[k] as number);
    expect(col('f').every((v) => v >= -2 && v <= 3)).toBe(true);
    expect(col('lf').every((v) => v >= 1e-4 && v <= 1)).toBe(true);
    expect(col('i').every((v) => Number.isInteger(v) && v >= 2 && v <= 6)).toBe(true);
    expect(col('li').every((v) => Number.isInteger(v) && v >= 1 && v <= 1000)).toBe(true);
    // Every int value turns up, about equally often (5 values, 400 expected each).
    const counts = [2, 3, 4, 5, 6].map((v) => col('i').filter((x) => x === v).length);
    counts.forEach((c) => expect(c).toBeGreaterThan(320));
    // Log-uniform: each decade of [1e-4, 1] holds about a quarter; uniform sampling would put 90% in the top one.
    for (let e = -4; e < 0; e++) {
      const share = col('lf').filter((v) => v >= 10 ** e && v < 10 ** (e + 1)).length / 2000;
      expect(share).toBeGreaterThan(0.2);
      expect(share).toBeLessThan(0.3);
    }
    const median = [...col('li')].sort((a, b) => a - b)[1000]!;
    expect(median).toBeGreaterThan(15); // log-uniform over [0.5, 1000.5]: median ≈ 22
    expect(median).toBeLessThan(35);
    const uniformMean = col('f').reduce((a, b) => a + b, 0) / 2000;
    expect(uniformMean).toBeCloseTo(0.5, 1);
    expect(new Set(result.trials.map((t) => t.params.c))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('is deterministic by seed', async () => {
    const run = (seed: number) => tune(space, async () => 0, { strategy: 'random', direction: 'maximize', seed, maxTrials: 20 });
    const a = await run(11);
    const b = await run(11);
    const c = await run(12);
    expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
    expect(c.trials.map((t) => t.params)).not.toEqual(a.trials.map((t) => t.params));
  });

  it('tries the same configurations whatever one-valued settings the space also holds (random and TPE)', async () => {
    const held: SearchSpace = [...space, { name: 'kept', type: 'categorical', choices: [true] }, { name: 'also', type: 'categorical', choices: [3] }];
    for (const strategy of ['random', 'tpe'] as const) {
      const score = async (p: Record<string, unknown>) => -((Number(p.f) - 0.3) ** 2) - Number(p.i);
      const plain = await tune(space, score, { strategy, direction: 'maximize', seed: 5, maxTrials: 14, startupTrials: 4 });
      const more = await tune(held, score, { strategy, direction: 'maximize', seed: 5, maxTrials: 14, startupTrials: 4 });
      expect(more.trials.map(({ params: { kept, also, ...rest } }) => ({ kept, also, rest }))).toEqual(plain.trials.map((t) => ({ kept: true, also: 3, rest: t.params })));
    }
  });

  it('needs a budget', async () => {
    await expect(tune(space, async () => 0, { strategy: 'random', direction: 'maximize', seed: 1 })).rejects.toThrow(HostError);
  });

  it('refuses malformed spaces', async () => {
    const bad: SearchSpace[] = [
      [{ name: 'x', type: 'float', low: 0, high: 1, log: true }],
      [{ name: 'x', type: 'float', low: 2, high: 1 }],
      [{ name: 'x', type: 'int', low: 0.5, high: 3 }],
      [{ name: 'x', type: 'categorical', choices: [] }],
      [
        { name: 'x', type: 'int', low: 0, high: 3 },
        { name: 'x', type: 'int', low: 0, high: 3 },
      ],
    ];
    for (const space of bad) {
      await expect(tune(space, async () => 0, { strategy: 'random', direction: 'maximize', seed: 1, ...budget })).rejects.toThrow(/./);
    }
  });
});

describe('budgets, cancellation and failures', () => {
  const space: SearchSpace = [{ name: 'x', type: 'float', low: 0, high: 1 }];

  it('stops by trials', async () => {
    const result = await tune(space, async (p) => p.x as number, { strategy: 'tpe', direction: 'maximize', seed: 1, maxTrials: 15 });
    expect(result.trials).toHaveLength(15);
    expect(result.stoppedBy).toBe('trials');
  });

  it('stops by time on the injected clock, and times each trial with it', async () => {
    let clock = 1_000_000;
    const result = await tune(
      space,
      async () => {
        clock += 3000; // each trial takes 3 s
        return 0;
      },
      { strategy: 'random', direction: 'maximize', seed: 1, maxSeconds: 10, maxTrials: 100, now: () => clock },
    );
    // Trials start at 0, 3, 6 and 9 s; at 12 s the budget is spent.
    expect(result.trials).toHaveLength(4);
    expect(result.stoppedBy).toBe('time');
    expect(result.trials.every((t) => t.seconds === 3)).toBe(true);
  });

  it('stops when cancelled, by the flag or by a cancelled HostError', async () => {
    let calls = 0;
    const byFlag = await tune(space, async () => (calls++, 0), {
      strategy: 'random',
      direction: 'maximize',
      seed: 1,
      maxTrials: 100,
      isCancelled: () => calls >= 5,
    });
    expect(byFlag.trials).toHaveLength(5);
    expect(byFlag.stoppedBy).toBe('cancelled');

    const byError = await tune(
      space,
      async (_p, i) => {
        if (i === 3) throw new HostError('cancelled', 'Training was cancelled.');
        return i;
      },
      { strategy: 'random', direction: 'maximize', seed: 1, maxTrials: 100 },
    );
    expect(byError.trials).toHaveLength(3);
    expect(byError.stoppedBy).toBe('cancelled');
    expect(byError.best?.index).toBe(2);
  });

  it('records an objective error and goes on; failed trials are never best', async () => {
    const reported: [Trial, Trial | undefined][] = [];
    const result = await tune(
      space,
      async (p, i) => {
        if (i === 0) throw new Error('out of memory');
        if (i === 2) return NaN;
        return p.x as number;
      },
      { strategy: 'tpe', direction: 'minimize', seed: 4, maxTrials: 14, startupTrials: 3, onTrial: (t, b) => reported.push([t, b]) },
    );
    expect(result.trials).toHaveLength(14);
    expect(result.trials[0]!.error).toBe('out of memory');
    expect(result.trials[0]!.score).toBeNaN();
    expect(result.trials[2]!.error).toMatch(/NaN/);
    expect(result.trials.filter((t) => t.error !== undefined)).toHaveLength(2);
    const completed = result.trials.filter((t) => t.error === undefined);
    const min = Math.min(...completed.map((t) => t.score));
    expect(result.best?.score).toBe(min);
    expect(reported).toHaveLength(14);
    expect(reported[0]![1]).toBeUndefined();
    expect(reported[13]![1]).toBe(result.best);
  });
});

// Benchmarks for TPE against random search, with the same trial budget and seeds.

/** Branin–Hoo on [-5, 10] × [0, 15]; global minimum 0.397887. */
function branin(p: Record<string, unknown>): number {
  const x = p.x as number;
  const y = p.y as number;
  const b = 5.1 / (4 * Math.PI ** 2);
  const c = 5 / Math.PI;
  return (y - b * x * x + c * x - 6) ** 2 + 10 * (1 - 1 / (8 * Math.PI)) * Math.cos(x) + 10;
}

/** A mixed space like a model's: a log-scale learning rate, an int and a float; minimum 0 at (1e-2, 40, 0.3). */
function mixed(p: Record<string, unknown>): number {
  return (Math.log10(p.lr as number) + 2) ** 2 + ((p.n as number) - 40) ** 2 / 400 + ((p.f as number) - 0.3) ** 2 * 4;
}

async function compare(space: SearchSpace, f: (p: Record<string, unknown>) => number, trials: number, seeds: number[]) {
  const best = async (strategy: 'random' | 'tpe', seed: number) =>
    (await tune(space, async (p) => f(p), { strategy, direction: 'minimize', seed, maxTrials: trials })).best!.score;
  const rows: { random: number; tpe: number }[] = [];
  for (const seed of seeds) rows.push({ random: await best('random', seed), tpe: await best('tpe', seed) });
  const mean = (k: 'random' | 'tpe') => rows.reduce((a, r) => a + r[k], 0) / rows.length;
  return { rows, randomMean: mean('random'), tpeMean: mean('tpe'), tpeWins: rows.filter((r) => r.tpe < r.random).length };
}

describe('TPE', () => {
  const seeds = Array.from({ length: 20 }, (_, i) => i + 1);

  it('uses Optuna’s gamma', () => {
    expect([1, 10, 11, 100, 250, 251, 1000].map(tpeGamma)).toEqual([1, 1, 2, 10, 25, 25, 25]);
  });

  it('beats random search on Branin with the same budget', async () => {
    const r = await compare(
      [
        { name: 'x', type: 'float', low: -5, high: 10 },
        { name: 'y', type: 'float', low: 0, high: 15 },
      ],
      branin,
      60,
      seeds,
    );
    // Sign test over paired seeds: if TPE were no better than random, 15 or more wins of 20 would have
    // probability 0.021. (Measured when written: 18 of 20; mean regret 0.20 against 0.93.)
    expect(r.tpeWins).toBeGreaterThanOrEqual(15);
    expect(r.tpeMean - 0.397887).toBeLessThan((r.randomMean - 0.397887) / 2);
  });

  it('beats random search on a mixed log/int/float space', async () => {
    const r = await compare(
      [
        { name: 'lr', type: 'float', low: 1e-5, high: 1, log: true },
        { name: 'n', type: 'int', low: 1, high: 200 },
        { name: 'f', type: 'float', low: 0, high: 1 },
      ],
      mixed,
      60,
      seeds,
    );
    // Measured when written: 17 of 20; mean 0.17 against 0.53.
    expect(r.tpeWins).toBeGreaterThanOrEqual(15);
    expect(r.tpeMean).toBeLessThan(r.randomMean / 2);
  });

  it('learns which categorical choice is best', async () => {
    const space: SearchSpace = [
      { name: 'c', type: 'categorical', choices: ['a', 'b', 'c', 'd', 'e'] },
      { name: 'x', type: 'float', low: 0, high: 1 },
    ];
    const result = await tune(space, async (p) => (p.c === 'd' ? 0 : 1) + (p.x as number), { strategy: 'tpe', direction: 'minimize', seed: 5, maxTrials: 60 });
    const late = result.trials.slice(30);
    // Random search would pick 'd' a fifth of the time.
    expect(late.filter((t) => t.params.c === 'd').length / late.length).toBeGreaterThan(0.6);
  });

  it('is deterministic by seed and differs from random search after the startup trials', async () => {
    const space: SearchSpace = [
      { name: 'x', type: 'float', low: -5, high: 10 },
      { name: 'y', type: 'float', low: 0, high: 15 },
      { name: 'k', type: 'categorical', choices: [1, 2, 3] },
    ];
    const run = (strategy: 'random' | 'tpe', seed: number) =>
      tune(space, async (p) => branin(p) + (p.k as number), { strategy, direction: 'minimize', seed, maxTrials: 25 });
    const a = await run('tpe', 8);
    const b = await run('tpe', 8);
    expect(b.trials.map((t) => t.params)).toEqual(a.trials.map((t) => t.params));
    const random = await run('random', 8);
    expect(a.trials.slice(0, 10).map((t) => t.params)).toEqual(random.trials.slice(0, 10).map((t) => t.params));
    expect(a.trials.slice(10).map((t) => t.params)).not.toEqual(random.trials.slice(10).map((t) => t.params));
  });
});

describe('default search spaces', () => {
  it('are valid spaces that every strategy can search, with the names the models read', async () => {
    for (const kind of MODEL_KINDS) {
      for (const task of ['binary', 'multiclass', 'regression'] as const) {
        const space = searchSpaceFor(kind, task);
        const result = await tune(space, async () => 0, { strategy: 'tpe', direction: 'maximize', seed: 1, maxTrials: 12, startupTrials: 2 });
        for (const t of result.trials) expect(Object.keys(t.params).sort()).toEqual(space.map((d) => d.name).sort());
      }
    }
    expect(SEARCH_SPACES.baseline).toEqual([]);
    expect(SEARCH_SPACES.gbdt.map((d) => d.name)).toEqual(['learningRate', 'maxLeaves', 'minSamplesLeaf', 'l2', 'rowSubsample', 'colSubsample']);
    expect(SEARCH_SPACES.rf.map((d) => d.name)).toEqual(['nTrees', 'maxDepth', 'minSamplesLeaf', 'maxFeatures']);
    expect(SEARCH_SPACES.mlp.map((d) => d.name)).toEqual(['hiddenLayers', 'dropout', 'learningRate', 'batchSize']);
  });

  it('drop the tree criterion for regression only, and hand out copies', () => {
    expect(searchSpaceFor('tree', 'regression').map((d) => d.name)).toEqual(['maxDepth', 'minSamplesLeaf']);
    expect(searchSpaceFor('tree', 'binary').map((d) => d.name)).toEqual(['maxDepth', 'minSamplesLeaf', 'criterion']);
    const copy = searchSpaceFor('gbdt', 'binary');
    (copy[0] as { low: number }).low = 0.5;
    expect((SEARCH_SPACES.gbdt[0] as { low: number }).low).toBe(0.01);
  });

  it('encode hidden layers as strings that decode back', () => {
    const choices = (SEARCH_SPACES.mlp[0] as { choices: string[] }).choices;
    for (const c of choices) expect(encodeHiddenLayers(decodeHiddenLayers(c))).toBe(c);
    expect(decodeHiddenLayers('128-64')).toEqual([128, 64]);
    for (const bad of ['', '64-', 'a', '0', '64--32', '1.5']) expect(() => decodeHiddenLayers(bad)).toThrow(HostError);
  });

  it('describe dimensions for the UI', () => {
    expect(describeDimension(SEARCH_SPACES.gbdt[0]!)).toBe('learningRate: 0.01 to 0.3, log scale');
    expect(describeDimension(SEARCH_SPACES.gbdt[1]!)).toBe('maxLeaves: whole numbers 8 to 128, log scale');
    expect(describeDimension(SEARCH_SPACES.linear[0]!)).toBe('alpha: 1e-4 to 10, log scale');
    expect(describeDimension(SEARCH_SPACES.tree[2]!)).toBe('criterion: one of gini, entropy');
    expect(describeDimension(SEARCH_SPACES.rf[3]!)).toBe('maxFeatures: one of sqrt, 0.3, 0.5, 1');
  });
});
