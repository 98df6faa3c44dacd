import { mulberry32, shuffleInPlace } from '../../data/random.js';
import type { FrameColumn, Target } from '../types.js';
import { evaluateExpression, expressionColumns, parseExpression } from './expression.js';
import type { ColumnType, DatePart, PipelineStep, RollingStat, Selector } from './spec.js';
import {
  compareCodePoints,
  linspace,
  meanVar,
  minMax,
  medianOf,
  modeSorted,
  quantileOf,
  quantileEdges,
  searchRight,
  sortedPresent,
} from './stats.js';
import { fitTfidf, transformTfidf, type TfidfOptions } from './text.js';

/**
 * Each step's fitted state (plain JSON) and the two halves of every step: `fitStep` learns the state from the
 * training rows, `applyStep` applies a state to any rows. The working table between steps is a list of frame
 * columns, so a step may leave categories, dates or text for a later step; a column keeps its position when a
 * step replaces it, and new columns go right after the column they come from (derived columns at the end).
 */

/** A category column's missing value inside fitted states. */
export type Category = string | null;

export type FittedStep =
  | { op: 'impute'; columns: { name: string; fill: number | string; indicator: boolean }[] }
  | { op: 'onehot'; columns: { name: string; categories: Category[]; infrequent: Category[]; unknown: 'ignore' | 'infrequent' }[] }
  | { op: 'ordinal'; columns: { name: string; categories: string[] }[] }
  | { op: 'target'; columns: { name: string; categories: Category[]; encodings: number[][]; prior: number[] }[]; outputs: string[] }
  | { op: 'scale'; columns: { name: string; center: number; scale: number }[] }
  | { op: 'log1p'; columns: string[] }
  | { op: 'clip'; columns: { name: string; lower: number | null; upper: number | null }[] }
  | { op: 'bins'; columns: { name: string; edges: number[] }[] }
  | { op: 'dateparts'; columns: string[]; parts: DatePart[] }
  | { op: 'derive'; name: string; expression: string }
  | {
      op: 'lag';
      columns: string[];
      orderBy: string;
      groupBy: string | null;
      lags: number[];
      windows: number[];
      stats: RollingStat[];
    }
  | { op: 'tfidf'; options: TfidfOptions; columns: { name: string; vocabulary: string[]; idf: number[] }[] }
  | { op: 'drop'; columns: string[] };

/** The fitted op each spec step becomes. */
export function fittedOp(step: PipelineStep): FittedStep['op'] {
  switch (step.kind) {
    case 'encode':
      return step.method;
    case 'transform':
      return step.method;
    case 'select':
      return 'drop';
    default:
      return step.kind;
  }
}

/** The columns between steps, and (while fitting) which input columns each one was computed from. */
export interface Work {
  rowCount: number;
  columns: FrameColumn[];
  lineage: Map<string, Set<string>> | null;
}

/** What fitting needs besides the rows. */
export interface FitContext {
  target: Target | undefined;
  seed: number;
}

/** A user-facing problem with a step (the pipeline adds which step). */
export class StepError extends Error {}

type Out = { col: FrameColumn; from: string[] };

function column(work: Work, name: string): FrameColumn {
  const col = work.columns.find((c) => c.name === name);
  if (col === undefined) throw new StepError(`there is no column "${name}" at this step.`);
  return col;
}

/** Rebuilds the table: `replace` maps a column to what takes its place ([] removes it); `append` goes last. */
function rebuild(work: Work, replace: Map<string, Out[]>, append: Out[] = []): Work {
  const columns: FrameColumn[] = [];
  const old = work.lineage;
  const lineage = old ? new Map<string, Set<string>>() : null;
  const add = (o: Out): void => {
    columns.push(o.col);
    if (lineage && old) {
      const from = new Set<string>();
      for (const f of o.from) for (const x of old.get(f) ?? []) from.add(x);
      lineage.set(o.col.name, from);
    }
  };
  for (const c of work.columns) {
    const r = replace.get(c.name);
    if (r === undefined) add({ col: c, from: [c.name] });
    else r.forEach(add);
  }
  append.forEach(add);
  if (lineage) {
    const names = new Set<string>();
    for (const c of columns) {
      if (names.has(c.name)) throw new StepError(`it would make a second column named "${c.name}".`);
      names.add(c.name);
    }
  }
  return { rowCount: work.rowCount, columns, lineage };
}

const TYPE_WORDS: Record<ColumnType, string> = { number: 'number', category: 'category', text: 'text', datetime: 'date' };

