import { v, type Validator } from '../../host/validate.js';
import type { FrameColumn } from '../types.js';

/**
 * The preprocessing pipeline as the user writes it: an ordered list of steps, each naming the columns it works
 * on. This is plain JSON, saved with an experiment and shown in the UI; `fitPipeline` turns it into a
 * `FittedPipeline` (the statistics learned from the training rows), which `transform` then applies anywhere.
 */

/** The type of a raw column. */
export type ColumnType = FrameColumn['type'];
export const COLUMN_TYPES = ['number', 'category', 'text', 'datetime'] as const satisfies readonly ColumnType[];

/** Which columns a step works on: named columns, or every column of a type present when the step is fitted. */
export type Selector = string[] | { type: ColumnType };

export type ImputeStrategy = 'mean' | 'median' | 'most_frequent' | 'constant';

/**
 * Fills missing values. Numbers and dates: mean, median, most frequent (the smallest on ties) or a constant
 * (`fillValue`, default 0). Categories and text: most frequent or a constant (default "missing_value").
 * `indicator` adds `<name>_missing` (1 where the value was missing) after each column that had missing values
 * in the training rows, as scikit-learn's `add_indicator` does.
 */
export interface ImputeStep {
  kind: 'impute';
  columns: Selector;
  strategy: ImputeStrategy;
  fillValue?: number | string;
  indicator?: boolean;
}

/**
 * One-hot encoding of categories. Categories rarer than `minFrequency` (a count when >= 1, a share of the
 * training rows when < 1), and all but the `maxCategories - 1` most frequent (maxCategories >= 2, counting the
 * infrequent column), share one `<name>=(infrequent)`
 * column. A missing value is a category of its own. Categories not seen in training: `ignore` writes all zeros,
 * `infrequent` counts them as infrequent (all zeros when there is no infrequent column), like scikit-learn's
 * `handle_unknown='infrequent_if_exist'`.
 */
export interface OneHotStep {
  kind: 'encode';
  method: 'onehot';
  columns: Selector;
  minFrequency?: number;
  maxCategories?: number;
  unknown?: 'ignore' | 'infrequent';
}

/** Categories as their index in sorted order (0, 1, ...); missing and unseen categories become missing (NaN). */
export interface OrdinalStep {
  kind: 'encode';
  method: 'ordinal';
  columns: Selector;
}

/**
 * Target encoding: each category becomes the (smoothed) mean of the target over its training rows; one column
 * per class for a multiclass target (one-vs-rest). `smoothing: 'auto'` is scikit-learn's TargetEncoder empirical
 * Bayes shrinkage; a number m is the m-estimate (sum + m * prior) / (count + m). The training matrix uses
 * out-of-fold encodings (`folds`, default 5, seeded; stratified for classification) so no training row sees its
 * own target; `transform` uses the encoding fitted on all training rows.
 */
export interface TargetEncodeStep {
  kind: 'encode';
  method: 'target';
  columns: Selector;
  smoothing?: 'auto' | number;
  folds?: number;
}

export type EncodeStep = OneHotStep | OrdinalStep | TargetEncodeStep;

export type ScaleMethod = 'standard' | 'minmax' | 'robust';

/**
 * Scales numbers with statistics of the training rows (missing values ignored, and kept missing): standard
 * (mean 0, standard deviation 1), min-max (to 0..1) or robust (median 0, interquartile range 1).
 */
export interface ScaleStep {
  kind: 'scale';
  columns: Selector;
  method: ScaleMethod;
}

/** log(1 + x); values at or below -1 become missing. */
export interface Log1pStep {
  kind: 'transform';
  method: 'log1p';
  columns: Selector;
}

/** Clips numbers to the training rows' `lower` and `upper` quantiles (fractions, default 0.01 and 0.99). */
export interface ClipStep {
  kind: 'transform';
  method: 'clip';
  columns: Selector;
  lower?: number;
  upper?: number;
}

/**
 * Replaces numbers by their bin index 0..k-1: `quantile` bins hold equal shares of the training rows (bins
 * narrower than 1e-8 are merged), `uniform` bins are equally wide between the training minimum and maximum.
 */
