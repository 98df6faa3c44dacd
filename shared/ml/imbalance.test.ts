import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/random.js';
import { HostError } from '../host/errors.js';
import { classWeights, smote } from './imbalance.js';
import type { FeatureMatrix, Target } from './types.js';

interface Fixture {
  weights: { name: string; classes: number; y: number[]; weights: number[] }[];
  smote: { name: string; classes: number; targetRatio: number; X: number[][]; y: number[]; counts: number[]; syntheticX: number[][]; syntheticY: number[] }[];
}
// The fixture through Vite's import.meta.glob, as the other shared/ml tests read theirs (shared/ imports no node:fs).
const fixture = Object.values(import.meta.glob('./fixtures/imbalance.json', { eager: true, import: 'default' }))[0] as Fixture;

function target(values: number[], classes: number): Target {
  const names = Array.from({ length: classes }, (_, i) => `c${i}`);
  return { task: classes === 2 ? 'binary' : 'multiclass', values: Float64Array.from(values), classes: names };
}

function matrix(rows: number[][]): FeatureMatrix {
  const d = rows[0]!.length;
  return {
    rowCount: rows.length,
    names: Array.from({ length: d }, (_, j) => `f${j}`),
    columns: Array.from({ length: d }, (_, j) => Float64Array.from(rows, (r) => r[j]!)),
  };
}

function rowOf(X: FeatureMatrix, i: number): number[] {
  return X.columns.map((c) => c[i]!);
}

/** The k nearest rows of `rows` to rows[i] (itself excluded), by brute force, ties to the lower index. */
function knn(rows: number[][], i: number, k: number): number[] {
  const dist = (a: number[], b: number[]) => a.reduce((s, v, j) => s + (v - b[j]!) ** 2, 0);
  return rows
    .map((r, j) => ({ j, d: dist(r, rows[i]!) }))
    .filter((e) => e.j !== i)
    .sort((a, b) => a.d - b.d || a.j - b.j)
    .slice(0, k)
    .map((e) => e.j);
}

/**
 * Whether `p` lies on the segment from some row of `rows` to one of its k nearest neighbours in `rows`: p = a +
 * t(b − a) with one t in [0, 1] for every coordinate.
 */
function onNeighbourSegment(p: number[], rows: number[][], k: number, neighbours: number[][]): boolean {
  if (!p.every(Number.isFinite)) return false;
  return rows.some((a, i) =>
    neighbours[i]!.slice(0, k).some((bi) => {
      const b = rows[bi]!;
      let t: number | undefined;
      for (let j = 0; j < p.length; j++) {
        const span = b[j]! - a[j]!;
        if (Math.abs(span) < 1e-12) {
          if (Math.abs(p[j]! - a[j]!) > 1e-9) return false;
          continue;
        }
        const tj = (p[j]! - a[j]!) / span;
        if (!(tj >= -1e-9 && tj <= 1 + 1e-9)) return false;
        if (t === undefined) t = tj;
        else if (!(Math.abs(t - tj) <= 1e-7)) return false;
      }
      return true;
    }),
  );
}

describe('classWeights', () => {
  it('matches scikit-learn compute_sample_weight("balanced")', () => {
    expect(fixture.weights.length).toBe(3);
    for (const c of fixture.weights) {
      const w = classWeights(target(c.y, c.classes), 'balanced');
      expect(w.length).toBe(c.y.length);
      c.weights.forEach((v, i) => expect(w[i]).toBeCloseTo(v, 12));
    }
  });

  it('is n / (classes present · count) by hand, summing to n', () => {
    // 6 rows: four of class 0, two of class 1 → 6/(2·4) = 0.75 and 6/(2·2) = 1.5.
    const w = classWeights(target([0, 1, 0, 0, 1, 0], 2), 'balanced');
    expect(Array.from(w)).toEqual([0.75, 1.5, 0.75, 0.75, 1.5, 0.75]);
    expect(w.reduce((a, b) => a + b, 0)).toBeCloseTo(6, 12);
  });

  it('refuses a regression target and non-index labels', () => {
    expect(() => classWeights({ task: 'regression', values: Float64Array.of(1.5, 2) }, 'balanced')).toThrow(HostError);
    expect(() => classWeights(target([0, 0.5], 2), 'balanced')).toThrow(/class indices/);
  });
});