/** The names a selector picks at this step, checked against the types the step accepts. */
export function resolve(selector: Selector, work: Work, accepts: readonly ColumnType[]): string[] {
  const list = accepts.map((t) => TYPE_WORDS[t]).join(' or ');
  if (!Array.isArray(selector)) {
    if (!accepts.includes(selector.type)) throw new StepError(`it works on ${list} columns, not ${TYPE_WORDS[selector.type]} columns.`);
    return work.columns.filter((c) => c.type === selector.type).map((c) => c.name);
  }
  const missing = selector.filter((n) => !work.columns.some((c) => c.name === n));
  if (missing.length > 0) {
    throw new StepError(`there is no column ${missing.map((n) => `"${n}"`).join(', ')} at this step.`);
  }
  for (const n of selector) {
    const type = column(work, n).type;
    if (!accepts.includes(type)) throw new StepError(`it works on ${list} columns; "${n}" is a ${TYPE_WORDS[type]} column.`);
  }
  return [...new Set(selector)];
}

function numbers(work: Work, name: string): Float64Array {
  const col = column(work, name);
  if (col.type !== 'number' && col.type !== 'datetime') throw new StepError(`"${name}" is not a number column.`);
  return col.values;
}

/** The level strings in code-point order with each level's row count; missing counted apart. */
function levelCounts(col: Extract<FrameColumn, { type: 'category' }>): { counts: Float64Array; missing: number } {
  const counts = new Float64Array(col.levels.length);
  let missing = 0;
  const codes = col.codes;
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]!;
    if (c >= 0 && c < counts.length) counts[c]! += 1;
    else missing++;
  }
  return { counts, missing };
}

/** Slot of each current code for a fitted category list (-1 when not in it), and the slot of missing. */
function slotsOf(levels: readonly string[], categories: readonly Category[]): { slots: Int32Array; missing: number } {
  const index = new Map<string, number>();
  let missing = -1;
  categories.forEach((c, i) => (c === null ? (missing = i) : index.set(c, i)));
  const slots = new Int32Array(levels.length);
  for (let i = 0; i < levels.length; i++) slots[i] = index.get(levels[i]!) ?? -1;
  return { slots, missing };
}

// ---------------------------------------------------------------------------------------------------------------
// fit

/** Learns a step's state from the training rows; `train` is the training table after the step when it differs
 * from `applyStep(state, work)` (target encoding's out-of-fold values). */
export function fitStep(step: PipelineStep, work: Work, ctx: FitContext): { state: FittedStep; train?: Work } {
  switch (step.kind) {
    case 'impute':
      return { state: fitImpute(step, work) };
    case 'encode': {
      const names = resolve(step.columns, work, ['category']);
      if (step.method === 'onehot') return { state: fitOneHot(step, names, work) };
      if (step.method === 'ordinal') {
        const columns = names.map((name) => {
          const col = column(work, name) as Extract<FrameColumn, { type: 'category' }>;
          const { counts } = levelCounts(col);
          return { name, categories: col.levels.filter((_, i) => counts[i]! > 0).sort(compareCodePoints) };
        });
        return { state: { op: 'ordinal', columns } };
      }
      return fitTarget(step, names, work, ctx);
    }
    case 'scale': {
      const columns = resolve(step.columns, work, ['number']).map((name) => ({ name, ...scaleOf(numbers(work, name), step.method) }));
      return { state: { op: 'scale', columns } };
    }
    case 'transform': {
      const names = resolve(step.columns, work, ['number']);
      if (step.method === 'log1p') return { state: { op: 'log1p', columns: names } };
      if (step.method === 'clip') {
        const columns = names.map((name) => {
          const values = numbers(work, name);
          const lower = quantileOf(values, step.lower ?? 0.01);
          if (Number.isNaN(lower)) return { name, lower: null, upper: null };
          return { name, lower, upper: quantileOf(values, step.upper ?? 0.99) };
        });
        return { state: { op: 'clip', columns } };
      }
      const columns = names.map((name) => {
        const values = numbers(work, name);
        let edges: number[];
        if (step.strategy === 'quantile') edges = quantileEdges(values, step.bins);
        else {
          const { min, max } = minMax(values);
          edges = !(min < max) ? [] : linspace(min, max, step.bins);
        }
        return { name, edges: edges.slice(1, -1) };
      });
      return { state: { op: 'bins', columns } };
    }
    case 'dateparts': {
      const parts = step.parts ?? ['year', 'month', 'day', 'weekday', 'hour', 'dayofyear'];
      if (parts.length === 0) throw new StepError('it names no date parts.');
      return { state: { op: 'dateparts', columns: resolve(step.columns, work, ['datetime']), parts: [...new Set(parts)] } };
    }
    case 'derive':
      return { state: { op: 'derive', name: step.name, expression: step.expression } };
    case 'lag': {
      const columns = resolve(step.columns, work, ['number']);
      resolve([step.orderBy], work, ['number', 'datetime']);
      if (step.groupBy !== undefined) resolve([step.groupBy], work, ['category', 'number']);
      const lags = [...new Set(step.lags ?? [])].sort((a, b) => a - b);
      const windows = [...new Set(step.windows ?? [])].sort((a, b) => a - b);
      const stats: RollingStat[] = windows.length > 0 ? [...new Set<RollingStat>(step.stats ?? ['mean'])] : [];
      if (lags.length === 0 && windows.length === 0) throw new StepError('it asks for no lags and no windows.');
      return { state: { op: 'lag', columns, orderBy: step.orderBy, groupBy: step.groupBy ?? null, lags, windows, stats } };
    }
    case 'tfidf': {
      const options: TfidfOptions = {
        analyzer: step.analyzer ?? 'word',
        ngram: step.ngram ?? [1, 1],
        lowercase: step.lowercase ?? true,
        sublinearTf: step.sublinearTf ?? false,
        smoothIdf: step.smoothIdf ?? true,
        minDf: step.minDf ?? 1,
        ...(step.maxFeatures !== undefined ? { maxFeatures: step.maxFeatures } : {}),
      };
      const columns = resolve(step.columns, work, ['text']).map((name) => {
        const col = column(work, name) as Extract<FrameColumn, { type: 'text' }>;
        return { name, ...fitTfidf(col.values, options) };
      });
      return { state: { op: 'tfidf', options, columns } };
    }
    case 'select': {
      const names = resolve(step.columns, work, ['number']);
      if (step.method === 'variance') {
        const threshold = step.threshold ?? 0;
        const drop = names.filter((name) => {
          const { variance } = meanVar(numbers(work, name));
          return !(variance > threshold);
        });
        return { state: { op: 'drop', columns: drop } };
      }
      return { state: { op: 'drop', columns: mutualInfoDrop(names, work, ctx, step.k, step.bins ?? 10) } };
    }
    case 'drop':
      return { state: { op: 'drop', columns: resolve(step.columns, work, ['number', 'category', 'text', 'datetime']) } };
  }
}

