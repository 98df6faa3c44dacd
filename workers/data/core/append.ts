import { HostError } from '../../../shared/host/errors.js';
import { compareColumns } from '../../../shared/data/compare-columns.js';
import type { TableInfo } from '../../../shared/protocol/data-worker.js';
import type { ColumnInfo } from '../../../shared/schema/project.js';
import { quoteIdent } from './load-context.js';
import { missingCounts } from './shape.js';
import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';

/** What appending needs from the engine: its connection, its open tables, and adopting a rebuilt one. */
export interface AppendAccess {
  conn: DuckDBConnection;
  table(name: string): { table: string; columns: ColumnInfo[] };
  adopt(name: string): TableInfo;
}

let appends = 0;

/**
 * Appends the open table `from` to the open table `table` (files dropped together), matching columns by name;
 * DuckDB's UNION ALL BY NAME picks a common type where they differ (BIGINT and DOUBLE give DOUBLE). Refuses
 * with `conflict` and the differences when the columns do not match. `from` is left for the caller to close.
 */
export function appendTables(access: AppendAccess, args: { table: string; from: string; fromName?: string; tableName?: string }): TableInfo {
  const into = access.table(args.table);
  const from = access.table(args.from);
  const differences = compareColumns({ name: args.tableName ?? 'the first file', columns: into.columns }, { name: args.fromName ?? 'the other file', columns: from.columns });
  if (differences.length > 0) throw new HostError('conflict', `These files cannot be appended: ${differences.join(' ')}`);
  const staging = `__orchard_append_${++appends}`;
  const { conn } = access;
  conn.query(`CREATE TABLE ${quoteIdent(staging)} AS SELECT * FROM ${quoteIdent(into.table)} UNION ALL BY NAME SELECT * FROM ${quoteIdent(from.table)}`);
  conn.query('BEGIN TRANSACTION');
  try {
    conn.query(`DROP TABLE ${quoteIdent(into.table)}`);
    conn.query(`ALTER TABLE ${quoteIdent(staging)} RENAME TO ${quoteIdent(into.table)}`);
    conn.query('COMMIT');
  } catch (err) {
    conn.query('ROLLBACK');
    conn.query(`DROP TABLE IF EXISTS ${quoteIdent(staging)}`);
    throw err;
  }
  const info = access.adopt(into.table);
  const missing = missingCounts(conn, into.table, info.columns);
  const kinds = new Map(into.columns.map((c) => [c.name, c.kind]));
  const columns: ColumnInfo[] = info.columns.map((c, i) => {
    const kind = kinds.get(c.name);
    return { ...c, ...(kind === undefined ? {} : { kind }), missing: missing[i] ?? 0 };
  });
  return { ...info, columns };
}
