import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { PairBox, PairPlot, PairPlotArgs } from '../../../../shared/protocol/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { buildSource, invalid, isDateType, isNumericType, num, numberExpr, queryRow, queryRows, textExpr, type ProfiledTable, type ProfileSource, type ReportAccess } from './source.js';

/**
 * Two columns against each other, coloured by a third (the target): numbers × numbers as a seeded sample of
 * points, a category × a number as box-plot aggregates per category (and colour class), categories × categories
 * as a table of counts. Everything is computed in DuckDB over `source.from` (missing tokens and the partition
 * applied); only aggregates and a bounded sample leave the worker. Rows missing x or y (or the category) are left
 * out and counted; numbers that are NaN or infinite count as missing.
 */

export const DEFAULT_POINTS = 5000;
export const MAX_POINTS = 20_000;
/** Categories drawn one by one; the rest are one "(other)" box or bar. */
export const TOP_CATEGORIES = 20;
/** A colour splits the boxes only when it has at most this many classes. */
export const MAX_COLOR_CLASSES = 10;
export const MAX_OUTLIERS = 200;
/** The sample's seed: the same table gives the same points every time. */
export const SAMPLE_SEED = 42;
const OTHER = '(other)';

export function pairPlot(access: ReportAccess, args: PairPlotArgs): PairPlot {
  const { conn } = access;
  const open = access.table(args?.table);
  const x = columnOf(open, args.x, 'x');
  const y = columnOf(open, args.y, 'y');
  const color = args.color === undefined || args.color === null ? null : columnOf(open, args.color, 'colour');
  const maxPoints = pointsOf(args.maxPoints);
  const source = buildSource(conn, open, { missingTokens: args.missingTokens, partition: args.partition ?? null, withRowNumber: true });
  const totalRows = num(queryRow(conn, `SELECT count(*) FROM ${source.from}`)[0]) ?? 0;
  const base = { x: x.name, y: y.name, totalRows };
  if (isNumber(x) && isNumber(y)) return { kind: 'scatter', ...base, ...scatter(conn, source, x, y, color, maxPoints) };
  if (!isNumber(x) && !isNumber(y)) {
    const colorNote = color === null ? null : `Two categories are counted per pair of values: ${color.name} does not colour them.`;
    return { kind: 'counts', ...base, color: null, colorNote, ...counts(conn, source, x, y) };
  }
  const categoryAxis = isNumber(x) ? 'y' : 'x';
  const [category, value] = categoryAxis === 'x' ? [x, y] : [y, x];
  return { kind: 'box', ...base, categoryAxis, ...boxes(conn, source, category, value, color) };
}

function columnOf(open: ProfiledTable, name: unknown, what: string): ColumnInfo {
  const column = typeof name === 'string' ? open.columns.find((c) => c.name === name) : undefined;
  if (column === undefined) throw invalid(`${open.table} has no column named "${String(name).slice(0, 80)}" to use as ${what}.`);
  return column;
}

function pointsOf(value: unknown): number {
  if (value === undefined || value === null) return DEFAULT_POINTS;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) throw invalid('maxPoints must be a whole number, 1 or more.');
  return Math.min(value, MAX_POINTS);
}

/** Numbers and dates (as epoch milliseconds) go on a continuous axis; everything else is a category. */
const isNumber = (c: ColumnInfo): boolean => isNumericType(c.type) || isDateType(c.type);
const present = (expr: string): string => `isfinite(${expr})`;

function distinctCount(conn: DuckDBConnection, source: ProfileSource, column: ColumnInfo): number {
  return num(queryRow(conn, `SELECT count(DISTINCT ${textExpr(column)}) FROM ${source.from}`)[0]) ?? 0;
}

function scatter(conn: DuckDBConnection, source: ProfileSource, x: ColumnInfo, y: ColumnInfo, color: ColumnInfo | null, maxPoints: number) {
  // A numeric colour with many values is a gradient; anything else is a class per value.
  const classes = color === null ? 0 : distinctCount(conn, source, color);
  const colorType = color === null ? null : isNumber(color) && classes > MAX_COLOR_CLASSES ? 'quantitative' : 'nominal';
  const colorExpr = color === null ? 'NULL' : colorType === 'quantitative' ? `CASE WHEN ${present(numberExpr(color))} THEN ${numberExpr(color)} END` : textExpr(color);
  const inner = `SELECT "__orchard_row" AS pr, ${numberExpr(x)} AS px, ${numberExpr(y)} AS py, ${colorExpr} AS pc FROM ${source.from}`;
  const paired = `FROM (${inner}) WHERE ${present('px')} AND ${present('py')}`;
  const pairedRows = num(queryRow(conn, `SELECT count(*) ${paired}`)[0]) ?? 0;
  const sampled = pairedRows > maxPoints;
  // A reservoir sample with a fixed seed is reproducible: DuckDB-WASM runs single-threaded.
  const sample = sampled ? ` USING SAMPLE reservoir(${maxPoints} ROWS) REPEATABLE (${SAMPLE_SEED})` : '';
  const rows = queryRows(conn, `SELECT pr, px, py, pc FROM (SELECT * ${paired})${sample} ORDER BY pr`);
  const points = rows.map(([row, px, py, pc]) => ({
    row: num(row) ?? 0,
    x: num(px) ?? 0,
    y: num(py) ?? 0,
    color: pc === null || pc === undefined ? null : colorType === 'quantitative' ? num(pc) : String(pc),
  }));
  return {
    color: color?.name ?? null,
    colorNote: null,
    colorType,
    xDate: isDateType(x.type),
    yDate: isDateType(y.type),
    pairedRows,
    points,
    sampled,
    seed: SAMPLE_SEED,
  } as const;
}

