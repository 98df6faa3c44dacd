import { tableFromArrays, tableToIPC, type Table } from 'apache-arrow';
import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { HostError } from '../../../shared/host/errors.js';
import { checkFractions, groupSplit, PARTITIONS, partitionCounts, randomSplit, stratifiedSplit, timeSplit } from '../../../shared/data/split.js';
import { splitTableOf, type PartitionFilter, type SplitAssignment } from '../../../shared/protocol/query.js';
import { MAX_SPLIT_CLASSES, validateSplitSpec, type ClassCounts, type SplitSpec, type SplitSummary } from '../../../shared/schema/split.js';
import { quoteIdent } from './load-context.js';
import { partitionRows } from './sql-console.js';

/**
 * Splits in the data worker: the column a split needs (target, time or group) is read out of DuckDB as typed
 * arrays, the pure functions of shared/data/split.ts assign every row, and the assignment is registered as the
 * table `<table>__split (rowid, partition)`, which the report and the row pages filter on.
 */

/** What a split needs from the engine: its connection and an open table's shape. */
export interface SplitAccess {
  conn: DuckDBConnection;
  table(name: string): { table: string; rows: number; columns: { name: string; type: string }[]; byRowId: boolean };
}

const invalid = (message: string) => new HostError('invalid-argument', message);

export function assignSplit(access: SplitAccess, args: { table: string; spec: SplitSpec }): SplitAssignment {
  const open = access.table(args?.table);
  if (!open.byRowId) throw invalid(`${open.table} has its own column named "rowid"; rename it before splitting.`);
  let spec: SplitSpec;
  try {
    spec = validateSplitSpec(args.spec, 'spec');
    checkFractions(spec.fractions);
  } catch (err) {
    throw invalid(err instanceof Error ? err.message : String(err));
  }
  const column = (name: string | undefined, role: string): string => {
    if (name === undefined) throw invalid(`A ${spec.method} split needs a ${role} column.`);
    const found = open.columns.find((c) => c.name === name);
    if (found === undefined) throw invalid(`${open.table} has no column named "${name}".`);
    return found.name;
  };
  const { fractions, seed } = spec;
  let codes: Uint8Array;
  let target: ClassCodes | undefined;
  switch (spec.method) {
    case 'random':
      codes = randomSplit(open.rows, fractions, seed);
      break;
    case 'stratified': {
      const name = column(spec.target, 'target');
      const type = open.columns.find((c) => c.name === name)!.type;
      target = isContinuous(access.conn, open, name, type) ? quantileCodes(access.conn, open, name) : classCodes(access.conn, open, name, MAX_SPLIT_CLASSES);
      codes = stratifiedSplit(target.codes, fractions, seed);
      break;
    }
    case 'time': {
      const name = column(spec.timeColumn, 'date or time');
      const type = open.columns.find((c) => c.name === name)!.type;
      codes = timeSplit(timeValues(access.conn, open, name, type), fractions, spec.gap);
      break;
    }
    case 'group': {
      const groups = classCodes(access.conn, open, column(spec.groupColumn, 'group'), Infinity);
      if (spec.target !== undefined) target = classCodes(access.conn, open, column(spec.target, 'target'), MAX_SPLIT_CLASSES);
      codes = groupSplit(groups.codes, fractions, seed, target?.codes);
      break;
    }
  }
  const summary = attachSplit(access, { table: open.table, codes });
  if (target !== undefined) summary.classes = classSummary(target, codes);
  return { codes, summary };
}

/** Registers `codes` (one per row, in row order) as `<table>__split`, replacing an earlier one. */
export function attachSplit(access: SplitAccess, args: { table: string; codes: Uint8Array }): SplitSummary {
  const open = access.table(args?.table);
  const codes = args.codes;
  if (!(codes instanceof Uint8Array) || codes.length !== open.rows) {
    throw invalid(`The split has ${codes instanceof Uint8Array ? codes.length : 0} rows but ${open.table} has ${open.rows}: it belongs to other data.`);
  }
  const rowid = new Uint32Array(codes.length);
  for (let i = 0; i < rowid.length; i++) rowid[i] = i;
  const ipc = tableToIPC(tableFromArrays({ rowid, code: codes }), 'stream');
  const split = quoteIdent(splitTableOf(open.table));
  const staging = quoteIdent(`${splitTableOf(open.table)}_codes`);
  const { conn } = access;
  conn.query(`DROP TABLE IF EXISTS ${staging}`);
  conn.insertArrowFromIPCStream(ipc, { name: `${splitTableOf(open.table)}_codes`, create: true });
  try {
    conn.query(
      `CREATE OR REPLACE TABLE ${split} AS SELECT rowid::BIGINT AS rowid, ` +
        `CASE code WHEN 0 THEN 'train' WHEN 1 THEN 'validation' WHEN 2 THEN 'test' END AS partition FROM ${staging}`,
    );
    // Per partition, its rows in order: the DuckDB rowid of this table is a row's place in its partition, so a
    // page of a partition is a rowid range here (pushed into the scan), not an OFFSET over the whole table.
    for (const [code, name] of PARTITIONS.entries()) {
      conn.query(`CREATE OR REPLACE TABLE ${quoteIdent(`${splitTableOf(open.table)}_${name}`)} AS SELECT rowid::BIGINT AS "row" FROM ${staging} WHERE code = ${code} ORDER BY rowid`);
    }
  } finally {
    conn.query(`DROP TABLE IF EXISTS ${staging}`);
  }
  return { rows: codes.length, counts: partitionCounts(codes) };
}

