/**
 * Which SQL the console runs: one read-only statement. DuckDB-WASM has no json_serialize_sql (it lives in the
 * json extension, which Orchard never downloads), so the check is conservative and textual: comments, string
 * literals and quoted names are blanked out first, then there must be a single statement that starts with a
 * reading keyword and names no writing keyword, no file-reading function and no file-like string. The query
 * also runs inside a READ ONLY transaction, and the host's worker has file access switched off, so a statement
 * this check misses still cannot change or read anything it should not.
 */

const STARTS = new Set(['SELECT', 'WITH', 'FROM', 'VALUES', 'DESCRIBE', 'SUMMARIZE', 'PIVOT', 'UNPIVOT', 'TABLE']);
const WRITES = new Set([
  'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'ALTER', 'COPY', 'ATTACH', 'DETACH', 'INSTALL', 'LOAD', 'SET',
  'RESET', 'PRAGMA', 'EXPORT', 'IMPORT', 'CALL', 'CHECKPOINT', 'VACUUM', 'TRUNCATE', 'MERGE', 'GRANT', 'USE',
  'BEGIN', 'COMMIT', 'ROLLBACK', 'ABORT', 'PREPARE', 'EXECUTE', 'DEALLOCATE',
]);
const FILE_FUNCTIONS =
  /\b(read_csv(_auto)?|read_parquet|parquet_(scan|metadata|schema|file_metadata|kv_metadata)|read_json(_auto|_objects(_auto)?)?|read_ndjson(_auto|_objects)?|read_text|read_blob|glob|sniff_csv|query|query_table|getenv)\s*\(/i;
const FILE_LIKE = /(:\/\/|\.(csv|tsv|txt|parquet|json|jsonl|ndjson|gz|zst|xlsx?|db|duckdb|sqlite|arrow)(\W|$))/i;

export type StatementCheck = { ok: true; sql: string } | { ok: false; message: string; offset: number };

/** Checks `sql`; on success returns it without a final semicolon. */
export function checkReadOnly(sql: string): StatementCheck {
  const { blank, named, strings } = blankOut(sql);
  for (const s of strings) {
    if (FILE_LIKE.test(s.text)) {
      return refuse(`The console reads the project's datasets only; "${s.text.slice(0, 60)}" looks like a file or a link.`, s.offset);
    }
  }
  const statements = splitStatements(blank);
  if (statements.length === 0) return refuse('Write a query first, e.g. SELECT * FROM my_data LIMIT 10.', 0);
  if (statements.length > 1) return refuse('Run one statement at a time.', statements[1]!.offset);
  const only = statements[0]!;
  const words = [...only.text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)];
  const first = words[0];
  if (first === undefined || !STARTS.has(first[0].toUpperCase()) || /^\s*\(/.test(only.text.slice(0, first.index))) {
    const at = only.offset + (first?.index ?? 0);
    return refuse('The console runs queries that read: start with SELECT, WITH, FROM, DESCRIBE, SUMMARIZE or PIVOT.', at);
  }
  for (const w of words) {
    if (WRITES.has(w[0].toUpperCase()) && !/\.\s*$/.test(only.text.slice(0, w.index))) {
      return refuse(`The console only reads data: "${w[0]}" is not allowed here. Quote a column of that name ("${w[0]}").`, only.offset + w.index);
    }
  }
  // Function names may be quoted ("read_csv"(…)), so look for them with quoted names spelled out.
  const fn = FILE_FUNCTIONS.exec(named);
  if (fn !== null) return refuse(`The console reads the project's datasets only; ${fn[1]}() is not available.`, fn.index);
  return { ok: true, sql: sql.slice(0, only.offset + sql.slice(only.offset, only.offset + only.text.length).trimEnd().length) };
}

function refuse(message: string, offset: number): StatementCheck {
  return { ok: false, message, offset };
}

/**
 * `sql` with comments, string literals and quoted names replaced by spaces (same length, same offsets), and
 * `named`: the same with quoted names kept (only their quotes blanked).
 */
function blankOut(sql: string): { blank: string; named: string; strings: { text: string; offset: number }[] } {
  const out = sql.split('');
  const named = sql.split('');
  const strings: { text: string; offset: number }[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    let end = -1;
    if (c === '-' && sql[i + 1] === '-') end = lineEnd(sql, i);
    else if (c === '/' && sql[i + 1] === '*') end = (sql.indexOf('*/', i + 2) + 1 || sql.length - 1) + 1;
    else if (c === "'" || c === '"') {
      end = i + 1;
      while (end < sql.length && !(sql[end] === c && sql[end + 1] !== c)) end += sql[end] === c ? 2 : 1;
      end = Math.min(sql.length, end + 1);
      if (c === "'") strings.push({ text: sql.slice(i + 1, end - 1), offset: i });
      // A quoted name still separates words: keep one placeholder letter so "x" stays a word.
      if (c === '"') out[i] = 'q';
    }
    if (end < 0) {
      i++;
      continue;
    }
    for (let k = c === '"' ? i + 1 : i; k < end; k++) out[k] = ' ';
    if (c === '"') named[i] = named[end - 1] = ' ';
    else for (let k = i; k < end; k++) named[k] = ' ';
    i = end;
  }
  return { blank: out.join(''), named: named.join(''), strings };
}

function lineEnd(sql: string, from: number): number {
  const at = sql.indexOf('\n', from);
  return at < 0 ? sql.length : at;
}

function splitStatements(blank: string): { text: string; offset: number }[] {
  const found: { text: string; offset: number }[] = [];
  let start = 0;
  for (let i = 0; i <= blank.length; i++) {
    if (i === blank.length || blank[i] === ';') {
      const text = blank.slice(start, i);
      const lead = text.length - text.trimStart().length;
      if (text.trim() !== '') found.push({ text: text.slice(lead), offset: start + lead });
      start = i + 1;
    }
  }
  return found;
}

/** A 0-based offset into `sql` as a 1-based line and column. */
export function lineAndColumn(sql: string, offset: number): { line: number; column: number } {
  const before = sql.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

/**
 * Where DuckDB's error points, from its echo of the query ("LINE 2: select nope from t" and a caret under the
 * spot). DuckDB shows only a window of a long line, starting with "..."; the window is found in the line.
 */
export function errorPosition(message: string, sql: string): { line: number; column: number } | undefined {
  const lines = message.split('\n');
  for (let i = 0; i < lines.length - 1; i++) {
    const m = /^LINE (\d+): (.*)$/.exec(lines[i]!);
    const caret = lines[i + 1]!.indexOf('^');
    if (m === null || caret < 0) continue;
    const line = Number(m[1]);
    const prefix = `LINE ${m[1]}: `.length;
    let echo = m[2]!;
    let shift = 0;
    if (echo.startsWith('...')) {
      echo = echo.slice(3);
      shift = 3;
    }
    const source = sql.split('\n')[line - 1] ?? '';
    const probe = echo.slice(0, 24);
    const start = probe.length > 0 ? Math.max(0, source.indexOf(probe)) : 0;
    return { line, column: start + (caret - prefix - shift) + 1 };
  }
  return undefined;
}
