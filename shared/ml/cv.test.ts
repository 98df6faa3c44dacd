import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/random.js';
import { groupKFold, kFold, stratifiedKFold, timeSeriesFolds, type Fold } from './cv.js';

interface TsCase {
  n: number;
  k: number;
  gap: number;
  folds?: { train: number[]; validation: number[] }[];
  error?: string;
}
// The fixture through Vite's import.meta.glob: a plain JSON import would need *.json in tsconfig.test.json's
// include, and shared/ may not read files with node:fs.
const raw: unknown = Object.values(import.meta.glob('./fixtures/sklearn-cv.json', { eager: true, import: 'default' }))[0];
const fixture = raw as { timeSeriesSplit: TsCase[] };

/** Each fold sorted, train and validation disjoint and together every row; each row validated exactly once. */
function expectPartition(folds: Fold[], n: number): void {
  const validatedTimes = new Int32Array(n);
  for (const { train, validation } of folds) {
    for (const part of [train, validation]) for (let i = 1; i < part.length; i++) expect(part[i]!).toBeGreaterThan(part[i - 1]!);
    expect(train.length + validation.length).toBe(n);
    const inValidation = new Set(validation);
    expect(train.some((r) => inValidation.has(r))).toBe(false);
    for (const r of validation) validatedTimes[r]! += 1;
  }
  expect(Array.from(validatedTimes).every((t) => t === 1)).toBe(true);
}

function labelsOf(sizes: number[], seed: number): Int32Array {
  const labels = new Int32Array(sizes.reduce((a, b) => a + b, 0));
  let i = 0;
  sizes.forEach((size, c) => {
    for (let j = 0; j < size; j++) labels[i++] = c;
  });
  // Interleave, the way a real file holds them.
  const random = mulberry32(seed);
  for (let j = labels.length - 1; j > 0; j--) {
    const r = Math.floor(random() * (j + 1));
    [labels[j], labels[r]] = [labels[r]!, labels[j]!];
  }
  return labels;
}

const asArrays = (folds: Fold[]): number[][][] => folds.map((f) => [Array.from(f.train), Array.from(f.validation)]);

describe('kFold', () => {
  it('partitions the rows into k folds of sizes within one', () => {
    const folds = kFold(103, 5, 1);
    expect(folds).toHaveLength(5);
    expectPartition(folds, 103);
    expect(folds.map((f) => f.validation.length).sort()).toEqual([20, 20, 21, 21, 21]);
  });

  it('is the same for a seed and different for another', () => {
    expect(asArrays(kFold(50, 5, 7))).toEqual(asArrays(kFold(50, 5, 7)));
    expect(asArrays(kFold(50, 5, 7))).not.toEqual(asArrays(kFold(50, 5, 8)));
  });

  it('refuses fewer than 2 folds or more folds than rows', () => {
    expect(() => kFold(10, 1, 0)).toThrow(/at least 2 folds/);
    expect(() => kFold(3, 4, 0)).toThrow(/4 folds need at least 4 training rows/);
    expect(() => kFold(10, 2.5, 0)).toThrow(/at least 2 folds/);
  });
});

describe('stratifiedKFold', () => {
  it('keeps every class within one row of its exact share in each fold', () => {
    const sizes = [500, 123, 31, 7];
    const labels = labelsOf(sizes, 3);
    for (const k of [2, 5, 7]) {
      const folds = stratifiedKFold(labels, k, 11);
      expectPartition(folds, labels.length);
      for (const f of folds) {
        expect(Math.abs(f.validation.length - labels.length / k)).toBeLessThan(1);
        sizes.forEach((size, c) => {
          const inFold = Array.from(f.validation).filter((r) => labels[r] === c).length;
          expect(Math.abs(inFold - size / k), `class ${c}, k=${k}`).toBeLessThan(1);
        });
      }
    }
  });

  it('is the same for a seed and different for another', () => {
    const labels = labelsOf([40, 20], 5);
    expect(asArrays(stratifiedKFold(labels, 4, 1))).toEqual(asArrays(stratifiedKFold(labels, 4, 1)));
    expect(asArrays(stratifiedKFold(labels, 4, 1))).not.toEqual(asArrays(stratifiedKFold(labels, 4, 2)));
  });

  it('says what to do when a class has fewer rows than folds', () => {
    const labels = labelsOf([30, 3], 2);
    expect(() => stratifiedKFold(labels, 5, 0)).toThrow(/Class 1 has only 3 rows.*fewer than the 5 folds.*Use at most 3 folds/);
    expect(stratifiedKFold(labels, 3, 0)).toHaveLength(3);
    expect(() => stratifiedKFold([0, 1, NaN, 1], 2, 0)).toThrow(/missing target/);
  });
});

