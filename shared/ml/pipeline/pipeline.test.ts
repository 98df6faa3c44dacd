import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../data/random.js';
import { trainingRows, type Frame, type FrameColumn, type Target } from '../types.js';
import { defaultPipeline, describeStep, withTargetDropped } from './describe.js';
import { evaluateExpression, parseExpression } from './expression.js';
import { fitPipeline, loadPipeline, previewRows, transform, type FittedPipeline } from './pipeline.js';
import type { PipelineSpec, PipelineStep } from './spec.js';

const num = (name: string, values: ArrayLike<number>): FrameColumn => ({ name, type: 'number', values: Float64Array.from(values) });
const cat = (name: string, values: (string | null)[], levels?: string[]): FrameColumn => {
  const lv = levels ?? [...new Set(values.filter((x): x is string => x !== null))];
  return { name, type: 'category', levels: lv, codes: Int32Array.from(values, (x) => (x === null ? -1 : lv.indexOf(x))) };
};
const frame = (...columns: FrameColumn[]): Frame => ({
  rowCount: columns[0]!.type === 'category' ? columns[0]!.codes.length : columns[0]!.values.length,
  columns,
});
const col = (X: { names: string[]; columns: Float64Array[] }, name: string): Float64Array => {
  const at = X.names.indexOf(name);
  if (at < 0) throw new Error(`no output ${name} in ${X.names.join(', ')}`);
  return X.columns[at]!;
};

/** A mixed table like a real one: numbers with gaps, categories, a date, text, a binary target. */
function mixed(n: number, seed: number): { frame: Frame; target: Target } {
  const r = mulberry32(seed);
  const age = Float64Array.from({ length: n }, () => (r() < 0.1 ? Number.NaN : Math.round(18 + r() * 60)));
  const fare = Float64Array.from({ length: n }, () => r() * r() * 200);
  const cities = ['Oslo', 'Lima', 'Pune', 'Kyiv', 'Accra', 'Quito'];
  const city = Array.from({ length: n }, () => (r() < 0.05 ? null : cities[Math.floor(r() ** 2 * cities.length)]!));
  const when = Float64Array.from({ length: n }, () => Date.UTC(2020, 0, 1) + Math.floor(r() * 900) * 86_400_000 + Math.floor(r() * 24) * 3_600_000);
  const words = ['good', 'bad', 'fine', 'great service', 'slow', 'would return'];
  const note = Array.from({ length: n }, () => (r() < 0.1 ? null : `${words[Math.floor(r() * 6)]} ${words[Math.floor(r() * 6)]}`));
  const y = Float64Array.from({ length: n }, (_, i) => ((age[i]! > 40 ? 0.3 : 0) + (city[i] === 'Oslo' ? 0.4 : 0) + r() > 0.7 ? 1 : 0));
  return {
    frame: frame(
      num('age', age),
      num('fare', fare),
      cat('city', city),
      { name: 'when', type: 'datetime', values: when },
      { name: 'note', type: 'text', values: note },
      cat('survived', Array.from(y, (v) => (v === 1 ? 'yes' : 'no')), ['no', 'yes']),
    ),
    target: { task: 'binary', values: y, classes: ['no', 'yes'] },
  };
}

const everything: PipelineSpec = {
  steps: [
    { kind: 'drop', columns: ['survived'] },
    { kind: 'derive', name: 'fare per year', expression: 'if(age > 0, fare / age, 0)' },
    { kind: 'lag', columns: ['fare'], orderBy: 'when', lags: [1, 2], windows: [3], stats: ['mean', 'std', 'min', 'max'] },
    { kind: 'impute', columns: { type: 'number' }, strategy: 'median', indicator: true },
    { kind: 'transform', method: 'clip', columns: ['fare'] },
    { kind: 'transform', method: 'log1p', columns: ['fare'] },
    { kind: 'transform', method: 'bins', columns: ['age'], strategy: 'quantile', bins: 4 },
    { kind: 'encode', method: 'target', columns: ['city'] },
    { kind: 'dateparts', columns: ['when'], parts: ['year', 'month', 'weekday', 'hour', 'dayofyear'] },
    { kind: 'tfidf', columns: ['note'], ngram: [1, 2], maxFeatures: 8 },
    { kind: 'scale', columns: ['fare per year'], method: 'robust' },
    { kind: 'select', method: 'variance', columns: { type: 'number' } },
    { kind: 'select', method: 'mutual_info', columns: { type: 'number' }, k: 12 },
  ],
};

