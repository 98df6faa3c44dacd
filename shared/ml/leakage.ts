import { mulberry32, shuffleInPlace } from '../data/random.js';
import { AFTER_OUTCOME_NAME } from '../data/report.js';
import { pearson } from '../data/correlation.js';
import { formatShare, LEAKAGE_ASSOCIATION, LEAKAGE_AUC } from '../data/warnings.js';
import { HostError } from '../host/errors.js';
import { rocAuc } from './metrics.js';
import type { FrameColumn, Task, TrainingFrame } from './types.js';

/**
 * The leakage check that runs before training: columns that would let a model "know the answer" during
 * training and fail in use. It reads the training partition only, and says in plain words why a column is
 * suspect and what to do. The thresholds are the data quality report's (`LEAKAGE_AUC`, `LEAKAGE_ASSOCIATION`
 * in data/warnings.ts, `AFTER_OUTCOME_NAME` in data/report.ts) plus the two below for regression.
 *
 * How "predicts alone" is measured, on the rows where the target is present:
 * - binary: the column's univariate ROC AUC, max(AUC, 1 − AUC) >= LEAKAGE_AUC. Numbers and dates score by
 *   value, with missing values placed first and then last (the larger result counts, so "missing exactly when
 *   positive" is caught); categories and text score by their training positive rate.
 * - multiclass: accuracy of predicting the majority class of each category (or of each quantile bin of a
 *   number) >= LEAKAGE_AUC, and removing at least LEAKAGE_ASSOCIATION of the errors of always predicting the
 *   most common class (so a 99%-majority target does not flag every column).
 * - regression: R² of the per-category (per-bin) mean >= LEAKAGE_R2, or |Pearson r| >= LEAKAGE_PEARSON.
 * Category levels with fewer than 5 rows are pooled into one, so an identifier's one-row levels cannot look
 * predictive; missing is a level of its own. Numbers are cut into quantile bins of about 10 rows (2 to 100).
 * Tables over 200,000 rows are measured on a seeded sample of 200,000 of them, as the quality report does.
 */

export type LeakageKind = 'predicts-alone' | 'identifier' | 'outcome-name' | 'time';

export interface LeakageWarning {
  column: string;
  kind: LeakageKind;
  severity: 'high' | 'medium';
  /** Why the column is suspect and what to do, in plain words. */
  message: string;
  /** The measure behind the warning where there is one: max(AUC, 1 − AUC), accuracy, R² or |r|, or a share of rows. */
  score?: number;
}

export interface LeakageTarget {
  column: string;
  task: Task;
  /** Binary tasks: the value read as positive (as text, e.g. "yes" or "1"); the less common class if absent. */
  positiveClass?: string;
}

/** A regression feature whose per-bin (per-category) means explain this share of the target's variance is suspect. */
export const LEAKAGE_R2 = 0.98;
/** A regression feature correlated this strongly with the target (|Pearson r|) is suspect. */
export const LEAKAGE_PEARSON = 0.99;

/** Levels with fewer rows than this are pooled before measuring how well a category predicts. */
const MIN_LEVEL_ROWS = 5;
/** Below this many rows (with a target) nothing is measured: too few to tell. */
const MIN_ROWS = 10;
const ROWS_PER_BIN = 10;
const MAX_BINS = 100;
/** "Predicts alone" is measured on at most this many rows (a seeded sample of larger tables). */
const MAX_MEASURED_ROWS = 200_000;
/**
 * Names that say "identifier": id, customer_id, Customer ID, customerId, PassengerId, CustomerID, uuid, guid.
 * Case matters at the end so that words ending in "id" (paid, valid, humid) are not taken for identifiers.
 */
export const ID_NAME = /(?:^|[_\s.-])(?:id|Id|ID)$|[a-z0-9](?:Id|ID)$|[uUgG][uU][iI][dD]$/;

/**
 * The leakage warnings for `train` when predicting `target`, most serious first (then in column order).
 * Kinds: 'predicts-alone' (one column alone predicts the target almost perfectly, see the file header),
 * 'identifier' (every value distinct, a strictly increasing integer, or a name ending in id/ID/_id/uuid),
 * 'outcome-name' (a name that sounds recorded after the outcome, `AFTER_OUTCOME_NAME`, or that names the
 * target, e.g. churn_date for churned), and, when `opts.timeColumn` is given, 'time' (a date column on or
 * after the time column in most rows, or rows not in time order). The target column itself is never warned
 * about. Throws `invalid-argument` when the target or time column is not in the frame or has the wrong type.
 */
