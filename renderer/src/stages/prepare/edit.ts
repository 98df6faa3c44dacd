import { defaultPipeline, type ColumnInfo, type ColumnType, type PipelineSpec, type PipelineStep, type Selector } from '../../../../shared/ml/pipeline/index.js';
import type { Frame } from '../../../../shared/ml/types.js';

/**
 * Pure helpers of the pipeline builder: what the analyst can add (recipes), a fresh step of each recipe, and
 * the edits (add, replace, remove, move) with an undo history. No React here, so it is tested on its own.
 */

export type Recipe =
  | 'impute'
  | 'onehot'
  | 'ordinal'
  | 'target'
  | 'scale'
  | 'log1p'
  | 'clip'
  | 'bins'
  | 'dateparts'
  | 'derive'
  | 'lag'
  | 'tfidf'
  | 'variance'
  | 'mutual_info'
  | 'drop';

export const RECIPES: { recipe: Recipe; label: string; group: string }[] = [
  { recipe: 'impute', label: 'Fill missing values (impute)', group: 'Clean' },
  { recipe: 'drop', label: 'Drop columns', group: 'Clean' },
  { recipe: 'onehot', label: 'One-hot encode categories', group: 'Encode' },
  { recipe: 'ordinal', label: 'Ordinal encode categories', group: 'Encode' },
  { recipe: 'target', label: 'Target encode categories', group: 'Encode' },
  { recipe: 'scale', label: 'Scale numbers', group: 'Numbers' },
  { recipe: 'log1p', label: 'Log(1 + x)', group: 'Numbers' },
  { recipe: 'clip', label: 'Clip to percentiles', group: 'Numbers' },
  { recipe: 'bins', label: 'Cut into bins', group: 'Numbers' },
  { recipe: 'dateparts', label: 'Date parts', group: 'Features' },
  { recipe: 'derive', label: 'Derived column (expression)', group: 'Features' },
  { recipe: 'lag', label: 'Lag and rolling features', group: 'Features' },
  { recipe: 'tfidf', label: 'TF-IDF of text', group: 'Features' },
  { recipe: 'variance', label: 'Drop low-variance columns', group: 'Select' },
  { recipe: 'mutual_info', label: 'Keep the most informative (mutual information)', group: 'Select' },
];

export function recipeOf(step: PipelineStep): Recipe {
  switch (step.kind) {
    case 'encode':
      return step.method;
    case 'transform':
      return step.method;
    case 'select':
      return step.method;
    default:
      return step.kind;
  }
}

/** The column type a recipe works on by default (its "all … columns" choice). */
export function recipeType(recipe: Recipe): ColumnType {
  switch (recipe) {
    case 'onehot':
    case 'ordinal':
    case 'target':
      return 'category';
    case 'dateparts':
      return 'datetime';
    case 'tfidf':
      return 'text';
    default:
      return 'number';
  }
}

/** A new step of `recipe` with safe defaults, on every column of its type. */
export function newStep(recipe: Recipe, columns: ColumnInfo[]): PipelineStep {
  const all: Selector = { type: recipeType(recipe) };
  const firstOf = (type: ColumnType) => columns.find((c) => c.type === type)?.name;
  switch (recipe) {
    case 'impute':
      return { kind: 'impute', columns: all, strategy: 'median' };
    case 'onehot':
      return { kind: 'encode', method: 'onehot', columns: all, minFrequency: 0.01, maxCategories: 30, unknown: 'infrequent' };
    case 'ordinal':
      return { kind: 'encode', method: 'ordinal', columns: all };
    case 'target':
      return { kind: 'encode', method: 'target', columns: all, smoothing: 'auto', folds: 5 };
    case 'scale':
      return { kind: 'scale', columns: all, method: 'standard' };
    case 'log1p':
      return { kind: 'transform', method: 'log1p', columns: all };
    case 'clip':
      return { kind: 'transform', method: 'clip', columns: all, lower: 0.01, upper: 0.99 };
    case 'bins':
      return { kind: 'transform', method: 'bins', columns: all, strategy: 'quantile', bins: 5 };
    case 'dateparts':
      return { kind: 'dateparts', columns: all };
    case 'derive': {
      const a = firstOf('number') ?? 'x';
      return { kind: 'derive', name: `${a}_squared`, expression: `"${a}" ^ 2` };
    }
    case 'lag':
      return { kind: 'lag', columns: all, orderBy: firstOf('datetime') ?? firstOf('number') ?? '', lags: [1], windows: [3], stats: ['mean'] };
    case 'tfidf':
      return { kind: 'tfidf', columns: all, analyzer: 'word', ngram: [1, 2], maxFeatures: 500 };
    case 'variance':
      return { kind: 'select', method: 'variance', columns: all, threshold: 0 };
    case 'mutual_info':
      return { kind: 'select', method: 'mutual_info', columns: all, k: 10 };
    case 'drop':
      return { kind: 'drop', columns: [] };
  }
}