describe('fitPipeline and transform', () => {
  it('fits every kind of step, and a saved pipeline reloaded from JSON transforms identically', () => {
    const { frame: f, target } = mixed(400, 1);
    const { fitted, train } = fitPipeline(everything, trainingRows(f), target, 7);
    expect(train.names).toHaveLength(12);
    expect(fitted.outputNames).toEqual(train.names);
    const other = mixed(150, 2).frame;
    const a = transform(fitted, other);
    const reloaded = loadPipeline(JSON.parse(JSON.stringify(fitted)));
    expect(reloaded).toEqual(fitted);
    const b = transform(reloaded, other);
    expect(b.names).toEqual(a.names);
    a.columns.forEach((c, j) => expect(Array.from(b.columns[j]!)).toEqual(Array.from(c)));
    // Without target encoding, the training matrix is exactly the transform of the training rows.
    const plain: PipelineSpec = { steps: everything.steps.filter((s) => !(s.kind === 'encode' && s.method === 'target')).concat([{ kind: 'drop', columns: ['city'] }]) };
    const p = fitPipeline(plain, trainingRows(f), target, 7);
    const again = transform(p.fitted, f);
    p.train.columns.forEach((c, j) => expect(Array.from(again.columns[j]!)).toEqual(Array.from(c)));
  });

  it('names outputs readably, in a stable order, with indicators after their column', () => {
    const { frame: f, target } = mixed(300, 3);
    const spec = defaultPipeline(
      f.columns.map((c) => ({ name: c.name, type: c.type })),
      'survived',
    );
    const { fitted, train } = fitPipeline(spec, trainingRows(f), target, 1);
    expect(train.names.slice(0, 3)).toEqual(['age', 'age_missing', 'fare']);
    expect(train.names).toContain('city=Oslo');
    expect(train.names).toContain('when.month');
    expect(train.names).toContain('note[great service]');
    expect(train.names.some((n) => n.startsWith('survived'))).toBe(false);
    expect(fitPipeline(spec, trainingRows(f), target, 99).train.names).toEqual(train.names);
    // The target column is not needed to transform new rows.
    expect(fitted.inputColumns.find((c) => c.name === 'survived')?.required).toBe(false);
    const noTarget = { rowCount: f.rowCount, columns: f.columns.filter((c) => c.name !== 'survived') };
    expect(transform(fitted, noTarget).names).toEqual(train.names);
  });

  it('refuses data that lacks a needed column, naming every one', () => {
    const { frame: f, target } = mixed(100, 4);
    const spec = defaultPipeline(f.columns.map((c) => ({ name: c.name, type: c.type })), 'survived');
    const { fitted } = fitPipeline(spec, trainingRows(f), target, 1);
    const partial = { rowCount: f.rowCount, columns: f.columns.filter((c) => c.name !== 'age' && c.name !== 'note') };
    expect(() => transform(fitted, partial)).toThrow(/lacks columns the pipeline needs: "age", "note"/);
    const wrongType = { rowCount: f.rowCount, columns: f.columns.map((c) => (c.name === 'fare' ? cat('fare', Array(f.rowCount).fill('x')) : c)) };
    expect(() => transform(fitted, wrongType)).toThrow(/"fare" is category, not number/);
  });

  it('handles categories unseen in training, and levels numbered differently', () => {
    const train = frame(cat('c', ['a', 'a', 'a', 'b', 'b', 'c', null, 'a']));
    const y: Target = { task: 'regression', values: Float64Array.from([1, 2, 3, 4, 5, 6, 7, 8]) };
    const test = frame(cat('c', ['zz', 'b', null, 'a', 'c'], ['c', 'b', 'a', 'zz']));
    const oh = fitPipeline({ steps: [{ kind: 'encode', method: 'onehot', columns: ['c'], minFrequency: 2, unknown: 'infrequent' }] }, trainingRows(train), y, 1);
    expect(oh.train.names).toEqual(['c=a', 'c=b', 'c=(infrequent)']);
    const X = transform(oh.fitted, test);
    expect(X.columns.map((c) => Array.from(c))).toEqual([
      [0, 0, 0, 1, 0],
      [0, 1, 0, 0, 0],
      [1, 0, 1, 0, 1],
    ]);
    const ignore = fitPipeline({ steps: [{ kind: 'encode', method: 'onehot', columns: ['c'], unknown: 'ignore' }] }, trainingRows(train), y, 1);
    expect(ignore.train.names).toEqual(['c=a', 'c=b', 'c=c', 'c=(missing)']);
    expect(Array.from(transform(ignore.fitted, test).columns, (c) => c[0])).toEqual([0, 0, 0, 0]);
    const ord = fitPipeline({ steps: [{ kind: 'encode', method: 'ordinal', columns: ['c'] }] }, trainingRows(train), y, 1);
    expect(Array.from(transform(ord.fitted, test).columns[0]!)).toEqual([Number.NaN, 1, Number.NaN, 0, 2]);
    // Ordinal codes are marked as categories for the trees, in training and after; a later step that changes them drops the mark.
    expect(ord.train.categorical).toEqual([true]);
    expect(transform(ord.fitted, test).categorical).toEqual([true]);
    expect(oh.train.categorical).toBeUndefined();
    const scaled = fitPipeline({ steps: [{ kind: 'encode', method: 'ordinal', columns: ['c'] }, { kind: 'scale', columns: ['c'], method: 'minmax' }] }, trainingRows(train), y, 1);
    expect(scaled.train.categorical).toBeUndefined();
    const te = fitPipeline({ steps: [{ kind: 'encode', method: 'target', columns: ['c'], smoothing: 0 }] }, trainingRows(train), y, 1);
    const enc = transform(te.fitted, test).columns[0]!;
    expect(Array.from(enc)).toEqual([4.5, 4.5, 7, (1 + 2 + 3 + 8) / 4, 6]); // unseen → the training mean
  });
});

