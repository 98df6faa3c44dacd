import type { ImportOptions } from '../../shared/host/contract.js';
import type { InspectedFile } from '../../shared/protocol/data-worker.js';
import type { DatasetRecord, ReadSettings } from '../../shared/schema/project.js';

/** The name of the typed Parquet copy inside `datasets/<id>/`. */
export const PARQUET_FILE = 'data.parquet';

/** Lineage: how the file was read, with the kinds the analyst chose. */
export function readSettings(shape: InspectedFile, options: ImportOptions | undefined): ReadSettings {
  const read = shape.read;
  return {
    ...(read?.delimiter === undefined ? {} : { delimiter: read.delimiter }),
    ...(read?.quote === undefined ? {} : { quote: read.quote }),
    ...(read?.header === undefined ? {} : { header: read.header }),
    ...(read?.encoding === undefined ? {} : { encoding: read.encoding }),
    missingTokens: read?.missingTokens ?? options?.missingTokens ?? [],
    types: { ...(options?.types ?? {}) },
    ...(shape.notes === undefined || shape.notes.length === 0 ? {} : { notes: shape.notes }),
  };
}

/** The columns as recorded: name, type, the analyst's kind, and how many values are missing. */
export function recordColumns(shape: InspectedFile): DatasetRecord['columns'] {
  return shape.columns.map((c) => ({
    name: c.name,
    type: c.type,
    ...(c.kind === undefined ? {} : { kind: c.kind }),
    ...(c.missing === undefined ? {} : { missing: c.missing }),
  }));
}
