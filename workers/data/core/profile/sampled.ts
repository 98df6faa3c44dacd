import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { pearson } from '../../../../shared/data/correlation.js';
import { numberExpr, textExpr, type ProfileSource } from './source.js';

/**
 * Rank statistics of large tables, on a seeded random sample of rows that stays in the worker. DuckDB-WASM ranks
 * a million distinct values per column slowly (a window per column, single-threaded), while the sample's
 * columns sort in milliseconds here. With 200,000 rows, Spearman ρ and ROC AUC are within about ±0.005 of the
 * whole table's. Each column is ranked once over its own values; a pair uses the rows where both are present.
 */

export const SAMPLE_ROWS = 200_000;
const SEED = 7;

/** The sample's values of each expression as doubles, NaN where missing or not finite. */
function sampleOf(conn: DuckDBConnection, source: ProfileSource, expressions: string[]): { columns: Float64Array[] } {
  // Missing values arrive as NaN, so each column is one plain Float64Array (no per-value reads).
  // Only the needed columns enter the reservoir (sampling the whole source row would copy every column).
  const inner = expressions.map((e, k) => `CAST(${e} AS DOUBLE) AS x${k}`).join(', ');
  const list = expressions.map((_e, k) => `coalesce(x${k}, CAST('NaN' AS DOUBLE)) AS x${k}`).join(', ');
  const table = conn.query(`SELECT ${list} FROM (SELECT ${inner} FROM ${source.from}) USING SAMPLE reservoir(${SAMPLE_ROWS} ROWS) REPEATABLE (${SEED})`);
  const columns = expressions.map((_e, k) => {
    const values = table.getChildAt(k)?.toArray() as ArrayLike<number> | undefined;
    const column = values instanceof Float64Array ? values : Float64Array.from(values ?? []);
    // ±Infinity take no part, like NaN: the exact path reads finite values only.
    for (let i = 0; i < column.length; i++) if (!Number.isFinite(column[i]!)) column[i] = Number.NaN;
    return column;
  });
  return { columns };
}

/** Average ranks (1-based, ties sharing their mean position) of the values present; NaN where missing. */
export function averageRanks(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) count++;
  const sorted = new Float64Array(count);
  for (let i = 0, k = 0; i < values.length; i++) if (!Number.isNaN(values[i]!)) sorted[k++] = values[i]!;
  sorted.sort();
  const ranks = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) {
      ranks[i] = Number.NaN;
      continue;
    }
    // Ties occupy positions first+1 … last (1-based); their rank is the mean of those.
    const first = bound(sorted, v, false);
    const last = bound(sorted, v, true);
    ranks[i] = (first + 1 + last) / 2;
  }
  return ranks;
}

/** The first index whose value is ≥ v (or > v when `after`). */
function bound(sorted: Float64Array, v: number, after: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v || (after && sorted[mid] === v)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Spearman ρ for each pair, on the sample. */
export function sampledSpearman(conn: DuckDBConnection, source: ProfileSource, pairs: [ColumnInfo, ColumnInfo][]): (number | null)[] {
  const columns = [...new Map(pairs.flat().map((c) => [c.name, c])).values()];
  const at = new Map(columns.map((c, i) => [c.name, i]));
  const ranks = sampleOf(conn, source, columns.map(numberExpr)).columns.map(averageRanks);
  return pairs.map(([a, b]) => pearson(ranks[at.get(a.name)!]!, ranks[at.get(b.name)!]!));
}

/** ROC AUC of each numeric column for `target` = `positive`, on the sample (rank sum of the positive rows). */
export function sampledAuc(conn: DuckDBConnection, source: ProfileSource, features: ColumnInfo[], target: ColumnInfo, positive: string): (number | null)[] {
  const label = `CASE WHEN ${textExpr(target)} IS NULL THEN NULL WHEN ${textExpr(target)} = '${positive.replaceAll("'", "''")}' THEN 1 ELSE 0 END`;
  const { columns } = sampleOf(conn, source, [...features.map(numberExpr), label]);
  const y = columns.at(-1)!;
  return features.map((_f, k) => {
    const x = columns[k]!.map((v, i) => (Number.isNaN(y[i]!) ? Number.NaN : v));
    const ranks = averageRanks(x);
    let sum = 0;
    let p = 0;
    let n = 0;
    for (let i = 0; i < ranks.length; i++) {
      if (Number.isNaN(ranks[i]!)) continue;
      n++;
      if (y[i] === 1) {
        p++;
        sum += ranks[i]!;
      }
    }
    const q = n - p;
    return p === 0 || q === 0 ? null : (sum - (p * (p + 1)) / 2) / (p * q);
  });
}