describe('leakage', () => {
  it('lag and rolling features read only strictly earlier rows, never the row itself or later ones', () => {
    const n = 300;
    const r = mulberry32(5);
    const time = Float64Array.from({ length: n }, () => Math.floor(r() * 120)); // shuffled, with ties
    const group = Array.from({ length: n }, () => (r() < 0.5 ? 'g1' : 'g2'));
    const x = Float64Array.from({ length: n }, () => (r() < 0.05 ? Number.NaN : r() * 10));
    const spec: PipelineSpec = {
      steps: [
        { kind: 'lag', columns: ['x'], orderBy: 't', groupBy: 'g', lags: [1, 3], windows: [4], stats: ['mean', 'std', 'min', 'max'] },
        { kind: 'drop', columns: ['t', 'g'] },
      ],
    };
    const make = (values: Float64Array): Frame => frame(num('x', values), num('t', time), cat('g', group, ['g1', 'g2']));
    const base = fitPipeline(spec, trainingRows(make(x)), undefined, 1).train;
    expect(base.names).toEqual(['x', 'x.lag1', 'x.lag3', 'x.roll4_mean', 'x.roll4_std', 'x.roll4_min', 'x.roll4_max']);
    for (let row = 0; row < n; row += 7) {
      // Change the row itself, every later row and every row at the same time: the row's features must not move.
      const changed = x.map((v, i) => (time[i]! >= time[row]! ? v + 1000 : v));
      const after = fitPipeline(spec, trainingRows(make(changed)), undefined, 1).train;
      for (let j = 1; j < base.names.length; j++) expect(after.columns[j]![row]).toBe(base.columns[j]![row]);
    }
    // lag1 is the value at the latest earlier time within the group (the last such row in row order on ties).
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => time[a]! - time[b]! || a - b);
    for (let row = 0; row < n; row++) {
      const before = order.filter((i) => group[i] === group[row] && time[i]! < time[row]!);
      const want = before.length === 0 ? Number.NaN : x[before[before.length - 1]!]!;
      expect(col(base, 'x.lag1')[row]).toBe(want);
      const w = before.slice(-4).map((i) => x[i]!).filter((v) => !Number.isNaN(v));
      if (w.length > 0) expect(col(base, 'x.roll4_max')[row]).toBe(Math.max(...w));
    }
  });

  it('lags rows already in time order, and a validation frame only from its own earlier rows', () => {
    const spec: PipelineSpec = { steps: [{ kind: 'lag', columns: ['x'], orderBy: 't', lags: [1], windows: [2], stats: ['mean'] }] };
    const train = frame(num('x', [10, 20, 30, 40]), num('t', [1, 2, 2, 3]));
    const { fitted, train: X } = fitPipeline(spec, trainingRows(train), undefined, 1);
    expect(Array.from(col(X, 'x.lag1'))).toEqual([Number.NaN, 10, 10, 30]);
    expect(Array.from(col(X, 'x.roll2_mean'))).toEqual([Number.NaN, 10, 10, 25]);
    const later = transform(fitted, frame(num('x', [70, 50, 60]), num('t', [7, 5, 6])));
    expect(Array.from(col(later, 'x.lag1'))).toEqual([60, Number.NaN, 50]);
  });

  it("target encoding of a training row does not use the row's own target; transform uses all rows", () => {
    const n = 200;
    const r = mulberry32(11);
    const levels = ['a', 'b', 'c', 'd', 'e'];
    const c = Array.from({ length: n }, (_, i) => (i === 0 ? 'solo' : levels[Math.floor(r() * 5)]!));
    const y = Float64Array.from({ length: n }, () => r() * 10);
    const spec: PipelineSpec = { steps: [{ kind: 'encode', method: 'target', columns: ['c'] }] };
    const f = frame(cat('c', c));
    const base = fitPipeline(spec, trainingRows(f), { task: 'regression', values: y }, 3);
    expect(base.train.names).toEqual(['c.target']);
    for (const row of [0, 1, 17, 99, 150]) {
      const y2 = y.slice();
      y2[row] = 1e6;
      const moved = fitPipeline(spec, trainingRows(f), { task: 'regression', values: y2 }, 3);
      expect(moved.train.columns[0]![row]).toBe(base.train.columns[0]![row]);
      // The fitted encoding (what transform uses) does learn from that row.
      expect(transform(moved.fitted, f).columns[0]![row]).not.toBe(transform(base.fitted, f).columns[0]![row]);
    }
    // A category seen once gets the other folds' mean, never its own target.
    expect(Math.abs(base.train.columns[0]![0]! - y[0]!)).toBeGreaterThan(0.01);
    // Different seeds give different folds.
    expect(Array.from(fitPipeline(spec, trainingRows(f), { task: 'regression', values: y }, 4).train.columns[0]!)).not.toEqual(
      Array.from(base.train.columns[0]!),
    );
  });

  it("smoothing 'auto' shrinks a category's mean toward the prior as scikit-learn's TargetEncoder does", () => {
    const f = frame(cat('c', ['a', 'b', 'a', 'b', 'b']));
    const y: Target = { task: 'regression', values: Float64Array.from([1, 2, 3, 2, 5]) };
    const { fitted } = fitPipeline({ steps: [{ kind: 'encode', method: 'target', columns: ['c'] }] }, trainingRows(f), y, 1);
    // prior 2.6, variance 1.84; a: mean 2 over 2 rows, within-variance 1; b: mean 3 over 3 rows, within-variance 2.
    const la = (1.84 * 2) / (1.84 * 2 + 2 / 2);
    const lb = (1.84 * 3) / (1.84 * 3 + 6 / 3);
    const X = transform(fitted, frame(cat('c', ['a', 'b', 'new'])));
    expect(X.columns[0]![0]).toBeCloseTo(la * 2 + (1 - la) * 2.6, 12);
    expect(X.columns[0]![1]).toBeCloseTo(lb * 3 + (1 - lb) * 2.6, 12);
    expect(X.columns[0]![2]).toBeCloseTo(2.6, 12);
  });

  it('multiclass target encoding writes one column per class', () => {
    const f = frame(cat('c', ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']));
    const y: Target = { task: 'multiclass', values: Float64Array.from([0, 1, 2, 0, 0, 1, 2, 1, 0, 1]), classes: ['x', 'y', 'z'] };
    const { fitted, train } = fitPipeline({ steps: [{ kind: 'encode', method: 'target', columns: ['c'], folds: 2, smoothing: 0 }] }, trainingRows(f), y, 1);
    expect(train.names).toEqual(['c.target=x', 'c.target=y', 'c.target=z']);
    const X = transform(fitted, frame(cat('c', ['a', 'b'])));
    const sums = [0, 1].map((i) => X.columns.reduce((s, c) => s + c[i]!, 0));
    sums.forEach((s) => expect(s).toBeCloseTo(1, 12));
    expect(X.columns.map((c) => c[0])).toEqual([3 / 5, 0, 2 / 5]);
  });

  it('cannot be fitted on a frame that is not training rows (a type error)', () => {
    const { frame: f } = mixed(20, 1);
    // @ts-expect-error fitting needs a TrainingFrame
    const run = (): unknown => fitPipeline({ steps: [] }, f, undefined, 1);
    expect(typeof run).toBe('function');
  });
});

describe('expressions', () => {
  const cols = ['a', 'b', 'my col', 'date.month'];
  const evaluate = (text: string, rows: Record<string, number[]>): number[] => {
    const expr = parseExpression(text, Object.keys(rows));
    const n = Object.values(rows)[0]!.length;
    return Array.from(evaluateExpression(expr, (name) => Float64Array.from(rows[name]!), n));
  };

  it('follows the usual precedence, with comparisons, functions and quoted names', () => {
    const rows = { a: [1, 2, 3], b: [4, 0, -1], 'my col': [10, 20, 30], 'date.month': [1, 6, 12] };
    expect(evaluate('a + b * 2 ^ 2', rows)).toEqual([17, 2, -1]);
    expect(evaluate('-a ^ 2', rows)).toEqual([-1, -4, -9]);
    expect(evaluate('(a + b) * 2', rows)).toEqual([10, 4, 4]);
    expect(evaluate('"my col" / a', rows)).toEqual([10, 10, 10]);
    expect(evaluate('a / b', rows)).toEqual([0.25, Number.NaN, -3]); // division by zero is missing, not infinity
    expect(evaluate('if(a >= 2, max(a, b, 2.5), min(a, b))', rows)).toEqual([1, 2.5, 3]);
    expect(evaluate('(a == 2) + (b != 0) + (date.month > 5)', rows)).toEqual([1, 2, 2]);
    expect(evaluate('sqrt(abs(b)) + log(exp(1)) + 1e-1', rows).map((v) => +v.toFixed(12))).toEqual([3.1, 1.1, 2.1]);
    expect(evaluate('a + b', { a: [1, Number.NaN], b: [2, 3] })).toEqual([3, Number.NaN]);
  });

  it('refuses reserved names, unknown functions and columns, and bad syntax, saying why', () => {
    expect(() => parseExpression('constructor', cols)).toThrow(/"constructor" is a reserved name/);
    expect(() => parseExpression('a + __proto__', cols)).toThrow(/"__proto__" is a reserved name/);
    expect(() => parseExpression('"constructor"', [...cols, 'constructor'])).toThrow(/reserved name/);
    expect(() => parseExpression('constructor(1)', cols)).toThrow(/reserved name/);
    expect(() => parseExpression('eval(a)', cols)).toThrow(/Unknown function "eval" at position 1; the functions are log, exp/);
    expect(() => parseExpression('toString(a)', cols)).toThrow(/Unknown function "toString"/);
    expect(() => parseExpression('a + c', cols)).toThrow(/Unknown column "c" at position 5/);
    expect(() => parseExpression('"my colx" + 1', cols)).toThrow(/Unknown column "my colx"/);
    expect(() => parseExpression('a +', cols)).toThrow(/ends too early/);
    expect(() => parseExpression('a b', cols)).toThrow(/Unexpected "b" at position 3/);
    expect(() => parseExpression('(a', cols)).toThrow(/Expected "\)"/);
    expect(() => parseExpression('a; b', cols)).toThrow(/Unexpected character ";"/);
    expect(() => parseExpression('min(a)', cols)).toThrow(/min\(\) takes at least 2 arguments, not 1/);
    expect(() => parseExpression('"a', cols)).toThrow(/not closed/);
    expect(() => parseExpression('  ', cols)).toThrow(/empty/);
  });

  it('a derive step names the step and the problem when it fails', () => {
    const f = frame(num('a', [1, 2]), cat('k', ['x', 'y']));
    const fit = (expression: string) => fitPipeline({ steps: [{ kind: 'derive', name: 'd', expression }, { kind: 'drop', columns: ['k'] }] }, trainingRows(f), undefined, 1);
    expect(() => fit('a + nope')).toThrow(/Step 1 \(Add a column "d" computed as a \+ nope\.\) failed: Unknown column "nope"/);
    expect(() => fit('a + k')).toThrow(/"k" is a category column; expressions read numbers and dates/);
    expect(Array.from(fit('a * 3').train.columns[1]!)).toEqual([3, 6]);
  });
});

describe('steps', () => {
  it('splits dates into UTC parts', () => {
    const r = mulberry32(3);
    const ms = Array.from({ length: 200 }, () => Math.floor((r() - 0.3) * 4e12));
    ms.push(Date.UTC(2024, 1, 29, 23, 59), Date.UTC(2023, 11, 31, 0, 0), Date.UTC(1969, 11, 31, 23, 0));
    const f = frame({ name: 'd', type: 'datetime', values: Float64Array.from([...ms, Number.NaN]) });
    const { train } = fitPipeline({ steps: [{ kind: 'dateparts', columns: ['d'] }] }, trainingRows(f), undefined, 1);
    expect(train.names).toEqual(['d.year', 'd.month', 'd.day', 'd.weekday', 'd.hour', 'd.dayofyear']);
    ms.forEach((t, i) => {
      const d = new Date(t);
      const doy = Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
      expect(train.columns.map((c) => c[i])).toEqual([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), (d.getUTCDay() + 6) % 7, d.getUTCHours(), doy]);
    });
    expect(train.columns.map((c) => c[ms.length])).toEqual(Array(6).fill(Number.NaN));
  });

  it('selects by variance and by mutual information with the target', () => {
    const n = 500;
    const r = mulberry32(9);
    const y = Float64Array.from({ length: n }, () => (r() < 0.5 ? 1 : 0));
    const f = frame(
      num('noise', Array.from({ length: n }, () => r())),
      num('signal', Array.from(y, (v) => v * 2 + r())),
      num('constant', Array(n).fill(4)),
      num('weak', Array.from(y, (v) => v * 0.3 + r())),
    );
    const target: Target = { task: 'binary', values: y, classes: ['0', '1'] };
    const v = fitPipeline({ steps: [{ kind: 'select', method: 'variance', columns: { type: 'number' } }] }, trainingRows(f), target, 1);
    expect(v.train.names).toEqual(['noise', 'signal', 'weak']);
    const mi = fitPipeline({ steps: [{ kind: 'select', method: 'mutual_info', columns: { type: 'number' }, k: 2 }] }, trainingRows(f), target, 1);
    expect(mi.train.names).toEqual(['signal', 'weak']);
    expect(() => fitPipeline({ steps: [{ kind: 'select', method: 'mutual_info', columns: { type: 'number' }, k: 2 }] }, trainingRows(f), undefined, 1)).toThrow(
      /needs a target/,
    );
  });

  it('imputes categories and text, and clips at training quantiles', () => {
    const f = frame(cat('c', ['b', 'a', null, 'b', 'a']), { name: 't', type: 'text', values: ['x', null, 'y', 'y', null] });
    const spec: PipelineSpec = {
      steps: [
        { kind: 'impute', columns: ['c'], strategy: 'most_frequent', indicator: true },
        { kind: 'impute', columns: ['t'], strategy: 'constant', fillValue: 'none' },
        { kind: 'encode', method: 'onehot', columns: ['c'] },
        { kind: 'tfidf', columns: ['t'], analyzer: 'char', ngram: [1, 1] },
      ],
    };
    const { train } = fitPipeline(spec, trainingRows(f), undefined, 1);
    // Ties between a and b (two each) go to the smaller level, as scikit-learn.
    expect(train.names).toEqual(['c=a', 'c=b', 'c_missing', 't[e]', 't[n]', 't[o]', 't[x]', 't[y]']);
    expect(Array.from(col(train, 'c=a'))).toEqual([0, 1, 1, 0, 1]);
    expect(Array.from(col(train, 'c_missing'))).toEqual([0, 0, 1, 0, 0]);
    const clip = fitPipeline({ steps: [{ kind: 'transform', method: 'clip', columns: ['x'], lower: 0.1, upper: 0.9 }] }, trainingRows(frame(num('x', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))), undefined, 1);
    expect(Array.from(transform(clip.fitted, frame(num('x', [-50, 5, 50]))).columns[0]!)).toEqual([1, 5, 9]);
  });

  it('refuses steps on the wrong column types and leftovers that are not numbers', () => {
    const f = frame(num('a', [1, 2]), cat('k', ['x', 'y']));
    expect(() => fitPipeline({ steps: [{ kind: 'scale', columns: ['k'], method: 'standard' }] }, trainingRows(f), undefined, 1)).toThrow(
      /Step 1 .* failed: it works on number columns; "k" is a category column/,
    );
    expect(() => fitPipeline({ steps: [{ kind: 'drop', columns: ['zz'] }] }, trainingRows(f), undefined, 1)).toThrow(/no column "zz"/);
    expect(() => fitPipeline({ steps: [] }, trainingRows(f), undefined, 1)).toThrow(/not numbers at the end of the pipeline: "k" \(category\)/);
    expect(() => fitPipeline({ steps: [{ kind: 'impute', columns: ['k'], strategy: 'mean' }] }, trainingRows(f), undefined, 1)).toThrow(/mean imputation needs numbers/);
    expect(() => fitPipeline({ steps: [{ kind: 'scale' } as unknown as PipelineStep] }, trainingRows(f), undefined, 1)).toThrow(/spec\.steps\[0\]\.columns/);
  });
});

