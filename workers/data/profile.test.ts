import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyReportPart, emptyReport, type CorrelationMatrix, type QualityReport } from '../../shared/data/report.js';
import type { DataProgress } from '../../shared/protocol/data-worker.js';
import { trainingPartition } from '../../shared/protocol/query.js';
import type { ColumnInfo } from '../../shared/schema/project.js';
import { DATASETS } from '../../test/team-files.js';
import { sampledAuc, sampledSpearman } from './core/profile/sampled.js';
import { buildSource, type ReportAccess } from './core/profile/source.js';
import { dispatchDataRequest } from './core/server.js';
import { createNodeDataEngine } from './platform.node.js';
import { ENGINE_TARGETS, type Request } from './test-support.js';

/**
 * The quality report on real files, through the in-process engine and the worker client (STYLE 9), checked
 * against pandas/SciPy/scikit-learn values made by scripts/fixtures/make_profile_fixtures.py.
 */

const targets = ENGINE_TARGETS;

interface Fixture {
  rows: number;
  duplicateRows: number;
  columns: Record<string, { missing: number; unique: number; mean?: number; std?: number; min?: number; max?: number; zeros?: number; skew?: number; quantiles?: Record<string, number> }>;
  pearson: Record<string, number | null>;
  spearman: Record<string, number | null>;
  cramersV: Record<string, number | null>;
  target: { column: string; classes: Record<string, number>; positive: string; auc: Record<string, number>; cramersV: Record<string, number> };
}

const fixture = (name: string): Fixture => JSON.parse(readFileSync(new URL(`../../test/fixtures/profile/${name}.json`, import.meta.url), 'utf8')) as Fixture;

/** Equal to `rel` of the expected value's size (or absolutely, for values under 1). */
function expectClose(actual: number | null | undefined, expected: number | null | undefined, rel: number, what: string): void {
  if (expected === null || expected === undefined) {
    expect(actual ?? null, what).toBeNull();
    return;
  }
  expect(actual, what).toBeTypeOf('number');
  const tolerance = rel * Math.max(1, Math.abs(expected));
  if (Math.abs((actual as number) - expected) > tolerance) expect.fail(`${what}: ${actual} differs from ${expected} by more than ${tolerance}`);
}

function pairValue(pairs: Record<string, number | null>, a: string, b: string): number | null | undefined {
  return pairs[`${a}|${b}`] ?? pairs[`${b}|${a}`];
}

function checkMatrix(matrix: CorrelationMatrix | null, pairs: Record<string, number | null>, minColumns: number): void {
  expect(matrix?.columns.length ?? 0).toBeGreaterThanOrEqual(minColumns);
  const { columns, values } = matrix!;
  columns.forEach((a, i) =>
    columns.forEach((b, j) => {
      if (i === j) return;
      const expected = pairValue(pairs, a, b);
      expect(expected, `${matrix!.method} ${a}|${b} in the fixture`).not.toBeUndefined();
      expectClose(values[i]![j], expected, 1e-6, `${matrix!.method} ${a}|${b}`);
    }),
  );
}

function checkAgainstFixture(report: QualityReport, f: Fixture): void {
  expect(report.dataset?.rows).toBe(f.rows);
  expect(report.dataset?.duplicateRows).toBe(f.duplicateRows);
  for (const [name, e] of Object.entries(f.columns)) {
    const c = report.columns.find((col) => col.name === name)!;
    expect([c.missing, c.unique], name).toEqual([e.missing, e.unique]);
    if (e.mean === undefined) continue;
    const s = c.numeric!;
    expect(s, `${name} has statistics`).not.toBeNull();
    for (const key of ['mean', 'std', 'min', 'max', 'skew'] as const) expectClose(s[key], e[key], 1e-9, `${name} ${key}`);
    expect(s.zeros).toBe(e.zeros);
    for (const [q, v] of Object.entries(e.quantiles!)) expectClose(s.quantiles[q as keyof typeof s.quantiles], v, 1e-9, `${name} ${q}`);
  }
  checkMatrix(report.correlations!.pearson, f.pearson, 3);
  checkMatrix(report.correlations!.spearman, f.spearman, 3);
  checkMatrix(report.correlations!.cramersV, f.cramersV, 2);
  const t = report.targetAnalysis!;
  expect(Object.fromEntries(t.classes!.map((c) => [c.value, c.count]))).toEqual(f.target.classes);
  expect(t.positive?.value).toBe(f.target.positive);
  for (const feature of t.features) {
    const expected = feature.measure === 'auc' ? f.target.auc[feature.column] : f.target.cramersV[feature.column];
    expect(expected, `${feature.column} against the target in the fixture`).not.toBeUndefined();
    expectClose(feature.value, expected, 1e-6, `${feature.column} ${feature.measure}`);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'orchard-profile-'));
