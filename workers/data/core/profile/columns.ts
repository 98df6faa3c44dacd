import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { ID_NAME, type ColumnOverview, type ColumnProfile, type HistogramBin, type NumericStats, type TopValue } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { quoteIdent } from '../load-context.js';
import type { NumberFacts } from './overview.js';
import { finiteFilter, isFloatType, isIntegerType, isText, literal, num, numberExpr, queryRow, queryRows, textExpr, type ProfileSource } from './source.js';

/**
 * Column statistics, histograms and top values. Numbers are read as DOUBLE (dates as epoch milliseconds);
 * NaN and ±Infinity are left out of the statistics and counted. The overview pass already has each number
 * column's finite count, range and mean, so the statistics of every number column come from two more scans
 * whatever their number: one for quantiles, zeros and the sums of centred powers (around that mean, which keeps
 * standard deviation and skew exact to rounding for large values, where sums of raw cubes would not be), and one
 * for every histogram and outlier count (a grouping set per column).
 */

const TOP_VALUES = 20;
/** A categorical column with more distinct values than this is called high-cardinality. */
export const HIGH_CARDINALITY = 50;
/** Number columns per statistics statement (GROUPING over two keys per column stays within 63 bits). */
const STATS_CHUNK = 24;
const QUANTILES = [0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99];

export interface ColumnStats {
  stats: NumericStats;
  histogram: HistogramBin[];
}

/** Whether a column gets statistics and a histogram: numbers, dates and integer IDs. */
export function hasStatistics(column: ColumnInfo, overview: ColumnOverview): boolean {
  return overview.kind === 'numeric' || overview.kind === 'date' || (overview.kind === 'id-like' && isIntegerType(column.type));
}

export function profileColumn(
  conn: DuckDBConnection,
  source: ProfileSource,
  column: ColumnInfo,
  overview: ColumnOverview,
  meanLength: number | null,
  numbers: ColumnStats | null,
): ColumnProfile {
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
  if (numbers !== null) {
    profile.numeric = kind === 'date' ? null : numbers.stats;
    profile.histogram = numbers.histogram;
  }
  if (kind === 'date') profile.dateRange = dateRange(conn, source, column);
  // The most common values: for categories always; for numbers only where one value could dominate.
  const couldDominate = unique <= count * 0.01 + 1;
  if (kind !== 'numeric' && kind !== 'date') profile.topValues = topValues(conn, source, column, count, unique, profile.histogram);
  else if (couldDominate && count > 0) profile.topValues = topValues(conn, source, column, count, unique, profile.histogram);
  const top = profile.topValues?.values[0];
  profile.flags.nearConstant = !profile.flags.constant && top !== undefined && top.count >= count * 0.99;
  profile.flags.highCardinality = (kind === 'categorical' || kind === 'text' || kind === 'id-like') && unique > HIGH_CARDINALITY;
  profile.flags.idLike = kind === 'id-like' || (ID_NAME.test(column.name) && unique > 1 && kind !== 'boolean' && kind !== 'date');
  return profile;
}

function topValues(
  conn: DuckDBConnection,
  source: ProfileSource,
  column: ColumnInfo,
  count: number,
  unique: number,
  histogram: HistogramBin[] | null,
): { values: TopValue[]; other: number } {
  const fromBins = integerCounts(column, histogram);
  let values: TopValue[];
  if (fromBins !== null) {
    // One bin per integer: the bins are the value counts already.
    values = fromBins.sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0)).slice(0, TOP_VALUES);
  } else {
    const name = quoteIdent(column.name);
    // Every value once (an ID): the first values in text order, no grouping. Otherwise group the values as they
    // are and write only the groups as text.
    const sql =
      unique === count
        ? `SELECT ${textExpr(column)} AS v, 1 AS n FROM ${source.from} WHERE ${name} IS NOT NULL ORDER BY v LIMIT ${TOP_VALUES}`
        : isText(column.type)
          ? `SELECT ${name} AS v, count(*) AS n FROM ${source.from} WHERE v IS NOT NULL GROUP BY v ORDER BY n DESC, v LIMIT ${TOP_VALUES}`
          : `SELECT CAST(v AS VARCHAR) AS t, n FROM (SELECT ${name} AS v, count(*) AS n FROM ${source.from} WHERE v IS NOT NULL GROUP BY v) ORDER BY n DESC, t LIMIT ${TOP_VALUES}`;
    values = queryRows(conn, sql).map(([v, n]) => ({ value: String(v), count: num(n) ?? 0 }));
  }
  return { values, other: count - values.reduce((sum, v) => sum + v.count, 0) };
}

