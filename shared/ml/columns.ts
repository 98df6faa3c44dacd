import type { ColumnInfo } from '../schema/project.js';
import type { FrameColumn } from './types.js';

/**
 * How a stored column becomes a training column: the analyst's kind at import wins, else DuckDB's type.
 * Identifiers and ignored columns are no features (null).
 */
export function frameTypeOf(column: Pick<ColumnInfo, 'type' | 'kind'>): FrameColumn['type'] | null {
  switch (column.kind) {
    case 'identifier':
    case 'ignore':
      return null;
    case 'number':
    case 'integer':
      return 'number';
    case 'category':
    case 'boolean':
      return 'category';
    case 'datetime':
      return 'datetime';
    case 'text':
      return 'text';
    default:
      break;
  }
  const type = column.type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|REAL|DOUBLE|DECIMAL.*)$/.test(type)) return 'number';
  if (/^(DATE|TIMESTAMP.*)$/.test(type)) return 'datetime';
  return 'category';
}

/** A text column read without a kind counts as free text when this share of its values is distinct… */
export const TEXT_MIN_DISTINCT_SHARE = 0.5;
/** …and its values are this long on average (characters). */
export const TEXT_MIN_MEAN_LENGTH = 20;