describe('groupKFold', () => {
  it('keeps every group in one fold and balances fold sizes', () => {
    const random = mulberry32(9);
    const groups = Array.from({ length: 400 }, () => `g${Math.floor(random() * random() * 60)}`);
    const folds = groupKFold(groups, 5, 3);
    expectPartition(folds, groups.length);
    const foldOfGroup = new Map<string, number>();
    folds.forEach((f, fi) => {
      for (const r of f.validation) {
        const g = groups[r]!;
        expect(foldOfGroup.get(g) ?? fi, `group ${g}`).toBe(fi);
        foldOfGroup.set(g, fi);
      }
    });
    // Largest-first greedy: no fold exceeds the smallest by more than the largest group.
    const counts = new Map<string, number>();
    for (const g of groups) counts.set(g, (counts.get(g) ?? 0) + 1);
    const largest = Math.max(...counts.values());
    const sizes = folds.map((f) => f.validation.length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(largest);
  });

  it('assigns largest groups first to the emptiest fold, ties by seed', () => {
    // Sizes 5, 3, 2, 2 over 2 folds: 5 → fold 0, 3 → fold 1, 2 → fold 1 (3 < 5), 2 → fold 0 or 1 (both 5), lowest wins: fold 0.
    const groups = [...Array(5).fill('a'), ...Array(3).fill('b'), ...Array(2).fill('c'), ...Array(2).fill('d')] as string[];
    for (const seed of [1, 2, 3, 4]) {
      const folds = groupKFold(groups, 2, seed);
      expect(folds.map((f) => f.validation.length)).toEqual([7, 5]);
      expect(Array.from(folds[1]!.validation).some((r) => groups[r] === 'b')).toBe(true);
    }
    const tied = Array.from({ length: 12 }, (_, i) => i % 6);
    const seen = new Set<string>();
    for (let seed = 0; seed < 8; seed++) seen.add(JSON.stringify(asArrays(groupKFold(tied, 3, seed))));
    expect(seen.size).toBeGreaterThan(1);
    expect(asArrays(groupKFold(tied, 3, 5))).toEqual(asArrays(groupKFold(tied, 3, 5)));
  });

  it('refuses fewer groups than folds', () => {
    expect(() => groupKFold(['a', 'a', 'b', 'b', 'b'], 3, 0)).toThrow(/only 2 groups.*fewer than the 3 folds.*Use at most 2 folds/);
  });
});

describe('timeSeriesFolds', () => {
  it('has the fixture', () => {
    expect(fixture.timeSeriesSplit.filter((c) => c.folds).length).toBeGreaterThanOrEqual(5);
    expect(fixture.timeSeriesSplit.filter((c) => c.error).length).toBeGreaterThanOrEqual(2);
  });

  for (const c of fixture.timeSeriesSplit) {
    it(`matches sklearn TimeSeriesSplit(n_splits=${c.k}, gap=${c.gap}) on ${c.n} rows`, () => {
      if (c.error !== undefined) {
        expect(() => timeSeriesFolds(c.n, c.k, c.gap)).toThrow(/Use fewer folds/);
        return;
      }
      const folds = timeSeriesFolds(c.n, c.k, c.gap);
      expect(folds.map((f) => ({ train: Array.from(f.train), validation: Array.from(f.validation) }))).toEqual(c.folds);
    });
  }

  it('never trains on a row after its validation rows', () => {
    for (const f of timeSeriesFolds(60, 4, 2)) expect(f.train[f.train.length - 1]! + 2).toBeLessThan(f.validation[0]!);
  });
});
