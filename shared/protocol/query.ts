import type { ColumnInfo } from '../schema/project.js';
import type { SplitSpec, SplitSummary } from '../schema/split.js';
import type { Cell, DataRequests, DataRequestType } from './data-worker.js';

/**
 * Messages of the data worker's split and SQL requests (declared in `DataRequests`, data-worker.ts).
 */

/**
 * Restricts a request to one partition of a split: only rows of the data table whose `rowid` appears in
 * `table` with `column` = `value`. Split tables are `<table>__split` with columns (rowid, partition), the
 * partition being 'train', 'validation', 'test' or NULL (excluded).
 */
export interface PartitionFilter {
  table: string;
  column: string;
  value: string;
}

/** The split table registered for a data table. */
export function splitTableOf(table: string): string {
  return `${table}__split`;
}

/** The training partition of `table`'s split: what exploration shows once a split exists. */
export function trainingPartition(table: string): PartitionFilter {
  return { table: splitTableOf(table), column: 'partition', value: 'train' };
}

export interface SplitAssignment {
  /** One partition code per row (0 train, 1 validation, 2 test, 255 excluded). */
  codes: Uint8Array;
  summary: SplitSummary;
}

/** A table the SQL sees under `name` (a dataset's name), restricted to one partition when its dataset is split. */
export interface QueryTable {
  name: string;
  table: string;
  partition?: PartitionFilter;
}

/** The most result rows a query sends back; the total is still counted. */
export const MAX_QUERY_ROWS = 1000;

export type QueryOutcome =
  | { kind: 'rows'; columns: ColumnInfo[]; rows: Cell[][]; totalRows: number }
  /** DuckDB's message, or why the statement was refused; `line`/`column` (1-based) point into the SQL. */
  | { kind: 'error'; message: string; line?: number; column?: number };

export interface SplitQueryRequests {
  /** Reads the columns the spec needs, assigns every row and registers the assignment as `<table>__split`. */
  assignSplit: { args: { table: string; spec: SplitSpec }; result: SplitAssignment };
  /** Registers an assignment made earlier (a stored split) as `<table>__split`. */
  attachSplit: { args: { table: string; codes: Uint8Array }; result: SplitSummary };
  /** One read-only statement (SELECT, WITH, DESCRIBE, SUMMARIZE, PIVOT) over `tables`; the first rows back. */
  query: { args: { sql: string; tables: QueryTable[]; limit?: number }; result: QueryOutcome };
  /** Runs the same kind of statement and keeps its result as the table `into` (for saving as a dataset). */
  materialize: { args: { sql: string; tables: QueryTable[]; into: string }; result: { table: string; rows: number; columns: ColumnInfo[] } };
  /** Switches DuckDB's file access off for the rest of this worker's life (after its tables are loaded). */
  lockFiles: { args: Record<string, never>; result: { locked: true } };
}

/**
 * A data worker of one's own for one job (the host's splits and saved queries): a fresh worker that nothing
 * else uses, so its tables cannot clash with an import's and its settings (file access off) bind no one else.
 * `close` ends it.
 */
export interface DataSession {
  request<T extends DataRequestType>(type: T, args: DataRequests[T]['args']): Promise<DataRequests[T]['result']>;
  close(): Promise<void>;
}