export function checkLeakage(train: TrainingFrame, target: LeakageTarget, opts: { timeColumn?: string } = {}): LeakageWarning[] {
  const targetColumn = train.columns.find((c) => c.name === target.column);
  if (targetColumn === undefined) invalid(`The target column "${target.column}" is not among the training columns.`);
  const y = encodeTarget(targetColumn, target);
  let timeColumn: TimeColumn | undefined;
  if (opts.timeColumn !== undefined) {
    const found = train.columns.find((c) => c.name === opts.timeColumn);
    if (found === undefined) invalid(`The time column "${opts.timeColumn}" is not among the training columns.`);
    if (found.type !== 'datetime' && found.type !== 'number') invalid(`The time column "${opts.timeColumn}" must hold dates or numbers, not ${found.type}.`);
    timeColumn = found;
  }
  const out: LeakageWarning[] = [];
  for (const column of train.columns) {
    if (column.name === target.column) continue;
    const alone = predictsAlone(column, y, target.column);
    if (alone !== null) out.push(alone);
    const id = column === timeColumn ? null : identifier(column);
    if (id !== null) out.push(id);
    const named = outcomeName(column.name, target.column);
    if (named !== null) out.push(named);
    if (timeColumn !== undefined && column !== timeColumn && column.type === 'datetime') {
      const after = recordedAfter(column, timeColumn);
      if (after !== null) out.push(after);
    }
  }
  if (timeColumn !== undefined) {
    const unsorted = notInTimeOrder(timeColumn);
    if (unsorted !== null) out.push(unsorted);
  }
  const rank = { high: 0, medium: 1 };
  return out
    .map((w, i) => ({ w, i }))
    .sort((a, b) => rank[a.w.severity] - rank[b.w.severity] || a.i - b.i)
    .map(({ w }) => w);
}

type TimeColumn = Extract<FrameColumn, { type: 'datetime' | 'number' }>;

// ---------------------------------------------------------------------------------------------------------
// The target

type EncodedTarget =
  | { task: 'binary'; rows: Int32Array; y: Float64Array }
  | { task: 'multiclass'; rows: Int32Array; y: Int32Array; k: number }
  | { task: 'regression'; rows: Int32Array; y: Float64Array };

/** The rows with a target, and the target on them: 0/1 (binary), class index (multiclass) or the value. */
function encodeTarget(column: FrameColumn, target: LeakageTarget): EncodedTarget {
  const n = column.type === 'category' ? column.codes.length : column.values.length;
  if (target.task === 'regression') {
    if (column.type !== 'number' && column.type !== 'datetime') invalid(`A regression target must hold numbers; "${column.name}" holds ${column.type === 'category' ? 'categories' : 'text'}.`);
    const rows: number[] = [];
    for (let i = 0; i < n; i++) if (!Number.isNaN(column.values[i]!)) rows.push(i);
    const measured = sampleRows(rows);
    return { task: 'regression', rows: measured, y: Float64Array.from(measured, (i) => column.values[i]!) };
  }
  const keys: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) keys[i] = keyOf(column, i);
  const counts = new Map<string, number>();
  for (const key of keys) if (key !== null) counts.set(key, (counts.get(key) ?? 0) + 1);
  const all: number[] = [];
  for (let i = 0; i < n; i++) if (keys[i] !== null) all.push(i);
  const rows = sampleRows(all);
  if (target.task === 'binary') {
    let positive = target.positiveClass;
    if (positive !== undefined) {
      // A number target's values are keyed as JavaScript writes them: "1.0" names the value 1.
      if (column.type === 'number' && positive.trim() !== '' && Number.isFinite(Number(positive))) positive = String(Number(positive));
      if (!counts.has(positive) && !(column.type === 'category' && column.levels.includes(positive))) {
        invalid(`The positive class "${target.positiveClass}" is not a value of "${column.name}".`);
      }
    }
    if (positive === undefined) {
      // The less common class; the result does not depend on it (max(AUC, 1 − AUC)), only messages would.
      let fewest = Infinity;
      for (const [key, count] of counts) if (count < fewest) [positive, fewest] = [key, count];
    }
    return { task: 'binary', rows, y: Float64Array.from(rows, (i) => (keys[i] === positive ? 1 : 0)) };
  }
  const index = new Map<string, number>();
  for (const key of [...counts.keys()].sort()) index.set(key, index.size);
  return { task: 'multiclass', rows, y: Int32Array.from(rows, (i) => index.get(keys[i]!)!), k: index.size };
}

