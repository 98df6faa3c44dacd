import { Bool, Float64, Int64, Table, Utf8, tableToIPC, vectorFromArray, type Vector } from 'apache-arrow';
import { duckdbReason, readHead, type LoadContext, type LoadResult } from './load-context.js';
import { badFile } from './sniff.js';

/**
 * Loads JSON (an array of objects) or NDJSON (one object per line). DuckDB-WASM's JSON reader is an extension
 * it would download, which Orchard never allows, so the file is parsed here into Arrow columns and handed to
 * DuckDB as an IPC stream. Nested values (objects, arrays) are refused by column name, like nested Parquet.
 */
export async function loadJson(ctx: LoadContext): Promise<LoadResult> {
  ctx.progress({ phase: 'read', fraction: 0 });
  await readHead(ctx);
  const bytes =
    ctx.source.kind === 'bytes'
      ? ctx.source.bytes
      : await ctx.platform.readFile(ctx.source.path, (fraction) => ctx.progress({ phase: 'read', fraction }));
  ctx.progress({ phase: 'read', fraction: 1 });
  ctx.progress({ phase: 'parse', fraction: null });
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw badFile(`${ctx.fileName} is not UTF-8 text, which JSON must be.`);
  }
  let rows = parseRows(ctx.fileName, text);
  if (ctx.limit !== undefined) rows = rows.slice(0, ctx.limit);
  const ipc = tableToIPC(toArrow(ctx.fileName, rows), 'stream');
  try {
    ctx.conn.insertArrowFromIPCStream(ipc, { name: ctx.target, create: true });
  } catch (err) {
    throw badFile(`${ctx.fileName} could not be loaded: ${duckdbReason(err, ctx.virtualName, ctx.fileName)}`);
  }
  return { encoding: 'UTF-8', missingApplied: false };
}

type Row = Record<string, unknown>;

function parseRows(fileName: string, text: string): Row[] {
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw badFile(`${fileName} is not valid JSON${lineOfError(text, err)}.`);
    }
    if (!Array.isArray(parsed)) throw badFile(`${fileName} is not valid JSON.`);
    parsed.forEach((row, i) => checkObject(fileName, row, `item ${i + 1}`));
    return parsed as Row[];
  }
  const rows: Row[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw badFile(`${fileName} is not valid JSON lines: line ${i + 1} is not a JSON value.`);
    }
    checkObject(fileName, row, `line ${i + 1}`);
    rows.push(row as Row);
  });
  if (rows.length === 0) throw badFile(`${fileName} is empty.`);
  return rows;
}

function checkObject(fileName: string, row: unknown, where: string): void {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) {
    throw badFile(`${fileName} must hold one object per row (like {"a": 1}); ${where} is not an object.`);
  }
}

/** " on line N" from V8's "at position N" in a JSON.parse error, when it says. */
function lineOfError(text: string, err: unknown): string {
  const at = /position (\d+)/.exec(err instanceof Error ? err.message : '')?.[1];
  if (at === undefined) return '';
  const line = text.slice(0, Number(at)).split('\n').length;
  return ` (the error is on line ${line})`;
}

/** One Arrow column per key, in first-seen order: numbers, whole numbers, booleans, or text. */
function toArrow(fileName: string, rows: Row[]): Table {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const row of rows) {
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        keys.push(key);
      }
    }
  }
  const nested = keys.filter((k) => rows.some((r) => typeof r[k] === 'object' && r[k] !== null));
  if (nested.length > 0) {
    throw badFile(
      `${fileName} has nested values (objects or arrays), which Orchard cannot import yet: ${nested.slice(0, 10).map((k) => `"${k}"`).join(', ')}. ` +
        'Flatten them into plain columns and import the file again.',
    );
  }
  if (keys.length === 0) throw badFile(`${fileName} has no columns: its objects are all empty.`);
  const columns: Record<string, Vector> = {};
  for (const key of keys) columns[key] = column(rows.map((r) => (r[key] === undefined ? null : r[key])));
  return new Table(columns);
}

function column(values: unknown[]): Vector {
  const present = values.filter((x) => x !== null);
  if (present.length > 0 && present.every((x) => typeof x === 'boolean')) return vectorFromArray(values as (boolean | null)[], new Bool());
  if (present.length > 0 && present.every((x) => typeof x === 'number')) {
    if (present.every((x) => Number.isSafeInteger(x))) {
      return vectorFromArray(values.map((x) => (x === null ? null : BigInt(x as number))), new Int64());
    }
    return vectorFromArray(values as (number | null)[], new Float64());
  }
  return vectorFromArray(values.map((x) => (x === null ? null : String(x))), new Utf8());
}
