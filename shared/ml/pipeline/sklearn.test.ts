import { describe, expect, it } from 'vitest';
import { trainingRows, type FeatureMatrix, type Frame, type FrameColumn } from '../types.js';
import { fitPipeline, transform } from './pipeline.js';
import type { PipelineStep } from './spec.js';

/**
 * Orchard's pipeline against scikit-learn on the same inputs (scripts/fixtures/make_pipeline_fixtures.py):
 * every output value within 1e-12, missing where scikit-learn's is missing, names and order as documented.
 */

type Col = (number | null)[];
interface Fixture {
  sklearn: string;
  numeric: {
    names: string[];
    train: Col[];
    test: Col[];
    scalers: { method: 'standard' | 'minmax' | 'robust'; train: Col[]; test: Col[] }[];
    imputers: { strategy: 'mean' | 'median' | 'most_frequent' | 'constant'; fillValue: number | null; names: string[]; train: Col[]; test: Col[] }[];
  };
  onehot: {
    train: (string | null)[];
    test: (string | null)[];
    cases: { params: { min_frequency?: number; max_categories?: number; handle_unknown: string }; names: string[]; train: Col[]; test: Col[] }[];
  };
  bins: { names: string[]; train: Col[]; test: Col[]; cases: { strategy: 'quantile' | 'uniform'; bins: number; train: Col[]; test: Col[] }[] };
  tfidf: {
    train: string[];
    test: string[];
    cases: {
      params: {
        analyzer: 'word' | 'char' | 'char_wb';
        ngram_range: [number, number];
        max_features?: number;
        min_df?: number;
        sublinear_tf?: boolean;
        smooth_idf?: boolean;
        lowercase?: boolean;
      };
      vocabulary: string[];
      idf: number[];
      train: [number, number][][];
      test: [number, number][][];
    }[];
  };
}

// The fixture through Vite's import.meta.glob, as the other fixture tests read theirs (a plain JSON import would
// need *.json in tsconfig.test.json).
const raw: unknown = Object.values(import.meta.glob('../fixtures/sklearn-pipeline.json', { eager: true, import: 'default' }))[0];
const F = raw as Fixture;

const toFloat = (c: Col): Float64Array => Float64Array.from(c, (x) => (x === null ? Number.NaN : x));

function numberFrame(names: string[], cols: Col[]): Frame {
  return { rowCount: cols[0]!.length, columns: names.map((name, j): FrameColumn => ({ name, type: 'number', values: toFloat(cols[j]!) })) };
}

/** A category frame whose level list is in its own order (a frame from another file numbers levels differently). */
function categoryFrame(values: (string | null)[], reverse: boolean): Frame {
  const levels = [...new Set(values.filter((x): x is string => x !== null))];
  if (reverse) levels.reverse();
  const codes = Int32Array.from(values, (x) => (x === null ? -1 : levels.indexOf(x)));
  return { rowCount: values.length, columns: [{ name: 'cat', type: 'category', codes, levels }] };
}

function expectClose(actual: Float64Array, expected: Col, label: string): void {
  expect(actual.length, label).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (e === null) {
      if (!Number.isNaN(a)) expect.fail(`${label}[${i}]: expected missing, got ${a}`);
    } else if (!(Math.abs(a - e) <= 1e-12)) {
      expect.fail(`${label}[${i}]: expected ${e}, got ${a}`);
    }
  }
}

function expectMatrix(X: FeatureMatrix, names: string[], cols: Col[], label: string): void {
  expect([...X.names].sort()).toEqual([...names].sort());
  names.forEach((name, j) => expectClose(X.columns[X.names.indexOf(name)]!, cols[j]!, `${label} ${name}`));
}

function fitBoth(step: PipelineStep, train: Frame, test: Frame): { train: FeatureMatrix; test: FeatureMatrix } {
  const { fitted, train: X } = fitPipeline({ steps: [step] }, trainingRows(train), undefined, 1);
  return { train: X, test: transform(fitted, test) };
}

