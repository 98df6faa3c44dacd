import { PREVIEW_ROWS, type DataProgress, type FilePreview } from '../../../shared/protocol/data-worker.js';
import type { ColumnInfo, ColumnKind } from '../../../shared/schema/project.js';
import { tableToRows } from './cells.js';
import { dropQuietly, loadTable, type LoadParts, type LoadRequest } from './load.js';
import { quoteIdent } from './load-context.js';

/** Rows read for a preview: enough to suggest kinds, few enough to be instant on any file. */
const PREVIEW_SAMPLE = 2000;

/**
 * Reads the start of a file as an import would (same dialect, missing tokens and column kinds) and suggests a
 * kind per column from its type and the sampled values. Nothing stays loaded.
 */
export async function previewFile(parts: LoadParts, request: LoadRequest, table: string, virtualName: string, onProgress: (p: DataProgress) => void): Promise<FilePreview> {
  const loaded = await loadTable(parts, { ...request, limit: PREVIEW_SAMPLE }, table, virtualName, onProgress);
  try {
    const stats = columnStats(parts, table, loaded.columns);
    const columns = loaded.columns.map((c, i) => ({
      name: c.name,
      detectedType: c.type,
      suggested: c.kind ?? suggestKind(c, stats[i]!),
    }));
    // Ignored columns are not in the table; show them with their kind so the choice can be undone.
    for (const [name, kind] of Object.entries(request.options?.types ?? {})) {
      if (kind === 'ignore' && !columns.some((c) => c.name === name)) columns.push({ name, detectedType: '', suggested: 'ignore' });
    }
    const sampleRows = tableToRows(parts.conn.query(`SELECT * FROM ${quoteIdent(table)} LIMIT ${PREVIEW_ROWS}`));
    const notes = [...loaded.notes];
    if (stats.length > 0 && stats[0]!.rows === 0) notes.push('The file has a header but no rows: it imports as 0 rows.');
    const { missingTokens, ...settings } = loaded.read;
    return { detected: { format: request.format, ...settings }, columns, sampleRows, missingTokens, notes };
  } finally {
    dropQuietly(parts.conn, table);
  }
}

interface ColumnStats {
  rows: number;
  present: number;
  distinct: number;
  avgLength: number;
}

function columnStats(parts: LoadParts, table: string, columns: ColumnInfo[]): ColumnStats[] {
  if (columns.length === 0) return [];
  const parts_ = columns.map((c) => {
    const q = quoteIdent(c.name);
    return `count(${q})::DOUBLE, approx_count_distinct(${q})::DOUBLE, avg(length(CAST(${q} AS VARCHAR)))::DOUBLE`;
  });
  // Wide files: one query per 200 columns keeps the SQL small.
  const out: ColumnStats[] = [];
  for (let at = 0; at < columns.length; at += 200) {
    const slice = parts_.slice(at, at + 200);
    const row = parts.conn.query(`SELECT count(*)::DOUBLE, ${slice.join(', ')} FROM ${quoteIdent(table)}`);
    const value = (i: number) => Number(row.getChildAt(i)?.get(0) ?? 0);
    const rows = value(0);
    for (let k = 0; k < slice.length; k++) {
      out.push({ rows, present: value(1 + 3 * k), distinct: value(2 + 3 * k), avgLength: value(3 + 3 * k) });
    }
  }
  return out;
}

const ID_NAME = /(^id$|_id$|^id_|Id$|^key$|uuid|guid)/i;

/** A first guess an analyst can change: identifiers, categories and free text told apart by their values. */
export function suggestKind(column: ColumnInfo, stats: ColumnStats): ColumnKind {
  const type = column.type;
  const unique = stats.present > 1 && stats.distinct >= stats.present * 0.98;
  // Few rows are all distinct by chance; only a name like "id" makes a short column an identifier.
  const allDistinct = unique && (stats.present >= 20 || ID_NAME.test(column.name));
  if (type === 'BOOLEAN') return 'boolean';
  if (/^(DATE|TIMESTAMP|TIME)/.test(type)) return 'datetime';
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(type)) {
    return ID_NAME.test(column.name) && allDistinct ? 'identifier' : 'integer';
  }
  if (/^(DOUBLE|FLOAT|REAL|DECIMAL)/.test(type)) return 'number';
  if (type === 'VARCHAR') {
    if (allDistinct) return stats.avgLength > 40 ? 'text' : 'identifier';
    if (stats.distinct <= Math.max(50, stats.present * 0.05)) return 'category';
    return 'text';
  }
  return 'text';
}
