import { describe, expect, it } from 'vitest';
import { largestRemainder, mulberry32 } from './random.js';
import { EXCLUDED, groupSplit, partitionCounts, randomSplit, stratifiedSplit, TEST, timeSplit, TRAIN, VALIDATION, quantileBins } from './split.js';

/** Labels with `sizes[c]` rows of class c, interleaved the way a real file would hold them. */
function labelsOf(sizes: number[], seed = 7): Int32Array {
  const labels = new Int32Array(sizes.reduce((a, b) => a + b, 0));
  const random = mulberry32(seed);
  const left = [...sizes];
  for (let i = 0; i < labels.length; i++) {
    let pick = Math.floor(random() * labels.length) % left.length;
    while (left[pick] === 0) pick = (pick + 1) % left.length;
    left[pick]! -= 1;
    labels[i] = pick;
  }
  return labels;
}

describe('mulberry32 and largest remainder', () => {
  it('gives the same sequence for a seed, a different one for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('keeps every part within one item of its quota and sums to the total', () => {
    for (const total of [0, 1, 2, 7, 891, 48842]) {
      const parts = largestRemainder(total, [0.7, 0.15, 0.15]);
      expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
      parts.forEach((p, i) => expect(Math.abs(p - total * [0.7, 0.15, 0.15][i]!)).toBeLessThan(1));
    }
    expect(largestRemainder(549, [0.7, 0.15, 0.15])).toEqual([384, 83, 82]);
    expect(largestRemainder(342, [0.7, 0.15, 0.15])).toEqual([240, 51, 51]);
  });
});

describe('stratifiedSplit', () => {
  const labels = labelsOf([549, 342]);

  it('is reproducible per seed and differs between seeds', () => {
    expect(stratifiedSplit(labels, [0.7, 0.15, 0.15], 1)).toEqual(stratifiedSplit(labels, [0.7, 0.15, 0.15], 1));
    expect(stratifiedSplit(labels, [0.7, 0.15, 0.15], 1)).not.toEqual(stratifiedSplit(labels, [0.7, 0.15, 0.15], 2));
  });

  it('keeps each class within one row of its share in every partition', () => {
    const codes = stratifiedSplit(labels, [0.7, 0.15, 0.15], 3);
    expect(partitionCounts(codes)).toEqual({ train: 624, validation: 134, test: 133, excluded: 0 });
    for (const [cls, size] of [[0, 549], [1, 342]] as const) {
      [0.7, 0.15, 0.15].forEach((f, p) => {
        const n = codes.filter((c, i) => c === p && labels[i] === cls).length;
        expect(Math.abs(n - size * f)).toBeLessThan(1);
      });
    }
  });

  it('handles a rare class, a missing label and other fractions', () => {
    const rare = Float64Array.from([...labelsOf([90, 9]), Number.NaN]);
    const codes = stratifiedSplit(rare, [0.8, 0, 0.2], 5);
    expect(codes.filter((c, i) => c === TRAIN && rare[i] === 1).length).toBe(7);
    expect(codes.filter((c) => c === VALIDATION).length).toBe(0);
    expect(codes[99]).toBe(TRAIN);
    expect(() => stratifiedSplit(rare, [0.7, 0.2, 0.2], 5)).toThrow(/add up to 100%/);
  });
});

describe('randomSplit', () => {
  it('cuts by largest remainder and is reproducible', () => {
    const codes = randomSplit(1000, [0.7, 0.15, 0.15], 9);
    expect(partitionCounts(codes)).toEqual({ train: 700, validation: 150, test: 150, excluded: 0 });
    expect(randomSplit(1000, [0.7, 0.15, 0.15], 9)).toEqual(codes);
    // Shuffled, not cut in file order.
    expect(codes.subarray(0, 700).every((c) => c === TRAIN)).toBe(false);
  });
});

