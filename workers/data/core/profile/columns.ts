import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { ID_NAME, type ColumnOverview, type ColumnProfile, type HistogramBin, type NumericStats, type TopValue } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { quoteIdent } from '../load-context.js';
import type { NumberFacts } from './overview.js';
import { isIntegerType, literal, num, numberExpr, numberOf, queryRow, queryRows, textExpr, type ProfileSource } from './source.js';

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
  /** Every value present with its count, as text, for a column with few distinct values (null otherwise). */
  valueCounts: TopValue[] | null;
}

/** Whether a column gets statistics and a histogram: numbers, dates and integer IDs. */
export function hasStatistics(column: ColumnInfo, overview: ColumnOverview): boolean {
  return overview.kind === 'numeric' || overview.kind === 'date' || (overview.kind === 'id-like' && isIntegerType(column.type));
}

export interface TopValues {
  values: TopValue[];
  /** Values present beyond those listed. */
  other: number;
}

/** Whether a column lists its most common values: categories always; numbers only where one value could dominate. */
export function showsTopValues(overview: ColumnOverview): boolean {
  const { kind, count, unique } = overview;
  return (kind !== 'numeric' && kind !== 'date') || (unique <= count * 0.01 + 1 && count > 0);
}

export function profileColumn(
  column: ColumnInfo,
  overview: ColumnOverview,
  meanLength: number | null,
  numbers: ColumnStats | null,
  top: TopValues | null,
  dateRange: { min: string; max: string } | null,
): ColumnProfile {
  const { kind, count, unique } = overview;
  const profile: ColumnProfile = {
    ...overview,
    flags: { constant: unique <= 1, nearConstant: false, highCardinality: false, idLike: false },
    numeric: null,
    histogram: null,
    topValues: top,
    dateRange: null,
    meanLength: kind === 'text' || kind === 'categorical' || kind === 'id-like' ? meanLength : null,
  };
  if (numbers !== null) {
    profile.numeric = kind === 'date' ? null : numbers.stats;
    profile.histogram = numbers.histogram;
  }
  if (kind === 'date') profile.dateRange = dateRange;
  const first = top?.values[0];
  profile.flags.nearConstant = !profile.flags.constant && first !== undefined && first.count >= count * 0.99;
  profile.flags.highCardinality = (kind === 'categorical' || kind === 'text' || kind === 'id-like') && unique > HIGH_CARDINALITY;
  profile.flags.idLike = kind === 'id-like' || (ID_NAME.test(column.name) && unique > 1 && kind !== 'boolean' && kind !== 'date');
  return profile;
}

/** Columns per top-values statement (GROUPING's bitmask stays within 63 bits). */
const TOP_CHUNK = 60;

/**
 * The most common values (most first, ties in text order) of each column that shows them. A number column with
 * few distinct values has them from its statistics already (`valueCounts`); an ID (every value once) lists its first values in
 * text order without grouping; all other columns share one statement, a grouping set per column, grouping the
 * values as they are and writing only the groups as text.
 */
export function topValuesOf(
  conn: DuckDBConnection,
  source: ProfileSource,
  items: { column: ColumnInfo; overview: ColumnOverview; valueCounts: TopValue[] | null }[],
): (TopValues | null)[] {
  const values: (TopValue[] | null)[] = items.map(() => null);
  const grouped: number[] = [];
  items.forEach(({ column, overview, valueCounts }, i) => {
    if (!showsTopValues(overview)) return;
    if (valueCounts !== null) values[i] = valueCounts.slice().sort((a, b) => b.count - a.count || textOrder(a.value, b.value)).slice(0, TOP_VALUES);
    else if (overview.unique === overview.count) {
      const sql = `SELECT ${textExpr(column)} AS v FROM ${source.from} WHERE ${quoteIdent(column.name)} IS NOT NULL ORDER BY v LIMIT ${TOP_VALUES}`;
      values[i] = queryRows(conn, sql).map(([v]) => ({ value: String(v), count: 1 }));
    } else grouped.push(i);
  });
  for (let start = 0; start < grouped.length; start += TOP_CHUNK) {
    const chunk = grouped.slice(start, start + TOP_CHUNK);
    const keys = chunk.map((_i, k) => `v${k}`);
    const inner = chunk.map((i, k) => `${quoteIdent(items[i]!.column.name)} AS v${k}`).join(', ');
    // In a row of set k every other key is NULL, so the coalesce is that set's value as text (NULL: missing).
    const text = `coalesce(${keys.map((v) => `CAST(${v} AS VARCHAR)`).join(', ')})`;
    const rows = queryRows(
      conn,
      `SELECT g, t, n FROM (
         SELECT CAST(GROUPING(${keys.join(', ')}) AS DOUBLE) AS g, ${text} AS t, count(*) AS n FROM (SELECT ${inner} FROM ${source.from})
         GROUP BY GROUPING SETS (${keys.map((v) => `(${v})`).join(', ')}))
       WHERE t IS NOT NULL QUALIFY row_number() OVER (PARTITION BY g ORDER BY n DESC, t) <= ${TOP_VALUES} ORDER BY g, n DESC, t`,
    );
    // GROUPING(…) sets bit (m−1−k) for each key k left out of a row's set.
    const all = 2 ** keys.length - 1;
    const setOf = new Map(chunk.map((i, k) => [all - 2 ** (keys.length - 1 - k), i]));
    for (const i of chunk) values[i] = [];
    for (const [g, t, n] of rows) {
      const i = setOf.get(num(g) ?? -1);
      if (i !== undefined) values[i]!.push({ value: String(t), count: num(n) ?? 0 });
    }
  }
  return values.map((v, i) => (v === null ? null : { values: v, other: items[i]!.overview.count - v.reduce((sum, x) => sum + x.count, 0) }));
}