function fitImpute(step: Extract<PipelineStep, { kind: 'impute' }>, work: Work): FittedStep {
  const names = resolve(step.columns, work, ['number', 'category', 'text', 'datetime']);
  const columns = names.map((name) => {
    const col = column(work, name);
    let fill: number | string;
    let missing = 0;
    if (col.type === 'number' || col.type === 'datetime') {
      for (let i = 0; i < col.values.length; i++) if (Number.isNaN(col.values[i]!)) missing++;
      if (step.strategy === 'constant') {
        const value = step.fillValue ?? 0;
        if (typeof value !== 'number') throw new StepError(`"${name}" holds numbers, so its fill value must be a number.`);
        fill = value;
      } else {
        fill =
          step.strategy === 'mean'
            ? meanVar(col.values).mean
            : step.strategy === 'median'
              ? medianOf(col.values)
              : modeSorted(sortedPresent(col.values));
        if (Number.isNaN(fill)) fill = 0;
      }
    } else {
      if (step.strategy === 'mean' || step.strategy === 'median') {
        throw new StepError(`${step.strategy} imputation needs numbers; "${name}" is a ${TYPE_WORDS[col.type]} column (use most_frequent or constant).`);
      }
      const fallback = step.fillValue === undefined ? 'missing_value' : String(step.fillValue);
      let best: string | null = null;
      let bestCount = 0;
      const consider = (level: string, count: number): void => {
        if (count > bestCount || (count === bestCount && best !== null && compareCodePoints(level, best) < 0)) {
          best = level;
          bestCount = count;
        }
      };
      if (col.type === 'category') {
        const counts = levelCounts(col);
        missing = counts.missing;
        col.levels.forEach((level, i) => counts.counts[i]! > 0 && consider(level, counts.counts[i]!));
      } else {
        const counts = new Map<string, number>();
        for (const text of col.values) {
          if (text === null) missing++;
          else counts.set(text, (counts.get(text) ?? 0) + 1);
        }
        counts.forEach((count, text) => consider(text, count));
      }
      fill = step.strategy === 'constant' ? fallback : (best ?? fallback);
    }
    return { name, fill, indicator: step.indicator === true && missing > 0 };
  });
  return { op: 'impute', columns };
}

