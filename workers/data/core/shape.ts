import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { DEFAULT_MISSING_TOKENS, type ColumnInfo, type ColumnKind } from '../../../shared/schema/project.js';
import type { ReadOptions } from '../../../shared/protocol/data-worker.js';
import { quoteIdent, quoteString, type LoadResult } from './load-context.js';
import { badFile } from './sniff.js';

/**
 * Turns a freshly loaded table into the one the analyst asked for: columns with no name get `column_N`, the
 * missing-value tokens become NULL (CSV applies them while reading), each chosen kind is cast, `ignore`d columns
 * are dropped. Says what it renamed, so the analyst is never surprised by a column name.
 */

export interface Shaped {
  columns: ColumnInfo[];
  header?: boolean;
  notes: string[];
}

const SQL_TYPE: Record<Exclude<ColumnKind, 'ignore'>, string | null> = {
  number: 'DOUBLE',
  integer: 'BIGINT',
  boolean: 'BOOLEAN',
  datetime: null, // DATE or TIMESTAMP stay as they are; anything else becomes TIMESTAMP.
  category: 'VARCHAR',
  text: 'VARCHAR',
  identifier: 'VARCHAR',
};

export function describeTable(conn: DuckDBConnection, table: string): ColumnInfo[] {
  const result = conn.query(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(table)})`);
  const names = result.getChildAt(0);
  const types = result.getChildAt(1);
  const columns: ColumnInfo[] = [];
  for (let i = 0; i < result.numRows; i++) columns.push({ name: String(names?.get(i)), type: String(types?.get(i)) });
  return columns;
}

/** Reshapes `from` into the new table `to` and drops `from`. `fileName` names the file in messages. */
export function shapeTable(conn: DuckDBConnection, from: string, to: string, fileName: string, load: LoadResult, options: ReadOptions): Shaped {
  const loaded = describeTable(conn, from);
  const notes: string[] = [];
  const { names, header } = finalNames(loaded, load.fileNames, options, notes);
  const types = options.types ?? {};
  const unknown = Object.keys(types).filter((name) => !names.includes(name) && !loaded.some((c) => c.name === name));
  if (unknown.length > 0) throw badFile(`${fileName} has no column named ${unknown.map((n) => `"${n}"`).join(', ')}.`);
  const missing = load.missingApplied || options.asText === true ? [] : (options.missingTokens ?? [...DEFAULT_MISSING_TOKENS]);
  const select: string[] = [];
  const kinds: (ColumnKind | undefined)[] = [];
  let changed = false;
  loaded.forEach((column, i) => {
    const name = names[i]!;
    const kind = types[name] ?? types[column.name];
    if (kind === 'ignore') {
      changed = true;
      return;
    }
    let value = quoteIdent(column.name);
    if (name !== column.name) changed = true;
    if (missing.length > 0 && column.type === 'VARCHAR') {
      value = `CASE WHEN ${value} IN (${missing.map(quoteString).join(', ')}) THEN NULL ELSE ${value} END`;
      changed = true;
    }
    const target = kind === undefined ? null : sqlType(kind, column.type);
    if (target !== null && target !== column.type) {
      checkCast(conn, from, column.name, value, target, fileName, name, kind!);
      value = `CAST(${value} AS ${target})`;
      changed = true;
    }
    select.push(`${value} AS ${quoteIdent(name)}`);
    kinds.push(kind);
  });
  if (select.length === 0) throw badFile(`Every column of ${fileName} is set to "ignore": keep at least one.`);
  if (changed) {
    conn.query(`CREATE TABLE ${quoteIdent(to)} AS SELECT ${select.join(', ')} FROM ${quoteIdent(from)}`);
    conn.query(`DROP TABLE ${quoteIdent(from)}`);
  } else {
    // Nothing to change: no copy of a big table, just a new name.
    conn.query(`ALTER TABLE ${quoteIdent(from)} RENAME TO ${quoteIdent(to)}`);
  }
  const described = describeTable(conn, to);
  const counts = missingCounts(conn, to, described);
  const columns = described.map((c, i) => ({ ...c, ...(kinds[i] === undefined ? {} : { kind: kinds[i]! }), missing: counts[i] ?? 0 }));
  return { columns, ...(header === undefined ? {} : { header }), notes };
}

/** Missing values per column, 200 columns per query so a wide file's SQL stays small. */
export function missingCounts(conn: DuckDBConnection, table: string, columns: ColumnInfo[]): number[] {
  const counts: number[] = [];
  for (let at = 0; at < columns.length; at += 200) {
    const slice = columns.slice(at, at + 200).map((c) => `(count(*) - count(${quoteIdent(c.name)}))::DOUBLE`);
    const row = conn.query(`SELECT ${slice.join(', ')} FROM ${quoteIdent(table)}`);
    for (let i = 0; i < slice.length; i++) counts.push(Number(row.getChildAt(i)?.get(0) ?? 0));
  }
  return counts;
}

function sqlType(kind: ColumnKind, current: string): string | null {
  if (kind === 'ignore') return null;
  if (kind === 'datetime') return /^(DATE|TIMESTAMP)/.test(current) ? current : 'TIMESTAMP';
  if (kind === 'number' && /^(DOUBLE|FLOAT|DECIMAL)/.test(current)) return current;
  return SQL_TYPE[kind];
}

/** Refuses a cast that would fail, naming the first value that does not fit and its row. */
function checkCast(conn: DuckDBConnection, table: string, column: string, value: string, target: string, fileName: string, shown: string, kind: ColumnKind): void {
  const sql =
    `SELECT n, CAST(v AS VARCHAR) AS v FROM (SELECT row_number() OVER () AS n, ${value} AS v FROM ${quoteIdent(table)}) ` +
    `WHERE v IS NOT NULL AND TRY_CAST(v AS ${target}) IS NULL LIMIT 1`;
  const bad = conn.query(sql);
  if (bad.numRows === 0) return;
  const row = Number(bad.getChildAt(0)?.get(0));
  const text = String(bad.getChildAt(1)?.get(0)).slice(0, 60);
  throw badFile(`Column "${shown}" of ${fileName} cannot be read as ${kind}: row ${row} has "${text}". Choose another type, or add "${text}" to the missing values.`);
}

/** Names for the final table: an empty name becomes `column_N`; DuckDB's renames of repeated names are explained. */
function finalNames(loaded: ColumnInfo[], fileNames: string[] | undefined, options: ReadOptions, notes: string[]): { names: string[]; header?: boolean } {
  const names = loaded.map((c) => c.name);
  if (fileNames === undefined || fileNames.length !== loaded.length) return { names };
  const header = options.header ?? loaded.some((c, i) => c.name === fileNames[i] || (fileNames[i] !== '' && c.name.startsWith(fileNames[i]!)));
  if (!header) return { names: loaded.map((_, i) => `column_${i + 1}`), header };
  const empty: number[] = [];
  fileNames.forEach((raw, i) => {
    if (raw.trim() === '') {
      names[i] = uniqueName(`column_${i + 1}`, names, i);
      empty.push(i + 1);
    }
  });
  if (empty.length > 0) {
    const list = empty.map((n) => `column_${n}`).join(', ');
    notes.push(`${empty.length === 1 ? 'Column' : 'Columns'} ${empty.join(', ')} had no name in the header; named ${list}.`);
  }
  const seen = new Map<string, number[]>();
  fileNames.forEach((raw, i) => {
    if (raw.trim() !== '') seen.set(raw, [...(seen.get(raw) ?? []), i]);
  });
  for (const [name, at] of seen) {
    if (at.length < 2) continue;
    notes.push(`The name "${name}" appears ${at.length} times in the header; the columns are called ${at.map((i) => `"${names[i]}"`).join(', ')}.`);
  }
  return { names, header };
}

function uniqueName(wanted: string, names: string[], own: number): string {
  let name = wanted;
  for (let k = 2; names.some((n, i) => i !== own && n.toLowerCase() === name.toLowerCase()); k++) name = `${wanted}_${k}`;
  return name;
}