/** DuckDB's order of VARCHARs (bytes; the same as code units for the ASCII text of numbers and dates compared here). */
function textOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
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
  /** Distinct values present. */
  unique: number;
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

/** A column with at most this many distinct values gets its statistics from its exact value counts. */
const VALUE_COUNTS = 10_000;

interface Pending {
  stats: NumericStats;
  bins: { low: number; width: number; bins: number };
  m2: number;
  m3: number;
}

function chunkStats(conn: DuckDBConnection, source: ProfileSource, chunk: Item[]): ColumnStats[] {
  // Few distinct values: one count per value says everything (quantiles, sums, bins, outliers, top values) without
  // a sort. Those columns are grouped by their values as they are (rK), the others read as numbers (xK).
  const counted = chunk.map((c) => c.unique <= VALUE_COUNTS);
  const xs = `(SELECT ${chunk.map(({ column }, k) => (counted[k] ? `${quoteIdent(column.name)} AS r${k}` : `${numberExpr(column)} AS x${k}`)).join(', ')} FROM ${source.from})`;
  const parts: (Pending | null)[] = chunk.map(() => null);
  const sorted = chunk.map((_c, k) => k).filter((k) => !counted[k]);
  if (sorted.length > 0) {
    const first = queryRow(
      conn,
      `SELECT ${sorted
        .map((k) => {
          const { facts, present } = chunk[k]!;
          const x = `x${k}`;
          const only = facts.finite < present ? ` FILTER (WHERE isfinite(${x}))` : '';
          const d = `(${x} - ${literal(facts.mean!)})`;
          return `quantile_cont(${x}, [${QUANTILES.join(', ')}])${only}, count_if(${x} = 0), sum(${d} * ${d})${only}, sum(${d} * ${d} * ${d})${only}`;
        })
        .join(', ')} FROM ${xs}`,
    );
    sorted.forEach((k, j) => {
      const [q, zeros, m2, m3] = first.slice(4 * j, 4 * j + 4);
      parts[k] = pending(chunk[k]!, (q as unknown[]).map(Number), num(zeros) ?? 0, num(m2) ?? 0, num(m3) ?? 0);
    });
  }

  // Every histogram and outlier count (or value count) in one scan: a grouping set per column. A row shows its
  // set's bin and whether it is outside the fences, or a counted column's value as a number and as text.
  const keys: string[] = [];
  const select: string[] = [];
  const sets: string[] = [];
  const keyAt: number[] = [];
  const shown: string[] = [];
  const shownAt: number[] = [];
  chunk.forEach(({ column }, k) => {
    keyAt.push(keys.length);
    shownAt.push(1 + shown.length);
    if (counted[k]) {
      keys.push(`r${k}`);
      select.push(`r${k}`);
      sets.push(`(r${k})`);
      shown.push(numberOf(column, `r${k}`), `CAST(r${k} AS VARCHAR)`);
      return;
    }
    const x = `x${k}`;
    const { low, width } = parts[k]!.bins;
    const { lowFence, highFence } = parts[k]!.stats.outliers;
    const outside = `(${x} < ${literal(lowFence)} OR ${x} > ${literal(highFence)})`;
    keys.push(`b${k}`, `o${k}`);
    const anyNonFinite = chunk[k]!.facts.finite < chunk[k]!.present;
    select.push(`floor((${x} - ${literal(low)}) / ${literal(width)}) AS b${k}`, `${anyNonFinite ? `isfinite(${x}) AND ${outside}` : outside} AS o${k}`);
    sets.push(`(b${k}, o${k})`);
    shown.push(`b${k}`, `o${k}`);
  });
  const rows = queryRows(
    conn,
    `SELECT CAST(GROUPING(${keys.join(', ')}) AS DOUBLE), ${shown.join(', ')}, count(*) FROM (SELECT ${select.join(', ')} FROM ${xs})
     GROUP BY GROUPING SETS (${sets.join(', ')})`,
  );
  // GROUPING(…) sets bit (m−1−j) for each key j left out of a row's set.
  const bit = (j: number): number => 2 ** (keys.length - 1 - j);
  const all = 2 ** keys.length - 1;
  const setOf = new Map(chunk.map((_c, k) => [counted[k] ? all - bit(keyAt[k]!) : all - bit(keyAt[k]!) - bit(keyAt[k]! + 1), k]));
  const values = chunk.map((): [number, number][] => []);
  const texts = chunk.map((_c, k): TopValue[] | null => (counted[k] ? [] : null));
  const histograms = chunk.map((): [number, number][] => []);
  const outliers = chunk.map(() => 0);
  for (const row of rows) {
    const k = setOf.get(num(row[0]) ?? -1);
    if (k === undefined) continue;
    const c = num(row[row.length - 1]) ?? 0;
    const at = shownAt[k]!;
    if (counted[k]) {
      // Missing values have no group; NaN and ±Infinity are values to list but take no part in the statistics.
      if (row[at + 1] === null || row[at + 1] === undefined) continue;
      texts[k]!.push({ value: String(row[at + 1]), count: c });
      const v = row[at];
      if (typeof v === 'number' && Number.isFinite(v)) values[k]!.push([v, c]);
      continue;
    }
    const bin = row[at];
    // Missing and non-finite values have no bin.
    if (typeof bin !== 'number' || !Number.isFinite(bin)) continue;
    histograms[k]!.push([bin, c]);
    if (row[at + 1] === true) outliers[k]! += c;
  }
  return chunk.map((item, k) => {
    let part = parts[k]!;
    if (counted[k]) {
      const counts = values[k]!.sort((a, b) => a[0] - b[0]);
      const d = (v: number): number => v - item.facts.mean!;
      const at = (position: number): number => {
        let seen = 0;
        for (const [v, c] of counts) if ((seen += c) > position) return v;
        return counts.at(-1)![0];
      };
      const n = item.facts.finite;
      const quantiles = QUANTILES.map((p) => {
        // DuckDB's quantile_cont: position (n−1)·p, linear between the order statistics either side.
        const h = (n - 1) * p;
        const lo = at(Math.floor(h));
        return Math.floor(h) === Math.ceil(h) ? lo : lo + (at(Math.ceil(h)) - lo) * (h - Math.floor(h));
      });
      const zeros = counts.reduce((z, [v, c]) => (v === 0 ? z + c : z), 0);
      const m2 = counts.reduce((sum, [v, c]) => sum + c * d(v) * d(v), 0);
      const m3 = counts.reduce((sum, [v, c]) => sum + c * d(v) * d(v) * d(v), 0);
      part = pending(item, quantiles, zeros, m2, m3);
      const { low, width } = part.bins;
      const { lowFence, highFence } = part.stats.outliers;
      for (const [v, c] of counts) {
        histograms[k]!.push([Math.floor((v - low) / width), c]);
        if (v < lowFence || v > highFence) outliers[k]! += c;
      }
    }
    const { low, width, bins } = part.bins;
    const { min, max } = item.facts;
    const histogram: HistogramBin[] = Array.from({ length: bins }, (_, i) => ({
      low: low + i * width,
      high: i === bins - 1 ? (width === 1 && low !== min ? low + bins * width : max!) : low + (i + 1) * width,
      count: 0,
    }));
    for (const [bin, c] of histograms[k]!) histogram[Math.min(Math.max(bin, 0), bins - 1)]!.count += c;
    part.stats.outliers.count = outliers[k]!;
    const n = item.facts.finite;
    const std = n > 1 ? Math.sqrt(part.m2 / (n - 1)) : null;
    // pandas' adjusted Fisher-Pearson: n·√(n−1)/(n−2) · m3 / m2^1.5 over centred sums.
    const skew = n > 2 && part.m2 > 0 ? ((n * Math.sqrt(n - 1)) / (n - 2)) * (part.m3 / part.m2 ** 1.5) : null;
    return { stats: { ...part.stats, std, skew }, histogram, valueCounts: texts[k]! };
  });
}

/** A column's statistics but for standard deviation, skew and outlier count, and its bins. */
function pending(item: Item, q: number[], zeros: number, m2: number, m3: number): Pending {
  const { column, present, facts } = item;
  const [p01, p05, p25, p50, p75, p95, p99] = q as [number, number, number, number, number, number, number];
  const iqr = p75 - p25;
  const [min, max, mean] = [facts.min!, facts.max!, facts.mean!];
  const stats: NumericStats = {
    min,
    max,
    mean,
    median: p50,
    std: null,
    quantiles: { p01, p05, p25, p50, p75, p95, p99 },
    skew: null,
    zeros,
    outliers: { count: 0, lowFence: p25 - 1.5 * iqr, highFence: p75 + 1.5 * iqr },
    nonFinite: present - facts.finite,
  };
  return { stats, bins: binning(min, max, facts.finite, isIntegerType(column.type) || column.type === 'DATE'), m2, m3 };
}