/** An integer column binned one bin per integer: each value (as DuckDB writes it) with its count. */
function integerCounts(column: ColumnInfo, histogram: HistogramBin[] | null): TopValue[] | null {
  if (histogram === null || !isIntegerType(column.type) || histogram.some((b) => b.high - b.low !== 1 || !Number.isSafeInteger(b.low + 0.5))) return null;
  return histogram.filter((b) => b.count > 0).map((b) => ({ value: String(b.low + 0.5), count: b.count }));
}

function dateRange(conn: DuckDBConnection, source: ProfileSource, column: ColumnInfo): { min: string; max: string } | null {
  const name = quoteIdent(column.name);
  const [min, max] = queryRow(conn, `SELECT CAST(min(${name}) AS VARCHAR), CAST(max(${name}) AS VARCHAR) FROM ${source.from}`);
  return min === null || min === undefined ? null : { min: String(min), max: String(max) };
}

/** How many bins: one per integer when an integer column spans few values, else √n between 10 and 50. */
export function binning(min: number, max: number, n: number, integer: boolean): { low: number; width: number; bins: number } {
  if (integer && max - min <= 50) return { low: min - 0.5, width: 1, bins: max - min + 1 };
  if (max === min) return { low: min - 0.5, width: 1, bins: 1 };
  const bins = Math.max(10, Math.min(50, Math.ceil(Math.sqrt(n))));
  return { low: min, width: (max - min) / bins, bins };
}

interface Item {
  column: ColumnInfo;
  /** Values present (finite or not). */
  present: number;
  facts: NumberFacts;
}

/** Statistics and histogram of each column (null where it has no finite value), two statements per chunk. */
export function numericStatsOf(conn: DuckDBConnection, source: ProfileSource, items: Item[]): (ColumnStats | null)[] {
  const out: (ColumnStats | null)[] = items.map(() => null);
  const todo = items.map((item, i) => ({ ...item, i })).filter(({ facts }) => facts.finite > 0 && facts.mean !== null);
  for (let start = 0; start < todo.length; start += STATS_CHUNK) {
    const chunk = todo.slice(start, start + STATS_CHUNK);
    chunkStats(conn, source, chunk).forEach((stats, k) => (out[chunk[k]!.i] = stats));
  }
  return out;
}

