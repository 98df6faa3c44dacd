import { RecordBatchReader, Type } from 'apache-arrow';
import type { DataType, Field } from 'apache-arrow';
import { badFile, checkParquetMagic } from './sniff.js';
import { duckdbReason, quoteIdent, readHead, type LoadContext, type LoadResult } from './load-context.js';

/**
 * Loads a Parquet file through parquet-wasm: DuckDB-WASM has no Parquet reader offline (its parquet extension
 * is downloaded on demand, which Orchard never allows), so the file is decoded to Arrow here and handed to
 * DuckDB as an Arrow IPC stream. The schema is checked first, so nested columns are refused by name before
 * anything heavy runs, and DuckDB's column types are checked again after the load.
 */
export async function loadParquet(ctx: LoadContext): Promise<LoadResult> {
  const { fileName, source } = ctx;
  ctx.progress({ phase: 'read', fraction: 0 });
  const { head } = await readHead(ctx);
  checkParquetMagic(fileName, head, false);
  const bytes =
    source.kind === 'bytes' ? source.bytes : await ctx.platform.readFile(source.path, (fraction) => ctx.progress({ phase: 'read', fraction }));
  ctx.progress({ phase: 'read', fraction: 1 });
  checkParquetMagic(fileName, bytes, true);

  ctx.progress({ phase: 'parse', fraction: null });
  const fields = readFields(parquetStep(fileName, () => ctx.platform.parquetSchema(bytes)));
  if (fields !== null) refuseUnsupported(fileName, fields.filter((f) => isNested(f.type)).map((f) => f.name), halfFloats(fields));
  const insert = (ipc: Uint8Array, create: boolean): void => {
    try {
      ctx.conn.insertArrowFromIPCStream(ipc, { name: ctx.target, create });
    } catch (err) {
      throw badFile(`${fileName} could not be loaded: ${duckdbReason(err, ctx.virtualName, fileName)}`);
    }
  };
  if (bytes.byteLength <= (ctx.streaming?.parquetWholeBytes ?? WHOLE_PARQUET_BYTES)) {
    insert(parquetStep(fileName, () => ctx.platform.parquetToArrow(bytes)), true);
  } else {
    // Decoded whole, a big file's Arrow copy and its IPC stream would not fit parquet-wasm's 4 GB together.
    const groups = await parquetStepAsync(fileName, () => ctx.platform.parquetRowGroups(bytes));
    try {
      if (groups.count === 0) insert(parquetStep(fileName, () => ctx.platform.parquetToArrow(bytes)), true);
      for (let i = 0; i < groups.count; i++) {
        insert(await parquetStepAsync(fileName, () => groups.read(i)), i === 0);
        ctx.progress({ phase: 'parse', fraction: (i + 1) / groups.count });
      }
    } finally {
      groups.close();
    }
  }
  // Arrow JS cannot read every schema (large lists, views); DuckDB's own column types are the final word.
  const described = ctx.conn.query(`SELECT column_name, column_type FROM (DESCRIBE ${quoteIdent(ctx.target)})`).toArray();
  const nestedTypes = described.filter((row) => NESTED_SQL.test(String(row.column_type))).map((row) => String(row.column_name));
  refuseUnsupported(fileName, nestedTypes, []);
  return { missingApplied: false };
}

/** Parquet files larger than this are decoded a row group at a time. */
const WHOLE_PARQUET_BYTES = 64 * 1024 ** 2;

/** DuckDB type names of lists (`INTEGER[]`, `INTEGER[3]`), structs, maps and unions. */
const NESTED_SQL = /(\[\d*\]$)|^(STRUCT|MAP|UNION)\(/;

function parquetStep<T>(fileName: string, step: () => T): T {
  try {
    return step();
  } catch (err) {
    throw badFile(`${fileName} is not a valid Parquet file: ${parquetReason(err)}`);
  }
}

async function parquetStepAsync<T>(fileName: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (err) {
    throw badFile(`${fileName} is not a valid Parquet file: ${parquetReason(err)}`);
  }
}

function parquetReason(err: unknown): string {
  const text = (err instanceof Error ? err.message : String(err)).trim();
  // A Rust panic inside parquet-wasm surfaces as a WebAssembly trap with no useful message.
  if (text === '' || /^unreachable/i.test(text)) return 'the Parquet reader could not decode it.';
  const reason = text.replace(/^(Parquet (argument )?error: )+/i, '');
  return /[.!?]$/.test(reason) ? reason : `${reason}.`;
}

/** The file's Arrow fields, or null when Arrow JS does not know one of its types. */
function readFields(schemaIpc: Uint8Array): Field[] | null {
  try {
    const reader = RecordBatchReader.from(schemaIpc);
    reader.open();
    return reader.schema.fields;
  } catch {
    return null;
  }
}

const NESTED = new Set<Type>([Type.List, Type.Struct, Type.Union, Type.FixedSizeList, Type.Map]);

function isNested(type: DataType): boolean {
  if (NESTED.has(type.typeId)) return true;
  const dictionary = (type as DataType & { dictionary?: DataType }).dictionary;
  return type.typeId === Type.Dictionary && dictionary !== undefined && isNested(dictionary);
}

function halfFloats(fields: Field[]): string[] {
  return fields.filter((f) => f.type.typeId === Type.Float && (f.type as DataType & { precision?: number }).precision === 0).map((f) => f.name);
}

function refuseUnsupported(fileName: string, nested: string[], half: string[]): void {
  if (nested.length > 0) {
    throw badFile(
      `${fileName} has nested columns (lists, structs or maps), which Orchard cannot import yet: ${nameList(nested)}. ` +
        'Flatten them into plain columns and import the file again.',
    );
  }
  if (half.length > 0) {
    throw badFile(`${fileName} has half-precision (float16) columns, which Orchard cannot import yet: ${nameList(half)}.`);
  }
}

function nameList(names: string[]): string {
  const shown = names.slice(0, 10).map((n) => `"${n}"`);
  return names.length > 10 ? `${shown.join(', ')} and ${names.length - 10} more` : shown.join(', ');
}
