import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { quoteIdent } from '../load-context.js';
import { num, numberExpr, queryRow, queryRows, textExpr, type ProfileSource } from './source.js';

/**
 * Pairwise measures, each over the rows where both columns have a value (as pandas does):
 * Pearson r (DuckDB `corr`), Spearman ρ (Pearson r of average ranks), Cramér's V (chi-squared without Yates'
 * correction, bias-uncorrected), the correlation ratio η, and a numeric column's ROC AUC for a binary target.
 */

/** Pearson r for each pair, in one statement. */
export function pearsonPairs(conn: DuckDBConnection, source: ProfileSource, pairs: [ColumnInfo, ColumnInfo][]): (number | null)[] {
  if (pairs.length === 0) return [];
  // NaN and ±Infinity take no part (and an infinite value would make DuckDB's corr fail).
  const x = (c: ColumnInfo): string => (source.nonFinite?.has(c.name) === true ? `CASE WHEN isfinite(${numberExpr(c)}) THEN ${numberExpr(c)} END` : numberExpr(c));
  const row = queryRow(conn, `SELECT ${pairs.map(([a, b]) => `corr(${x(a)}, ${x(b)})`).join(', ')} FROM ${source.from}`);
  return pairs.map((_p, i) => finite(num(row[i])));
}

/**
 * Spearman ρ for each pair. Ranks depend on which rows count, so pairs are grouped by the columns that must be
 * present: pairs of complete columns share one ranking, and a column with gaps is ranked again per partner set.
 */
export function spearmanPairs(conn: DuckDBConnection, source: ProfileSource, pairs: [ColumnInfo, ColumnInfo][], hasMissing: (c: ColumnInfo) => boolean): (number | null)[] {
  const groups = new Map<string, { required: ColumnInfo[]; members: number[] }>();
  pairs.forEach(([a, b], i) => {
    const required = [a, b].filter(hasMissing);
    const key = required.map((c) => c.name).join('\u0000');
    const group = groups.get(key) ?? { required, members: [] };
    group.members.push(i);
    groups.set(key, group);
  });
  const out: (number | null)[] = new Array<number | null>(pairs.length).fill(null);
  for (const { required, members } of groups.values()) {
    const used = new Map<string, ColumnInfo>();
    for (const i of members) for (const c of pairs[i]!) used.set(c.name, c);
    const cols = [...used.values()];
    const where = required.map((c) => `${numberExpr(c)} IS NOT NULL`).join(' AND ');
    // Each column's distinct values with their average rank (a small table), joined back to the rows.
    const base = `SELECT ${cols.map((c, k) => `${numberExpr(c)} AS x${k}`).join(', ')} FROM ${source.from}${where === '' ? '' : ` WHERE ${where}`}`;
    const rankTables = cols.map(
      (_c, k) => `r${k} AS (SELECT v, sum(n) OVER (ORDER BY v) - (n - 1) / 2.0 AS r FROM (SELECT x${k} AS v, count(*) AS n FROM base WHERE x${k} IS NOT NULL GROUP BY v))`,
    );
    const joins = cols.map((_c, k) => `LEFT JOIN r${k} ON base.x${k} = r${k}.v`).join(' ');
    const index = new Map(cols.map((c, k) => [c.name, k]));
    const corrs = members.map((i) => `corr(r${index.get(pairs[i]![0].name)}.r, r${index.get(pairs[i]![1].name)}.r)`).join(', ');
    const row = queryRow(conn, `WITH base AS MATERIALIZED (${base}), ${rankTables.join(', ')} SELECT ${corrs} FROM base ${joins}`);
    members.forEach((i, k) => (out[i] = finite(num(row[k]))));
  }
  return out;
}

/** Cramér's V from a contingency table given as its non-zero cells. */
export function cramersV(cells: { a: string; b: string; n: number }[]): number | null {
  const rowsTotal = new Map<string, number>();
  const colsTotal = new Map<string, number>();
  let n = 0;
  for (const { a, b, n: c } of cells) {
    rowsTotal.set(a, (rowsTotal.get(a) ?? 0) + c);
    colsTotal.set(b, (colsTotal.get(b) ?? 0) + c);
    n += c;
  }
  const k = Math.min(rowsTotal.size, colsTotal.size);
  if (n === 0 || k < 2) return null;
  // chi² = n·(Σ O²/(rᵢ·cⱼ) − 1): empty cells contribute nothing to the sum.
  let sum = 0;
  for (const { a, b, n: c } of cells) sum += (c * c) / (rowsTotal.get(a)! * colsTotal.get(b)!);
  const chi2 = n * (sum - 1);
  return Math.sqrt(Math.max(0, chi2) / n / (k - 1));
}

