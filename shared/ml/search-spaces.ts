import { HostError } from '../host/errors.js';
import type { ModelKind, Task } from './types.js';
import type { Dimension, SearchSpace } from './tuning.js';

/**
 * The default hyperparameter search space of each model kind. The parameter names are the ones the models read
 * from their `params`, so a trial's parameters can be handed to a model as they are.
 *
 * Conventions a model must follow when it reads them:
 * - `rf.maxDepth` -1 means no depth limit.
 * - `rf.maxFeatures` is 'sqrt' (√features per split) or a fraction of the features (1 = all of them).
 * - `logreg.l1Ratio` and `linear.l1Ratio` matter only when `penalty` is 'elasticnet'; other penalties ignore them
 *   (TPE then learns nothing from them, which is harmless).
 * - `mlp.hiddenLayers` is a string of layer widths joined by '-' ('128-64' is two hidden layers, 128 then 64
 *   units): categorical choices must be scalars to be compared and stored, so the arrays travel encoded.
 *   `decodeHiddenLayers` turns it back into widths.
 * - `tree.criterion` exists only for classification: `searchSpaceFor` drops it for regression.
 */
export const SEARCH_SPACES: Record<ModelKind, SearchSpace> = {
  baseline: [],
  gbdt: [
    { name: 'learningRate', type: 'float', low: 0.01, high: 0.3, log: true },
    { name: 'maxLeaves', type: 'int', low: 8, high: 128, log: true },
    { name: 'minSamplesLeaf', type: 'int', low: 5, high: 100, log: true },
    { name: 'l2', type: 'float', low: 1e-3, high: 10, log: true },
    { name: 'rowSubsample', type: 'float', low: 0.5, high: 1 },
    { name: 'colSubsample', type: 'float', low: 0.5, high: 1 },
  ],
  rf: [
    { name: 'nTrees', type: 'int', low: 50, high: 300 },
    { name: 'maxDepth', type: 'categorical', choices: [-1, 8, 16, 24] },
    { name: 'minSamplesLeaf', type: 'int', low: 1, high: 20, log: true },
    { name: 'maxFeatures', type: 'categorical', choices: ['sqrt', 0.3, 0.5, 1] },
  ],
  tree: [
    { name: 'maxDepth', type: 'int', low: 2, high: 20 },
    { name: 'minSamplesLeaf', type: 'int', low: 1, high: 50, log: true },
    { name: 'criterion', type: 'categorical', choices: ['gini', 'entropy'] },
  ],
  logreg: [
    { name: 'C', type: 'float', low: 1e-3, high: 100, log: true },
    { name: 'penalty', type: 'categorical', choices: ['l2', 'l1', 'elasticnet'] },
    { name: 'l1Ratio', type: 'float', low: 0.1, high: 0.9 },
  ],
  linear: [
    { name: 'alpha', type: 'float', low: 1e-4, high: 10, log: true },
    { name: 'penalty', type: 'categorical', choices: ['l2', 'l1', 'elasticnet'] },
    { name: 'l1Ratio', type: 'float', low: 0.1, high: 0.9 },
  ],
  mlp: [
    { name: 'hiddenLayers', type: 'categorical', choices: ['64', '128', '64-32', '128-64', '256-128'] },
    { name: 'dropout', type: 'float', low: 0, high: 0.5 },
    { name: 'learningRate', type: 'float', low: 1e-4, high: 1e-2, log: true },
    { name: 'batchSize', type: 'categorical', choices: [128, 256, 512] },
  ],
};

/** Parameters that only make sense for classification, per model kind. */
const CLASSIFICATION_ONLY: Partial<Record<ModelKind, readonly string[]>> = { tree: ['criterion'] };

/**
 * The default space of `kind` for a task: `SEARCH_SPACES[kind]` without the parameters the task cannot use
 * (the tree's split criterion for regression). Returns a fresh array the caller may change.
 */
export function searchSpaceFor(kind: ModelKind, task: Task): SearchSpace {
  const drop = task === 'regression' ? (CLASSIFICATION_ONLY[kind] ?? []) : [];
  return SEARCH_SPACES[kind].filter((d) => !drop.includes(d.name)).map((d) => ({ ...d }) as Dimension);
}

/** The layer widths of an encoded `hiddenLayers` value: '128-64' → [128, 64]. Throws an `invalid-argument` HostError on anything else. */
export function decodeHiddenLayers(encoded: string): number[] {
  const widths = encoded.split('-').map((s) => (/^\d+$/.test(s) ? Number(s) : NaN));
  if (widths.length === 0 || widths.some((w) => !Number.isInteger(w) || w < 1)) {
    throw new HostError('invalid-argument', `"${encoded}" is not a list of hidden layer widths such as "128-64".`);
  }
  return widths;
}

/** The encoded `hiddenLayers` value of layer widths: [128, 64] → '128-64'. */
export function encodeHiddenLayers(widths: readonly number[]): string {
  return widths.join('-');
}

function formatNumber(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e-3 && a < 1e5) return String(Number(v.toPrecision(6)));
  return v.toExponential().replace('e+', 'e');
}

/**
 * One line describing a dimension for the UI, e.g. "learningRate: 0.01 to 0.3, log scale",
 * "maxLeaves: whole numbers 8 to 128, log scale", "criterion: one of gini, entropy".
 */
export function describeDimension(d: Dimension): string {
  if (d.type === 'categorical') return `${d.name}: one of ${d.choices.map((c) => String(c)).join(', ')}`;
  const range = `${formatNumber(d.low)} to ${formatNumber(d.high)}`;
  return `${d.name}: ${d.type === 'int' ? `whole numbers ${range}` : range}${d.log ? ', log scale' : ''}`;
}