describe('loadPipeline', () => {
  const { frame: f, target } = mixed(120, 6);
  const fitted = fitPipeline(everything, trainingRows(f), target, 2).fitted;
  const copy = (): Record<string, unknown> => JSON.parse(JSON.stringify(fitted)) as Record<string, unknown>;

  it('refuses wrong and damaged documents with a clear error', () => {
    expect(() => loadPipeline('nope')).toThrow(/not a JSON object/);
    expect(() => loadPipeline({ ...copy(), schemaVersion: 2 })).toThrow(/saved by a newer Orchard/);
    expect(() => loadPipeline({ ...copy(), schemaVersion: undefined })).toThrow(/no valid schemaVersion/);
    const short = copy();
    (short.steps as unknown[]).pop();
    expect(() => loadPipeline(short)).toThrow(/damaged: it has 12 fitted steps for 13 steps/);
    const swapped = copy();
    const steps = swapped.steps as unknown[];
    [steps[0], steps[1]] = [steps[1], steps[0]];
    expect(() => loadPipeline(swapped)).toThrow(/steps\[0\] is derive where the spec has drop/);
    const nan = copy();
    ((nan.steps as { op: string; columns: { center: unknown }[] }[]).find((s) => s.op === 'scale')!.columns[0]!).center = null;
    expect(() => loadPipeline(nan)).toThrow(/damaged: steps\[10\]\.columns\[0\]\.center must be a finite number/);
    expect(() => loadPipeline({ ...copy(), extra: 1 })).toThrow(/extra is not expected/);
    const evil = copy();
    (evil.steps as { expression?: string }[])[1]!.expression = 'constructor';
    expect(() => loadPipeline(evil)).toThrow(/steps\[1\] has an expression that does not parse: "constructor" is a reserved name/);
    const badSpec = copy();
    ((badSpec.spec as { steps: { kind: string }[] }).steps[0]!).kind = 'explode';
    expect(() => loadPipeline(badSpec)).toThrow(/damaged: .*kind must be one of impute, encode/);
  });

  it('previews the first training rows with their names', () => {
    const preview = previewRows(fitted, trainingRows(f), 5);
    expect(preview.names).toEqual(fitted.outputNames);
    expect(preview.rows).toHaveLength(5);
    const full = transform(fitted, f);
    expect(preview.rows[4]).toEqual(full.columns.map((c) => c[4]));
    const noLag: FittedPipeline = fitPipeline(defaultPipeline(f.columns.map((c) => ({ name: c.name, type: c.type })), 'survived'), trainingRows(f), target, 1).fitted;
    const head = previewRows(noLag, trainingRows(f), 3);
    expect(head.rows[2]).toEqual(transform(noLag, f).columns.map((c) => c[2]));
  });
});