function fitOneHot(step: Extract<PipelineStep, { method: 'onehot' }>, names: string[], work: Work): FittedStep {
  const columns = names.map((name) => {
    const col = column(work, name) as Extract<FrameColumn, { type: 'category' }>;
    const { counts, missing } = levelCounts(col);
    const seen: { level: Category; count: number }[] = col.levels
      .map((level, i) => ({ level: level as Category, count: counts[i]! }))
      .filter((x) => x.count > 0)
      .sort((a, b) => compareCodePoints(a.level!, b.level!));
    if (missing > 0) seen.push({ level: null, count: missing });
    // scikit-learn's OneHotEncoder._identify_infrequent, step for step.
    const rare = seen.map(() => false);
    const minFrequency = step.minFrequency;
    if (minFrequency !== undefined) {
      const bound = minFrequency >= 1 ? minFrequency : minFrequency * work.rowCount;
      seen.forEach((x, i) => (rare[i] = x.count < bound));
    }
    const current = seen.length - rare.filter(Boolean).length + 1;
    if (step.maxCategories !== undefined && step.maxCategories < current) {
      const order = seen.map((_, i) => i).sort((a, b) => seen[a]!.count - seen[b]!.count || a - b);
      for (const i of order.slice(0, Math.max(0, seen.length - step.maxCategories + 1))) rare[i] = true;
    }
    return {
      name,
      categories: seen.filter((_, i) => !rare[i]).map((x) => x.level),
      infrequent: seen.filter((_, i) => rare[i]).map((x) => x.level),
      unknown: step.unknown ?? 'ignore',
    };
  });
  return { op: 'onehot', columns };
}

/** The target as one or more 0..1 / numeric series, one per encoded output. */
function targetSeries(target: Target): { series: Float64Array[]; suffixes: string[] } {
  const y = target.values;
  if (target.task !== 'multiclass') return { series: [y], suffixes: [''] };
  const classes = target.classes ?? [];
  let k = classes.length;
  for (let i = 0; i < y.length; i++) if (y[i]! + 1 > k) k = y[i]! + 1;
  const series = Array.from({ length: k }, (_, c) => {
    const out = new Float64Array(y.length);
    for (let i = 0; i < y.length; i++) out[i] = y[i] === c ? 1 : 0;
    return out;
  });
  return { series, suffixes: series.map((_, c) => `=${classes[c] ?? String(c)}`) };
}

/**
 * Target statistics of categories 0..nCats-1 over the rows where `use[i]` is 1 (all rows when null):
 * encodings[output][category] (NaN where a category has no rows) and the prior per output.
 */
function targetEncodings(
  cats: Int32Array,
  nCats: number,
  series: Float64Array[],
  use: Uint8Array | null,
  smoothing: 'auto' | number,
): { encodings: Float64Array[]; prior: number[] } {
  const n = cats.length;
  const counts = new Float64Array(nCats);
  for (let i = 0; i < n; i++) if (use === null || use[i] === 1) counts[cats[i]!]! += 1;
  const prior: number[] = [];
  const encodings = series.map((y) => {
    let sum = 0;
    let rows = 0;
    const sums = new Float64Array(nCats);
    for (let i = 0; i < n; i++) {
      if (use !== null && use[i] !== 1) continue;
      sums[cats[i]!]! += y[i]!;
      sum += y[i]!;
      rows++;
    }
    const mean = rows > 0 ? sum / rows : 0;
    prior.push(mean);
    const means = new Float64Array(nCats);
    for (let c = 0; c < nCats; c++) means[c] = counts[c]! > 0 ? sums[c]! / counts[c]! : Number.NaN;
    const out = new Float64Array(nCats);
    if (smoothing === 'auto') {
      let variance = 0;
      const squares = new Float64Array(nCats);
      for (let i = 0; i < n; i++) {
        if (use !== null && use[i] !== 1) continue;
        const d = y[i]! - mean;
        variance += d * d;
        const e = y[i]! - means[cats[i]!]!;
        squares[cats[i]!]! += e * e;
      }
      variance = rows > 0 ? variance / rows : 0;
      for (let c = 0; c < nCats; c++) {
        const m = counts[c]!;
        if (m === 0) {
          out[c] = Number.NaN;
          continue;
        }
        const lambda = (variance * m) / (variance * m + squares[c]! / m);
        out[c] = Number.isNaN(lambda) ? mean : lambda * means[c]! + (1 - lambda) * mean;
      }
    } else {
      for (let c = 0; c < nCats; c++) {
        const m = counts[c]!;
        out[c] = m === 0 ? Number.NaN : (sums[c]! + smoothing * mean) / (m + smoothing);
      }
    }
    return out;
  });
  return { encodings, prior };
}

/** Row folds 0..k-1 from a seeded shuffle; stratified by class for a classification target. */
export function assignFolds(target: Target, k: number, seed: number): Int32Array {
  const n = target.values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  shuffleInPlace(order, mulberry32(seed));
  const folds = new Int32Array(n);
  const perClass = new Map<number, number>();
  for (let p = 0; p < n; p++) {
    const row = order[p]!;
    if (target.task === 'regression') folds[row] = p % k;
    else {
      const c = target.values[row]!;
      const at = perClass.get(c) ?? 0;
      folds[row] = at % k;
      perClass.set(c, at + 1);
    }
  }
  return folds;
}

