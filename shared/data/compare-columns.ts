import type { ColumnInfo } from '../schema/project.js';

/**
 * Whether files dropped together can be appended into one dataset: the same column names (in any order) and
 * compatible types. Returns the differences in the analyst's words; none means they can be appended.
 */

/** Types that append into each other (DuckDB's UNION ALL BY NAME finds the common type). */
function typeGroup(type: string): string {
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|REAL|DOUBLE|DECIMAL)/.test(type)) return 'number';
  if (/^(DATE|TIMESTAMP)/.test(type)) return 'date/time';
  if (type === 'BOOLEAN') return 'yes/no';
  if (type === 'VARCHAR') return 'text';
  return type;
}

export function compareColumns(first: { name: string; columns: Pick<ColumnInfo, 'name' | 'type'>[] }, other: { name: string; columns: Pick<ColumnInfo, 'name' | 'type'>[] }): string[] {
  const differences: string[] = [];
  const mine = new Map(first.columns.map((c) => [c.name, c.type]));
  const theirs = new Map(other.columns.map((c) => [c.name, c.type]));
  const onlyIn = (names: string[], file: string) => {
    if (names.length > 0) differences.push(`${names.map((n) => `"${n}"`).join(', ')} ${names.length === 1 ? 'is' : 'are'} only in ${file}.`);
  };
  onlyIn([...mine.keys()].filter((n) => !theirs.has(n)), first.name);
  onlyIn([...theirs.keys()].filter((n) => !mine.has(n)), other.name);
  for (const [name, type] of mine) {
    const their = theirs.get(name);
    if (their !== undefined && typeGroup(type) !== typeGroup(their)) {
      differences.push(`"${name}" is ${typeGroup(type)} in ${first.name} but ${typeGroup(their)} in ${other.name}.`);
    }
  }
  return differences;
}