/**
 * The rows "predicts alone" is measured on: all of them up to MAX_MEASURED_ROWS, else a seeded random sample of
 * that many (seed 0, so the same table always gives the same warnings), in row order. Like the quality report,
 * which measures AUCs on a sample of 200,000 rows.
 */
function sampleRows(rows: number[]): Int32Array {
  if (rows.length <= MAX_MEASURED_ROWS) return Int32Array.from(rows);
  const shuffled = shuffleInPlace(Int32Array.from(rows), mulberry32(0));
  return shuffled.subarray(0, MAX_MEASURED_ROWS).sort();
}

/** A cell as text, null when missing (numbers as JavaScript writes them, so 1.0 is "1"). */
function keyOf(column: FrameColumn, i: number): string | null {
  switch (column.type) {
    case 'category': {
      const code = column.codes[i]!;
      return code < 0 ? null : column.levels[code]!;
    }
    case 'text':
      return column.values[i] ?? null;
    default: {
      const v = column.values[i]!;
      return Number.isNaN(v) ? null : String(v);
    }
  }
}

// ---------------------------------------------------------------------------------------------------------
// Predicts alone

function predictsAlone(column: FrameColumn, target: EncodedTarget, targetName: string): LeakageWarning | null {
  const m = target.rows.length;
  if (m < MIN_ROWS) return null;
  const numeric = column.type === 'number' || column.type === 'datetime';
  // The feature on the target's rows: values (numbers, NaN missing) or groups (levels, rare pooled, missing a level).
  const values = numeric ? Float64Array.from(target.rows, (i) => (column as { values: Float64Array }).values[i]!) : null;
  let present = 0;
  if (values !== null) for (const v of values) if (!Number.isNaN(v)) present++;
  if (values !== null && present === 0) return null;

  const warn = (what: string, score: number): LeakageWarning => ({
    column: column.name,
    kind: 'predicts-alone',
    severity: 'high',
    score,
    message: `${column.name} alone predicts ${targetName} almost perfectly (${what}). Real predictors rarely do: it is probably recorded after the outcome or derived from it. Check when it is filled in, and leave it out of the features unless it is known before the outcome.`,
  });

  if (target.task === 'binary') {
    const positives = target.y.reduce((a, b) => a + b, 0);
    if (positives === 0 || positives === m) return null;
    let best = 0;
    if (values !== null) {
      const variants = present < m ? [-Infinity, Infinity] : [0];
      for (const fill of variants) {
        const score = Float64Array.from(values, (v) => (Number.isNaN(v) ? fill : v));
        const auc = rocAuc(target.y, score);
        best = Math.max(best, auc, 1 - auc);
      }
    } else {
      const { groups, count } = levelGroups(column, target.rows);
      const sums = new Float64Array(count);
      const sizes = new Float64Array(count);
      for (let j = 0; j < m; j++) {
        sums[groups[j]!]! += target.y[j]!;
        sizes[groups[j]!]! += 1;
      }
      const auc = rocAuc(target.y, Float64Array.from(groups, (g) => sums[g]! / sizes[g]!));
      best = Math.max(auc, 1 - auc);
    }
    return best >= LEAKAGE_AUC ? warn(`a ROC AUC of ${best.toFixed(3)} on its own`, best) : null;
  }

  const { groups, count } = values !== null ? quantileGroups(values) : levelGroups(column, target.rows);
  if (target.task === 'multiclass') {
    const k = target.k;
    if (k < 2) return null;
    const table = new Float64Array(count * k);
    const classTotals = new Float64Array(k);
    for (let j = 0; j < m; j++) {
      table[groups[j]! * k + target.y[j]!]! += 1;
      classTotals[target.y[j]!]! += 1;
    }
    let correct = 0;
    for (let g = 0; g < count; g++) {
      let top = 0;
      for (let c = 0; c < k; c++) top = Math.max(top, table[g * k + c]!);
      correct += top;
    }
    const acc = correct / m;
    const base = Math.max(...classTotals) / m;
    if (base >= 1 || acc < LEAKAGE_AUC || (acc - base) / (1 - base) < LEAKAGE_ASSOCIATION) return null;
    return warn(`the most common ${targetName} of each ${values !== null ? 'range of its values' : 'of its values'} is right for ${formatShare(acc)} of rows, against ${formatShare(base)} for always guessing the most common class`, acc);
  }

  // Regression.
  const y = target.y;
  let mean = 0;
  for (const v of y) mean += v;
  mean /= m;
  let total = 0;
  for (const v of y) total += (v - mean) ** 2;
  if (!(total > 0)) return null;
  const sums = new Float64Array(count);
  const sizes = new Float64Array(count);
  for (let j = 0; j < m; j++) {
    sums[groups[j]!]! += y[j]!;
    sizes[groups[j]!]! += 1;
  }
  let within = 0;
  for (let j = 0; j < m; j++) within += (y[j]! - sums[groups[j]!]! / sizes[groups[j]!]!) ** 2;
  const r2 = 1 - within / total;
  const r = values !== null ? (pearson(values, y) ?? NaN) : NaN;
  if (Math.abs(r) >= LEAKAGE_PEARSON) return warn(`a correlation of ${r.toFixed(3)}`, Math.abs(r));
  if (r2 >= LEAKAGE_R2) return warn(`its ${values !== null ? 'value ranges' : 'values'} alone explain ${formatShare(r2)} of the variation (R² ${r2.toFixed(3)})`, r2);
  return null;
}