function fitTarget(
  step: Extract<PipelineStep, { method: 'target' }>,
  names: string[],
  work: Work,
  ctx: FitContext,
): { state: FittedStep; train: Work } {
  const target = ctx.target;
  if (target === undefined) throw new StepError('target encoding needs a target.');
  if (target.values.some(Number.isNaN)) throw new StepError('the target has missing values; leave those rows out of training.');
  const { series, suffixes } = targetSeries(target);
  const smoothing = step.smoothing ?? 'auto';
  const k = Math.min(step.folds ?? 5, Math.max(2, work.rowCount));
  const folds = assignFolds(target, k, ctx.seed);
  const replace = new Map<string, Out[]>();
  const columns = names.map((name) => {
    const col = column(work, name) as Extract<FrameColumn, { type: 'category' }>;
    const nLevels = col.levels.length;
    // Category ids: the level codes, and nLevels for missing.
    const cats = new Int32Array(work.rowCount);
    for (let i = 0; i < cats.length; i++) {
      const c = col.codes[i]!;
      cats[i] = c >= 0 && c < nLevels ? c : nLevels;
    }
    const full = targetEncodings(cats, nLevels + 1, series, null, smoothing);
    const observed: number[] = [];
    for (let c = 0; c <= nLevels; c++) if (!Number.isNaN(full.encodings[0]![c]!)) observed.push(c);
    const label = (c: number): Category => (c === nLevels ? null : col.levels[c]!);
    observed.sort((a, b) => (a === nLevels ? 1 : b === nLevels ? -1 : compareCodePoints(label(a)!, label(b)!)));
    // Out of fold: each fold's rows encoded with the other folds' statistics.
    const outs = series.map(() => new Float64Array(work.rowCount));
    const use = new Uint8Array(work.rowCount);
    for (let f = 0; f < k; f++) {
      for (let i = 0; i < use.length; i++) use[i] = folds[i] === f ? 0 : 1;
      const part = targetEncodings(cats, nLevels + 1, series, use, smoothing);
      for (let i = 0; i < use.length; i++) {
        if (use[i] === 1) continue;
        for (let s = 0; s < series.length; s++) {
          const e = part.encodings[s]![cats[i]!]!;
          outs[s]![i] = Number.isNaN(e) ? part.prior[s]! : e;
        }
      }
    }
    replace.set(
      name,
      outs.map((values, s) => ({ col: { name: `${name}.target${suffixes[s]}`, type: 'number', values }, from: [name] })),
    );
    return {
      name,
      categories: observed.map(label),
      encodings: full.encodings.map((e) => observed.map((c) => e[c]!)),
      prior: full.prior,
    };
  });
  const state: FittedStep = { op: 'target', columns, outputs: suffixes };
  return { state, train: rebuild(work, replace) };
}

function scaleOf(values: Float64Array, method: 'standard' | 'minmax' | 'robust'): { center: number; scale: number } {
  const eps = Number.EPSILON;
  if (method === 'standard') {
    const { mean, variance, count } = meanVar(values);
    if (count === 0) return { center: 0, scale: 1 };
    const constant = variance <= count * eps * variance + (count * mean * eps) ** 2;
    return { center: mean, scale: constant ? 1 : Math.sqrt(variance) };
  }
  if (method === 'minmax') {
    const { min, max } = minMax(values);
    if (min > max) return { center: 0, scale: 1 };
    const range = max - min;
    return { center: min, scale: range < 10 * eps ? 1 : range };
  }
  const median = medianOf(values);
  if (Number.isNaN(median)) return { center: 0, scale: 1 };
  const iqr = quantileOf(values, 0.75) - quantileOf(values, 0.25);
  return { center: median, scale: iqr < 10 * eps ? 1 : iqr };
}

function mutualInfoDrop(names: string[], work: Work, ctx: FitContext, k: number, bins: number): string[] {
  const target = ctx.target;
  if (target === undefined) throw new StepError('selecting by mutual information needs a target.');
  if (target.values.some(Number.isNaN)) throw new StepError('the target has missing values; leave those rows out of training.');
  const n = work.rowCount;
  const y = target.task === 'regression' ? binIndex(target.values, bins) : { ids: Int32Array.from(target.values), count: 0 };
  let nY = y.count;
  if (target.task !== 'regression') for (let i = 0; i < n; i++) if (y.ids[i]! + 1 > nY) nY = y.ids[i]! + 1;
  const yCounts = new Float64Array(nY);
  for (let i = 0; i < n; i++) yCounts[y.ids[i]!]! += 1;
  const scores = names.map((name, order) => {
    const x = binIndex(numbers(work, name), bins);
    const joint = new Float64Array(x.count * nY);
    const xCounts = new Float64Array(x.count);
    for (let i = 0; i < n; i++) {
      joint[x.ids[i]! * nY + y.ids[i]!]! += 1;
      xCounts[x.ids[i]!]! += 1;
    }
    let mi = 0;
    for (let a = 0; a < x.count; a++) {
      for (let b = 0; b < nY; b++) {
        const c = joint[a * nY + b]!;
        if (c > 0) mi += (c / n) * Math.log((c * n) / (xCounts[a]! * yCounts[b]!));
      }
    }
    return { name, mi, order };
  });
  scores.sort((a, b) => b.mi - a.mi || a.order - b.order);
  return scores.slice(k).map((s) => s.name).sort((a, b) => names.indexOf(a) - names.indexOf(b));
}