describe('timeSplit', () => {
  // Times in a shuffled order, one missing.
  const times = Float64Array.from(randomSplit(20, [0.5, 0.25, 0.25], 1), (_, i) => (i * 7) % 20);
  times[3] = Number.NaN;

  it('puts the earliest rows in train, then validation, then test, and excludes rows with no time', () => {
    const codes = timeSplit(times, [0.7, 0.15, 0.15]);
    expect(codes[3]).toBe(EXCLUDED);
    const latest = (p: number) => Math.max(...[...times].filter((_, i) => codes[i] === p));
    const earliest = (p: number) => Math.min(...[...times].filter((_, i) => codes[i] === p));
    expect(latest(TRAIN)).toBeLessThan(earliest(VALIDATION));
    expect(latest(VALIDATION)).toBeLessThan(earliest(TEST));
    expect(partitionCounts(codes)).toEqual({ train: 13, validation: 3, test: 3, excluded: 1 });
  });

  it('drops a gap of rows, or of time, at the start of validation and test', () => {
    const byRows = timeSplit(times, [0.7, 0.15, 0.15], { rows: 1 });
    expect(partitionCounts(byRows)).toEqual({ train: 13, validation: 2, test: 2, excluded: 3 });
    const bySpan = timeSplit(Float64Array.from({ length: 100 }, (_, i) => i), [0.6, 0.2, 0.2], { span: 5 });
    // Train is 0..59; validation 60..79 keeps 64..79; test 80..99 keeps 84..99.
    expect(bySpan.indexOf(VALIDATION)).toBe(64);
    expect(bySpan.indexOf(TEST)).toBe(84);
    expect(partitionCounts(bySpan).excluded).toBe(8);
  });
});

describe('groupSplit', () => {
  // 300 groups (patients) of 1 to 6 rows each.
  const groups: number[] = [];
  const random = mulberry32(11);
  for (let g = 0; g < 300; g++) for (let k = 0, n = 1 + Math.floor(random() * 6); k < n; k++) groups.push(g);
  const labels: number[] = groups.map((g) => (g % 4 === 0 ? 1 : 0));

  it('never lets a group straddle two partitions, and stays near the fractions', () => {
    const codes = groupSplit(groups, [0.7, 0.15, 0.15], 2);
    const seen = new Map<number, number>();
    groups.forEach((g, i) => {
      expect(seen.get(g) ?? codes[i]).toBe(codes[i]);
      seen.set(g, codes[i]!);
    });
    const counts = partitionCounts(codes);
    expect(Math.abs(counts.train - groups.length * 0.7)).toBeLessThanOrEqual(6);
    expect(Math.abs(counts.test - groups.length * 0.15)).toBeLessThanOrEqual(6);
    expect(groupSplit(groups, [0.7, 0.15, 0.15], 2)).toEqual(codes);
    expect(groupSplit(groups, [0.7, 0.15, 0.15], 3)).not.toEqual(codes);
  });

  it('balances classes too when given labels', () => {
    const codes = groupSplit(groups, [0.7, 0.15, 0.15], 2, labels);
    const positives = labels.reduce((a, b) => a + b, 0);
    [0.7, 0.15, 0.15].forEach((f, p) => {
      const n = labels.filter((l, i) => l === 1 && codes[i] === p).length;
      expect(Math.abs(n - positives * f)).toBeLessThanOrEqual(6);
    });
  });
});

describe('quantileBins', () => {
  it('cuts ranked values into bins of equal size, ties by row order, missing values in a bin of their own', () => {
    const values = [5, 1, Number.NaN, 3, 3, 9, 7, 2, 8, 4, 6];
    expect(Array.from(quantileBins(values, 5))).toEqual([2, 0, 5, 1, 1, 4, 3, 0, 4, 2, 3]);
    const many = Float64Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    const counts = new Array(10).fill(0);
    for (const b of quantileBins(many)) counts[b]++;
    expect(counts).toEqual(new Array(10).fill(100));
  });
});
