import { v, type Validator } from '../host/validate.js';
import { defineDocument } from './document.js';

export type DatasetFormat = 'csv' | 'parquet' | 'json';

/** What the analyst says a column is; applied when the file is read. `ignore` drops the column. */
export type ColumnKind = 'number' | 'integer' | 'category' | 'boolean' | 'datetime' | 'text' | 'identifier' | 'ignore';
export const COLUMN_KINDS = ['number', 'integer', 'category', 'boolean', 'datetime', 'text', 'identifier', 'ignore'] as const satisfies readonly ColumnKind[];

/** The values read as missing unless the analyst changes them. */
export const DEFAULT_MISSING_TOKENS: readonly string[] = ['', 'NA', 'N/A', 'null', '?'];

/** How a file was read (lineage): the CSV dialect, missing-value tokens and the analyst's column kinds. */
export interface ReadSettings {
  delimiter?: string;
  quote?: string;
  header?: boolean;
  encoding?: string;
  missingTokens: string[];
  /** Only the columns the analyst set; the rest kept the type DuckDB detected. */
  types: Record<string, ColumnKind>;
  /** What the reader changed and said so: renamed columns, a header-only file. */
  notes?: string[];
}

/** One file that went into a dataset (several when files dropped together were appended). */
export interface DatasetSource {
  originalName: string;
  sha256: string;
  sizeBytes: number;
  /** The copy inside the project, relative to its folder. */
  storedFile?: string;
}

export interface ColumnInfo {
  name: string;
  /** DuckDB's type name, e.g. BIGINT, DOUBLE, VARCHAR, DATE. */
  type: string;
  /** Set when the analyst chose the kind at import (e.g. `identifier`, `category`). */
  kind?: ColumnKind;
  /** Version 2: how many values were missing after reading (missing-value tokens applied). */
  missing?: number;
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
  /** Version 2: how the file was read. Absent for datasets imported by version 1. */
  read?: ReadSettings;
  /** Version 2: the typed, cleaned table as Parquet (`datasets/<id>/data.parquet`); absent for v1 datasets. */
  parquetFile?: string;
  parquetSha256?: string;
  /** Version 2: every file appended into this dataset, the first being `originalName`/`sha256`. */
  sources?: DatasetSource[];
  /** Version 2: set when the dataset is a saved SQL query's result rather than an imported file. */
  lineage?: DatasetLineage;
}

/** A dataset made by a query: the SQL and the exact datasets it read (partition: only their training rows). */
export interface DatasetLineage {
  kind: 'query';
  sql: string;
  sources: { datasetId: string; name: string; sha256: string; splitId?: string; partition?: 'train' }[];
}

export interface ProjectDocument {
  schemaVersion: 2;
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

const columnKind = v.literal(...COLUMN_KINDS);
const column = v.object({
  name: v.string({ max: 1000 }),
  type: v.string({ max: 200 }),
  kind: v.optional(columnKind),
  missing: v.optional(v.number({ min: 0, integer: true })),
});
const sha256 = v.string({ min: 64, max: 64 });

export const validateReadSettings: Validator<ReadSettings> = v.object({
  delimiter: v.optional(v.string({ min: 1, max: 4 })),
  quote: v.optional(v.string({ max: 1 })),
  header: v.optional(v.boolean()),
  encoding: v.optional(v.string({ max: 20 })),
  missingTokens: v.array(v.string({ max: 100 }), { max: 100 }),
  types: v.record(v.string({ min: 1, max: 1000 }), columnKind, { max: 100_000 }),
  notes: v.optional(v.array(v.string({ max: 2000 }), { max: 100 })),
});

export const validateDataset: Validator<DatasetRecord> = v.object({
  id: v.string({ min: 1, max: 64 }),
  name: v.string({ max: 300 }),
  originalName: v.string({ min: 1, max: 300 }),
  format: v.literal('csv', 'parquet', 'json'),
  storedFile: v.string({ min: 1, max: 600 }),
  sha256,
  sizeBytes: v.number({ min: 0, integer: true }),
  importedAt: isoDate,
  rows: v.number({ min: 0, integer: true }),
  columns: v.array(column),
  read: v.optional(validateReadSettings),
  parquetFile: v.optional(v.string({ min: 1, max: 600 })),
  parquetSha256: v.optional(sha256),
  sources: v.optional(
    v.array(
      v.object({
        originalName: v.string({ min: 1, max: 300 }),
        sha256,
        sizeBytes: v.number({ min: 0, integer: true }),
        storedFile: v.optional(v.string({ min: 1, max: 600 })),
      }),
    ),
  ),
  lineage: v.optional(
    v.object({
      kind: v.literal('query'),
      sql: v.string({ min: 1, max: 100_000 }),
      sources: v.array(
        v.object({
          datasetId: v.string({ min: 1, max: 64 }),
          name: v.string({ max: 300 }),
          sha256,
          splitId: v.optional(v.string({ min: 1, max: 64 })),
          partition: v.optional(v.literal('train')),
        }),
        { max: 200 },
      ),
    }),
  ),
});

export const projectDocument = defineDocument<ProjectDocument>({
  kind: 'project',
  version: 2,
  migrations: [
    // 1 → 2: datasets may carry how they were read, a Parquet copy and their sources. A v1 dataset has none of
    // them: it keeps only its original file, which readers fall back to.
    (doc) => doc,
  ],
  validate: v.object({
    schemaVersion: v.literal(2),
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
