import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { HostError } from '../../../../shared/host/errors.js';
import { TABLE_NAME } from '../../../../shared/protocol/data-worker.js';
import type { PartitionFilter } from '../../../../shared/protocol/query.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { quoteIdent, quoteString } from '../load-context.js';
import { partitionRows as splitPartitionRows } from '../sql-console.js';

/**
 * What the report and the row filter read from: the open table, with the caller's missing-value tokens turned
 * into NULL and, when a partition is given, only that partition's rows. Every statement the report runs selects
 * from `source.from`, so the training-only rule and the missing tokens hold everywhere at once.
 */

/** The part of an open table the report needs. */
export interface ProfiledTable {
  table: string;
  columns: ColumnInfo[];
  /** The engine's SELECT list for pages (types Arrow renders badly cast to text). */
  selectList: string;
}

/** What the report requests need from the engine: its connection and its open tables by name. */
export interface ReportAccess {
  conn: DuckDBConnection;
  table(name: string): ProfiledTable;
}

export interface ProfileSource {
  /** A parenthesised subquery with an alias, to put after FROM. */
  from: string;
  /** "train" for a partition, or null for the whole table. */
  partition: string | null;
  /** Float columns known to hold NaN or ±Infinity (the report learns them in its overview). */
  nonFinite?: ReadonlySet<string>;
}

const MAX_TOKENS = 50;

export function invalid(message: string): HostError {
  return new HostError('invalid-argument', message);
}

/** Checks the caller's tokens: short strings, at most 50 of them. */
export function checkTokens(tokens: unknown): string[] {
  if (tokens === undefined || tokens === null) return [];
  if (!Array.isArray(tokens) || tokens.length > MAX_TOKENS || !tokens.every((t) => typeof t === 'string' && t.length <= 100)) {
    throw invalid(`Missing-value tokens must be a list of at most ${MAX_TOKENS} short texts.`);
  }
  return tokens as string[];
}

/**
 * The rows to describe. A partition is named, never written as SQL by the caller: `partition.table` is an open
 * split table with a `rowid` column (the described table's DuckDB rowid) and `partition.column` holding each
 * row's partition name; only rows whose name is `partition.value` are read (see shared/protocol/query.ts).
 */
export function buildSource(
  conn: DuckDBConnection,
  open: ProfiledTable,
  opts: { missingTokens?: unknown; partition?: PartitionFilter | null; withRowNumber?: boolean },
): ProfileSource {
  const tokens = checkTokens(opts.missingTokens);
  const list = open.columns.map((c) => {
    const name = quoteIdent(c.name);
    if (tokens.length === 0 || !isText(c.type)) return name;
    return `CASE WHEN ${name} IN (${tokens.map(quoteString).join(', ')}) THEN NULL ELSE ${name} END AS ${name}`;
  });
  if (opts.withRowNumber === true) list.push(`rowid AS "__orchard_row"`);
  let where = '';
  const partition = opts.partition ?? null;
  if (partition !== null) {
    where = ` WHERE rowid IN (${partitionRows(conn, partition)})`;
  }
  const select = list.length === 0 ? '1 AS "__orchard_none"' : list.join(', ');
  return { from: `(SELECT ${select} FROM ${quoteIdent(open.table)}${where}) AS src`, partition: partition?.value ?? null };
}

function partitionRows(conn: DuckDBConnection, p: PartitionFilter): string {
  if (typeof p !== 'object' || typeof p.table !== 'string' || !TABLE_NAME.test(p.table) || typeof p.column !== 'string' || typeof p.value !== 'string') {
    throw invalid('A partition is { table, column, value }: an open table, one of its columns and the partition to keep.');
  }
  let names: string[];
  try {
    names = textColumn(conn.query(`SELECT column_name FROM (DESCRIBE ${quoteIdent(p.table)})`));
  } catch {
    throw new HostError('not-found', `No partition table named ${p.table} is open.`);
  }
  if (!names.includes('rowid') || !names.includes(p.column)) {
    throw invalid(`The partition table ${p.table} needs a "rowid" column and a "${p.column.slice(0, 60)}" column.`);
  }
  return splitPartitionRows(p);
}

function textColumn(result: { numRows: number; getChildAt(i: number): { get(r: number): unknown } | null }): string[] {
  const out: string[] = [];
  const child = result.getChildAt(0);
  for (let r = 0; r < result.numRows; r++) out.push(String(child?.get(r)));
  return out;
}

/** Rows of a query as arrays of plain values: BIGINTs as numbers, lists as arrays, dates as they come. */
export function queryRows(conn: DuckDBConnection, sql: string): unknown[][] {
  const result = conn.query(sql);
  const columns = result.schema.fields.map((_f, i) => result.getChildAt(i));
  const rows: unknown[][] = [];
  for (let r = 0; r < result.numRows; r++) rows.push(columns.map((c) => plain(c?.get(r))));
  return rows;
}

/** The single row of an aggregate query. */
export function queryRow(conn: DuckDBConnection, sql: string): unknown[] {
  return queryRows(conn, sql)[0] ?? [];
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object' && 'toArray' in value && typeof value.toArray === 'function') {
    return Array.from(value.toArray() as ArrayLike<unknown>, plain);
  }
  return value;
}

/** A number from an aggregate, or null for NULL/NaN. */
export function num(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isNaN(n) ? null : n;
}

/** A number literal for SQL (finite numbers only, written so DuckDB reads back the same double). */
export function literal(n: number): string {
  if (!Number.isFinite(n)) throw invalid(`${n} is not a finite number.`);
  return `CAST(${String(n)} AS DOUBLE)`;
}

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/;
const INTEGER = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))$/;
const DATE = /^(DATE|TIMESTAMP.*)$/;

export const isNumericType = (type: string): boolean => NUMERIC.test(type);
export const isIntegerType = (type: string): boolean => INTEGER.test(type);
export const isDateType = (type: string): boolean => DATE.test(type);
export const isText = (type: string): boolean => type === 'VARCHAR';

/** The column as a number for statistics and range filters: dates as epoch milliseconds. */
export function numberExpr(column: ColumnInfo): string {
  return numberOf(column, quoteIdent(column.name));
}

/** `sql`, a value of `column`'s type, as a number (dates as epoch milliseconds). */
export function numberOf(column: ColumnInfo, sql: string): string {
  return isDateType(column.type) ? `epoch_ms(CAST(${sql} AS TIMESTAMP))` : `CAST(${sql} AS DOUBLE)`;
}

/** Types whose values can be NaN or ±Infinity. */
export const isFloatType = (type: string): boolean => /^(FLOAT|DOUBLE|REAL)$/.test(type);

/** The column as text, as top values show it and equality filters compare it. */
export function textExpr(column: ColumnInfo): string {
  return `CAST(${quoteIdent(column.name)} AS VARCHAR)`;
}
