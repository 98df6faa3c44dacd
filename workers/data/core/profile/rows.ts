import { MAX_PAGE_ROWS, type Cell } from '../../../../shared/protocol/data-worker.js';
import type { RowFilter, RowsArgs } from '../../../../shared/protocol/report.js';
import { tableToRows } from '../cells.js';
import { quoteIdent, quoteString } from '../load-context.js';
import { buildSource, invalid, literal, num, numberExpr, queryRow, textExpr, type ProfiledTable, type ReportAccess } from './source.js';

/** The rows behind a histogram bar, a top value or a heatmap cell: filters on named columns, never SQL. */

const MAX_FILTERS = 8;

export function filteredRows(access: ReportAccess, args: RowsArgs): { total: number; rows: Cell[][] } {
  const { conn } = access;
  const open = access.table(args?.table);
  const offset = count(args.offset, 'offset');
  const limit = Math.min(count(args.limit, 'limit'), MAX_PAGE_ROWS);
  if (!Array.isArray(args.filters) || args.filters.length > MAX_FILTERS) throw invalid(`rows needs a list of at most ${MAX_FILTERS} filters.`);
  const where = args.filters.map((f) => condition(open, f));
  const source = buildSource(conn, open, { missingTokens: args.missingTokens, partition: args.partition ?? null, withRowNumber: true });
  const whereSql = where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`;
  const total = num(queryRow(conn, `SELECT count(*) FROM ${source.from}${whereSql}`)[0]) ?? 0;
  if (limit === 0 || offset >= total || open.columns.length === 0) return { total, rows: [] };
  const sql = `SELECT ${open.selectList} FROM ${source.from}${whereSql} ORDER BY "__orchard_row" LIMIT ${limit} OFFSET ${offset}`;
  return { total, rows: tableToRows(conn.query(sql)) };
}

function condition(open: ProfiledTable, filter: RowFilter): string {
  if (typeof filter !== 'object' || filter === null) throw invalid('Each row filter is { column, op, … }.');
  const column = open.columns.find((c) => c.name === filter.column);
  if (column === undefined) throw invalid(`${open.table} has no column named "${String(filter.column).slice(0, 80)}".`);
  const name = quoteIdent(column.name);
  switch (filter.op) {
    case 'isnull':
      return `${name} IS NULL`;
    case 'notnull':
      return `${name} IS NOT NULL`;
    case 'eq':
      if (typeof filter.value !== 'string') throw invalid('An "eq" filter compares with a text value.');
      return `${textExpr(column)} = ${quoteString(filter.value)}`;
    case 'between': {
      const { low, high } = filter;
      if (typeof low !== 'number' || typeof high !== 'number' || !Number.isFinite(low) || !Number.isFinite(high)) {
        throw invalid('A "between" filter needs finite numbers low and high.');
      }
      const x = numberExpr(column);
      return `${x} >= ${literal(low)} AND ${x} ${filter.includeHigh === true ? '<=' : '<'} ${literal(high)}`;
    }
    default:
      throw invalid(`"${String(filter.op).slice(0, 20)}" is not a row filter: use between, eq, isnull or notnull.`);
  }
}

function count(value: unknown, what: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  throw invalid(`The rows ${what} must be a whole number, 0 or more.`);
}