describe('smote', () => {
  /** A binary problem: `minority` rows of class 1 among `n`, with `d` features. */
  function problem(n: number, minority: number, d: number, seed = 1): { X: FeatureMatrix; y: Target } {
    const random = mulberry32(seed);
    const rows = Array.from({ length: n }, (_, i) => Array.from({ length: d }, () => random() * 10 + (i < minority ? 3 : 0)));
    return { X: matrix(rows), y: target(Array.from({ length: n }, (_, i) => (i < minority ? 1 : 0)), 2) };
  }

  it('adds rows up to the majority count (or its ratio), keeping the original rows unchanged and first', () => {
    const { X, y } = problem(100, 20, 4);
    const before = X.columns.map((c) => Float64Array.from(c));
    const full = smote(X, y, { seed: 3 });
    expect(full.synthetic).toBe(60);
    expect(full.X.rowCount).toBe(160);
    expect(full.y.values.length).toBe(160);
    expect(full.y.classes).toEqual(y.classes);
    expect(full.X.names).toEqual(X.names);
    for (let j = 0; j < 4; j++) {
      expect(full.X.columns[j]!.subarray(0, 100)).toEqual(before[j]);
      expect(X.columns[j]).toEqual(before[j]); // the input is not touched
    }
    expect(Array.from(full.y.values.subarray(0, 100))).toEqual(Array.from(y.values));
    expect(Array.from(full.y.values.subarray(100)).every((v) => v === 1)).toBe(true);

    const half = smote(X, y, { seed: 3, targetRatio: 0.45 });
    expect(half.synthetic).toBe(16); // floor(80 · 0.45) = 36 minority rows
  });

  it('puts every synthetic row on a segment from a minority row to one of its k nearest minority neighbours', () => {
    const { X, y } = problem(120, 25, 3, 9);
    for (const k of [1, 3, 5]) {
      const out = smote(X, y, { seed: 4, k });
      const minority = Array.from({ length: 25 }, (_, i) => rowOf(X, i));
      const neighbours = minority.map((_, i) => knn(minority, i, k));
      for (let i = 120; i < out.X.rowCount; i++) {
        expect(onNeighbourSegment(rowOf(out.X, i), minority, k, neighbours)).toBe(true);
      }
      // And not merely on any segment between minority rows: with k = 1 most pairs are excluded.
      if (k === 1) {
        const far = minority.map((_, i) => knn(minority, i, 24).slice(20));
        const hits = Array.from({ length: out.X.rowCount - 120 }, (_, s) => onNeighbourSegment(rowOf(out.X, 120 + s), minority, 4, far));
        expect(hits.filter(Boolean).length).toBeLessThan(5);
      }
    }
  });

  it('keeps category codes whole: a categorical feature takes the code of the nearer end of the segment', () => {
    const { X, y } = problem(120, 25, 3, 9);
    const codes = Float64Array.from({ length: 120 }, (_, i) => i % 7);
    const Xc: FeatureMatrix = { rowCount: 120, names: [...X.names, 'c'], columns: [...X.columns, codes], categorical: [false, false, false, true] };
    const out = smote(Xc, y, { seed: 4, k: 3 });
    expect(out.X.categorical).toEqual([false, false, false, true]);
    const minority = Array.from({ length: 120 }, (_, i) => i).filter((i) => y.values[i] === 1);
    const added = Array.from(out.X.columns[3]!.subarray(120));
    expect(added.length).toBeGreaterThan(50);
    expect(added.every((v) => Number.isInteger(v) && minority.some((i) => codes[i] === v))).toBe(true);
    // The numeric features are still interpolated.
    expect(Array.from(out.X.columns[0]!.subarray(120)).some((v) => !X.columns[0]!.includes(v))).toBe(true);
  });

  it('agrees with imbalanced-learn on counts, and both satisfy the neighbour-segment definition', () => {
    expect(fixture.smote.length).toBe(3);
    for (const c of fixture.smote) {
      const X = matrix(c.X);
      const y = target(c.y, c.classes);
      const out = smote(X, y, { seed: 1, k: 5, targetRatio: c.targetRatio });
      const counts = new Array<number>(c.classes).fill(0);
      out.y.values.forEach((v) => counts[v]!++);
      expect(counts).toEqual(c.counts);
      for (let cls = 0; cls < c.classes; cls++) {
        const rows = c.X.filter((_, i) => c.y[i] === cls);
        const neighbours = rows.map((_, i) => knn(rows, i, 5));
        const theirs = c.syntheticX.filter((_, i) => c.syntheticY[i] === cls);
        const ours = Array.from({ length: out.X.rowCount - X.rowCount }, (_, s) => X.rowCount + s)
          .filter((i) => out.y.values[i] === cls)
          .map((i) => rowOf(out.X, i));
        expect(ours.length).toBe(theirs.length);
        for (const p of [...theirs, ...ours]) expect(onNeighbourSegment(p, rows, 5, neighbours)).toBe(true);
      }
    }
  });

  it('grows every smaller class in a multiclass problem, with a class of fewer than k rows', () => {
    const random = mulberry32(5);
    const labels = [...new Array<number>(40).fill(0), ...new Array<number>(10).fill(1), ...new Array<number>(3).fill(2), ...new Array<number>(40).fill(3)];
    const rows = labels.map((c) => [random() + c, random() * 2 - c]);
    const out = smote(matrix(rows), target(labels, 4), { seed: 2 });
    const counts = [0, 0, 0, 0];
    out.y.values.forEach((v) => counts[v]!++);
    expect(counts).toEqual([40, 40, 40, 40]);
    expect(out.synthetic).toBe(67);
    // Class 2 has 3 rows, so k = 5 falls back to its 2 other rows.
    const small = rows.filter((_, i) => labels[i] === 2);
    const neighbours = small.map((_, i) => knn(small, i, 2));
    for (let i = labels.length; i < out.X.rowCount; i++) {
      if (out.y.values[i] === 2) expect(onNeighbourSegment(rowOf(out.X, i), small, 2, neighbours)).toBe(true);
    }
  });

  it('is deterministic by seed', () => {
    const { X, y } = problem(60, 10, 3);
    const a = smote(X, y, { seed: 7 });
    const b = smote(X, y, { seed: 7 });
    const c = smote(X, y, { seed: 8 });
    a.X.columns.forEach((col, j) => expect(b.X.columns[j]).toEqual(col));
    expect(c.X.columns[0]).not.toEqual(a.X.columns[0]);
  });

  it('refuses missing or infinite features, saying to impute', () => {
    const { X, y } = problem(30, 5, 2);
    X.columns[1]![17] = NaN;
    expect(() => smote(X, y, { seed: 1 })).toThrow(/impute/);
    X.columns[1]![17] = Infinity;
    expect(() => smote(X, y, { seed: 1 })).toThrow(/infinite/);
  });

  it('refuses regression, a lone minority row and bad options', () => {
    const { X, y } = problem(30, 5, 2);
    expect(() => smote(X, { task: 'regression', values: new Float64Array(30) }, { seed: 1 })).toThrow(HostError);
    expect(() => smote(X, y, { seed: 1, k: 0 })).toThrow(HostError);
    expect(() => smote(X, y, { seed: 1, targetRatio: 1.5 })).toThrow(HostError);
    const lone = problem(30, 1, 2);
    expect(() => smote(lone.X, lone.y, { seed: 1 })).toThrow(/at least 2 rows/);
  });

  it('is a no-op when already balanced (or above the target ratio)', () => {
    const { X, y } = problem(40, 20, 3);
    const out = smote(X, y, { seed: 1 });
    expect(out.synthetic).toBe(0);
    expect(out.X).toBe(X);
    expect(out.y).toBe(y);
    const skewed = problem(40, 15, 3);
    expect(smote(skewed.X, skewed.y, { seed: 1, targetRatio: 0.6 }).synthetic).toBe(0); // 15 ≥ floor(25 · 0.6)
  });
});
