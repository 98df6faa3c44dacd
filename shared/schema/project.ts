import { v, type Validator } from '../host/validate.js';
import { defineDocument } from './document.js';

export type DatasetFormat = 'csv' | 'parquet';

export interface ColumnInfo {
  name: string;
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR, DATE. */
  type: string;
}

/** One imported file: the start of lineage. The copy inside the project is never changed after import. */
export interface DatasetRecord {
  id: string;
  /** Display name, from the file name without its extension. */
  name: string;
  originalName: string;
  format: DatasetFormat;
  /** Path of the copy, relative to the project folder, always with forward slashes. */
  storedFile: string;
  sha256: string;
  sizeBytes: number;
  importedAt: string;
  rows: number;
  columns: ColumnInfo[];
}

export interface ProjectDocument {
  schemaVersion: 1;
  id: string;
  name: string;
  createdAt: string;
  updatedAt: string;
  /** Set for the sample project, to credit the data's authors in the app. */
  sample?: { title: string; credit: string; licence: string; url: string };
  datasets: DatasetRecord[];
}

const isoDate: Validator<string> = (value, path) => {
  const s = v.string({ max: 40 })(value, path);
  if (Number.isNaN(Date.parse(s))) throw new Error(`${path ?? 'date'} is not an ISO date`);
  return s;
};

const column = v.object({ name: v.string({ max: 1000 }), type: v.string({ max: 200 }) });

export const validateDataset: Validator<DatasetRecord> = v.object({
  id: v.string({ min: 1, max: 64 }),
  name: v.string({ max: 300 }),
  originalName: v.string({ min: 1, max: 300 }),
  format: v.literal('csv', 'parquet'),
  storedFile: v.string({ min: 1, max: 600 }),
  sha256: v.string({ min: 64, max: 64 }),
  sizeBytes: v.number({ min: 0, integer: true }),
  importedAt: isoDate,
  rows: v.number({ min: 0, integer: true }),
  columns: v.array(column),
});

export const projectDocument = defineDocument<ProjectDocument>({
  kind: 'project',
  version: 1,
  migrations: [],
  validate: v.object({
    schemaVersion: v.literal(1),
    id: v.string({ min: 1, max: 64 }),
    name: v.string({ min: 1, max: 64 }),
    createdAt: isoDate,
    updatedAt: isoDate,
    sample: v.optional(
      v.object({
        title: v.string({ max: 200 }),
        credit: v.string({ max: 1000 }),
        licence: v.string({ max: 100 }),
        url: v.string({ max: 500 }),
      }),
    ),
    datasets: v.array(validateDataset),
  }),
});
