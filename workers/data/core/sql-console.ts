import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { HostError } from '../../../shared/host/errors.js';
import { TABLE_NAME } from '../../../shared/protocol/data-worker.js';
import { MAX_QUERY_ROWS, type PartitionFilter, type QueryOutcome, type QueryTable } from '../../../shared/protocol/query.js';
import type { Schema, Table } from 'apache-arrow';
import type { Cell } from '../../../shared/protocol/data-worker.js';
import type { ColumnInfo } from '../../../shared/schema/project.js';
import { tableToRows } from './cells.js';
import { duckdbMessage, quoteIdent, quoteString } from './load-context.js';
import { checkReadOnly, errorPosition, lineAndColumn } from './sql-statement.js';

/**
 * The SQL console in the data worker. Each dataset is visible under its own name as a temporary view over its
 * open table, restricted to the training partition when the dataset is split (so the console cannot show test
 * rows either). One read-only statement runs inside a READ ONLY transaction, streamed: the first rows come back
 * with the total count. A statement DuckDB refuses is an outcome, not a failure: its message and position come back.
 */

export interface ConsoleAccess {
  conn: DuckDBConnection;
  table(name: string): { table: string };
  /** Records a table made here (materialize) as open, like a loaded file. */
  adopt(name: string): { table: string; rows: number; columns: ColumnInfo[] };
}

const invalid = (message: string) => new HostError('invalid-argument', message);

export async function runQuery(access: ConsoleAccess, args: { sql: string; tables: QueryTable[]; limit?: number }): Promise<QueryOutcome> {
  const sql = checkSql(args?.sql);
  const limit = Math.min(MAX_QUERY_ROWS, Math.max(0, Math.floor(args.limit ?? MAX_QUERY_ROWS)));
  const checked = checkReadOnly(sql);
  if (!checked.ok) return { kind: 'error', message: checked.message, ...lineAndColumn(sql, checked.offset) };
  const { conn } = access;
  const views = defineViews(access, args.tables);
  try {
    conn.query('BEGIN TRANSACTION READ ONLY');
    try {
      // Streamed batch by batch: the first rows are kept, the rest only counted, so a huge result costs no memory.
      const reader = await conn.send(checked.sql, true);
      const rows: Cell[][] = [];
      let totalRows = 0;
      let schema: Schema | undefined;
      for (const batch of reader) {
        schema ??= batch.schema;
        totalRows += batch.numRows;
        if (rows.length < limit) rows.push(...tableToRows(batch as unknown as Table).slice(0, limit - rows.length));
      }
      schema ??= (reader as { schema?: Schema }).schema;
      const columns = (schema?.fields ?? []).map((f) => ({ name: f.name, type: String(f.type) }));
      return { kind: 'rows', columns, rows, totalRows };
    } catch (err) {
      return sqlError(err, sql);
    } finally {
      conn.query('ROLLBACK');
    }
  } finally {
    dropViews(access, views);
  }
}

/** Runs a checked statement and keeps its result as the open table `into`; a refused statement throws. */
export function materialize(
  access: ConsoleAccess,
  args: { sql: string; tables: QueryTable[]; into: string },
): { table: string; rows: number; columns: ColumnInfo[] } {
  const sql = checkSql(args?.sql);
  if (typeof args.into !== 'string' || !TABLE_NAME.test(args.into)) throw invalid('materialize needs a plain table name to keep the result in.');
  const checked = checkReadOnly(sql);
  if (!checked.ok) throw invalid(checked.message);
  const views = defineViews(access, args.tables);
  try {
    access.conn.query(`CREATE OR REPLACE TABLE ${quoteIdent(args.into)} AS SELECT * FROM (${checked.sql}\n)`);
  } catch (err) {
    const outcome = sqlError(err, sql);
    throw invalid(outcome.kind === 'error' ? outcome.message : 'The query failed.');
  } finally {
    dropViews(access, views);
  }
  return access.adopt(args.into);
}

function checkSql(sql: unknown): string {
  if (typeof sql !== 'string' || sql.length > 100_000) throw invalid('A query is text of at most 100,000 characters.');
  return sql;
}

/**
 * Each dataset under its name, as a temporary view over its open table (its training partition when split).
 * The views live for one statement: a temporary view would hide a table of the same name from later requests.
 */
function defineViews(access: ConsoleAccess, tables: QueryTable[]): string[] {
  if (!Array.isArray(tables) || tables.length > 200) throw invalid('A query names at most 200 datasets.');
  // Tables are named with their schema, so a view may carry its own table's name without binding to itself.
  const database = String(access.conn.query('SELECT current_database()').getChildAt(0)?.get(0));
  const views: string[] = [];
  for (const t of tables) {
    if (typeof t?.name !== 'string' || t.name.length === 0 || t.name.length > 200) throw invalid('Each dataset needs a name of 1 to 200 characters.');
    const open = access.table(t.table);
    const where = t.partition === undefined ? '' : ` WHERE rowid IN (${partitionRows(t.partition, database)})`;
    const from = `${quoteIdent(database)}.main.${quoteIdent(open.table)}`;
    access.conn.query(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(t.name)} AS SELECT * FROM ${from}${where}`);
    views.push(t.name);
  }
  return views;
}

function dropViews(access: ConsoleAccess, views: string[]): void {
  for (const name of views) access.conn.query(`DROP VIEW IF EXISTS temp.main.${quoteIdent(name)}`);
}

export function partitionRows(p: PartitionFilter, database?: string): string {
  if (typeof p?.table !== 'string' || !TABLE_NAME.test(p.table) || typeof p.column !== 'string' || typeof p.value !== 'string') {
    throw invalid('A partition is { table, column, value }: a split table, its partition column and the partition to keep.');
  }
  const table = database === undefined ? quoteIdent(p.table) : `${quoteIdent(database)}.main.${quoteIdent(p.table)}`;
  return `SELECT rowid FROM ${table} WHERE ${quoteIdent(p.column)} = ${quoteString(p.value)}`;
}

function sqlError(err: unknown, sql: string): QueryOutcome {
  const text = duckdbMessage(err);
  const position = errorPosition(text, sql);
  const message = text.split('\n\n')[0]!.replace(/\n/g, ' ').trim();
  return { kind: 'error', message, ...position };
}

/**
 * DuckDB reads any path the process can (read_csv('/etc/…'), or a quoted file name after FROM). The host's
 * worker loads its tables first and then switches file access off for good, so a query cannot reach the disk
 * whatever the statement check missed. (It cannot be switched back on, hence a worker of its own.)
 */
export function lockFiles(access: ConsoleAccess): { locked: true } {
  access.conn.query('SET enable_external_access = false');
  return { locked: true };
}
