import { v, type Validator } from '../host/validate.js';
import { defineDocument } from './document.js';

/**
 * A stored train / validation / test split: `<project>/splits/<id>.json` (this document) beside
 * `<project>/splits/<id>.bin` (the assignment: one byte per row of the dataset, in row order; 0 train,
 * 1 validation, 2 test, 255 excluded). Kept out of project.json so a split never rewrites the project file.
 */

export type SplitMethod = 'stratified' | 'random' | 'time' | 'group';
export const SPLIT_METHODS = ['stratified', 'random', 'time', 'group'] as const satisfies readonly SplitMethod[];

/** A gap between the partitions of a time split: rows, or a span in the time column's units (days for dates). */
export type SplitGap = { rows: number } | { span: number };

export interface SplitSpec {
  method: SplitMethod;
  /** Stratified: the class column. Group: optional, to balance classes too. */
  target?: string;
  timeColumn?: string;
  groupColumn?: string;
  /** Train, validation, test; 0..1, summing to 1. */
  fractions: [number, number, number];
  /** A 32-bit unsigned integer; the same seed gives the same split. */
  seed: number;
  gap?: SplitGap;
}

export interface PartitionCounts {
  train: number;
  validation: number;
  test: number;
  /** Rows in no partition (a time split's gap, or no time). */
  excluded: number;
}

/** One class of the target and its rows per partition (train, validation, test). */
export interface ClassCounts {
  label: string;
  counts: [number, number, number];
}

export interface SplitSummary {
  rows: number;
  counts: PartitionCounts;
  /** Per class of the target, when the split has one. At most MAX_SPLIT_CLASSES. */
  classes?: ClassCounts[];
}

export const MAX_SPLIT_CLASSES = 100;

export interface SplitDocument extends SplitSummary {
  schemaVersion: 1;
  id: string;
  datasetId: string;
  /** The dataset's SHA-256 when the split was made: the assignment fits exactly those rows. */
  datasetSha256: string;
  spec: SplitSpec;
  createdAt: string;
  /** The assignment file's SHA-256, checked whenever it is read. */
  assignmentSha256: string;
}

const count = v.number({ min: 0, integer: true });
const fraction = v.number({ min: 0, max: 1 });
const column = v.optional(v.string({ min: 1, max: 1000 }));

const validateGap: Validator<SplitGap> = (value, path) => {
  if (typeof value === 'object' && value !== null && 'rows' in value) return v.object({ rows: count })(value, path);
  return v.object({ span: v.number({ min: 0 }) })(value, path);
};

export const validateSplitSpec: Validator<SplitSpec> = v.object({
  method: v.literal(...SPLIT_METHODS),
  target: column,
  timeColumn: column,
  groupColumn: column,
  fractions: (value, path) => {
    const list = v.array(fraction, { max: 3 })(value, path);
    if (list.length !== 3) throw new Error(`${path ?? 'fractions'} must hold three fractions`);
    return list as [number, number, number];
  },
  seed: v.number({ min: 0, max: 0xffffffff, integer: true }),
  gap: v.optional(validateGap),
});

export const splitDocument = defineDocument<SplitDocument>({
  kind: 'split',
  version: 1,
  migrations: [],
  validate: v.object({
    schemaVersion: v.literal(1),
    id: v.string({ min: 1, max: 64 }),
    datasetId: v.string({ min: 1, max: 64 }),
    datasetSha256: v.string({ min: 64, max: 64 }),
    spec: validateSplitSpec,
    createdAt: v.string({ min: 1, max: 40 }),
    assignmentSha256: v.string({ min: 64, max: 64 }),
    rows: count,
    counts: v.object({ train: count, validation: count, test: count, excluded: count }),
    classes: v.optional(
      v.array(
        v.object({
          label: v.string({ max: 1000 }),
          counts: (value, path) => v.array(count, { max: 3 })(value, path) as [number, number, number],
        }),
        { max: MAX_SPLIT_CLASSES },
      ),
    ),
  }),
});
