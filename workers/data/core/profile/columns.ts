import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { ID_NAME, type ColumnOverview, type ColumnProfile, type HistogramBin, type NumericStats, type TopValue } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { isIntegerType, literal, num, numberExpr, queryRow, queryRows, textExpr, type ProfileSource } from './source.js';

/**
 * One column's statistics, histogram or top values. Numbers are read as DOUBLE (dates as epoch milliseconds);
 * NaN and ±Infinity are left out of the statistics and counted. Standard deviation and skew come from sums of
 * centred powers (a second pass over the data, together with the histogram), which keeps them exact to
 * rounding for large values, where sums of raw cubes would not be.
 */

const TOP_VALUES = 20;
/** A categorical column with more distinct values than this is called high-cardinality. */
export const HIGH_CARDINALITY = 50;

export function profileColumn(conn: DuckDBConnection, source: ProfileSource, column: ColumnInfo, overview: ColumnOverview, meanLength: number | null): ColumnProfile {
  const { kind, count, unique } = overview;
  const profile: ColumnProfile = {
    ...overview,
    flags: { constant: unique <= 1, nearConstant: false, highCardinality: false, idLike: false },
    numeric: null,
    histogram: null,
    topValues: null,
    dateRange: null,
    meanLength: kind === 'text' || kind === 'categorical' || kind === 'id-like' ? meanLength : null,
  };
  if (kind === 'numeric' || kind === 'date' || (kind === 'id-like' && isIntegerType(column.type))) {
    const stats = numericStats(conn, source, column, count);
    if (stats !== null) {
      profile.numeric = kind === 'date' ? null : stats.stats;
      profile.histogram = stats.histogram;
    }
    if (kind === 'date') profile.dateRange = dateRange(conn, source, column);
  }
  // The most common values: for categories always; for numbers only where one value could dominate.
  const couldDominate = unique <= count * 0.01 + 1;
  if (kind !== 'numeric' && kind !== 'date') profile.topValues = topValues(conn, source, column, count);
  else if (couldDominate && count > 0) profile.topValues = topValues(conn, source, column, count);
  const top = profile.topValues?.values[0];
  profile.flags.nearConstant = !profile.flags.constant && top !== undefined && top.count >= count * 0.99;
  profile.flags.highCardinality = (kind === 'categorical' || kind === 'text' || kind === 'id-like') && unique > HIGH_CARDINALITY;
  profile.flags.idLike = kind === 'id-like' || (ID_NAME.test(column.name) && unique > 1 && kind !== 'boolean' && kind !== 'date');
  return profile;
}

function topValues(conn: DuckDBConnection, source: ProfileSource, column: ColumnInfo, count: number): { values: TopValue[]; other: number } {
  const value = textExpr(column);
  const rows = queryRows(
    conn,
    `SELECT ${value} AS v, count(*) AS n FROM ${source.from} WHERE v IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ${TOP_VALUES}`,
  );
  const values = rows.map(([v, n]) => ({ value: String(v), count: num(n) ?? 0 }));
  return { values, other: count - values.reduce((sum, v) => sum + v.count, 0) };
}

function dateRange(conn: DuckDBConnection, source: ProfileSource, column: ColumnInfo): { min: string; max: string } | null {
  const [min, max] = queryRow(conn, `SELECT CAST(min(${quote(column)}) AS VARCHAR), CAST(max(${quote(column)}) AS VARCHAR) FROM ${source.from}`);
  return min === null || min === undefined ? null : { min: String(min), max: String(max) };
}

const quote = (c: ColumnInfo): string => `"${c.name.replaceAll('"', '""')}"`;

/** How many bins: one per integer when an integer column spans few values, else √n between 10 and 50. */
export function binning(min: number, max: number, n: number, integer: boolean): { low: number; width: number; bins: number } {
  if (integer && max - min <= 50) return { low: min - 0.5, width: 1, bins: max - min + 1 };
  if (max === min) return { low: min - 0.5, width: 1, bins: 1 };
  const bins = Math.max(10, Math.min(50, Math.ceil(Math.sqrt(n))));
  return { low: min, width: (max - min) / bins, bins };
}

function numericStats(conn: DuckDBConnection, source: ProfileSource, column: ColumnInfo, present: number): { stats: NumericStats; histogram: HistogramBin[] } | null {
  const x = `(${numberExpr(column)})`;
  const finite = `FROM (SELECT ${x} AS x FROM ${source.from}) WHERE isfinite(x)`;
  const [n0, min0, max0, mean0, q, zeros0] = queryRow(
    conn,
    `SELECT count(x), min(x), max(x), avg(x), quantile_cont(x, [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99]), count_if(x = 0) ${finite}`,
  );
  const n = num(n0) ?? 0;
  const nonFinite = present - n;
  if (n === 0) return null;
  const [min, max, mean] = [num(min0)!, num(max0)!, num(mean0)!];
  const [p01, p05, p25, p50, p75, p95, p99] = (q as number[]).map(Number) as [number, number, number, number, number, number, number];
  const iqr = p75 - p25;
  const lowFence = p25 - 1.5 * iqr;
  const highFence = p75 + 1.5 * iqr;
  const { low, width, bins } = binning(min, max, n, isIntegerType(column.type) || column.type === 'DATE');
  const d = `(x - ${literal(mean)})`;
  const rows = queryRows(
    conn,
    `SELECT least(greatest(CAST(floor((x - ${literal(low)}) / ${literal(width)}) AS BIGINT), 0), ${bins - 1}) AS bin,
       count(*), sum(${d} * ${d}), sum(${d} * ${d} * ${d}), count_if(x < ${literal(lowFence)} OR x > ${literal(highFence)})
     ${finite} GROUP BY bin ORDER BY bin`,
  );
  const histogram: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
    low: low + i * width,
    high: i === bins - 1 ? (width === 1 && low !== min ? low + bins * width : max) : low + (i + 1) * width,
    count: 0,
  }));
  let m2 = 0;
  let m3 = 0;
  let outliers = 0;
  for (const [bin, c, s2, s3, o] of rows) {
    histogram[num(bin) ?? 0]!.count = num(c) ?? 0;
    m2 += num(s2) ?? 0;
    m3 += num(s3) ?? 0;
    outliers += num(o) ?? 0;
  }
  const std = n > 1 ? Math.sqrt(m2 / (n - 1)) : null;
  // pandas' adjusted Fisher-Pearson: n·√(n−1)/(n−2) · m3 / m2^1.5 over centred sums.
  const skew = n > 2 && m2 > 0 ? ((n * Math.sqrt(n - 1)) / (n - 2)) * (m3 / m2 ** 1.5) : null;
  return {
    stats: {
      min,
      max,
      mean,
      median: p50,
      std,
      quantiles: { p01, p05, p25, p50, p75, p95, p99 },
      skew,
      zeros: num(zeros0) ?? 0,
      outliers: { count: outliers, lowFence, highFence },
      nonFinite,
    },
    histogram,
  };
}