/** Category or text levels on `rows` as group ids: missing one group, levels with < MIN_LEVEL_ROWS rows pooled. */
function levelGroups(column: FrameColumn, rows: Int32Array): { groups: Int32Array; count: number } {
  const keys = Array.from(rows, (i) => keyOf(column, i));
  const sizes = new Map<string | null, number>();
  for (const key of keys) sizes.set(key, (sizes.get(key) ?? 0) + 1);
  const ids = new Map<string | null, number>();
  const RARE = '\u0000rare';
  const groups = Int32Array.from(keys, (key) => {
    const pooled = (sizes.get(key) ?? 0) < MIN_LEVEL_ROWS ? RARE : key;
    let id = ids.get(pooled);
    if (id === undefined) ids.set(pooled, (id = ids.size));
    return id;
  });
  return { groups, count: ids.size };
}

/** Quantile bins of about ROWS_PER_BIN rows (2..MAX_BINS), equal values in one bin, missing a bin of its own. */
function quantileGroups(values: Float64Array): { groups: Int32Array; count: number } {
  const present: number[] = [];
  for (let j = 0; j < values.length; j++) if (!Number.isNaN(values[j]!)) present.push(j);
  present.sort((a, b) => values[a]! - values[b]!);
  const bins = Math.max(2, Math.min(MAX_BINS, Math.floor(present.length / ROWS_PER_BIN)));
  const groups = new Int32Array(values.length).fill(bins);
  for (let r = 0; r < present.length; r++) {
    const j = present[r]!;
    groups[j] = r > 0 && values[j] === values[present[r - 1]!] ? groups[present[r - 1]!]! : Math.floor((r * bins) / present.length);
  }
  return { groups, count: bins + 1 };
}

// ---------------------------------------------------------------------------------------------------------
// Identifiers, names, time

