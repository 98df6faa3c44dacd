import { duckdbMessage, quoteIdent, quoteString } from './load-context.js';

/**
 * Keeping integer columns exact. DuckDB's CSV sniffer types a column from a sample (the first 20,480 rows, or a
 * streamed file's first chunk), and its text → BIGINT conversion *rounds* a later "4.5" to 5 without a word. So a
 * column sniffed as an integer is read as DOUBLE (exact for every whole number below 2^53) and cast back to its
 * integer type in the same statement, each value checked on the way: a value that is not whole stops the
 * statement with a marker error (`error()`), and the caller widens the column (a reread with every row sampled,
 * where DuckDB types it DOUBLE; or, streamed, `ALTER … TYPE DOUBLE`). A whole number at or beyond 2^53 (a 19-digit
 * id) is not exact as a DOUBLE: that column is read as text instead, cast to its type when it has no `.`, `e` or
 * `E` (the characters of a number DuckDB would round), the same marker otherwise.
 */

/** Below 2^53 every whole number is exact as a DOUBLE. */
const EXACT_BELOW = 9007199254740992;

/** How a column sniffed as an integer is read: DOUBLE checked, text checked, or (widened) as DOUBLE without a check. */
export type IntegerRead = 'double' | 'text' | 'widened';

export interface IntegerColumn {
  name: string;
  /** The integer type DuckDB chose (BIGINT, as a rule). */
  type: string;
  read: IntegerRead;
}

const INTEGER_TYPE = /^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|UHUGEINT)$/;

export function isIntegerType(type: string): boolean {
  return INTEGER_TYPE.test(type);
}

const MARKER = 'orchard:late-value';

/** The type read_csv is told to read the column as. */
export function readType(column: IntegerColumn): string {
  return column.read === 'text' ? 'VARCHAR' : 'DOUBLE';
}

/** `read_csv`'s `types` setting for the checked columns (by name), or nothing. */
export function typesSetting(columns: IntegerColumn[]): string[] {
  if (columns.length === 0) return [];
  return [`types = {${columns.map((c) => `${quoteString(c.name)}: ${quoteString(readType(c))}`).join(', ')}}`];
}

/** `SELECT *` with each checked column cast back to its integer type, or a marker error for a value that does not fit. */
export function checkedSelect(columns: IntegerColumn[]): string {
  const replaced = columns
    .filter((c) => c.read !== 'widened')
    .map((c) => {
      const v = quoteIdent(c.name);
      const fail = (reason: 'wide' | 'fraction') => `error(${quoteString(`${MARKER}\u001f${reason}\u001f${c.name}\u001f`)} || CAST(${v} AS VARCHAR))`;
      const test =
        c.read === 'text'
          ? `CASE WHEN ${v} IS NULL OR NOT (contains(${v}, '.') OR contains(${v}, 'e') OR contains(${v}, 'E')) THEN CAST(${v} AS ${c.type}) ELSE ${fail('fraction')} END`
          : // The first test passes nearly every row and is the cheapest found (a NULL falls through to the second).
            `CASE WHEN ${v} BETWEEN ${-EXACT_BELOW + 1} AND ${EXACT_BELOW - 1} AND trunc(${v}) = ${v} THEN CAST(${v} AS ${c.type}) ` +
            `WHEN ${v} IS NULL THEN NULL WHEN isfinite(${v}) AND trunc(${v}) = ${v} THEN ${fail('wide')} ELSE ${fail('fraction')} END`;
      return `${test} AS ${v}`;
    });
  return replaced.length === 0 ? '*' : `* REPLACE (${replaced.join(', ')})`;
}

export interface LateValue {
  column: string;
  /** `wide`: a whole number too big to be exact as a DOUBLE; `fraction`: not a whole number (or not finite). */
  reason: 'wide' | 'fraction';
  value: string;
}

/** The value a checked read stopped on, or null for any other error. */
export function lateValue(err: unknown): LateValue | null {
  const text = duckdbMessage(err);
  const at = text.indexOf(`${MARKER}\u001f`);
  if (at < 0) return null;
  const [reason, column, value] = text.slice(at + MARKER.length + 1).split('\u001f');
  if ((reason !== 'wide' && reason !== 'fraction') || column === undefined) return null;
  return { column, reason, value: (value ?? '').split('\n')[0]! };
}
