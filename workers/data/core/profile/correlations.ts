import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { ColumnOverview, CorrelationMatrix, QualityReport } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { cramersVPairs, pearsonPairs, spearmanPairs } from './associations.js';
import { SAMPLE_ROWS, type RowSample } from './sampled.js';
import type { ProfileSource } from './source.js';

/** The heatmaps: Pearson and Spearman over numeric columns, Cramér's V over categorical ones, ≤ 30 columns each. */

export const MAX_MATRIX_COLUMNS = 30;

/** Categorical columns with more categories than this are left out of Cramér's V (their tables are mostly empty). */
const MAX_CATEGORIES = 100;

/** The columns of the heatmaps: numbers for Pearson and Spearman, categories for Cramér's V (the target first in). */
export function matrixColumns(columns: ColumnInfo[], overview: ColumnOverview[], target: string | null): { numeric: ColumnInfo[]; categorical: ColumnInfo[] } {
  const info = new Map(columns.map((c) => [c.name, c]));
  const byUse = (a: ColumnOverview, b: ColumnOverview): number => Number(b.name === target) - Number(a.name === target) || a.missing - b.missing;
  const pick = (keep: (c: ColumnOverview) => boolean): ColumnInfo[] =>
    overview
      .filter((c) => c.unique > 1 && keep(c))
      .sort(byUse)
      .slice(0, MAX_MATRIX_COLUMNS)
      .sort((a, b) => overview.indexOf(a) - overview.indexOf(b))
      .map((c) => info.get(c.name)!);
  return {
    numeric: pick((c) => c.kind === 'numeric'),
    categorical: pick((c) => (c.kind === 'categorical' || c.kind === 'boolean') && c.unique <= MAX_CATEGORIES),
  };
}

/** `sample` gives the shared row sample (sampled.ts), taken on first use; only tables over SAMPLE_ROWS rows use it. */
export function correlationsOf(
  conn: DuckDBConnection,
  source: ProfileSource,
  columns: ColumnInfo[],
  overview: ColumnOverview[],
  target: string | null,
  sample: () => RowSample,
): NonNullable<QualityReport['correlations']> {
  const { numeric, categorical } = matrixColumns(columns, overview, target);
  const missing = new Set(overview.filter((c) => c.missing > 0).map((c) => c.name));
  const numericPairs = pairsOf(numeric);
  const rows = overview.reduce((n, c) => Math.max(n, c.count + c.missing), 0);
  // Above SAMPLE_ROWS rows, Spearman comes from a seeded sample (sampled.ts); the matrix then says `approximate`.
  const exact = rows <= SAMPLE_ROWS;
  const spearman = matrix('spearman', numeric, exact ? spearmanPairs(conn, source, numericPairs, (c) => missing.has(c.name)) : sample().spearman(numericPairs));
  return {
    pearson: matrix('pearson', numeric, pearsonPairs(conn, source, numericPairs)),
    spearman: spearman === null || exact ? spearman : { ...spearman, approximate: true },
    cramersV: matrix('cramers-v', categorical, cramersVPairs(conn, source, pairsOf(categorical))),
  };
}

/** The value of a pair in a matrix, or undefined when either column is not in it. */
export function matrixValue(m: CorrelationMatrix | null, a: string, b: string): number | null | undefined {
  const i = m?.columns.indexOf(a) ?? -1;
  const j = m?.columns.indexOf(b) ?? -1;
  return i < 0 || j < 0 ? undefined : m!.values[i]![j];
}

function pairsOf(columns: ColumnInfo[]): [ColumnInfo, ColumnInfo][] {
  const pairs: [ColumnInfo, ColumnInfo][] = [];
  for (let i = 0; i < columns.length; i++) for (let j = i + 1; j < columns.length; j++) pairs.push([columns[i]!, columns[j]!]);
  return pairs;
}

/** The square matrix from the upper triangle's values, in `pairsOf` order. */
function matrix(method: CorrelationMatrix['method'], columns: ColumnInfo[], upper: (number | null)[]): CorrelationMatrix | null {
  if (columns.length < 2) return null;
  const values = columns.map((_c, i) => columns.map((_d, j) => (i === j ? 1 : null as number | null)));
  let k = 0;
  for (let i = 0; i < columns.length; i++) {
    for (let j = i + 1; j < columns.length; j++) {
      const v = upper[k++] ?? null;
      values[i]![j] = v;
      values[j]![i] = v;
    }
  }
  return { method, columns: columns.map((c) => c.name), values };
}
