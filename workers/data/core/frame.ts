import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { HostError } from '../../../shared/host/errors.js';
import type { FrameRequest } from '../../../shared/protocol/data-worker.js';
import { frameTypeOf, TEXT_MIN_DISTINCT_SHARE, TEXT_MIN_MEAN_LENGTH } from '../../../shared/ml/columns.js';
import type { Frame, FrameColumn } from '../../../shared/ml/types.js';
import type { ColumnInfo } from '../../../shared/schema/project.js';
import { quoteIdent } from './load-context.js';

/**
 * Columns out of DuckDB for training: every row in row order, numbers and dates as Float64Array (NaN missing),
 * categories as Int32Array codes into their sorted levels (-1 missing), text as strings. Casting happens in SQL
 * and each result column is copied once into its typed array, which then travels to the caller in the
 * transfer list.
 */

export interface FrameAccess {
  conn: DuckDBConnection;
  table(name: string): { table: string; rows: number; columns: ColumnInfo[]; byRowId: boolean };
}

export function readFrame(access: FrameAccess, args: FrameRequest): Frame {
  const open = access.table(args?.table);
  if (!open.byRowId) throw new HostError('invalid-argument', `${open.table} has its own column named "rowid"; rename it before training.`);
  if (!Array.isArray(args.columns) || args.columns.length === 0) throw new HostError('invalid-argument', 'Say which columns to read.');
  const from = quoteIdent(open.table);
  const columns = args.columns.map((wanted): FrameColumn => {
    const info = open.columns.find((c) => c.name === wanted?.name);
    if (info === undefined) throw new HostError('invalid-argument', `${open.table} has no column named "${String(wanted?.name)}".`);
    const col = quoteIdent(info.name);
    let type = wanted.type ?? frameTypeOf(info) ?? 'category';
    if (type === 'category' && wanted.type === undefined && looksLikeText(access.conn, from, col, open.rows)) type = 'text';
    switch (type) {
      case 'number':
        return { name: info.name, type, values: doubles(access.conn, from, `TRY_CAST(${col} AS DOUBLE)`, open.rows) };
      case 'datetime':
        return { name: info.name, type, values: doubles(access.conn, from, `epoch_ms(TRY_CAST(${col} AS TIMESTAMP))::DOUBLE`, open.rows) };
      case 'category':
        return { name: info.name, type, ...categories(access.conn, from, col, open.rows) };
      case 'text':
        return { name: info.name, type, values: texts(access.conn, from, col, open.rows) };
      default:
        throw new HostError('invalid-argument', `"${String(type)}" is not a column type a frame can hold.`);
    }
  });
  return { rowCount: open.rows, columns };
}

/** Free text rather than categories: mostly distinct values that are long on average (reviews, messages). */
function looksLikeText(conn: DuckDBConnection, from: string, col: string, rows: number): boolean {
  if (rows === 0) return false;
  const result = conn.query(`SELECT approx_count_distinct(${col})::DOUBLE, avg(length(CAST(${col} AS VARCHAR)))::DOUBLE FROM ${from}`);
  const distinct = Number(result.getChildAt(0)?.get(0) ?? 0);
  const meanLength = Number(result.getChildAt(1)?.get(0) ?? 0);
  return distinct >= rows * TEXT_MIN_DISTINCT_SHARE && meanLength >= TEXT_MIN_MEAN_LENGTH;
}

function doubles(conn: DuckDBConnection, from: string, expr: string, rows: number): Float64Array {
  const result = conn.query(`SELECT rowid::UINTEGER, COALESCE((${expr}), 'NaN'::DOUBLE) FROM ${from}`);
  return scatter(result.getChildAt(0)?.toArray() as Uint32Array, result.getChildAt(1)?.toArray() as Float64Array, new Float64Array(rows).fill(Number.NaN));
}

function categories(conn: DuckDBConnection, from: string, col: string, rows: number): { codes: Int32Array; levels: string[] } {
  const text = `CAST(${col} AS VARCHAR)`;
  const levelsResult = conn.query(`SELECT DISTINCT ${text} AS v FROM ${from} WHERE ${col} IS NOT NULL ORDER BY v`);
  const vector = levelsResult.getChildAt(0);
  const levels = Array.from({ length: levelsResult.numRows }, (_, i) => String(vector?.get(i)));
  const result = conn.query(`SELECT rowid::UINTEGER, CASE WHEN ${col} IS NULL THEN -1 ELSE (dense_rank() OVER (ORDER BY ${text}) - 1) END::INTEGER FROM ${from}`);
  const codes = scatter(result.getChildAt(0)?.toArray() as Uint32Array, result.getChildAt(1)?.toArray() as Int32Array, new Int32Array(rows).fill(-1));
  // NULLs sort last in DuckDB, so the ranks of present values are exactly the indices of the sorted levels.
  return { codes, levels };
}

function texts(conn: DuckDBConnection, from: string, col: string, rows: number): (string | null)[] {
  const result = conn.query(`SELECT rowid::UINTEGER, CAST(${col} AS VARCHAR) FROM ${from}`);
  const ids = result.getChildAt(0)?.toArray() as Uint32Array;
  const vector = result.getChildAt(1);
  const out: (string | null)[] = new Array<string | null>(rows).fill(null);
  for (let i = 0; i < ids.length; i++) {
    const value = vector?.get(i) as string | null | undefined;
    out[ids[i]!] = value ?? null;
  }
  return out;
}

function scatter<T extends Float64Array | Int32Array>(ids: Uint32Array, values: T, out: T): T {
  for (let i = 0; i < ids.length; i++) out[ids[i]!] = values[i]!;
  return out;
}