export interface BinsStep {
  kind: 'transform';
  method: 'bins';
  columns: Selector;
  strategy: 'quantile' | 'uniform';
  bins: number;
}

export type TransformStep = Log1pStep | ClipStep | BinsStep;

export type DatePart = 'year' | 'month' | 'day' | 'weekday' | 'hour' | 'dayofyear';
export const DATE_PARTS = ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'] as const satisfies readonly DatePart[];

/** Replaces each date by its parts (UTC): `<name>.year`, `.month` (1-12), `.day`, `.weekday` (0 Monday), `.hour`, `.dayofyear`. */
export interface DatePartsStep {
  kind: 'dateparts';
  columns: Selector;
  parts?: DatePart[];
}

/** A new number column computed from others by an expression (see expression.ts for the grammar). */
export interface DeriveStep {
  kind: 'derive';
  name: string;
  expression: string;
}

export type RollingStat = 'mean' | 'std' | 'min' | 'max';
export const ROLLING_STATS = ['mean', 'std', 'min', 'max'] as const satisfies readonly RollingStat[];

/**
 * Lag and rolling-window features of time-ordered rows. Rows are ordered by `orderBy` (within each `groupBy`
 * value when given); `<name>.lag<k>` is the value k rows earlier and `<name>.roll<w>_<stat>` summarises the
 * previous w rows. Only rows strictly earlier in time count: never the row itself, a row at the same time, or a
 * later one. Each frame is ordered on its own, so the first rows of a validation frame have no history.
 */
export interface LagStep {
  kind: 'lag';
  columns: Selector;
  orderBy: string;
  groupBy?: string;
  lags?: number[];
  windows?: number[];
  stats?: RollingStat[];
}

/**
 * TF-IDF of text, as scikit-learn's TfidfVectorizer with the same options: lowercase, `word` tokens of two or
 * more word characters or `char` / `char_wb` n-grams, `ngram` range, the `maxFeatures` most frequent terms of
 * the training rows (by total count, as scikit-learn), terms in at least `minDf` documents, smooth idf,
 * optional sublinear tf, rows scaled to unit length (l2).
 */
export interface TfidfStep {
  kind: 'tfidf';
  columns: Selector;
  analyzer?: 'word' | 'char' | 'char_wb';
  ngram?: [number, number];
  maxFeatures?: number;
  minDf?: number;
  lowercase?: boolean;
  sublinearTf?: boolean;
  smoothIdf?: boolean;
}

/** Drops numbers whose training variance is at most `threshold` (default 0). */
export interface VarianceSelectStep {
  kind: 'select';
  method: 'variance';
  columns: Selector;
  threshold?: number;
}

/**
 * Keeps the `k` numbers with the most mutual information with the target (numbers cut into `bins` quantile
 * bins, default 10, missing a bin of its own; a regression target is binned the same way).
 */
export interface MutualInfoSelectStep {
  kind: 'select';
  method: 'mutual_info';
  columns: Selector;
  k: number;
  bins?: number;
}

export type SelectStep = VarianceSelectStep | MutualInfoSelectStep;

/** Removes columns. */
export interface DropStep {
  kind: 'drop';
  columns: Selector;
}

export type PipelineStep =
  | ImputeStep
  | EncodeStep
  | ScaleStep
  | TransformStep
  | DatePartsStep
  | DeriveStep
  | LagStep
  | TfidfStep
  | SelectStep
  | DropStep;

/** An ordered list of preprocessing steps. */
export interface PipelineSpec {
  steps: PipelineStep[];
}

const name = v.string({ min: 1, max: 1000 });
const count = (min: number, max = 1_000_000) => v.number({ min, max, integer: true });

/** Validates a column selector: a list of names, or `{ type }`. */
export const validateSelector: Validator<Selector> = (value, path = '') => {
  if (Array.isArray(value)) return v.array(name, { max: 100_000 })(value, path);
  return v.object({ type: v.literal(...COLUMN_TYPES) })(value, path);
};

const fillValue: Validator<number | string> = (value, path = '') =>
  typeof value === 'string' ? v.string({ max: 1000 })(value, path) : v.number()(value, path);