function identifier(column: FrameColumn): LeakageWarning | null {
  const named = ID_NAME.test(column.name);
  let evidence: string | null = null;
  let stepOne = false;
  if (column.type === 'category' || column.type === 'text') {
    const seen = new Set<string>();
    let count = 0;
    for (let i = 0; i < (column.type === 'category' ? column.codes.length : column.values.length); i++) {
      const key = keyOf(column, i);
      if (key === null) continue;
      count++;
      seen.add(key);
    }
    if (count >= MIN_ROWS && seen.size === count) evidence = `every one of its ${count.toLocaleString('en-US')} values is different`;
  } else if (column.type === 'number') {
    let count = 0;
    let prev = NaN;
    let increasing = true;
    stepOne = true;
    for (const v of column.values) {
      if (Number.isNaN(v)) continue;
      if (!Number.isInteger(v) || (count > 0 && !(v > prev))) {
        increasing = false;
        break;
      }
      if (count > 0 && v !== prev + 1) stepOne = false;
      prev = v;
      count++;
    }
    if (increasing && count >= MIN_ROWS) evidence = stepOne ? 'it counts up by one from row to row' : 'its whole numbers only ever increase from row to row';
  }
  if (evidence === null && !named) return null;
  const why = evidence !== null ? `${column.name} looks like an identifier: ${evidence}.` : `${column.name} is named like an identifier.`;
  return {
    column: column.name,
    kind: 'identifier',
    severity: evidence !== null && (named || column.type !== 'number' || stepOne) ? 'high' : 'medium',
    message: `${why} A model can memorise identifiers instead of learning, and new rows bring new ones. Leave it out of the features (use it to group a split instead if rows share it).`,
  };
}

/** Lowercase letters and digits only. */
const squash = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]/g, '');
const FILLER = new Set(['is', 'has', 'was', 'did', 'flag', 'target', 'label']);

/** The part of a target's name another column would contain if it names the outcome: churned → churn, is_fraud → fraud. */
function targetStem(target: string): string {
  const words = target
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '' && !FILLER.has(w));
  let stem = words.join('');
  for (const suffix of ['ing', 'ed', 's']) {
    if (stem.endsWith(suffix) && stem.length - suffix.length >= 3) {
      stem = stem.slice(0, -suffix.length);
      break;
    }
  }
  return stem.length >= 3 ? stem : '';
}

function outcomeName(name: string, target: string): LeakageWarning | null {
  const stem = targetStem(target);
  const namesTarget = stem !== '' && squash(name).includes(stem) && squash(name) !== squash(target);
  if (namesTarget) {
    return {
      column: name,
      kind: 'outcome-name',
      severity: 'medium',
      message: `${name} is named after the target, ${target}: it may describe the outcome itself (its date, reason or amount). If it is only known once the outcome is, leave it out of the features.`,
    };
  }
  if (AFTER_OUTCOME_NAME.test(name)) {
    return {
      column: name,
      kind: 'outcome-name',
      severity: 'medium',
      message: `${name} sounds like something recorded after the outcome (a duration, result or cancellation). If it is only known once ${target} is, it leaks the answer: check when it is filled in.`,
    };
  }
  return null;
}

function recordedAfter(column: Extract<FrameColumn, { type: 'datetime' }>, time: TimeColumn): LeakageWarning | null {
  let both = 0;
  let after = 0;
  for (let i = 0; i < column.values.length; i++) {
    const v = column.values[i]!;
    const t = time.values[i]!;
    if (Number.isNaN(v) || Number.isNaN(t)) continue;
    both++;
    if (v >= t) after++;
  }
  if (both === 0 || after / both <= 0.5) return null;
  const share = after / both;
  return {
    column: column.name,
    kind: 'time',
    severity: share >= 0.95 ? 'high' : 'medium',
    score: share,
    message: `${column.name} is on or after ${time.name} in ${formatShare(share)} of rows: it was probably recorded after the event being predicted, which a model cannot know at prediction time. Leave it out, or use only dates known before ${time.name}.`,
  };
}

function notInTimeOrder(time: TimeColumn): LeakageWarning | null {
  let prev = -Infinity;
  let back = 0;
  let present = 0;
  for (const t of time.values) {
    if (Number.isNaN(t)) continue;
    present++;
    if (t < prev) back++;
    prev = Math.max(prev, t);
  }
  if (back === 0) return null;
  return {
    column: time.name,
    kind: 'time',
    severity: 'medium',
    score: back / present,
    message: `The rows are not in order of ${time.name} (${back.toLocaleString('en-US')} row${back === 1 ? ' is' : 's are'} earlier than a row above ${back === 1 ? 'it' : 'them'}). Lags, rolling windows or time-ordered folds computed in row order would look into the future: sort the rows by ${time.name} first.`,
  };
}

function invalid(message: string): never {
  throw new HostError('invalid-argument', message);
}
