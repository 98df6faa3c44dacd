import { HostError } from '../host/errors.js';

/**
 * The shapes every part of training speaks: the raw columns a pipeline reads (`Frame`), the numeric matrix it
 * writes (`FeatureMatrix`), the target, and the model interface. Column-major typed arrays throughout: trees bin
 * one column at a time, and DuckDB hands columns over as Arrow vectors that copy straight into them.
 */

export type Task = 'binary' | 'multiclass' | 'regression';

/** One raw column, as a pipeline reads it. Missing is NaN for numbers and dates, -1 for category codes, null for text. */
export type FrameColumn =
  /** `categorical`: the values are category codes 0..k-1 (an ordinal encoding's output, NaN where missing). */
  | { name: string; type: 'number'; values: Float64Array; categorical?: boolean }
  | { name: string; type: 'category'; codes: Int32Array; levels: string[] }
  | { name: string; type: 'text'; values: (string | null)[] }
  /** Milliseconds since 1970-01-01 UTC. */
  | { name: string; type: 'datetime'; values: Float64Array };

export interface Frame {
  rowCount: number;
  columns: FrameColumn[];
}

/**
 * Rows of the training partition. Only a pipeline's `fit` accepts this type, and only `trainingRows` makes one,
 * so statistics are never fitted on validation or test rows by mistake (see pipeline/).
 */
export type TrainingFrame = Frame & { readonly __partition: 'train' };

export function trainingRows(frame: Frame): TrainingFrame {
  return frame as TrainingFrame;
}

/** The numeric matrix models train on: one Float64Array per feature, NaN where a value is missing. */
export interface FeatureMatrix {
  rowCount: number;
  names: string[];
  columns: Float64Array[];
  /**
   * Per feature, whether its values are category codes 0..k-1 (NaN when missing) rather than quantities: gradient
   * boosting splits those by sets of categories. Absent: none are.
   */
  categorical?: boolean[];
}

/**
 * What a model learns to predict. Classification: `values` holds class indices 0..k-1 in the order of `classes`;
 * for a binary task index 1 is the positive class. Regression: the values themselves.
 */
export interface Target {
  task: Task;
  values: Float64Array;
  classes?: string[];
}

export function classCount(target: Pick<Target, 'task' | 'classes'>): number {
  if (target.task === 'regression') return 1;
  return target.classes?.length ?? 2;
}

/**
 * Predictions: regression, one value per row; binary, P(positive class) per row; multiclass, row-major
 * probabilities (row i's k class probabilities at i*k .. i*k+k-1).
 */
export type Predictions = Float64Array;

export interface Progress {
  /** 0..1 of this fit. */
  fraction: number;
  message?: string;
  /** A score on the validation data while it trains (e.g. the loss per boosting round), for a live chart. */
  metric?: { name: string; step: number; train?: number; validation?: number };
}

export interface FitContext {
  seed: number;
  /** Called now and then with how far the fit is; cheap to call. */
  onProgress?: (progress: Progress) => void;
  /** Returns true once the user has cancelled; a fit checks it between steps and throws `cancelled()`. */
  isCancelled?: () => boolean;
  /** Held-out rows for early stopping (never the test partition). */
  validation?: { X: FeatureMatrix; y: Target };
  /** Per-row weights (class weights); absent means 1. */
  weights?: Float64Array;
}

export const MODEL_KINDS = ['baseline', 'logreg', 'linear', 'tree', 'rf', 'gbdt', 'mlp'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/** A model's fitted state as one JSON-safe object; `kind` says which loader reads it. */
export interface ModelState {
  kind: ModelKind;
  task: Task;
  /** Format version of this kind's state. */
  version: number;
  params: Record<string, unknown>;
  [key: string]: unknown;
}

export interface FittedModel {
  readonly kind: ModelKind;
  readonly task: Task;
  readonly params: Record<string, unknown>;
  predict(X: FeatureMatrix): Predictions;
  toJSON(): ModelState;
}

/** Throws the error a cancelled fit ends with. */
export function cancelled(): never {
  throw new HostError('cancelled', 'Training was cancelled.');
}

export function checkCancelled(ctx: Pick<FitContext, 'isCancelled'>): void {
  if (ctx.isCancelled?.()) cancelled();
}

/** The rows `rows` of a matrix (for folds and subsamples). */
export function takeRows(X: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const n = rows.length;
  const columns = X.columns.map((col) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = col[rows[i]!]!;
    return out;
  });
  return X.categorical ? { rowCount: n, names: X.names, columns, categorical: X.categorical } : { rowCount: n, names: X.names, columns };
}

export function takeTarget(y: Target, rows: ArrayLike<number>): Target {
  const values = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) values[i] = y.values[rows[i]!]!;
  return y.classes ? { task: y.task, values, classes: y.classes } : { task: y.task, values };
}

/** The rows `rows` of a frame, in that order (for partitions, folds and subsamples). */
export function takeFrame(frame: Frame, rows: ArrayLike<number>): Frame {
  const n = rows.length;
  const columns = frame.columns.map((col): FrameColumn => {
    switch (col.type) {
      case 'number':
      case 'datetime': {
        const values = new Float64Array(n);
        for (let i = 0; i < n; i++) values[i] = col.values[rows[i]!]!;
        return { name: col.name, type: col.type, values };
      }
      case 'category': {
        const codes = new Int32Array(n);
        for (let i = 0; i < n; i++) codes[i] = col.codes[rows[i]!]!;
        return { name: col.name, type: col.type, codes, levels: col.levels };
      }
      case 'text': {
        const values = new Array<string | null>(n);
        for (let i = 0; i < n; i++) values[i] = col.values[rows[i]!]!;
        return { name: col.name, type: col.type, values };
      }
    }
  });
  return { rowCount: n, columns };
}
