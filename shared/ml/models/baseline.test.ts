import { describe, expect, it } from 'vitest';
import type { FeatureMatrix, ModelState, Target } from '../types.js';
import { fitBaseline, loadBaseline } from './baseline.js';

/** Made by scripts/fixtures/make_linear_fixtures.py: DummyClassifier(strategy='prior') and DummyRegressor(strategy='mean'). */
interface Fixture {
  datasets: Record<string, { task: Target['task']; names: string[]; columns: number[][]; y: number[]; classes?: string[]; weights?: number[] }>;
  dummy: { dataset: string; weighted: boolean; prediction: number[] }[];
}

// Through Vite's import.meta.glob: shared/ may not read files with node:fs (see metrics.test.ts).
const fixture = Object.values(import.meta.glob('../fixtures/sklearn-linear.json', { eager: true, import: 'default' }))[0] as Fixture;

function dataset(name: string): { X: FeatureMatrix; y: Target; weights: Float64Array | undefined } {
  const d = fixture.datasets[name]!;
  const X: FeatureMatrix = { rowCount: d.y.length, names: d.names, columns: d.columns.map((c) => Float64Array.from(c)) };
  const y: Target = d.classes ? { task: d.task, values: Float64Array.from(d.y), classes: d.classes } : { task: d.task, values: Float64Array.from(d.y) };
  return { X, y, weights: d.weights ? Float64Array.from(d.weights) : undefined };
}

describe('baseline against scikit-learn', () => {
  for (const c of fixture.dummy) {
    it(`matches the dummy model on ${c.dataset}${c.weighted ? ' with sample weights' : ''}`, () => {
      const { X, y, weights } = dataset(c.dataset);
      const model = fitBaseline(X, y, {}, c.weighted ? { seed: 1, weights: weights! } : { seed: 1 });
      expect(model.kind).toBe('baseline');
      const p = model.predict(X);
      if (y.task === 'multiclass') {
        const K = c.prediction.length;
        expect(p.length).toBe(X.rowCount * K);
        for (const i of [0, 7, X.rowCount - 1]) for (let k = 0; k < K; k++) expect(Math.abs(p[i * K + k]! - c.prediction[k]!)).toBeLessThan(1e-12);
      } else {
        // Binary: P(class 1), sklearn's second column; regression: the mean.
        const expected = y.task === 'binary' ? c.prediction[1]! : c.prediction[0]!;
        expect(p.length).toBe(X.rowCount);
        for (const v of p) expect(Math.abs(v - expected)).toBeLessThan(1e-12);
      }
      expect(model.value.length).toBe(y.task === 'regression' ? 1 : c.prediction.length);
    });
  }

  it('predicts identically after a JSON round trip, for new rows too', () => {
    for (const name of ['binary', 'multiclass', 'regression']) {
      const { X, y } = dataset(name);
      const model = fitBaseline(X, y, {}, { seed: 1 });
      const loaded = loadBaseline(JSON.parse(JSON.stringify(model.toJSON())) as ModelState);
      const fresh: FeatureMatrix = { rowCount: 3, names: X.names, columns: X.columns.map((c) => c.slice(0, 3)) };
      expect(Array.from(loaded.predict(fresh))).toEqual(Array.from(model.predict(fresh)));
      expect(loaded.toJSON()).toEqual(model.toJSON());
      expect(model.toJSON()).toMatchObject({ kind: 'baseline', task: y.task, version: 1 });
    }
  });

  it('gives a class absent from training prior 0, and ignores missing feature values', () => {
    const X: FeatureMatrix = { rowCount: 4, names: ['f'], columns: [Float64Array.of(NaN, 1, NaN, 2)] };
    const y: Target = { task: 'multiclass', values: Float64Array.of(0, 2, 2, 2), classes: ['a', 'b', 'c'] };
    expect(Array.from(fitBaseline(X, y, {}, { seed: 1 }).value)).toEqual([0.25, 0, 0.75]);
  });

  it('refuses mismatched lengths, bad class indices and weights that sum to 0', () => {
    const X: FeatureMatrix = { rowCount: 2, names: ['f'], columns: [Float64Array.of(1, 2)] };
    const y: Target = { task: 'binary', values: Float64Array.of(0, 1) };
    expect(() => fitBaseline(X, { task: 'binary', values: Float64Array.of(0) }, {}, { seed: 1 })).toThrow(/rows/);
    expect(() => fitBaseline(X, { task: 'binary', values: Float64Array.of(0, 2) }, {}, { seed: 1 })).toThrow(/outside/);
    expect(() => fitBaseline(X, y, {}, { seed: 1, weights: Float64Array.of(0, 0) })).toThrow(/sum to 0/);
    expect(() => loadBaseline({ kind: 'baseline', task: 'binary', version: 1, params: {}, value: [1] })).toThrow(/malformed/);
  });
});
