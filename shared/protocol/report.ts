import type { QualityReport } from '../data/report.js';
import type { Cell } from './data-worker.js';
import type { PartitionFilter } from './query.js';

/**
 * Messages of the data worker's quality-report requests (declared in `DataRequests`, data-worker.ts). While a
 * report is computed, each finished section arrives as a progress message with `partial` set.
 */

export interface ProfileArgs {
  table: string;
  /** A column to analyse the others against. */
  target?: string | null;
  /** Describe only these rows (the training partition once a split exists). Named, never raw SQL. */
  partition?: PartitionFilter | null;
  /** Text values to count as missing on top of the table's own nulls (e.g. "?"), for tables read without them. */
  missingTokens?: string[];
  /** The file's size on disk, shown beside the in-memory estimate. */
  fileBytes?: number | null;
}

/** Which rows to show behind a bar or a heatmap cell; every filter must hold. */
export interface RowFilter {
  column: string;
  /** between: low ≤ value < high (≤ high when `includeHigh`), dates compared as epoch milliseconds;
   *  eq: the value's text equals `value`; isnull / notnull: missing or present. */
  op: 'between' | 'eq' | 'isnull' | 'notnull';
  value?: string;
  low?: number;
  high?: number;
  includeHigh?: boolean;
}

export interface RowsArgs {
  table: string;
  filters: RowFilter[];
  offset: number;
  limit: number;
  partition?: PartitionFilter | null;
  missingTokens?: string[];
}

export interface ReportRequests {
  /** The data quality report of an open table (see shared/data/report.ts). */
  profile: { args: ProfileArgs; result: QualityReport };
  /** The rows matching every filter, in file order, and how many there are; `limit` is capped at MAX_PAGE_ROWS. */
  rows: { args: RowsArgs; result: { total: number; rows: Cell[][] } };
}
