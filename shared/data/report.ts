/**
 * The data quality report: what the data worker learns about a table, as plain JSON. Only aggregates: counts,
 * statistics, histogram bins and top values, never rows, so a report is small however big the table.
 *
 * Definitions (checked against pandas/SciPy by test/fixtures/profile, made by scripts/fixtures/make_profile_fixtures.py):
 * - `std` is the sample standard deviation (ddof = 1), as pandas `Series.std()`.
 * - quantiles interpolate linearly between order statistics (DuckDB `quantile_cont`, pandas' default).
 * - `skew` is the adjusted Fisher-Pearson coefficient G1, as pandas `Series.skew()`.
 * - correlations use the rows where both columns have a value (pandas `DataFrame.corr`); Spearman ranks ties
 *   by their average rank; Cramér's V is bias-uncorrected, from the chi-squared statistic without Yates' correction.
 */

/** What a column holds, in an analyst's words. */
export type ReportColumnKind = 'numeric' | 'categorical' | 'boolean' | 'date' | 'text' | 'id-like';

export interface HistogramBin {
  /** Lower edge (inclusive). */
  low: number;
  /** Upper edge: exclusive, except for the last bin, which includes it. */
  high: number;
  count: number;
}

export interface TopValue {
  /** The value as text (numbers and booleans included), as it would be filtered on. */
  value: string;
  count: number;
}

export interface Quantiles {
  p01: number;
  p05: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  p99: number;
}

export interface NumericStats {
  min: number;
  max: number;
  mean: number;
  median: number;
  /** Sample standard deviation (ddof = 1); null with fewer than two values. */
  std: number | null;
  quantiles: Quantiles;
  /** Adjusted Fisher-Pearson skewness (pandas `skew()`); null with fewer than three values or no spread. */
  skew: number | null;
  zeros: number;
  /** Values outside the IQR fences (below p25 − 1.5·IQR or above p75 + 1.5·IQR). */
  outliers: { count: number; lowFence: number; highFence: number };
  /** NaN and ±Infinity values, which take no part in the statistics. */
  nonFinite: number;
}

export interface ColumnFlags {
  constant: boolean;
  /** The most common value covers at least 99% of the values present. */
  nearConstant: boolean;
  highCardinality: boolean;
  idLike: boolean;
}

export interface ColumnProfile {
  name: string;
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR. */
  type: string;
  kind: ReportColumnKind;
  /** Values present (rows minus missing). */
  count: number;
  missing: number;
  /** Missing as a share of rows, 0..1. */
  missingShare: number;
  /** Distinct values present (missing not counted). */
  unique: number;
  flags: ColumnFlags;
  numeric: NumericStats | null;
  /** Equal-width bins over the finite values of a numeric or date column (dates as epoch milliseconds). */
  histogram: HistogramBin[] | null;
  /** The most common values of a categorical, boolean, text or id-like column; `other` counts the rest. */
  topValues: { values: TopValue[]; other: number } | null;
  /** Date columns: first and last as ISO text. */
  dateRange: { min: string; max: string } | null;
  /** Text columns: mean length in characters. */
  meanLength: number | null;
}

/** A column as the first pass sees it: enough to fill the table of columns before the statistics arrive. */
export type ColumnOverview = Pick<ColumnProfile, 'name' | 'type' | 'kind' | 'count' | 'missing' | 'missingShare' | 'unique'>;

export interface MissingPattern {
  /** The columns missing together in these rows (empty: rows with nothing missing among the columns shown). */
  missing: string[];
  rows: number;
}

export interface CorrelationMatrix {
  method: 'pearson' | 'spearman' | 'cramers-v';
  columns: string[];
  /** Square, symmetric, 1 on the diagonal; null where fewer than two rows have both values or one is constant. */
  values: (number | null)[][];
  /** Spearman on a table over 200,000 rows: from a seeded sample of 200,000 rows, each column ranked over its own values. */
  approximate?: true;
}

export interface ClassShare {
  value: string;
  count: number;
  share: number;
}