describe(`the pipeline against scikit-learn ${F.sklearn}`, () => {
  const num = F.numeric;
  const numTrain = numberFrame(num.names, num.train);
  const numTest = numberFrame(num.names, num.test);

  it.each(num.scalers.map((s) => [s.method, s] as const))('%s scaling matches the scaler', (_, s) => {
    const out = fitBoth({ kind: 'scale', columns: { type: 'number' }, method: s.method }, numTrain, numTest);
    expectMatrix(out.train, num.names, s.train, 'train');
    expectMatrix(out.test, num.names, s.test, 'test');
  });

  it.each(num.imputers.map((s) => [s.strategy, s] as const))('%s imputation with indicators matches SimpleImputer', (_, s) => {
    const step: PipelineStep = { kind: 'impute', columns: num.names, strategy: s.strategy, indicator: true };
    if (s.fillValue !== null) step.fillValue = s.fillValue;
    const out = fitBoth(step, numTrain, numTest);
    expectMatrix(out.train, s.names, s.train, 'train');
    expectMatrix(out.test, s.names, s.test, 'test');
    // Indicators sit right after their column.
    expect(out.train.names).toEqual(['a', 'a_missing', 'b', 'c', 'c_missing']);
  });

  it.each(F.onehot.cases.map((c) => [JSON.stringify(c.params), c] as const))('one-hot %s matches OneHotEncoder', (_, c) => {
    const step: PipelineStep = {
      kind: 'encode',
      method: 'onehot',
      columns: ['cat'],
      unknown: c.params.handle_unknown === 'ignore' ? 'ignore' : 'infrequent',
    };
    if (c.params.min_frequency !== undefined) step.minFrequency = c.params.min_frequency;
    if (c.params.max_categories !== undefined) step.maxCategories = c.params.max_categories;
    const out = fitBoth(step, categoryFrame(F.onehot.train, false), categoryFrame(F.onehot.test, true));
    expect(out.train.names).toEqual(c.names);
    expectMatrix(out.train, c.names, c.train, 'train');
    expectMatrix(out.test, c.names, c.test, 'test');
  });

  it.each(F.bins.cases.map((c) => [`${c.strategy} ${c.bins}`, c] as const))('%s bins match KBinsDiscretizer', (_, c) => {
    const out = fitBoth(
      { kind: 'transform', method: 'bins', columns: F.bins.names, strategy: c.strategy, bins: c.bins },
      numberFrame(F.bins.names, F.bins.train),
      numberFrame(F.bins.names, F.bins.test),
    );
    expectMatrix(out.train, F.bins.names, c.train, 'train');
    expectMatrix(out.test, F.bins.names, c.test, 'test');
  });

  it.each(F.tfidf.cases.map((c) => [JSON.stringify(c.params), c] as const))('TF-IDF %s matches TfidfVectorizer', (_, c) => {
    const p = c.params;
    const step: PipelineStep = { kind: 'tfidf', columns: ['doc'], analyzer: p.analyzer, ngram: p.ngram_range };
    if (p.max_features !== undefined) step.maxFeatures = p.max_features;
    if (p.min_df !== undefined) step.minDf = p.min_df;
    if (p.sublinear_tf !== undefined) step.sublinearTf = p.sublinear_tf;
    if (p.smooth_idf !== undefined) step.smoothIdf = p.smooth_idf;
    if (p.lowercase !== undefined) step.lowercase = p.lowercase;
    const frame = (docs: string[]): Frame => ({ rowCount: docs.length, columns: [{ name: 'doc', type: 'text', values: docs }] });
    const { fitted, train } = fitPipeline({ steps: [step] }, trainingRows(frame(F.tfidf.train)), undefined, 1);
    const names = c.vocabulary.map((t) => `doc[${t}]`);
    expect(train.names).toEqual(names);
    const state = fitted.steps[0]!;
    if (state.op !== 'tfidf') throw new Error('expected a tfidf state');
    expectClose(Float64Array.from(state.columns[0]!.idf), c.idf, 'idf');
    const dense = (rows: [number, number][][]): Col[] =>
      c.vocabulary.map((_, j) => rows.map((r) => r.find(([k]) => k === j)?.[1] ?? 0));
    expectMatrix(train, names, dense(c.train), 'train');
    expectMatrix(transform(fitted, frame(F.tfidf.test)), names, dense(c.test), 'test');
  });
});
