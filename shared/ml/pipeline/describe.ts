import type { FrameColumn } from '../types.js';
import type { PipelineSpec, PipelineStep, Selector } from './spec.js';

/** The UI's words for pipeline steps, and the default pipeline a new experiment starts from. */

const TYPE_PLURAL = { number: 'number', category: 'category', text: 'text', datetime: 'date' } as const;

function columnsText(selector: Selector): string {
  if (!Array.isArray(selector)) return `all ${TYPE_PLURAL[selector.type]} columns`;
  if (selector.length === 0) return 'no columns';
  const quoted = selector.map((n) => `"${n}"`);
  if (quoted.length === 1) return quoted[0]!;
  if (quoted.length <= 4) return `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]!}`;
  return `${quoted.slice(0, 3).join(', ')} and ${quoted.length - 3} more columns`;
}

function share(x: number): string {
  return x >= 1 ? `${x} rows` : `${+(x * 100).toPrecision(3)}% of rows`;
}

function ordinal(x: number): string {
  const n = +x.toPrecision(6);
  if (!Number.isInteger(n)) return `${n}th`;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** One plain-English sentence saying what a step does. */
export function describeStep(step: PipelineStep): string {
  const on = 'columns' in step ? columnsText(step.columns) : '';
  switch (step.kind) {
    case 'impute': {
      const how =
        step.strategy === 'constant'
          ? `the constant ${JSON.stringify(step.fillValue ?? 0)}`
          : step.strategy === 'most_frequent'
            ? 'the most frequent value'
            : `the ${step.strategy}`;
      const of = step.strategy === 'constant' ? '' : ' of the training rows';
      return `Fill missing values in ${on} with ${how}${of}${step.indicator ? ', adding a column that marks which were missing' : ''}.`;
    }
    case 'encode':
      if (step.method === 'onehot') {
        const rare: string[] = [];
        if (step.minFrequency !== undefined) rare.push(`seen in fewer than ${share(step.minFrequency)}`);
        if (step.maxCategories !== undefined) rare.push(`beyond the ${step.maxCategories - 1} most frequent`);
        const group = rare.length > 0 ? `, grouping categories ${rare.join(' or ')} into one "infrequent" column` : '';
        const unknown = step.unknown === 'infrequent' ? 'count as infrequent' : 'become all zeros';
        return `One-hot encode ${on}${group}; categories not seen in training ${unknown}.`;
      }
      if (step.method === 'ordinal') return `Number the categories of ${on} in sorted order (unseen categories become missing); gradient boosting splits these numbers as categories, other models as quantities.`;
      return `Replace each category of ${on} by the ${step.smoothing === undefined || step.smoothing === 'auto' ? 'smoothed' : `m-estimate (m = ${step.smoothing})`} mean target of its training rows, computed out-of-fold over ${step.folds ?? 5} folds for the training rows themselves.`;
    case 'scale':
      return step.method === 'standard'
        ? `Scale ${on} to mean 0 and standard deviation 1 on the training rows.`
        : step.method === 'minmax'
          ? `Scale ${on} to the range 0 to 1 of the training rows.`
          : `Scale ${on} by the training median and interquartile range.`;
    case 'transform':
      if (step.method === 'log1p') return `Take log(1 + x) of ${on}.`;
      if (step.method === 'clip') {
        return `Clip ${on} to the training rows' ${ordinal((step.lower ?? 0.01) * 100)} and ${ordinal((step.upper ?? 0.99) * 100)} percentiles.`;
      }
      return `Cut ${on} into ${step.bins} ${step.strategy === 'quantile' ? 'equally filled' : 'equally wide'} bins fitted on the training rows.`;
    case 'dateparts':
      return `Split ${on} into ${(step.parts ?? ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear']).map((p) => (p === 'dayofyear' ? 'day of year' : p)).join(', ')}.`;
    case 'derive':
      return `Add a column "${step.name}" computed as ${step.expression}.`;
    case 'lag': {
      const parts: string[] = [];
      if (step.lags?.length) parts.push(`the values ${step.lags.join(', ')} rows earlier`);
      if (step.windows?.length) parts.push(`the ${(step.stats ?? ['mean']).join('/')} of the previous ${step.windows.join(', ')} rows`);
      const by = step.groupBy === undefined ? '' : ` within each "${step.groupBy}"`;
      return `Add ${parts.join(' and ')} of ${on}, ordered by "${step.orderBy}"${by}, using only earlier rows.`;
    }
    case 'tfidf': {
      const [lo, hi] = step.ngram ?? [1, 1];
      const unit = (step.analyzer ?? 'word') === 'word' ? 'word' : 'character';
      const grams = lo === hi ? `${unit} ${lo}-grams` : `${unit} ${lo}- to ${hi}-grams`;
      const max = step.maxFeatures === undefined ? '' : `, keeping the ${step.maxFeatures} most frequent`;
      return `Turn ${on} into TF-IDF weights of ${grams}${max}.`;
    }
    case 'select':
      return step.method === 'variance'
        ? `Drop those of ${on} whose training variance is at most ${step.threshold ?? 0}.`
        : `Keep the ${step.k} of ${on} that tell the most about the target (mutual information).`;
    case 'drop':
      return `Drop ${on}.`;
  }
}

/** A column as `defaultPipeline` needs to know it. */
export interface ColumnInfo {
  name: string;
  type: FrameColumn['type'];
  /** Distinct non-missing values, when known: a column with one value is dropped. */
  distinct?: number;
}

/**
 * A safe starting pipeline: drop the target and constant columns; numbers get median imputation with a missing
 * indicator and standard scaling; categories most-frequent imputation and one-hot encoding (categories under 1%
 * of rows or beyond the 29 most frequent grouped as infrequent, unseen categories counted as infrequent); dates
 * their parts; text TF-IDF of words and word pairs (500 terms at most). `exclude` names columns that must not
 * become features either (identifiers, columns the analyst left out); they are dropped with the target.
 * With `categories: 'codes'` (for gradient boosting, which splits them as categories) categories are ordinal
 * encoded instead, missing values left missing for the trees to route.
 */
export function defaultPipeline(
  columns: ColumnInfo[],
  target: string,
  exclude: readonly string[] = [],
  options: { categories?: 'onehot' | 'codes' } = {},
): PipelineSpec {
  const drop = columns.filter((c) => c.name === target || c.distinct === 1 || exclude.includes(c.name)).map((c) => c.name);
  const kept = columns.filter((c) => !drop.includes(c.name));
  const of = (type: FrameColumn['type']): string[] => kept.filter((c) => c.type === type).map((c) => c.name);
  const numbers = of('number');
  const categories = of('category');
  const dates = of('datetime');
  const texts = of('text');
  const steps: PipelineStep[] = [];
  if (drop.length > 0) steps.push({ kind: 'drop', columns: drop });
  if (numbers.length > 0) {
    steps.push({ kind: 'impute', columns: numbers, strategy: 'median', indicator: true });
    steps.push({ kind: 'scale', columns: numbers, method: 'standard' });
  }
  if (categories.length > 0 && options.categories === 'codes') steps.push({ kind: 'encode', method: 'ordinal', columns: categories });
  else if (categories.length > 0) {
    steps.push({ kind: 'impute', columns: categories, strategy: 'most_frequent' });
    steps.push({ kind: 'encode', method: 'onehot', columns: categories, minFrequency: 0.01, maxCategories: 30, unknown: 'infrequent' });
  }
  if (dates.length > 0) steps.push({ kind: 'dateparts', columns: dates });
  if (texts.length > 0) steps.push({ kind: 'tfidf', columns: texts, analyzer: 'word', ngram: [1, 2], maxFeatures: 500 });
  return { steps };
}

/**
 * The spec with the target dropped before any step runs, so no step (say, "one-hot encode every category
 * column") can turn the answer into a feature. The training job applies it to every fit; a spec that already
 * starts by dropping the target is returned as it is.
 */
export function withTargetDropped(spec: PipelineSpec, target: string): PipelineSpec {
  const first = spec.steps[0];
  if (first?.kind === 'drop' && Array.isArray(first.columns) && first.columns.includes(target)) return spec;
  const rest: PipelineStep[] = [];
  for (const step of spec.steps) {
    if (step.kind === 'drop' && Array.isArray(step.columns) && step.columns.includes(target)) {
      const columns = step.columns.filter((c) => c !== target);
      if (columns.length > 0) rest.push({ ...step, columns });
    } else {
      rest.push(step);
    }
  }
  return { ...spec, steps: [{ kind: 'drop', columns: [target] }, ...rest] };
}