export interface FeatureAssociation {
  column: string;
  /** How it was measured: Cramér's V, univariate ROC AUC, correlation ratio η, Pearson, Spearman. */
  measure: 'cramers-v' | 'auc' | 'eta' | 'pearson' | 'spearman';
  value: number;
  /** The same relationship on 0..1, 1 meaning the column alone decides the target (|r|, max(AUC, 1−AUC)·2−1 …). */
  strength: number;
  /** A second measure where one helps (Spearman beside Pearson). */
  second?: { measure: 'spearman'; value: number };
}

export interface TargetAnalysis {
  column: string;
  /** 'classes' for a categorical, boolean or few-valued integer target, 'numeric' otherwise. */
  kind: 'classes' | 'numeric';
  /** Class balance, most common first (classes only). */
  classes: ClassShare[] | null;
  /** Binary targets: the less common class, read as "positive". */
  positive: ClassShare | null;
  /** Why the balance needs care, or null when it does not. */
  imbalance: string | null;
  /** Each other column against the target, strongest first. */
  features: FeatureAssociation[];
  /** Set when the AUCs come from a seeded sample of this many rows (tables larger than that). */
  sampledRows?: number;
}

export interface DatasetFacts {
  rows: number;
  columns: number;
  duplicateRows: number;
  /** DuckDB's in-memory size estimate for these values. */
  memoryBytes: number;
  /** The file's size on disk, when the caller knows it. */
  fileBytes: number | null;
  missingCells: number;
  missingPatterns: MissingPattern[];
}

export type WarningSeverity = 'high' | 'medium' | 'low';

export interface ReportWarning {
  severity: WarningSeverity;
  code: 'skew' | 'leakage' | 'id-like' | 'after-outcome' | 'constant' | 'near-constant' | 'missing' | 'high-cardinality' | 'duplicates' | 'imbalance';
  column?: string;
  message: string;
}

export interface QualityReport {
  table: string;
  /** Set when the report describes one partition only (the training rows). */
  partition: string | null;
  target: string | null;
  overview: ColumnOverview[];
  columns: ColumnProfile[];
  dataset: DatasetFacts | null;
  correlations: { pearson: CorrelationMatrix | null; spearman: CorrelationMatrix | null; cramersV: CorrelationMatrix | null } | null;
  targetAnalysis: TargetAnalysis | null;
  warnings: ReportWarning[];
}

/** One finished section, sent as progress while the rest is computed. */
export type ReportPart =
  | { section: 'overview'; table: string; rows: number; partition: string | null; target: string | null; overview: ColumnOverview[] }
  | { section: 'column'; index: number; column: ColumnProfile }
  | { section: 'dataset'; dataset: DatasetFacts }
  | { section: 'correlations'; correlations: NonNullable<QualityReport['correlations']> }
  | { section: 'target'; target: TargetAnalysis };

/** An empty report for `table`, to fill part by part. */
export function emptyReport(table: string): QualityReport {
  return { table, partition: null, target: null, overview: [], columns: [], dataset: null, correlations: null, targetAnalysis: null, warnings: [] };
}

/** The report with one more section in place (a new object; the old one is unchanged). */
export function applyReportPart(report: QualityReport, part: ReportPart): QualityReport {
  switch (part.section) {
    case 'overview':
      return { ...emptyReport(part.table), partition: part.partition, target: part.target, overview: part.overview };
    case 'column': {
      const columns = report.columns.slice();
      columns[part.index] = part.column;
      return { ...report, columns };
    }
    case 'dataset':
      return { ...report, dataset: part.dataset };
    case 'correlations':
      return { ...report, correlations: part.correlations };
    case 'target':
      return { ...report, targetAnalysis: part.target };
  }
}

/** Names that usually mean an identifier: id, user_id, CustomerID, uuid, key … */
export const ID_NAME = /(^|[_\s.-])(id|uuid|guid|key)$|^(id|uuid|guid)([_\s.-]|$)|[a-z]Id$|ID$/;

/** Names that usually mean a value recorded after the outcome it would predict. */
export const AFTER_OUTCOME_NAME = /duration|outcome|result|status_after|cancel|churned_at|refund/i;
