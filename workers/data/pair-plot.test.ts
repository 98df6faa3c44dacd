import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../shared/protocol/data-worker.js';
import { trainingPartition } from '../../shared/protocol/query.js';
import type { PairBox, PairPlot } from '../../shared/protocol/report.js';
import { DATASETS } from '../../test/team-files.js';
import { ENGINE_TARGETS, type Request } from './test-support.js';

/**
 * Two columns against each other (`pairPlot`) on titanic.csv, through the in-process engine and the worker
 * client (STYLE 9). Box statistics are checked against quantiles computed here, in TypeScript, from the raw rows
 * (linear interpolation, as pandas' `quantile` does), not through DuckDB.
 */

const targets = ENGINE_TARGETS;

const COL = { Survived: 1, Sex: 4, Age: 5, Fare: 9, Embarked: 11 } as const;
const open = (table: string) => ({ table, fileName: 'titanic.csv', format: 'csv' as const, source: { kind: 'path' as const, path: `${DATASETS}/titanic.csv` } });

/** pandas' default quantile: linear interpolation between the two closest ranks. */
function quantile(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)] ?? sorted[lo]!) - sorted[lo]!);
}

/** The box of `values`, computed without DuckDB. */
function expectedBox(values: number[]) {
  const s = [...values].sort((a, b) => a - b);
  const [q1, median, q3] = [0.25, 0.5, 0.75].map((p) => quantile(s, p)) as [number, number, number];
  const [lf, hf] = [q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)];
  const inside = s.filter((v) => v >= lf && v <= hf);
  return { count: s.length, min: s[0]!, max: s.at(-1)!, q1, median, q3, lowerWhisker: inside[0]!, upperWhisker: inside.at(-1)!, outlierCount: s.length - inside.length };
}

function expectBox(actual: PairBox | undefined, values: number[], what: string): void {
  expect(actual, what).toBeDefined();
  const e = expectedBox(values);
  for (const key of Object.keys(e) as (keyof typeof e)[]) {
    expect(Math.abs(actual![key] - e[key]), `${what} ${key}: ${actual![key]} vs ${e[key]}`).toBeLessThan(1e-9);
  }
  expect(actual!.outliers.length).toBe(Math.min(200, e.outlierCount));
  for (const v of actual!.outliers) expect(v < e.lowerWhisker || v > e.upperWhisker, `${what} outlier ${v}`).toBe(true);
}