/** Quantile bin ids of numbers; missing values get the last id. */
function binIndex(values: Float64Array, bins: number): { ids: Int32Array; count: number } {
  const edges = quantileEdges(values, bins).slice(1, -1);
  const ids = new Int32Array(values.length);
  const missingId = edges.length + 1;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    ids[i] = Number.isNaN(x) ? missingId : searchRight(edges, x);
  }
  return { ids, count: missingId + 1 };
}

// ---------------------------------------------------------------------------------------------------------------
// apply

/** Applies a fitted step to a table (training, validation, test or new rows alike). */
export function applyStep(state: FittedStep, work: Work): Work {
  const n = work.rowCount;
  const replace = new Map<string, Out[]>();
  const one = (name: string, values: Float64Array): void => {
    replace.set(name, [{ col: { name, type: 'number', values }, from: [name] }]);
  };
  switch (state.op) {
    case 'impute':
      for (const { name, fill, indicator } of state.columns) replace.set(name, imputeColumn(column(work, name), fill, indicator));
      return rebuild(work, replace);
    case 'onehot':
      for (const spec of state.columns) {
        const col = column(work, spec.name);
        if (col.type !== 'category') throw new StepError(`"${spec.name}" is not a category column.`);
        replace.set(spec.name, oneHotColumn(col, spec, n));
      }
      return rebuild(work, replace);
    case 'ordinal':
      for (const { name, categories } of state.columns) {
        const col = column(work, name);
        if (col.type !== 'category') throw new StepError(`"${name}" is not a category column.`);
        const { slots } = slotsOf(col.levels, categories);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const c = col.codes[i]!;
          const s = c >= 0 && c < slots.length ? slots[c]! : -1;
          out[i] = s >= 0 ? s : Number.NaN;
        }
        replace.set(name, [{ col: { name, type: 'number', values: out, categorical: true }, from: [name] }]);
      }
      return rebuild(work, replace);
    case 'target':
      for (const spec of state.columns) {
        const col = column(work, spec.name);
        if (col.type !== 'category') throw new StepError(`"${spec.name}" is not a category column.`);
        const { slots, missing } = slotsOf(col.levels, spec.categories);
        replace.set(
          spec.name,
          state.outputs.map((suffix, s) => {
            const enc = spec.encodings[s]!;
            const prior = spec.prior[s]!;
            const values = new Float64Array(n);
            for (let i = 0; i < n; i++) {
              const c = col.codes[i]!;
              const slot = c >= 0 && c < slots.length ? slots[c]! : missing;
              values[i] = slot >= 0 ? enc[slot]! : prior;
            }
            return { col: { name: `${spec.name}.target${suffix}`, type: 'number', values }, from: [spec.name] };
          }),
        );
      }
      return rebuild(work, replace);
    case 'scale':
      for (const { name, center, scale } of state.columns) {
        const x = numbers(work, name);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = (x[i]! - center) / scale;
        one(name, out);
      }
      return rebuild(work, replace);
    case 'log1p':
      for (const name of state.columns) {
        const x = numbers(work, name);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = x[i]! > -1 ? Math.log1p(x[i]!) : Number.NaN;
        one(name, out);
      }
      return rebuild(work, replace);
    case 'clip':
      for (const { name, lower, upper } of state.columns) {
        const x = numbers(work, name);
        const lo = lower ?? -Infinity;
        const hi = upper ?? Infinity;
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) {
          const v = x[i]!;
          out[i] = v < lo ? lo : v > hi ? hi : v;
        }
        one(name, out);
      }
      return rebuild(work, replace);
    case 'bins':
      for (const { name, edges } of state.columns) {
        const x = numbers(work, name);
        const e = Float64Array.from(edges);
        const out = new Float64Array(n);
        for (let i = 0; i < n; i++) out[i] = Number.isNaN(x[i]!) ? Number.NaN : searchRight(e, x[i]!);
        one(name, out);
      }
      return rebuild(work, replace);
    case 'dateparts':
      for (const name of state.columns) {
        const col = column(work, name);
        if (col.type !== 'datetime') throw new StepError(`"${name}" is not a date column.`);
        replace.set(name, datePartColumns(name, col.values, state.parts));
      }
      return rebuild(work, replace);
    case 'derive': {
      const names = work.columns.map((c) => c.name);
      const expr = parseExpression(state.expression, names);
      const used = expressionColumns(expr);
      for (const u of used) {
        const t = column(work, u).type;
        if (t !== 'number' && t !== 'datetime') throw new StepError(`"${u}" is a ${TYPE_WORDS[t]} column; expressions read numbers and dates.`);
      }
      const values = evaluateExpression(expr, (c) => numbers(work, c), n);
      return rebuild(work, replace, [{ col: { name: state.name, type: 'number', values }, from: used }]);
    }
    case 'lag':
      return applyLag(state, work);
    case 'tfidf':
      for (const spec of state.columns) {
        const col = column(work, spec.name);
        if (col.type !== 'text') throw new StepError(`"${spec.name}" is not a text column.`);
        const outs = spec.vocabulary.map(() => new Float64Array(n));
        transformTfidf(col.values, spec, state.options, outs);
        replace.set(
          spec.name,
          outs.map((values, j) => ({ col: { name: `${spec.name}[${spec.vocabulary[j]!}]`, type: 'number', values }, from: [spec.name] })),
        );
      }
      return rebuild(work, replace);
    case 'drop':
      for (const name of state.columns) {
        column(work, name);
        replace.set(name, []);
      }
      return rebuild(work, replace);
  }
}