/** The spec being edited and the specs before each change (newest last), for undo. */
export interface EditorState {
  spec: PipelineSpec;
  history: PipelineSpec[];
  /** What the last change did, for the undo button's label. */
  lastChange: string | null;
  changes: string[];
}

export function startEditing(spec: PipelineSpec): EditorState {
  return { spec, history: [], lastChange: null, changes: [] };
}

export type Edit =
  | { type: 'add'; step: PipelineStep; at?: number }
  | { type: 'replace'; index: number; step: PipelineStep }
  | { type: 'remove'; index: number }
  | { type: 'move'; index: number; to: number }
  | { type: 'reset'; spec: PipelineSpec; label: string };

/** The most changes undo remembers. */
export const UNDO_DEPTH = 50;

/** Applies one edit; an edit that changes nothing (moving past an end) leaves the state as it was. */
export function applyEdit(state: EditorState, edit: Edit): EditorState {
  const steps = [...state.spec.steps];
  let label: string;
  switch (edit.type) {
    case 'add': {
      const at = edit.at === undefined ? steps.length : Math.max(0, Math.min(steps.length, edit.at));
      steps.splice(at, 0, edit.step);
      label = `add step ${at + 1}`;
      break;
    }
    case 'replace':
      if (edit.index < 0 || edit.index >= steps.length) return state;
      steps[edit.index] = edit.step;
      label = `edit step ${edit.index + 1}`;
      break;
    case 'remove':
      if (edit.index < 0 || edit.index >= steps.length) return state;
      steps.splice(edit.index, 1);
      label = `remove step ${edit.index + 1}`;
      break;
    case 'move': {
      if (edit.index < 0 || edit.index >= steps.length || edit.to < 0 || edit.to >= steps.length || edit.to === edit.index) return state;
      const [step] = steps.splice(edit.index, 1);
      steps.splice(edit.to, 0, step!);
      label = `move step ${edit.index + 1} ${edit.to < edit.index ? 'up' : 'down'}`;
      break;
    }
    case 'reset':
      return pushed(state, edit.spec, edit.label);
  }
  return pushed(state, { ...state.spec, steps }, label);
}

function pushed(state: EditorState, spec: PipelineSpec, label: string): EditorState {
  return {
    spec,
    history: [...state.history, state.spec].slice(-UNDO_DEPTH),
    changes: [...state.changes, label].slice(-UNDO_DEPTH),
    lastChange: label,
  };
}

/** Goes back one change (nothing to undo: unchanged). */
export function undo(state: EditorState): EditorState {
  if (state.history.length === 0) return state;
  const changes = state.changes.slice(0, -1);
  return { spec: state.history.at(-1)!, history: state.history.slice(0, -1), changes, lastChange: changes.at(-1) ?? null };
}

/**
 * What `defaultPipeline` needs to know of each frame column: its type, and whether it holds a single value
 * (such a column teaches nothing and is dropped).
 */
export function columnInfos(frame: Frame): ColumnInfo[] {
  return frame.columns.map((c): ColumnInfo => {
    if (c.type === 'category') {
      const seen = new Set<number>();
      for (const code of c.codes) {
        if (code >= 0) seen.add(code);
        if (seen.size > 1) break;
      }
      return { name: c.name, type: c.type, distinct: seen.size };
    }
    if (c.type === 'number' || c.type === 'datetime') {
      let first = Number.NaN;
      let distinct = 0;
      for (const v of c.values) {
        if (Number.isNaN(v)) continue;
        if (distinct === 0) {
          first = v;
          distinct = 1;
        } else if (v !== first) {
          distinct = 2;
          break;
        }
      }
      return { name: c.name, type: c.type, distinct };
    }
    return { name: c.name, type: c.type };
  });
}

/** The pipeline a project starts from: the default for its columns, leaving the target out. */
export function startingPipeline(frame: Frame, target: string): PipelineSpec {
  return defaultPipeline(columnInfos(frame), target);
}

/** Parses a list of whole numbers typed as "1, 7, 30"; null when any part is not one. */
export function parseIntList(text: string): number[] | null {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '');
  if (parts.length === 0) return [];
  const values = parts.map(Number);
  return values.every((v) => Number.isInteger(v) && v >= 1) ? values : null;
}

