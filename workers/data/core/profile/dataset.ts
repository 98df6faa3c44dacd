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

/** Distinct rows, and the most common missingness patterns (which columns go missing together). */
function distinctRowsAndPatterns(
  conn: DuckDBConnection,
  source: ProfileSource,
  columns: ColumnInfo[],
  overview: ColumnOverview[],
  rows: number,
): { distinct: number; patterns: MissingPattern[] } {
  if (columns.length === 0) return { distinct: rows, patterns: [] };
  const distinct = distinctRows(conn, source, columns, rows);
  const shown = overview
    .filter((c) => c.missing > 0)
    .sort((a, b) => b.missing - a.missing)
    .slice(0, PATTERN_COLUMNS);
  if (shown.length === 0) return { distinct, patterns: [] };
  // Each pattern as an integer, the first column shown the highest bit (so it orders as the string of 0s and 1s would).
  const bits = shown.map((c, i) => `CAST(${quoteIdent(c.name)} IS NULL AS INTEGER) * ${2 ** (shown.length - 1 - i)}`).join(' + ');
  const result = queryRows(conn, `SELECT ${bits} AS p, count(*) AS n FROM ${source.from} GROUP BY p ORDER BY n DESC, p LIMIT ${PATTERNS}`);
  return {
    distinct,
    patterns: result.map(([pattern, n]) => ({
      missing: shown.filter((_c, i) => (Math.floor((num(pattern) ?? 0) / 2 ** (shown.length - 1 - i)) & 1) === 1).map((c) => c.name),
      rows: num(n) ?? 0,
    })),
  };
}

/**
 * The number of distinct rows, exactly, from a 64-bit hash of each row: equal rows hash alike, so a row alone in
 * its hash group is unlike every other; only rows that share a hash (duplicates, or in principle a collision) are
 * compared value by value. Half the time of grouping by every column, and 8 bytes a row instead of the row.
 */
function distinctRows(conn: DuckDBConnection, source: ProfileSource, columns: ColumnInfo[], rows: number): number {
  const all = columns.map((c) => quoteIdent(c.name)).join(', ');
  const groups = `SELECT hash(${all}) AS h, count(*) AS c FROM ${source.from} GROUP BY h`;
  const [alone, shared] = queryRow(conn, `SELECT count(*) FILTER (WHERE c = 1), count(*) FILTER (WHERE c > 1) FROM (${groups})`).map(num);
  if (alone === null || alone === undefined) return rows;
  if (!shared) return alone;
  const among = `SELECT DISTINCT * FROM ${source.from} WHERE hash(${all}) IN (SELECT h FROM (${groups}) WHERE c > 1)`;
  return alone + (num(queryRow(conn, `SELECT count(*) FROM (${among})`)[0]) ?? 0);
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