const path = (p: string) => ({ kind: 'path' as const, path: p });
const csv = (table: string, p: string) => ({ table, fileName: p.split('/').pop()!, format: 'csv' as const, source: path(p) });

beforeAll(() => {
  // A table made to trip every warning: a leak, an after-the-fact column, an ID, a constant, heavy gaps, duplicates.
  const lines = ['id,churned,refund_amount,leak,constant,mostly_missing,spend'];
  for (let i = 0; i < 400; i++) {
    const churned = i % 3 === 0 ? 'yes' : 'no';
    const spend = i % 10 === 0 ? 5000 + i : (i % 7) * 0.5;
    lines.push(`${i},${churned},${churned === 'yes' ? 20 + (i % 5) : 0},${churned === 'yes' ? 1 : 0},same,${i % 2 ? '' : i},${spend}`);
  }
  lines.push(lines.at(-1)!.replace(/^\d+/, '399'));
  writeFileSync(join(dir, 'churn.csv'), lines.join('\n') + '\n');
  // NaN and ±Infinity in a column with many values (statistics by sorting) and in one with few (by value counts).
  const odd = ['big,small'];
  for (let i = 0; i < 12000; i++) odd.push(`${[3, 5, 7].includes(i % 1000) ? ['nan', 'inf', '-inf'][(i % 1000 - 3) / 2] : i / 7},${i % 500 === 1 ? 'nan' : i % 500 === 2 ? 'inf' : i % 5}`);
  writeFileSync(join(dir, 'nonfinite.csv'), odd.join('\n') + '\n');
  writeFileSync(join(dir, 'header.csv'), 'a,b,c\n');
  writeFileSync(join(dir, 'one.csv'), 'when,x,flag\n2024-01-02,1.5,true\n');
  // Duplicates that differ only where values are missing, NaN, or a signed zero; rows that are not duplicates.
  writeFileSync(join(dir, 'dupes.csv'), 'x,y,z\n1,,a\n1,,a\n1,,b\nnan,2,a\nnan,2,a\n-0.0,3,\n0.0,3,\n0.0,3,\n,,\n,,\n5,6,c\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.each(targets)('the quality report through $name', { timeout: 60_000 }, (target) => {
  let request: Request;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ request, stop } = await target.start());
    await request('open', csv('titanic', `${DATASETS}/titanic.csv`));
  });
  afterAll(() => stop());

  it('matches pandas and SciPy on adult.csv ("?" missing), with 23.9% >50K and an imbalance note', async () => {
    // Read with no missing-value tokens, so "?" stays text in the table and the report's own tokens turn it to missing.
    await request('open', { ...csv('adult', `${DATASETS}/adult.csv`), options: { missingTokens: [] } });
    const missingWorkclass = (missingTokens: string[]) =>
      request('rows', { table: 'adult', filters: [{ column: 'workclass', op: 'isnull' }], offset: 0, limit: 1, missingTokens }).then((r) => r.total);
    expect([await missingWorkclass([]), await missingWorkclass(['?'])]).toEqual([0, 2799]);
    const report = await request('profile', { table: 'adult', target: 'income', missingTokens: ['?'], fileBytes: 5_000_000 });
    checkAgainstFixture(report, fixture('adult'));
    expect(report.columns.find((c) => c.name === 'workclass')?.missing).toBe(2799);
    expect(report.targetAnalysis?.positive).toMatchObject({ value: '>50K', count: 11687 });
    expect((report.targetAnalysis!.positive!.share * 100).toFixed(1)).toBe('23.9');
    expect(report.targetAnalysis?.imbalance).toMatch(/income is imbalanced: ">50K" is 23\.9% of rows/);
    expect(report.warnings.map((w) => w.code)).toEqual(expect.arrayContaining(['imbalance', 'skew', 'duplicates']));
    expect(report.warnings.find((w) => w.column === 'capital-gain')?.message).toMatch(/^91\.7% of capital-gain's values are exactly zero/);
    expect(report.dataset).toMatchObject({ fileBytes: 5_000_000, missingCells: 6465 });
    expect(report.dataset?.missingPatterns[1]).toEqual({ missing: ['occupation', 'workclass'], rows: 2753 });
    await request('close', { table: 'adult' });
  });

  it('matches pandas and SciPy on titanic.csv, with Survived as the target', async () => {
    const report = await request('profile', { table: 'titanic', target: 'Survived' });
    checkAgainstFixture(report, fixture('titanic'));
    const kinds = Object.fromEntries(report.columns.map((c) => [c.name, c.kind]));
    expect(kinds).toMatchObject({ PassengerId: 'id-like', Survived: 'numeric', Sex: 'categorical', Age: 'numeric', Name: 'id-like' });
    expect(report.targetAnalysis).toMatchObject({ kind: 'classes', imbalance: null, positive: { value: '1', count: 342 } });
    const codes = report.warnings.map((w) => `${w.code}:${w.column ?? ''}`);
    expect(codes).toEqual(expect.arrayContaining(['id-like:PassengerId', 'missing:Cabin', 'high-cardinality:Ticket', 'skew:Fare']));
    const age = report.columns.find((c) => c.name === 'Age')!;
    expect(age.histogram!.reduce((n, b) => n + b.count, 0)).toBe(714);
    const pclass = report.columns.find((c) => c.name === 'Pclass')!;
    expect(pclass.histogram).toEqual([
      { low: 0.5, high: 1.5, count: 216 },
      { low: 1.5, high: 2.5, count: 184 },
      { low: 2.5, high: 3.5, count: 491 },
    ]);
    // Top values, most first: a few-valued number column from its value counts, categories from the shared statement.
    expect(pclass.topValues).toEqual({ values: [{ value: '3', count: 491 }, { value: '1', count: 216 }, { value: '2', count: 184 }], other: 0 });
    expect(report.columns.find((c) => c.name === 'Sex')?.topValues).toEqual({ values: [{ value: 'male', count: 577 }, { value: 'female', count: 314 }], other: 0 });
    expect(report.columns.find((c) => c.name === 'Embarked')?.topValues?.values.map((v) => v.value)).toEqual(['S', 'C', 'Q']);
  });

  it('sends each section as it is finished, before the reply, and the parts add up to the report', async () => {
    const events: DataProgress[] = [];
    const report = await request('profile', { table: 'titanic', target: 'Sex' }, { onProgress: (p) => events.push(p) });
    const sections = events.map((e) => e.partial?.section);
    expect(sections.filter((s, i) => s !== sections[i - 1])).toEqual(['overview', 'column', 'dataset', 'correlations', 'target']);
    expect(sections.filter((s) => s === 'column')).toHaveLength(12);
    expect(events.at(-1)?.fraction).toBe(1);
    const built = events.reduce((r, e) => applyReportPart(r, e.partial!), emptyReport('titanic'));
    expect({ ...built, warnings: report.warnings }).toEqual(report);
  });

  it('shows the rows behind a histogram bar, a top value and the missing cells, and counts them', async () => {
    const report = await request('profile', { table: 'titanic' });
    const age = report.columns.find((c) => c.name === 'Age')!;
    const bins = age.histogram!;
    const last = bins.length - 1;
    for (const i of [0, 5, last]) {
      const bin = bins[i]!;
      const filter = { column: 'Age', op: 'between' as const, low: bin.low, high: bin.high, includeHigh: i === last };
      const { total, rows } = await request('rows', { table: 'titanic', filters: [filter], offset: 0, limit: 5000 });
      expect(total, `bin ${i}`).toBe(bin.count);
      expect(rows).toHaveLength(bin.count);
      for (const row of rows) expect(row[5] as number).toBeGreaterThanOrEqual(bin.low);
    }
    const female = await request('rows', { table: 'titanic', filters: [{ column: 'Sex', op: 'eq', value: 'female' }], offset: 0, limit: 3 });
    expect(female.total).toBe(314);
    expect(female.rows.map((r) => r[0])).toEqual([2, 3, 4]);
    const noAge = await request('rows', { table: 'titanic', filters: [{ column: 'Age', op: 'isnull' }, { column: 'Pclass', op: 'eq', value: '1' }], offset: 10, limit: 100 });
    expect(noAge.total).toBe(30);
    expect(noAge.rows).toHaveLength(20);
  });

  it('describes only the training partition once a split exists, and shows only its rows', async () => {
    await request('open', csv('split_me', `${DATASETS}/titanic.csv`));
    const codes = new Uint8Array(891).map((_v, i) => (i % 2 === 0 ? 0 : i % 4 === 1 ? 1 : 2));
    await request('attachSplit', { table: 'split_me', codes });
    const partition = trainingPartition('split_me');
    const report = await request('profile', { table: 'split_me', partition, target: 'Survived' });
    expect(report.partition).toBe('train');
    expect(report.dataset?.rows).toBe(446);
    expect(report.columns[0]?.numeric).toMatchObject({ min: 1, max: 891, mean: 446 });
    const page = await request('rows', { table: 'split_me', partition, filters: [{ column: 'Sex', op: 'eq', value: 'male' }], offset: 0, limit: 5 });
    expect(page.rows.map((r) => r[0])).toEqual([1, 5, 7, 13, 17]);
  });

  it('refuses unknown columns, operators and targets, and never takes SQL', async () => {
    const refusals = [
      request('rows', { table: 'titanic', filters: [{ column: 'Age; DROP TABLE titanic', op: 'isnull' }], offset: 0, limit: 1 }),
      request('rows', { table: 'titanic', filters: [{ column: 'Age', op: 'like' as 'eq', value: '%' }], offset: 0, limit: 1 }),
      request('rows', { table: 'titanic', filters: [{ column: 'Age', op: 'between', low: 1, high: Number.NaN }], offset: 0, limit: 1 }),
      request('rows', { table: 'titanic', filters: [], offset: -1, limit: 1 }),
      request('profile', { table: 'titanic', target: 'nope' }),
      request('profile', { table: 'titanic', partition: { table: 'x; --', column: 'p', value: 'train' } }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(request('profile', { table: 'nowhere' })).rejects.toMatchObject({ code: 'not-found' });
    const tricky = await request('rows', { table: 'titanic', filters: [{ column: 'Name', op: 'eq', value: "x' OR '1'='1" }], offset: 0, limit: 1 });
    expect(tricky.total).toBe(0);
  });

  it('leaves NaN and ±Infinity out of the statistics and counts them, whether a column has many values or few', async () => {
    await request('open', csv('nonfinite', join(dir, 'nonfinite.csv')));
    const report = await request('profile', { table: 'nonfinite' });
    const finite = (f: (i: number) => number | null): number[] =>
      Array.from({ length: 12000 }, (_v, i) => f(i)).filter((v): v is number => v !== null).sort((a, b) => a - b);
    const expected = {
      big: finite((i) => ([3, 5, 7].includes(i % 1000) ? null : i / 7)),
      small: finite((i) => (i % 500 === 1 || i % 500 === 2 ? null : i % 5)),
    };
    for (const [name, values] of Object.entries(expected)) {
      const c = report.columns.find((col) => col.name === name)!;
      const n = values.length;
      const mean = values.reduce((a, b) => a + b, 0) / n;
      const quantile = (p: number): number => {
        const h = (n - 1) * p;
        return values[Math.floor(h)]! + (values[Math.ceil(h)]! - values[Math.floor(h)]!) * (h - Math.floor(h));
      };
      expect(c.numeric?.nonFinite, name).toBe(12000 - n);
      expect([c.numeric?.min, c.numeric?.max], name).toEqual([values[0], values[n - 1]]);
      expectClose(c.numeric?.mean, mean, 1e-12, `${name} mean`);
      expectClose(c.numeric?.std, Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)), 1e-12, `${name} std`);
      for (const p of [0.01, 0.25, 0.5, 0.99]) expectClose(c.numeric?.quantiles[`p${String(p * 100).padStart(2, '0')}` as 'p01'], quantile(p), 1e-12, `${name} p${p}`);
      expect(c.histogram!.reduce((sum, b) => sum + b.count, 0), name).toBe(n);
    }
    // The few-valued column lists NaN and Infinity among its values.
    expect(report.columns[1]?.topValues?.values.map((v) => v.value)).toEqual(['0.0', '3.0', '4.0', '1.0', '2.0', 'inf', 'nan']);
    expect(report.correlations?.pearson?.values[0]?.[1]).toBeTypeOf('number');
  });

  it('counts duplicate rows exactly as SELECT DISTINCT does, missing values, NaN and signed zeros included', async () => {
    await request('open', csv('dupes', join(dir, 'dupes.csv')));
    const report = await request('profile', { table: 'dupes' });
    // Distinct: (1,,a) (1,,b) (nan,2,a) (0,3,) (,,) (5,6,c) — six of eleven rows, as DuckDB's DISTINCT counts them.
    expect(report.dataset).toMatchObject({ rows: 11, duplicateRows: 5 });
  });

  it('describes an empty table and a one-row table without failing', async () => {
    await request('open', csv('empty_report', join(dir, 'header.csv')));
    const empty = await request('profile', { table: 'empty_report', target: 'a' });
    expect(empty.dataset).toMatchObject({ rows: 0, columns: 3, duplicateRows: 0 });
    expect(empty.columns.map((c) => c.count)).toEqual([0, 0, 0]);
    await request('open', csv('one_row', join(dir, 'one.csv')));
    const one = await request('profile', { table: 'one_row' });
    expect(one.columns.map((c) => c.kind)).toEqual(['date', 'numeric', 'boolean']);
    expect(one.columns[0]?.dateRange).toEqual({ min: '2024-01-02', max: '2024-01-02' });
    expect(one.columns[1]?.numeric).toMatchObject({ mean: 1.5, std: null, skew: null });
    expect(one.columns[2]?.topValues?.values).toEqual([{ value: 'true', count: 1 }]);
  });

  it('warns about leaks, after-the-fact columns, IDs, constants, gaps, skew and duplicates', async () => {
    await request('open', csv('churn', join(dir, 'churn.csv')));
    const report = await request('profile', { table: 'churn', target: 'churned' });
    const codes = report.warnings.map((w) => `${w.severity}:${w.code}:${w.column ?? ''}`);
    expect(codes).toEqual(
      expect.arrayContaining([
        'high:leakage:leak',
        'high:leakage:refund_amount',
        'medium:after-outcome:refund_amount',
        'high:id-like:id',
        'medium:constant:constant',
        'medium:missing:mostly_missing',
        'low:skew:spend',
        'low:duplicates:',
      ]),
    );
    expect(codes).not.toContain('medium:imbalance:churned');
    expect(report.warnings.find((w) => w.code === 'leakage' && w.column === 'leak')?.message).toMatch(/leak alone predicts churned almost perfectly \(Cramér's V 1\.000\)|ROC AUC of 1\.000/);
    expect(report.warnings.find((w) => w.code === 'skew')?.message).toMatch(/^\d+(\.\d)?% of rows have spend within [\d.,]+ of zero, yet it reaches 5,390/);
    expect(report.warnings[0]?.severity).toBe('high');
  });
});

describe('rank statistics on a sample (tables over 200,000 rows)', () => {
  it('equal the exact ones when the sample holds every row: Spearman of complete columns and every AUC', async () => {
    const engine = await createNodeDataEngine();
    try {
      const info = await dispatchDataRequest(engine, 'open', csv('titanic', `${DATASETS}/titanic.csv`));
      const access: ReportAccess = engine.access;
      const { conn } = access;
      const source = buildSource(conn, access.table('titanic'), {});
      const col = (name: string) => info.columns.find((c) => c.name === name)!;
      const f = fixture('titanic');
      const complete = ['Pclass', 'SibSp', 'Parch', 'Fare'].map(col);
      const pairs = complete.flatMap((a, i) => complete.slice(i + 1).map((b): [ColumnInfo, ColumnInfo] => [a, b]));
      sampledSpearman(conn, source, pairs).forEach((rho, i) => expectClose(rho, pairValue(f.spearman, pairs[i]![0].name, pairs[i]![1].name), 1e-9, `ρ ${i}`));
      const features = ['Pclass', 'Age', 'SibSp', 'Parch', 'Fare'].map(col);
      sampledAuc(conn, source, features, col('Survived'), '1').forEach((auc, i) => expectClose(auc, f.target.auc[features[i]!.name], 1e-9, `AUC ${features[i]!.name}`));
    } finally {
      engine.dispose();
    }
  });
});
