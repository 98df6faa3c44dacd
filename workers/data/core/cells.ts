import { Type } from 'apache-arrow';
import type { DataType, Table, Vector } from 'apache-arrow';
import type { Cell } from '../../../shared/protocol/data-worker.js';

/**
 * Arrow values (as DuckDB-WASM returns them) to JSON-safe cells. Types are told apart by `typeId`, never by
 * `instanceof`: DuckDB-WASM may carry its own copy of apache-arrow.
 *
 * - BIGINT in the safe integer range → number, outside it → string (never rounded);
 * - DATE → "YYYY-MM-DD"; TIMESTAMP → ISO 8601 ("…Z" only when the column has a time zone);
 * - DECIMAL → number (DuckDB is opened with castDecimalToDouble); FLOAT → its shortest decimal (1.1, not
 *   1.100000023841858); NaN and ±Infinity → "NaN", "Infinity", "-Infinity";
 * - BLOB → "0x…" hex (the first 64 bytes, then "…");
 * - lists, structs, maps → their JSON text.
 */

const MAX_BLOB_BYTES = 64;

/** Rows of `table` as cells, in the table's order. */
export function tableToRows(table: Table): Cell[][] {
  const columns: Cell[][] = [];
  table.schema.fields.forEach((field, i) => {
    const vector = table.getChildAt(i);
    columns.push(vector === null ? new Array<Cell>(table.numRows).fill(null) : columnCells(vector, field.type));
  });
  const rows: Cell[][] = new Array<Cell[]>(table.numRows);
  for (let r = 0; r < table.numRows; r++) {
    const row = new Array<Cell>(columns.length);
    for (let c = 0; c < columns.length; c++) row[c] = columns[c]![r] ?? null;
    rows[r] = row;
  }
  return rows;
}

function columnCells(vector: Vector, type: DataType): Cell[] {
  const out = new Array<Cell>(vector.length);
  let i = 0;
  for (const value of vector) out[i++] = toCell(value, type);
  return out;
}

/** One Arrow value as a cell, by the column's Arrow type. */
export function toCell(value: unknown, type: DataType): Cell {
  if (value === null || value === undefined) return null;
  switch (type.typeId) {
    case Type.Bool:
      return Boolean(value);
    case Type.Float:
      // FLOAT (single precision) widened to a double shows noise digits: 1.1 arrives as 1.100000023841858.
      return (type as DataType & { precision?: number }).precision === 1 && typeof value === 'number'
        ? numberCell(shortestFloat32(value))
        : numberCell(value);
    case Type.Int:
    case Type.Decimal:
      return numberCell(value);
    case Type.Date:
      return dateCell(value, true, false);
    case Type.Timestamp:
      return dateCell(value, false, Boolean((type as DataType & { timezone?: string | null }).timezone));
    case Type.Utf8:
    case Type.LargeUtf8:
      return String(value);
    case Type.Binary:
    case Type.LargeBinary:
    case Type.FixedSizeBinary:
      return value instanceof Uint8Array ? hexCell(value) : String(value);
    case Type.Dictionary: {
      const dictionary = (type as DataType & { dictionary?: DataType }).dictionary;
      return dictionary === undefined ? plainCell(value) : toCell(value, dictionary);
    }
    default:
      return plainCell(value);
  }
}

function numberCell(value: unknown): Cell {
  if (typeof value === 'bigint') {
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  const n = typeof value === 'number' ? value : Number(value);
  if (Number.isFinite(n)) return n;
  if (Number.isNaN(n) && typeof value !== 'number') return String(value);
  return String(n);
}

/** The shortest decimal that reads back as the same single-precision float. */
function shortestFloat32(value: number): number {
  if (!Number.isFinite(value)) return value;
  for (let digits = 1; digits < 9; digits++) {
    const candidate = Number(value.toPrecision(digits));
    if (Math.fround(candidate) === value) return candidate;
  }
  return value;
}

function dateCell(value: unknown, dateOnly: boolean, zoned: boolean): Cell {
  const ms = value instanceof Date ? value.getTime() : typeof value === 'bigint' ? Number(value) : Number(value);
  const date = new Date(ms);
  if (Number.isNaN(date.getTime())) return String(value);
  const iso = date.toISOString();
  if (dateOnly) return iso.slice(0, iso.indexOf('T'));
  return zoned ? iso : iso.slice(0, -1);
}

function hexCell(bytes: Uint8Array): string {
  const shown = bytes.subarray(0, MAX_BLOB_BYTES);
  let hex = '0x';
  for (const b of shown) hex += b.toString(16).padStart(2, '0');
  return bytes.length > MAX_BLOB_BYTES ? `${hex}…` : hex;
}

/** Anything else: a JSON-safe primitive as it is, or the value's JSON text (BigInts written as numbers). */
function plainCell(value: unknown): Cell {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' || typeof value === 'bigint') return numberCell(value);
  if (value instanceof Uint8Array) return hexCell(value);
  try {
    const json = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? numberCell(v) : v));
    return json === undefined ? String(value) : json;
  } catch {
    return String(value);
  }
}
