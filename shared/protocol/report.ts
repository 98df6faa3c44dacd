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

/** Two columns plotted against each other, coloured by a third (usually the target). */
export interface PairPlotArgs {
  table: string;
  x: string;
  y: string;
  color?: string | null;
  partition?: PartitionFilter | null;
  missingTokens?: string[];
  /** Most points of a scatter (default 5,000, at most 20,000); a bigger table is sampled, seeded. */
  maxPoints?: number;
}

/** One box of a box plot: a category (or "other") and, when coloured, one colour class within it. */
export interface PairBox {
  category: string;
  /** True for the box of every category past the top 20 together. */
  other: boolean;
  /** The colour class (its text), null for rows whose colour is missing or when not coloured. */
  color: string | null;
  count: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
  /** The most extreme values within 1.5 IQR of the box. */
  lowerWhisker: number;
  upperWhisker: number;
  /** Values beyond the whiskers, most extreme first, at most 200; `outlierCount` counts them all. */
  outliers: number[];
  outlierCount: number;
}

interface PairPlotBase {
  x: string;
  y: string;
  /** The colour column actually used (null when none, or when it has too many classes to split boxes by). */
  color: string | null;
  /** Rows described (the training partition once split), and those with both x and y present. */
  totalRows: number;
  pairedRows: number;
  /** Why the colour was not used, when one was asked for. */
  colorNote: string | null;
}

export type PairPlot =
  | (PairPlotBase & {
      kind: 'scatter';
      /** Dates are plotted as epoch milliseconds. */
      xDate: boolean;
      yDate: boolean;
      colorType: 'nominal' | 'quantitative' | null;
      /** `row` is the row's place in the table (DuckDB rowid), so a point can be traced back. */
      points: { row: number; x: number; y: number; color: string | number | null }[];
      sampled: boolean;
      seed: number;
    })
  | (PairPlotBase & {
      kind: 'box';
      /** Which axis holds the categories; the other holds the values. */
      categoryAxis: 'x' | 'y';
      boxes: PairBox[];
    })
  | (PairPlotBase & {
      kind: 'counts';
      /** Rows per pair of categories (top 20 of each, the rest as "other"). */
      cells: { x: string; y: string; xOther: boolean; yOther: boolean; count: number }[];
    });

export interface ReportRequests {
  /** The data quality report of an open table (see shared/data/report.ts). */
  profile: { args: ProfileArgs; result: QualityReport };
  /** The rows matching every filter, in file order, and how many there are; `limit` is capped at MAX_PAGE_ROWS. */
  rows: { args: RowsArgs; result: { total: number; rows: Cell[][] } };
  /** Two columns against each other: a seeded sample of points, box-plot aggregates or a count table. */
  pairPlot: { args: PairPlotArgs; result: PairPlot };
}
