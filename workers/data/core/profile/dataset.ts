import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import type { ColumnOverview, DatasetFacts, MissingPattern } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { quoteIdent } from '../load-context.js';
import { num, queryRow, queryRows, type ProfileSource } from './source.js';
import type { OverviewFacts } from './overview.js';

/** Dataset-wide facts: duplicate rows, the memory the values take, and which columns go missing together. */

/** Columns shown in missingness patterns, those missing most first. */
const PATTERN_COLUMNS = 20;
const PATTERNS = 10;

export function datasetFacts(conn: DuckDBConnection, source: ProfileSource, columns: ColumnInfo[], facts: OverviewFacts, fileBytes: number | null): DatasetFacts {
  const { rows } = facts;
  const { distinct, patterns } = distinctRowsAndPatterns(conn, source, columns, facts.columns, rows);
  return {
    rows,
    columns: columns.length,
    duplicateRows: rows - distinct,
    memoryBytes: memoryEstimate(columns, facts),
    fileBytes,
    missingCells: facts.columns.reduce((sum, c) => sum + c.missing, 0),
    missingPatterns: patterns,
  };
}

/**
 * Distinct rows, and the most common missingness patterns, from one grouping of the rows: each distinct row once
 * with its count, then those grouped by which columns it misses (a pattern is a function of the row).
 */
function distinctRowsAndPatterns(
  conn: DuckDBConnection,
  source: ProfileSource,
  columns: ColumnInfo[],
  overview: ColumnOverview[],
  rows: number,
): { distinct: number; patterns: MissingPattern[] } {
  if (columns.length === 0) return { distinct: rows, patterns: [] };
  const shown = overview
    .filter((c) => c.missing > 0)
    .sort((a, b) => b.missing - a.missing)
    .slice(0, PATTERN_COLUMNS);
  if (shown.length === 0) return { distinct: num(queryRow(conn, `SELECT count(*) FROM (SELECT DISTINCT * FROM ${source.from})`)[0]) ?? rows, patterns: [] };
  // Each pattern as an integer, the first column shown the highest bit (so it orders as the string of 0s and 1s would).
  const bits = shown.map((c, i) => `CAST(${quoteIdent(c.name)} IS NULL AS INTEGER) * ${2 ** (shown.length - 1 - i)}`).join(' + ');
  const all = columns.map((c) => quoteIdent(c.name)).join(', ');
  const result = queryRows(
    conn,
    `SELECT p, n, sum(d) OVER () FROM (
       SELECT ${bits} AS p, count(*) AS d, sum("__orchard_n") AS n FROM (SELECT ${all}, count(*) AS "__orchard_n" FROM ${source.from} GROUP BY ${all}) GROUP BY p)
     ORDER BY n DESC, p LIMIT ${PATTERNS}`,
  );
  return {
    distinct: num(result[0]?.[2]) ?? 0,
    patterns: result.map(([pattern, n]) => ({
      missing: shown.filter((_c, i) => (Math.floor((num(pattern) ?? 0) / 2 ** (shown.length - 1 - i)) & 1) === 1).map((c) => c.name),
      rows: num(n) ?? 0,
    })),
  };
}

/** Bytes per value by DuckDB type (plus one validity bit), strings as 16-byte headers plus text past 12 bytes. */
function memoryEstimate(columns: ColumnInfo[], facts: OverviewFacts): number {
  let bytes = 0;
  for (const c of columns) {
    const width = typeWidth(c.type);
    bytes += facts.rows * (width + 1 / 8);
    const text = facts.textLength.get(c.name);
    if (text !== undefined) bytes += Math.max(0, text.total - 12 * (facts.columns.find((o) => o.name === c.name)?.count ?? 0));
  }
  return Math.round(bytes);
}

function typeWidth(type: string): number {
  if (/^(BOOLEAN|U?TINYINT)$/.test(type)) return 1;
  if (/^U?SMALLINT$/.test(type)) return 2;
  if (/^(U?INTEGER|FLOAT|REAL|DATE)$/.test(type)) return 4;
  if (/^(U?HUGEINT|UUID|INTERVAL|VARCHAR|BLOB)$/.test(type)) return 16;
  return 8;
}