/**
 * The top categories by rows (with their rank, 1 = most rows) of `expr` over `from`, as a CTE body: the rest
 * join as NULL and become "(other)".
 */
function topOf(expr: string, from: string): string {
  return `SELECT ${expr} AS t, row_number() OVER (ORDER BY count(*) DESC, ${expr}) AS rank FROM ${from} GROUP BY ${expr} ORDER BY rank LIMIT ${TOP_CATEGORIES}`;
}

function boxes(conn: DuckDBConnection, source: ProfileSource, category: ColumnInfo, value: ColumnInfo, color: ColumnInfo | null) {
  let colorNote: string | null = null;
  let split = color;
  if (color !== null) {
    const classes = distinctCount(conn, source, color);
    if (classes > MAX_COLOR_CLASSES) {
      colorNote = `${color.name} has ${classes.toLocaleString('en-US')} values: boxes are split by colour only up to ${MAX_COLOR_CLASSES}.`;
      split = null;
    }
  }
  const colorExpr = split === null ? 'CAST(NULL AS VARCHAR)' : textExpr(split);
  const inner = `SELECT ${textExpr(category)} AS bk, ${numberExpr(value)} AS bv, ${colorExpr} AS bg, "__orchard_row" AS br FROM ${source.from}`;
  const sql = `
    WITH base AS (SELECT * FROM (${inner}) WHERE bk IS NOT NULL AND ${present('bv')}),
    top AS (${topOf('bk', 'base')}),
    grp AS (SELECT top.t AS k, top.t IS NULL AS other, coalesce(top.rank, ${TOP_CATEGORIES + 1}) AS rank, bg AS g, bv AS v, br AS r
            FROM base LEFT JOIN top ON base.bk = top.t),
    stats AS (SELECT k, other, rank, g, count(*) AS n, min(v) AS lo, max(v) AS hi, quantile_cont(v, [0.25, 0.5, 0.75]) AS q
              FROM grp GROUP BY k, other, rank, g),
    fences AS (SELECT *, q[1] - 1.5 * (q[3] - q[1]) AS lf, q[3] + 1.5 * (q[3] - q[1]) AS hf FROM stats)
    SELECT f.k, f.other, f.g, f.n, f.lo, f.hi, f.q,
      min(grp.v) FILTER (WHERE grp.v >= f.lf), max(grp.v) FILTER (WHERE grp.v <= f.hf),
      count(*) FILTER (WHERE grp.v < f.lf OR grp.v > f.hf),
      list_slice(list(grp.v ORDER BY abs(grp.v - f.q[2]) DESC, grp.r) FILTER (WHERE grp.v < f.lf OR grp.v > f.hf), 1, ${MAX_OUTLIERS})
    FROM fences f JOIN grp ON grp.rank = f.rank AND grp.g IS NOT DISTINCT FROM f.g
    GROUP BY f.k, f.other, f.rank, f.g, f.n, f.lo, f.hi, f.q, f.lf, f.hf
    ORDER BY f.rank, f.g NULLS LAST`;
  const out: PairBox[] = queryRows(conn, sql).map(([k, other, g, n, lo, hi, q, lw, uw, nOut, outliers]) => {
    const [q1, median, q3] = (q as unknown[]).map((v) => num(v) ?? 0);
    return {
      category: other === true ? OTHER : String(k),
      other: other === true,
      color: g === null || g === undefined ? null : String(g),
      count: num(n) ?? 0,
      min: num(lo) ?? 0,
      q1: q1!,
      median: median!,
      q3: q3!,
      max: num(hi) ?? 0,
      lowerWhisker: num(lw) ?? 0,
      upperWhisker: num(uw) ?? 0,
      outliers: ((outliers as unknown[] | null) ?? []).map((v) => num(v) ?? 0),
      outlierCount: num(nOut) ?? 0,
    };
  });
  return { color: split?.name ?? null, colorNote, pairedRows: out.reduce((s, b) => s + b.count, 0), boxes: out };
}

function counts(conn: DuckDBConnection, source: ProfileSource, x: ColumnInfo, y: ColumnInfo) {
  const inner = `SELECT ${textExpr(x)} AS ca, ${textExpr(y)} AS cb FROM ${source.from}`;
  const sql = `
    WITH base AS (SELECT * FROM (${inner}) WHERE ca IS NOT NULL AND cb IS NOT NULL),
    ta AS (${topOf('ca', 'base')}), tb AS (${topOf('cb', 'base')})
    SELECT ta.t, tb.t, count(*) AS n FROM base LEFT JOIN ta ON base.ca = ta.t LEFT JOIN tb ON base.cb = tb.t
    GROUP BY ta.t, tb.t, ta.rank, tb.rank ORDER BY coalesce(ta.rank, ${TOP_CATEGORIES + 1}), coalesce(tb.rank, ${TOP_CATEGORIES + 1})`;
  const cells = queryRows(conn, sql).map(([a, b, n]) => ({
    x: a === null ? OTHER : String(a),
    y: b === null ? OTHER : String(b),
    xOther: a === null,
    yOther: b === null,
    count: num(n) ?? 0,
  }));
  return { pairedRows: cells.reduce((s, c) => s + c.count, 0), cells };
}
