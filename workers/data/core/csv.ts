import { badFile, sniffCsv, type CsvDialect } from './sniff.js';
import { duckdbReason, quoteIdent, quoteString, readHead, type LoadContext } from './load-context.js';

/**
 * Loads a CSV file with DuckDB's sniffer (delimiter, quoting, header and column types detected). Binary files
 * are refused before DuckDB sees them. When a value past the sniffer's sample does not fit the type it chose,
 * the file is read once more with every row sampled, so one odd value late in a file never blocks an import.
 */
export async function loadCsv(ctx: LoadContext): Promise<void> {
  ctx.progress({ phase: 'read', fraction: 0 });
  const { head, size } = await readHead(ctx);
  const dialect = sniffCsv(ctx.fileName, head, head.byteLength >= size);
  ctx.progress({ phase: 'read', fraction: ctx.source.kind === 'bytes' ? 1 : null });

  if (ctx.source.kind === 'bytes') ctx.db.registerFileBuffer(ctx.virtualName, ctx.source.bytes);
  else ctx.platform.registerPath(ctx.db, ctx.virtualName, ctx.source.path);
  try {
    ctx.progress({ phase: 'parse', fraction: null });
    try {
      ctx.conn.query(createSql(ctx, dialect, false));
    } catch (err) {
      if (!isLateTypeError(err)) throw err;
      ctx.progress({ phase: 'parse', fraction: null });
      ctx.conn.query(createSql(ctx, dialect, true));
    }
  } catch (err) {
    throw badFile(`${ctx.fileName} could not be read as CSV: ${duckdbReason(err, ctx.virtualName, ctx.fileName)}`);
  } finally {
    ctx.db.dropFile(ctx.virtualName);
  }
}

function createSql(ctx: LoadContext, dialect: CsvDialect, sampleAll: boolean): string {
  const options = [
    'auto_detect = true',
    `encoding = ${quoteString(dialect.encoding)}`,
    `compression = ${quoteString(dialect.compression)}`,
    ...(sampleAll ? ['sample_size = -1'] : []),
  ];
  return `CREATE TABLE ${quoteIdent(ctx.target)} AS SELECT * FROM read_csv(${quoteString(ctx.virtualName)}, ${options.join(', ')})`;
}

/** A value after the sniffer's sample that does not convert to the column type it detected. */
function isLateTypeError(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /Conversion Error|Error when converting column/i.test(text);
}