const smoothing: Validator<'auto' | number> = (value, path = '') =>
  value === 'auto' ? 'auto' : v.number({ min: 0 })(value, path);

const ngram: Validator<[number, number]> = (value, path = '') => {
  const pair = v.array(count(1, 20), { max: 2 })(value, path);
  if (pair.length !== 2 || pair[0]! > pair[1]!) throw new Error(`${path || 'ngram'} must be [min, max] with min <= max`);
  return [pair[0]!, pair[1]!];
};

const quantile = v.number({ min: 0, max: 1 });

/** Validates one step of a pipeline spec. */
export const validateStep: Validator<PipelineStep> = v.union('kind', {
  impute: v.object({
    kind: v.literal('impute'),
    columns: validateSelector,
    strategy: v.literal('mean', 'median', 'most_frequent', 'constant'),
    fillValue: v.optional(fillValue),
    indicator: v.optional(v.boolean()),
  }),
  encode: v.union('method', {
    onehot: v.object({
      kind: v.literal('encode'),
      method: v.literal('onehot'),
      columns: validateSelector,
      minFrequency: v.optional(v.number({ min: 0 })),
      maxCategories: v.optional(count(2)),
      unknown: v.optional(v.literal('ignore', 'infrequent')),
    }),
    ordinal: v.object({ kind: v.literal('encode'), method: v.literal('ordinal'), columns: validateSelector }),
    target: v.object({
      kind: v.literal('encode'),
      method: v.literal('target'),
      columns: validateSelector,
      smoothing: v.optional(smoothing),
      folds: v.optional(count(2, 100)),
    }),
  }),
  scale: v.object({ kind: v.literal('scale'), columns: validateSelector, method: v.literal('standard', 'minmax', 'robust') }),
  transform: v.union('method', {
    log1p: v.object({ kind: v.literal('transform'), method: v.literal('log1p'), columns: validateSelector }),
    clip: v.object({
      kind: v.literal('transform'),
      method: v.literal('clip'),
      columns: validateSelector,
      lower: v.optional(quantile),
      upper: v.optional(quantile),
    }),
    bins: v.object({
      kind: v.literal('transform'),
      method: v.literal('bins'),
      columns: validateSelector,
      strategy: v.literal('quantile', 'uniform'),
      bins: count(2, 10_000),
    }),
  }),
  dateparts: v.object({ kind: v.literal('dateparts'), columns: validateSelector, parts: v.optional(v.array(v.literal(...DATE_PARTS), { max: 6 })) }),
  derive: v.object({ kind: v.literal('derive'), name, expression: v.string({ min: 1, max: 10_000 }) }),
  lag: v.object({
    kind: v.literal('lag'),
    columns: validateSelector,
    orderBy: name,
    groupBy: v.optional(name),
    lags: v.optional(v.array(count(1), { max: 100 })),
    windows: v.optional(v.array(count(1), { max: 100 })),
    stats: v.optional(v.array(v.literal(...ROLLING_STATS), { max: 4 })),
  }),
  tfidf: v.object({
    kind: v.literal('tfidf'),
    columns: validateSelector,
    analyzer: v.optional(v.literal('word', 'char', 'char_wb')),
    ngram: v.optional(ngram),
    maxFeatures: v.optional(count(1)),
    minDf: v.optional(count(1)),
    lowercase: v.optional(v.boolean()),
    sublinearTf: v.optional(v.boolean()),
    smoothIdf: v.optional(v.boolean()),
  }),
  select: v.union('method', {
    variance: v.object({ kind: v.literal('select'), method: v.literal('variance'), columns: validateSelector, threshold: v.optional(v.number({ min: 0 })) }),
    mutual_info: v.object({
      kind: v.literal('select'),
      method: v.literal('mutual_info'),
      columns: validateSelector,
      k: count(1),
      bins: v.optional(count(2, 1000)),
    }),
  }),
  drop: v.object({ kind: v.literal('drop'), columns: validateSelector }),
}) as Validator<PipelineStep>;

/** Validates a whole pipeline spec (for specs that arrive from the renderer or a file). */
export const validatePipelineSpec: Validator<PipelineSpec> = v.object({ steps: v.array(validateStep, { max: 1000 }) });