describe.each(targets)('pairPlot on titanic.csv through $name', { timeout: 30_000 }, (target) => {
  let request: Request;
  let stop: () => Promise<void>;
  let raw: Cell[][];

  beforeAll(async () => {
    ({ request, stop } = await target.start());
    await request('open', open('titanic'));
    raw = (await request('rows', { table: 'titanic', filters: [], offset: 0, limit: 5000 })).rows;
    expect(raw).toHaveLength(891);
  });
  afterAll(() => stop());

  it('plots Age × Fare as points that are real rows, every one when they fit and a seeded sample when not', async () => {
    const all = await request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', color: 'Survived' });
    expect(all).toMatchObject({ kind: 'scatter', totalRows: 891, pairedRows: 714, sampled: false, color: 'Survived', colorType: 'nominal' });
    const points = (all as Extract<PairPlot, { kind: 'scatter' }>).points;
    expect(points).toHaveLength(714);

    const plot = (await request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', color: 'Survived', maxPoints: 300 })) as Extract<PairPlot, { kind: 'scatter' }>;
    expect(plot).toMatchObject({ sampled: true, pairedRows: 714, totalRows: 891 });
    expect(plot.points).toHaveLength(300);
    expect(new Set(plot.points.map((p) => p.row)).size).toBe(300);
    for (const p of plot.points) {
      const row = raw[p.row]!;
      expect([row[COL.Age], row[COL.Fare], String(row[COL.Survived])], `row ${p.row}`).toEqual([p.x, p.y, p.color]);
    }
    // A few points, found again by SQL over the dataset.
    for (const p of plot.points.slice(0, 5)) {
      const sql = `SELECT count(*) AS n FROM t WHERE Age = ${p.x} AND Fare = ${p.y} AND CAST(Survived AS VARCHAR) = '${String(p.color)}'`;
      const outcome = await request('query', { sql, tables: [{ name: 't', table: 'titanic' }] });
      expect(outcome.kind === 'rows' ? Number(outcome.rows[0]![0]) : outcome.message).toBeGreaterThanOrEqual(1);
    }
    const again = await request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', color: 'Survived', maxPoints: 300 });
    expect(again).toEqual(plot);
  });

  it('draws Sex × Age as boxes whose quartiles, whiskers and outliers match the raw rows, either way round', async () => {
    const ages = (sex: string, survived?: number) =>
      raw.filter((r) => r[COL.Sex] === sex && r[COL.Age] !== null && (survived === undefined || r[COL.Survived] === survived)).map((r) => r[COL.Age] as number);
    const plot = await request('pairPlot', { table: 'titanic', x: 'Sex', y: 'Age' });
    expect(plot).toMatchObject({ kind: 'box', categoryAxis: 'x', pairedRows: 714, color: null });
    const boxes = (plot as Extract<PairPlot, { kind: 'box' }>).boxes;
    expect(boxes.map((b) => b.category)).toEqual(['male', 'female']);
    for (const sex of ['male', 'female']) expectBox(boxes.find((b) => b.category === sex), ages(sex), sex);

    const turned = await request('pairPlot', { table: 'titanic', x: 'Age', y: 'Sex' });
    expect(turned).toMatchObject({ kind: 'box', categoryAxis: 'y', boxes });

    const coloured = (await request('pairPlot', { table: 'titanic', x: 'Sex', y: 'Age', color: 'Survived' })) as Extract<PairPlot, { kind: 'box' }>;
    expect(coloured.color).toBe('Survived');
    expect(coloured.boxes.map((b) => `${b.category}:${b.color}`)).toEqual(['male:0', 'male:1', 'female:0', 'female:1']);
    for (const b of coloured.boxes) expectBox(b, ages(b.category, Number(b.color)), `${b.category} survived=${b.color}`);
  });

  it('groups the categories past the top 20 as "(other)", and leaves a colour with too many classes out of boxes', async () => {
    const plot = (await request('pairPlot', { table: 'titanic', x: 'Ticket', y: 'Fare', color: 'Name' })) as Extract<PairPlot, { kind: 'box' }>;
    expect(plot.boxes).toHaveLength(21);
    expect(plot.boxes.at(-1)).toMatchObject({ category: '(other)', other: true });
    expect(plot.boxes.reduce((n, b) => n + b.count, 0)).toBe(891);
    expect(plot.color).toBeNull();
    expect(plot.colorNote).toMatch(/Name has 891 values/);
  });

  it('counts Sex × Embarked, with missing tokens applied as the report applies them', async () => {
    const plot = (await request('pairPlot', { table: 'titanic', x: 'Sex', y: 'Embarked' })) as Extract<PairPlot, { kind: 'counts' }>;
    expect(plot.kind).toBe('counts');
    expect(plot).toMatchObject({ pairedRows: 889, color: null, colorNote: null });
    const coloured = await request('pairPlot', { table: 'titanic', x: 'Sex', y: 'Embarked', color: 'Survived' });
    expect(coloured).toMatchObject({ kind: 'counts', color: null, colorNote: expect.stringMatching(/Survived does not colour them/) });
    for (const cell of plot.cells) {
      const expected = raw.filter((r) => r[COL.Sex] === cell.x && r[COL.Embarked] === cell.y).length;
      expect(cell.count, `${cell.x} × ${cell.y}`).toBe(expected);
    }
    const noS = (await request('pairPlot', { table: 'titanic', x: 'Sex', y: 'Embarked', missingTokens: ['S'] })) as Extract<PairPlot, { kind: 'counts' }>;
    expect(noS.pairedRows).toBe(889 - 644);
    expect(noS.cells.map((c) => c.y)).not.toContain('S');
  });

  it('describes the training partition only once a stratified split exists', async () => {
    await request('open', open('split_pair'));
    const { summary } = await request('assignSplit', { table: 'split_pair', spec: { method: 'stratified', target: 'Survived', fractions: [0.7, 0.15, 0.15], seed: 42 } });
    const partition = trainingPartition('split_pair');
    const withAge = await request('rows', { table: 'split_pair', partition, filters: [{ column: 'Age', op: 'notnull' }], offset: 0, limit: 0 });
    const scatter = await request('pairPlot', { table: 'split_pair', x: 'Age', y: 'Fare', partition });
    expect(scatter).toMatchObject({ totalRows: summary.counts.train, pairedRows: withAge.total });
    const train = new Set((await request('rows', { table: 'split_pair', partition, filters: [], offset: 0, limit: 5000 })).rows.map((r) => r[0]));
    for (const p of (scatter as Extract<PairPlot, { kind: 'scatter' }>).points) expect(train.has(raw[p.row]![0])).toBe(true);
    const box = (await request('pairPlot', { table: 'split_pair', x: 'Sex', y: 'Age', partition })) as Extract<PairPlot, { kind: 'box' }>;
    expect(box.boxes.reduce((n, b) => n + b.count, 0)).toBe(withAge.total);
    const pclass = await request('pairPlot', { table: 'split_pair', x: 'Sex', y: 'Pclass', partition });
    expect(pclass.kind).toBe('box');
    expect(pclass.totalRows).toBe(624);
  });

  it('refuses unknown columns and bad sample sizes, and caps the sample at 20,000 points', async () => {
    const refusals = [
      request('pairPlot', { table: 'titanic', x: 'Age; DROP TABLE titanic', y: 'Fare' }),
      request('pairPlot', { table: 'titanic', x: 'Age', y: 'nope' }),
      request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', color: 'nope' }),
      request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', maxPoints: 0 }),
      request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', maxPoints: 2.5 }),
      request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', partition: { table: 'x; --', column: 'p', value: 'train' } }),
    ];
    for (const refusal of refusals) await expect(refusal).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(request('pairPlot', { table: 'nowhere', x: 'a', y: 'b' })).rejects.toMatchObject({ code: 'not-found' });
    const capped = await request('pairPlot', { table: 'titanic', x: 'Age', y: 'Fare', maxPoints: 1_000_000 });
    expect(capped).toMatchObject({ sampled: false, pairedRows: 714 });
  });
});