function chunkStats(conn: DuckDBConnection, source: ProfileSource, chunk: Item[]): ColumnStats[] {
  const xs = `(SELECT ${chunk.map(({ column }, k) => `${numberExpr(column)} AS x${k}`).join(', ')} FROM ${source.from})`;
  const first = queryRow(
    conn,
    `SELECT ${chunk
      .map(({ column, facts }, k) => {
        const x = `x${k}`;
        const only = finiteFilter(column, x);
        const d = `(${x} - ${literal(facts.mean!)})`;
        return `quantile_cont(${x}, [${QUANTILES.join(', ')}])${only}, count_if(${x} = 0), sum(${d} * ${d})${only}, sum(${d} * ${d} * ${d})${only}`;
      })
      .join(', ')} FROM ${xs}`,
  );
  const parts = chunk.map(({ column, present, facts }, k) => {
    const [q, zeros, m2, m3] = first.slice(4 * k, 4 * k + 4);
    const [p01, p05, p25, p50, p75, p95, p99] = (q as number[]).map(Number) as [number, number, number, number, number, number, number];
    const iqr = p75 - p25;
    const lowFence = p25 - 1.5 * iqr;
    const highFence = p75 + 1.5 * iqr;
    const n = facts.finite;
    const [min, max, mean] = [facts.min!, facts.max!, facts.mean!];
    const bins = binning(min, max, n, isIntegerType(column.type) || column.type === 'DATE');
    const s2 = num(m2) ?? 0;
    const s3 = num(m3) ?? 0;
    const std = n > 1 ? Math.sqrt(s2 / (n - 1)) : null;
    // pandas' adjusted Fisher-Pearson: n·√(n−1)/(n−2) · m3 / m2^1.5 over centred sums.
    const skew = n > 2 && s2 > 0 ? ((n * Math.sqrt(n - 1)) / (n - 2)) * (s3 / s2 ** 1.5) : null;
    const stats: NumericStats = {
      min,
      max,
      mean,
      median: p50,
      std,
      quantiles: { p01, p05, p25, p50, p75, p95, p99 },
      skew,
      zeros: num(zeros) ?? 0,
      outliers: { count: 0, lowFence, highFence },
      nonFinite: present - n,
    };
    return { stats, bins };
  });

  // Every histogram and outlier count in one scan: a grouping set (bin, outside the fences) per column.
  const keys = chunk.flatMap((_c, k) => [`b${k}`, `o${k}`]);
  const inner = chunk
    .map(({ column }, k) => {
      const x = `x${k}`;
      const { low, width } = parts[k]!.bins;
      const { lowFence, highFence } = parts[k]!.stats.outliers;
      const outside = `(${x} < ${literal(lowFence)} OR ${x} > ${literal(highFence)})`;
      return `floor((${x} - ${literal(low)}) / ${literal(width)}) AS b${k}, ${isFloatType(column.type) ? `isfinite(${x}) AND ${outside}` : outside} AS o${k}`;
    })
    .join(', ');
  const rows = queryRows(
    conn,
    `SELECT CAST(GROUPING(${keys.join(', ')}) AS DOUBLE), ${keys.join(', ')}, count(*) FROM (SELECT ${inner} FROM ${xs})
     GROUP BY GROUPING SETS (${chunk.map((_c, k) => `(b${k}, o${k})`).join(', ')})`,
  );
  // GROUPING(…) sets bit (2m−1−j) for each key j left out of a row's set.
  const all = 2 ** keys.length - 1;
  const setOf = new Map(chunk.map((_c, k) => [all - 2 ** (keys.length - 1 - 2 * k) - 2 ** (keys.length - 2 - 2 * k), k]));
  const histograms = parts.map(({ bins: { low, width, bins } }, k): HistogramBin[] =>
    Array.from({ length: bins }, (_, i) => ({
      low: low + i * width,
      high: i === bins - 1 ? (width === 1 && low !== chunk[k]!.facts.min ? low + bins * width : chunk[k]!.facts.max!) : low + (i + 1) * width,
      count: 0,
    })),
  );
  for (const row of rows) {
    const k = setOf.get(num(row[0]) ?? -1);
    if (k === undefined) continue;
    const bin = row[1 + 2 * k];
    // Missing and non-finite values have no bin.
    if (typeof bin !== 'number' || !Number.isFinite(bin)) continue;
    const c = num(row[row.length - 1]) ?? 0;
    const histogram = histograms[k]!;
    histogram[Math.min(Math.max(bin, 0), histogram.length - 1)]!.count += c;
    if (row[2 + 2 * k] === true) parts[k]!.stats.outliers.count += c;
  }
  return parts.map(({ stats }, k) => ({ stats, histogram: histograms[k]! }));
}