interface ClassCodes {
  /** Per row, the class's index in `labels`. */
  codes: Int32Array;
  labels: string[];
}

/** A column as dense class codes in row order (values sorted, missing last and shown as "(missing)"); no labels for groups. */
function classCodes(conn: DuckDBConnection, open: { table: string; rows: number }, name: string, maxClasses: number): ClassCodes {
  const col = quoteIdent(name);
  const from = quoteIdent(open.table);
  if (maxClasses === Infinity) return { codes: rankCodes(conn, open, col, from), labels: [] };
  const labelsResult = conn.query(`SELECT CAST(v AS VARCHAR) AS v FROM (SELECT DISTINCT ${col} AS v FROM ${from}) ORDER BY v NULLS LAST`);
  if (labelsResult.numRows > maxClasses) {
    throw invalid(`"${name}" has ${labelsResult.numRows} different values; a stratified split needs a target with at most ${maxClasses} classes. Choose a random or group split instead.`);
  }
  const labelVector = labelsResult.getChildAt(0);
  const labels = Array.from({ length: labelsResult.numRows }, (_, i) => {
    const value = labelVector?.get(i) as string | null | undefined;
    return value === null || value === undefined ? '(missing)' : String(value);
  });
  return { codes: rankCodes(conn, open, col, from), labels };
}

/** A numeric target with more distinct values than this is stratified on its quantile bins, not its values. */
export const CONTINUOUS_MIN_DISTINCT = 20;
/** How many quantile bins a continuous target is stratified on. */
export const TARGET_QUANTILES = 10;

function isContinuous(conn: DuckDBConnection, open: { table: string }, name: string, type: string): boolean {
  if (!NUMBER_TYPES.test(type)) return false;
  const distinct = Number(conn.query(`SELECT count(DISTINCT ${quoteIdent(name)})::DOUBLE FROM ${quoteIdent(open.table)}`).getChildAt(0)?.get(0) ?? 0);
  return distinct > CONTINUOUS_MIN_DISTINCT;
}

/**
 * A continuous target as TARGET_QUANTILES bins of (nearly) equal size, so every partition gets its share of low,
 * middle and high values; missing values are a class of their own. Labels name each bin's range. Ties are
 * broken by row, so a bin's edge falls on the same rows whatever the thread count (DuckDB's sort is not stable).
 */
function quantileCodes(conn: DuckDBConnection, open: { table: string; rows: number }, name: string): ClassCodes {
  const col = quoteIdent(name);
  const result = conn.query(
    `SELECT rowid::UINTEGER AS r, CASE WHEN ${col} IS NULL THEN ${TARGET_QUANTILES} ELSE ntile(${TARGET_QUANTILES}) OVER (PARTITION BY ${col} IS NULL ORDER BY ${col}, rowid) - 1 END::INTEGER AS c, ${col}::DOUBLE AS v FROM ${quoteIdent(open.table)}`,
  );
  const rows = result.getChildAt(0)?.toArray() as Uint32Array;
  const bins = result.getChildAt(1)?.toArray() as Int32Array;
  const values = result.getChildAt(2);
  const codes = new Int32Array(open.rows);
  const lo = new Float64Array(TARGET_QUANTILES + 1).fill(Infinity);
  const hi = new Float64Array(TARGET_QUANTILES + 1).fill(-Infinity);
  for (let i = 0; i < rows.length; i++) {
    const bin = bins[i]!;
    codes[rows[i]!] = bin;
    const v = values?.get(i) as number | null;
    if (v !== null && v !== undefined) {
      lo[bin] = Math.min(lo[bin]!, v);
      hi[bin] = Math.max(hi[bin]!, v);
    }
  }
  const used = [...new Set(bins)].sort((a, b) => a - b);
  const dense = new Int32Array(TARGET_QUANTILES + 1).fill(-1);
  used.forEach((bin, k) => (dense[bin] = k));
  for (let i = 0; i < codes.length; i++) codes[i] = dense[codes[i]!]!;
  const labels = used.map((bin) => (bin === TARGET_QUANTILES ? '(missing)' : `${formatBound(lo[bin]!)} to ${formatBound(hi[bin]!)}`));
  return { codes, labels };
}