function imputeColumn(col: FrameColumn, fill: number | string, indicator: boolean): Out[] {
  const n = col.type === 'category' ? col.codes.length : col.values.length;
  const flag = indicator ? new Float64Array(n) : null;
  let filled: FrameColumn;
  if (col.type === 'number' || col.type === 'datetime') {
    if (typeof fill !== 'number') throw new StepError(`"${col.name}" holds numbers but its fill value is text.`);
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = col.values[i]!;
      if (Number.isNaN(x)) {
        values[i] = fill;
        if (flag) flag[i] = 1;
      } else values[i] = x;
    }
    filled = { name: col.name, type: col.type, values };
  } else if (col.type === 'category') {
    const level = String(fill);
    let at = col.levels.indexOf(level);
    const levels = at >= 0 ? col.levels : [...col.levels, level];
    if (at < 0) at = col.levels.length;
    const codes = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = col.codes[i]!;
      if (c < 0) {
        codes[i] = at;
        if (flag) flag[i] = 1;
      } else codes[i] = c;
    }
    filled = { name: col.name, type: 'category', codes, levels };
  } else {
    const text = String(fill);
    const values = col.values.map((x, i) => {
      if (x !== null) return x;
      if (flag) flag[i] = 1;
      return text;
    });
    filled = { name: col.name, type: 'text', values };
  }
  const out: Out[] = [{ col: filled, from: [col.name] }];
  if (flag) out.push({ col: { name: `${col.name}_missing`, type: 'number', values: flag }, from: [col.name] });
  return out;
}

function oneHotColumn(
  col: Extract<FrameColumn, { type: 'category' }>,
  spec: Extract<FittedStep, { op: 'onehot' }>['columns'][number],
  n: number,
): Out[] {
  const k = spec.categories.length;
  const hasRare = spec.infrequent.length > 0;
  const known = slotsOf(col.levels, spec.categories);
  const rare = slotsOf(col.levels, spec.infrequent);
  const unknownSlot = spec.unknown === 'infrequent' && hasRare ? k : -1;
  const slots = new Int32Array(col.levels.length);
  for (let i = 0; i < slots.length; i++) slots[i] = known.slots[i]! >= 0 ? known.slots[i]! : rare.slots[i]! >= 0 ? k : unknownSlot;
  const missingSlot = known.missing >= 0 ? known.missing : rare.missing >= 0 ? k : unknownSlot;
  const outs = Array.from({ length: k + (hasRare ? 1 : 0) }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    const c = col.codes[i]!;
    const slot = c >= 0 && c < slots.length ? slots[c]! : missingSlot;
    if (slot >= 0) outs[slot]![i] = 1;
  }
  const label = (c: Category): string => (c === null ? '(missing)' : c);
  return outs.map((values, j) => ({
    col: { name: `${col.name}=${j < k ? label(spec.categories[j]!) : '(infrequent)'}`, type: 'number', values },
    from: [col.name],
  }));
}

const DAY = 86_400_000;

function datePartColumns(name: string, ms: Float64Array, parts: DatePart[]): Out[] {
  const n = ms.length;
  const outs = parts.map(() => new Float64Array(n));
  const want = (p: DatePart): Float64Array | undefined => outs[parts.indexOf(p)];
  const year = want('year');
  const month = want('month');
  const day = want('day');
  const weekday = want('weekday');
  const hour = want('hour');
  const doy = want('dayofyear');
  for (let i = 0; i < n; i++) {
    const t = ms[i]!;
    if (!Number.isFinite(t)) {
      for (const o of outs) o[i] = Number.NaN;
      continue;
    }
    const days = Math.floor(t / DAY);
    // Howard Hinnant's civil_from_days.
    const z = days + 719468;
    const era = Math.floor(z / 146097);
    const doe = z - era * 146097;
    const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
    const dayOfYearMar = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
    const mp = Math.floor((5 * dayOfYearMar + 2) / 153);
    const d = dayOfYearMar - Math.floor((153 * mp + 2) / 5) + 1;
    const m = mp < 10 ? mp + 3 : mp - 9;
    const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
    if (year) year[i] = y;
    if (month) month[i] = m;
    if (day) day[i] = d;
    if (weekday) weekday[i] = (((days + 3) % 7) + 7) % 7;
    if (hour) hour[i] = Math.floor((t - days * DAY) / 3_600_000);
    if (doy) {
      const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
      const before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][m - 1]!;
      doy[i] = before + d + (leap && m > 2 ? 1 : 0);
    }
  }
  return outs.map((values, j) => ({ col: { name: `${name}.${parts[j]!}`, type: 'number', values }, from: [name] }));
}

