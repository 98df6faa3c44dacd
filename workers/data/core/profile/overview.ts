import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { ID_NAME, type ColumnOverview, type ReportColumnKind } from '../../../../shared/data/report.js';
import type { ColumnInfo } from '../../../../shared/schema/project.js';
import { quoteIdent } from '../load-context.js';
import { isDateType, isFloatType, isIntegerType, isNumericType, isText, num, numberExpr, queryRow, type ProfileSource } from './source.js';

/**
 * The cheap first pass: rows, and per column the values present, distinct values and text lengths, and for
 * number and date columns the count, range and mean of their finite values, which the statistics pass needs
 * (centred sums and histogram bins), so it reads the data once more instead of twice.
 */

/** A number or date column's finite values (dates as epoch milliseconds). */
export interface NumberFacts {
  finite: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Date columns: first and last as text (null when none is present). */
  dateRange: { min: string; max: string } | null;
}

export interface OverviewFacts {
  rows: number;
  columns: ColumnOverview[];
  /** Mean text length (VARCHAR columns), and the total characters, for the memory estimate. */
  textLength: Map<string, { mean: number | null; total: number }>;
  /** Number and date columns (by name): what the statistics pass starts from. */
  numbers: Map<string, NumberFacts>;
}

/** Columns whose statistics read them as numbers. */
export const isNumberColumn = (c: ColumnInfo): boolean => isNumericType(c.type) || isDateType(c.type);

/** Columns per statement, so a very wide table never makes one enormous query. */
const CHUNK = 64;

export function overviewOf(conn: DuckDBConnection, source: ProfileSource, columns: ColumnInfo[]): OverviewFacts {
  const rows = num(queryRow(conn, `SELECT count(*) FROM ${source.from}`)[0]) ?? 0;
  const out: ColumnOverview[] = [];
  const textLength = new Map<string, { mean: number | null; total: number }>();
  const numbers = new Map<string, NumberFacts>();
  const nonFinite: ColumnInfo[] = [];
  for (let start = 0; start < columns.length; start += CHUNK) {
    const chunk = columns.slice(start, start + CHUNK);
    const parts = chunk.flatMap((c) => {
      const name = quoteIdent(c.name);
      const base = [`count(${name})`, `count(DISTINCT ${name})`];
      if (isText(c.type)) return [...base, `avg(length(${name}))`, `coalesce(sum(strlen(${name})), 0)`];
      if (!isNumberColumn(c)) return base;
      const x = numberExpr(c);
      const range = isDateType(c.type) ? [`CAST(min(${name}) AS VARCHAR)`, `CAST(max(${name}) AS VARCHAR)`] : [];
      // Every present value is a number (or NaN), so `count` is the finite count until finiteOnly refines it.
      return [...base, `min(${x})`, `max(${x})`, `avg(${x})`, ...range];
    });
    const values = queryRow(conn, `SELECT ${parts.join(', ')} FROM ${source.from}`);
    let i = 0;
    for (const c of chunk) {
      const count = num(values[i++]) ?? 0;
      const unique = num(values[i++]) ?? 0;
      let meanLength: number | null = null;
      if (isText(c.type)) {
        meanLength = num(values[i++]);
        textLength.set(c.name, { mean: meanLength, total: num(values[i++]) ?? 0 });
      } else if (isNumberColumn(c)) {
        const facts: NumberFacts = { finite: count, min: num(values[i++]), max: num(values[i++]), mean: num(values[i++]), dateRange: null };
        if (isDateType(c.type)) {
          const [first, last] = [values[i++], values[i++]];
          facts.dateRange = first === null || first === undefined ? null : { min: String(first), max: String(last) };
        }
        numbers.set(c.name, facts);
        // NaN sorts above every number in DuckDB, so any NaN or ±Infinity leaves the range or the mean non-finite.
        if (isFloatType(c.type) && facts.finite > 0 && ![facts.min, facts.max, facts.mean].every((v) => v !== null && Number.isFinite(v))) nonFinite.push(c);
      }
      const missing = rows - count;
      out.push({
        name: c.name,
        type: c.type,
        kind: kindOf(c, count, unique, meanLength),
        count,
        missing,
        missingShare: rows === 0 ? 0 : missing / rows,
        unique,
      });
    }
  }
  finiteOnly(conn, source, nonFinite, numbers);
  return { rows, columns: out, textLength, numbers };
}

/**
 * The count, range and mean of the finite values of float columns that hold NaN or ±Infinity, which the first
 * pass counted in. Filtering every float column there would cost as much as the rest of the pass; few have any.
 */
function finiteOnly(conn: DuckDBConnection, source: ProfileSource, columns: ColumnInfo[], numbers: Map<string, NumberFacts>): void {
  for (let start = 0; start < columns.length; start += CHUNK) {
    const chunk = columns.slice(start, start + CHUNK);
    const parts = chunk.map((c) => {
      const x = numberExpr(c);
      const only = ` FILTER (WHERE isfinite(${x}))`;
      return `count(${x})${only}, min(${x})${only}, max(${x})${only}, avg(${x})${only}`;
    });
    const values = queryRow(conn, `SELECT ${parts.join(', ')} FROM ${source.from}`);
    chunk.forEach((c, k) => {
      const [finite, min, max, mean] = values.slice(4 * k, 4 * k + 4).map(num);
      Object.assign(numbers.get(c.name)!, { finite: finite ?? 0, min, max, mean });
    });
  }
}

/** A column's kind from its type and its values: what an analyst would call it. */
export function kindOf(column: ColumnInfo, count: number, unique: number, meanLength: number | null): ReportColumnKind {
  const { type, name } = column;
  if (type === 'BOOLEAN') return 'boolean';
  if (isDateType(type)) return 'date';
  const mostlyUnique = count > 20 && unique >= count * 0.95;
  if (isNumericType(type)) {
    if (isIntegerType(type) && count > 20 && unique === count && (ID_NAME.test(name) || unique > 1000 || isRowNumber(name))) return 'id-like';
    return 'numeric';
  }
  if (mostlyUnique) return (meanLength ?? 0) > 30 ? 'text' : 'id-like';
  if ((meanLength ?? 0) > 50 && unique > count * 0.5) return 'text';
  return 'categorical';
}

function isRowNumber(name: string): boolean {
  return /^(index|row|row_?num(ber)?|n|#)$/i.test(name);
}