const formatBound = (x: number): string => String(Number(x.toPrecision(4)));

/** Per row (by rowid), the rank of its value among the column's distinct values, from 0; missing ranks last. */
function rankCodes(conn: DuckDBConnection, open: { rows: number }, col: string, from: string): Int32Array {
  const result = conn.query(`SELECT rowid::UINTEGER AS r, (dense_rank() OVER (ORDER BY ${col} NULLS LAST) - 1)::INTEGER AS c FROM ${from}`);
  const rows = result.getChildAt(0)?.toArray() as Uint32Array;
  const ranks = result.getChildAt(1)?.toArray() as Int32Array;
  const codes = new Int32Array(open.rows);
  for (let i = 0; i < rows.length; i++) codes[rows[i]!] = ranks[i]!;
  return codes;
}

const DATE_TYPES = /^(DATE|TIMESTAMP.*)$/;
const NUMBER_TYPES = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL.*)$/;

/** The time column as numbers in row order: days since 1970 for dates and times, the value for numbers, NaN if missing. */
function timeValues(conn: DuckDBConnection, open: { table: string; rows: number }, name: string, type: string): Float64Array {
  const col = quoteIdent(name);
  const expr = DATE_TYPES.test(type)
    ? `epoch(${col}) / 86400.0`
    : NUMBER_TYPES.test(type)
      ? `${col}::DOUBLE`
      : `epoch(TRY_CAST(${col} AS TIMESTAMP)) / 86400.0`;
  const result = conn.query(`SELECT rowid::UINTEGER AS r, COALESCE((${expr})::DOUBLE, 'NaN'::DOUBLE) AS t FROM ${quoteIdent(open.table)}`);
  const rows = result.getChildAt(0)?.toArray() as Uint32Array;
  const values = result.getChildAt(1)?.toArray() as Float64Array;
  const times = new Float64Array(open.rows).fill(Number.NaN);
  for (let i = 0; i < rows.length; i++) times[rows[i]!] = values[i]!;
  if (!times.some((t) => !Number.isNaN(t))) throw invalid(`"${name}" holds no dates, times or numbers to order the rows by.`);
  return times;
}

function classSummary(target: ClassCodes, codes: Uint8Array): ClassCounts[] {
  const counts = target.labels.map(() => [0, 0, 0] as [number, number, number]);
  for (let i = 0; i < codes.length; i++) if (codes[i]! < 3) counts[target.codes[i]!]![codes[i]!]! += 1;
  return target.labels.map((label, i) => ({ label, counts: counts[i]! }));
}

/** One page of a partition: by its split table's `pos` when it has one, else by OFFSET over the filtered rows. */
export function partitionPage(conn: DuckDBConnection, from: string, p: PartitionFilter, offset: number, limit: number): string {
  const filter = partitionRows(p); // checks the filter's shape first
  const range = partitionPageFilter(conn, p, offset, limit);
  if (range !== null) return `${from} WHERE ${range} ORDER BY rowid`;
  return `${from} WHERE rowid IN (${filter}) ORDER BY rowid LIMIT ${limit} OFFSET ${offset}`;
}

/**
 * The rows of one page of a partition: their row ids, read by range from the partition's own table (see
 * attachSplit), as a filter on the data table. Null when there is no such table (a split made elsewhere).
 */
function partitionPageFilter(conn: DuckDBConnection, p: PartitionFilter, offset: number, limit: number): string | null {
  const picked = `SELECT "row" FROM ${quoteIdent(`${p.table}_${p.value}`)} WHERE rowid >= ${offset} AND rowid < ${offset + limit}`;
  let range: Table;
  try {
    range = conn.query(`SELECT min("row")::DOUBLE, max("row")::DOUBLE FROM (${picked})`);
  } catch {
    return null;
  }
  const lo = range.getChildAt(0)?.get(0) as number | null;
  const hi = range.getChildAt(1)?.get(0) as number | null;
  if (lo === null || hi === null) return 'false';
  return `rowid >= ${lo} AND rowid <= ${hi} AND rowid IN (${picked})`;
}

/** Drops the split tables of `table` (when it is closed). */
export function dropSplit(conn: DuckDBConnection, table: string): void {
  for (const name of [splitTableOf(table), ...PARTITIONS.map((p) => `${splitTableOf(table)}_${p}`)]) {
    conn.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
  }
}