function applyLag(state: Extract<FittedStep, { op: 'lag' }>, work: Work): Work {
  const n = work.rowCount;
  const time = numbers(work, state.orderBy);
  const groupCol = state.groupBy === null ? null : column(work, state.groupBy);
  const group = new Float64Array(n);
  if (groupCol?.type === 'category') for (let i = 0; i < n; i++) group[i] = groupCol.codes[i]!;
  else if (groupCol?.type === 'number') for (let i = 0; i < n; i++) group[i] = Number.isNaN(groupCol.values[i]!) ? -Infinity : groupCol.values[i]!;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const before = (a: number, b: number): number => {
    const ga = group[a]!;
    const gb = group[b]!;
    if (ga !== gb) return ga < gb ? -1 : 1;
    const ta = time[a]!;
    const tb = time[b]!;
    const na = Number.isNaN(ta);
    const nb = Number.isNaN(tb);
    if (na || nb) return na === nb ? a - b : na ? 1 : -1;
    return ta - tb || a - b;
  };
  // Time-ordered data is often already in order: check before paying for a sort.
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = before(i - 1, i) < 0;
  if (!sorted) order.sort(before);
  // For each sorted position: where its group starts, and where its block of equal times starts. Rows before
  // the block start (and not before the group start) are strictly earlier: the only ones a feature may read.
  const groupStart = new Int32Array(n);
  const blockStart = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    const row = order[p]!;
    const prev = p > 0 ? order[p - 1]! : -1;
    const sameGroup = prev >= 0 && group[prev] === group[row];
    groupStart[p] = sameGroup ? groupStart[p - 1]! : p;
    blockStart[p] = sameGroup && time[prev] === time[row] ? blockStart[p - 1]! : p;
  }
  const replace = new Map<string, Out[]>();
  const from = [state.orderBy, ...(state.groupBy === null ? [] : [state.groupBy])];
  for (const name of state.columns) {
    const x = numbers(work, name);
    const outs: Out[] = [{ col: column(work, name), from: [name] }];
    const add = (label: string, values: Float64Array): void => {
      outs.push({ col: { name: `${name}.${label}`, type: 'number', values }, from: [name, ...from] });
    };
    for (const k of state.lags) {
      const out = new Float64Array(n).fill(Number.NaN);
      for (let p = 0; p < n; p++) {
        const row = order[p]!;
        if (Number.isNaN(time[row]!)) continue;
        const src = blockStart[p]! - k;
        if (src >= groupStart[p]!) out[row] = x[order[src]!]!;
      }
      add(`lag${k}`, out);
    }
    for (const w of state.windows) {
      const outs2 = state.stats.map(() => new Float64Array(n).fill(Number.NaN));
      for (let p = 0; p < n; p++) {
        const row = order[p]!;
        if (Number.isNaN(time[row]!)) continue;
        const end = blockStart[p]!;
        const start = Math.max(groupStart[p]!, end - w);
        let count = 0;
        let sum = 0;
        let min = Infinity;
        let max = -Infinity;
        for (let q = start; q < end; q++) {
          const v = x[order[q]!]!;
          if (Number.isNaN(v)) continue;
          count++;
          sum += v;
          if (v < min) min = v;
          if (v > max) max = v;
        }
        if (count === 0) continue;
        const mean = sum / count;
        state.stats.forEach((stat, s) => {
          if (stat === 'mean') outs2[s]![row] = mean;
          else if (stat === 'min') outs2[s]![row] = min;
          else if (stat === 'max') outs2[s]![row] = max;
          else if (count >= 2) {
            let sq = 0;
            for (let q = start; q < end; q++) {
              const v = x[order[q]!]!;
              if (!Number.isNaN(v)) sq += (v - mean) * (v - mean);
            }
            outs2[s]![row] = Math.sqrt(sq / (count - 1));
          }
        });
      }
      state.stats.forEach((stat, s) => add(`roll${w}_${stat}`, outs2[s]!));
    }
    replace.set(name, outs);
  }
  return rebuild(work, replace);
}