/** Cramér's V for each pair of categorical columns: one statement, with a grouping set per pair. */
export function cramersVPairs(conn: DuckDBConnection, source: ProfileSource, pairs: [ColumnInfo, ColumnInfo][]): (number | null)[] {
  if (pairs.length === 0) return [];
  const columns = [...new Map(pairs.flat().map((c) => [c.name, c])).values()];
  const at = new Map(columns.map((c, i) => [c.name, i]));
  const k = columns.length;
  // GROUPING(c0 … ck-1) sets bit (k-1-i) for each column left out of a row's grouping set: one mask per pair.
  const maskOf = (a: ColumnInfo, b: ColumnInfo): number => 2 ** k - 1 - 2 ** (k - 1 - at.get(a.name)!) - 2 ** (k - 1 - at.get(b.name)!);
  const pairByMask = new Map(pairs.map(([a, b], i) => [maskOf(a, b), i]));
  const names = columns.map((c) => quoteIdent(c.name));
  const sets = pairs.map(([a, b]) => `(${quoteIdent(a.name)}, ${quoteIdent(b.name)})`).join(', ');
  const values = columns.map((c) => textExpr(c)).join(', ');
  const rows = queryRows(conn, `SELECT CAST(GROUPING(${names.join(', ')}) AS DOUBLE), ${values}, count(*) FROM ${source.from} GROUP BY GROUPING SETS (${sets})`);
  const cells: { a: string; b: string; n: number }[][] = pairs.map(() => []);
  for (const row of rows) {
    const pair = pairByMask.get(num(row[0]) ?? -1);
    if (pair === undefined) continue;
    const [a, b] = pairs[pair]!;
    const va = row[1 + at.get(a.name)!];
    const vb = row[1 + at.get(b.name)!];
    // Pairwise-complete: a missing value in either column of the pair leaves the row out.
    if (va === null || va === undefined || vb === null || vb === undefined) continue;
    cells[pair]!.push({ a: String(va), b: String(vb), n: num(row[k + 1]) ?? 0 });
  }
  return cells.map(cramersV);
}

/**
 * ROC AUC of a numeric column for the binary target `target` = `positive`: the Mann-Whitney U from the rank sum
 * of the positive rows, ties at their average rank, computed over the column's distinct values (no sort of
 * every row).
 */
export function univariateAuc(conn: DuckDBConnection, source: ProfileSource, column: ColumnInfo, target: ColumnInfo, positive: string): number | null {
  const x = numberExpr(column);
  const isPositive = `${textExpr(target)} = '${positive.replaceAll("'", "''")}'`;
  const [rankSum, nPos, n] = queryRow(
    conn,
    `SELECT sum(p * (cum - (n - 1) / 2.0)), sum(p), sum(n) FROM (
       SELECT p, n, sum(n) OVER (ORDER BY v) AS cum FROM (
         SELECT x AS v, count(*) AS n, count_if(pos) AS p FROM (
           SELECT ${x} AS x, ${isPositive} AS pos FROM ${source.from}
           WHERE ${quoteIdent(column.name)} IS NOT NULL AND ${quoteIdent(target.name)} IS NOT NULL)
         WHERE isfinite(x) GROUP BY v))`,
  );
  const p = num(nPos) ?? 0;
  const q = (num(n) ?? 0) - p;
  if (p === 0 || q === 0) return null;
  return ((num(rankSum) ?? 0) - (p * (p + 1)) / 2) / (p * q);
}

/** The correlation ratio η of numeric `value` grouped by the categories of `group`. */
export function correlationRatio(conn: DuckDBConnection, source: ProfileSource, value: ColumnInfo, group: ColumnInfo): number | null {
  const x = numberExpr(value);
  const rows = queryRows(
    conn,
    `SELECT count(*), avg(x), var_pop(x) FROM (SELECT ${x} AS x, ${textExpr(group)} AS g FROM ${source.from}
     WHERE ${quoteIdent(value.name)} IS NOT NULL AND ${quoteIdent(group.name)} IS NOT NULL) WHERE isfinite(x) GROUP BY g`,
  );
  let n = 0;
  let sum = 0;
  for (const [c, m] of rows) {
    n += num(c) ?? 0;
    sum += (num(c) ?? 0) * (num(m) ?? 0);
  }
  if (n === 0) return null;
  const mean = sum / n;
  let between = 0;
  let within = 0;
  for (const [c, m, v] of rows) {
    between += (num(c) ?? 0) * ((num(m) ?? 0) - mean) ** 2;
    within += (num(c) ?? 0) * (num(v) ?? 0);
  }
  const total = between + within;
  return total > 0 ? Math.sqrt(between / total) : null;
}

function finite(value: number | null): number | null {
  return value === null || !Number.isFinite(value) ? null : value;
}