describe('defaultPipeline and describeStep', () => {
  it('builds the documented default', () => {
    const spec = defaultPipeline(
      [
        { name: 'y', type: 'category' },
        { name: 'n', type: 'number' },
        { name: 'one', type: 'number', distinct: 1 },
        { name: 'k', type: 'category', distinct: 40 },
        { name: 'd', type: 'datetime' },
        { name: 't', type: 'text' },
      ],
      'y',
    );
    expect(spec.steps).toEqual([
      { kind: 'drop', columns: ['y', 'one'] },
      { kind: 'impute', columns: ['n'], strategy: 'median', indicator: true },
      { kind: 'scale', columns: ['n'], method: 'standard' },
      { kind: 'impute', columns: ['k'], strategy: 'most_frequent' },
      { kind: 'encode', method: 'onehot', columns: ['k'], minFrequency: 0.01, maxCategories: 30, unknown: 'infrequent' },
      { kind: 'dateparts', columns: ['d'] },
      { kind: 'tfidf', columns: ['t'], analyzer: 'word', ngram: [1, 2], maxFeatures: 500 },
    ]);
  });

  it('says what each step does in one sentence', () => {
    const said = [...everything.steps, ...defaultPipeline([{ name: 'k', type: 'category' }], 'y').steps].map((s: PipelineStep) => describeStep(s));
    for (const s of said) expect(s).toMatch(/^[A-Z][^\n]*\.$/);
    expect(said[0]).toBe('Drop "survived".');
    expect(said[2]).toBe('Add the values 1, 2 rows earlier and the mean/std/min/max of the previous 3 rows of "fare", ordered by "when", using only earlier rows.');
    expect(said[said.length - 1]).toBe(
      'One-hot encode "k", grouping categories seen in fewer than 1% of rows or beyond the 29 most frequent into one "infrequent" column; categories not seen in training count as infrequent.',
    );
  });
});

describe('withTargetDropped', () => {
  it('always drops the target first, so no step can turn it into a feature', () => {
    const started: PipelineSpec = { steps: [{ kind: 'drop', columns: ['y'] }, { kind: 'scale', columns: { type: 'number' }, method: 'standard' }] };
    expect(withTargetDropped(started, 'y')).toBe(started);
    const late: PipelineSpec = { steps: [{ kind: 'encode', method: 'onehot', columns: { type: 'category' } }, { kind: 'drop', columns: ['y', 'id'] }, { kind: 'drop', columns: ['y'] }] };
    expect(withTargetDropped(late, 'y').steps).toEqual([
      { kind: 'drop', columns: ['y'] },
      { kind: 'encode', method: 'onehot', columns: { type: 'category' } },
      { kind: 'drop', columns: ['id'] },
    ]);
    expect(withTargetDropped({ steps: [] }, 'y').steps).toEqual([{ kind: 'drop', columns: ['y'] }]);
  });
});
