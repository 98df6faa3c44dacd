import { HostError } from '../../host/errors.js';
import type { FeatureMatrix, FitContext, FittedModel, ModelState, Predictions, Target, Task } from '../types.js';
import { checkCancelled, classCount } from '../types.js';
import { binMatrix, edgesFromJSON, edgesToJSON, learnBinEdges } from './binning.js';
import { addGains, addTreePredictions, flatten, normalise, treeFromJSON, treeToJSON, type FlatTree, type FlatTreeJSON } from './flat-tree.js';
import { HistTreeGrower, type GrowInput, type StatMode } from './hist-tree.js';

/**
 * A single decision tree (CART on binned features, see hist-tree.ts). Classification splits by Gini or entropy
 * over class weights and predicts each leaf's class proportions; regression splits by squared error and predicts
 * the leaf mean. `ctx.weights` weighs rows. Without `maxLeaves` the tree grows depth-first to `maxDepth`; with it,
 * best-first (the split with the largest impurity decrease next) until the leaf budget is spent.
 */

/** Decision tree parameters (see `TREE_DEFAULTS`). */
export interface TreeParams {
  /** -1: no limit. */
  maxDepth: number;
  /** -1: no limit. */
  maxLeaves: number;
  minSamplesLeaf: number;
  criterion: 'gini' | 'entropy';
  maxBins: number;
}

/** Defaults of `fitTree`. */
export const TREE_DEFAULTS: Readonly<TreeParams> = Object.freeze({
  maxDepth: 8,
  maxLeaves: -1,
  minSamplesLeaf: 5,
  criterion: 'gini',
  maxBins: 255,
});

/** A fitted tree model (also each member of a forest). */
export interface TreeModel extends FittedModel {
  readonly kind: 'tree';
  /** Total impurity decrease per feature, normalised to sum to 1. */
  featureImportance(): Float64Array;
  /** Number of leaves. */
  readonly leafCount: number;
}

/** Checks the shared inputs of the tree models; returns the class count (1 for regression). */
export function checkTreeInputs(X: FeatureMatrix, y: Target, ctx: FitContext, who: string): number {
  const n = X.rowCount;
  if (y.values.length !== n) throw new HostError('invalid-argument', `${who}: the target has ${y.values.length} rows but the features ${n}.`);
  if (n === 0) throw new HostError('invalid-argument', `${who}: there are no training rows.`);
  for (const c of X.columns) if (c.length !== n) throw new HostError('invalid-argument', `${who}: a feature column has the wrong length.`);
  if (ctx.weights && ctx.weights.length !== n) throw new HostError('invalid-argument', `${who}: the weights have the wrong length.`);
  const K = classCount(y);
  if (y.task !== 'regression') {
    for (const v of y.values) {
      if (!(v >= 0 && v < K && Number.isInteger(v))) throw new HostError('invalid-argument', `${who}: class index ${v} is outside 0..${K - 1}.`);
    }
  } else {
    for (const v of y.values) if (!Number.isFinite(v)) throw new HostError('invalid-argument', `${who}: the target has a missing or infinite value.`);
  }
  return K;
}

/** The stat mode of a task (classes for classification, gradient-style sums for regression). */
export function treeStatMode(task: Task, K: number, criterion: 'gini' | 'entropy'): StatMode {
  return task === 'regression' ? { kind: 'gh', lambda: 0 } : { kind: 'classes', classes: K, criterion };
}

/**
 * The grower input for rows weighted by `w` (absent: 1): class indices and weights, or for regression
 * g = w·y and h = w (so G/H is the weighted leaf mean and G²/H the squared-error score).
 */
export function treeInput(task: Task, y: Float64Array, w: Float64Array | null): GrowInput {
  if (task !== 'regression') return { kind: 'classes', classes: Int32Array.from(y), weights: w };
  const n = y.length;
  const grad = new Float64Array(n);
  const hess = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i]! : 1;
    grad[i] = wi * y[i]!;
    hess[i] = wi;
  }
  return { kind: 'gh', grad, hess };
}

/** Output values per leaf: K class proportions (classification) or 1 mean (regression). */
export function treeOutDim(task: Task, K: number): number {
  return task === 'regression' ? 1 : K;
}

/** Leaf values from a leaf's stats (see `treeInput`). */
export function treeLeafValue(task: Task, K: number): (st: Float64Array, o: number, out: Float64Array, oo: number) => void {
  if (task === 'regression') {
    return (st, o, out, oo) => {
      out[oo] = st[o + 1]! > 0 ? st[o]! / st[o + 1]! : 0;
    };
  }
  return (st, o, out, oo) => {
    let w = 0;
    for (let k = 0; k < K; k++) w += st[o + k]!;
    for (let k = 0; k < K; k++) out[oo + k] = w > 0 ? st[o + k]! / w : 1 / K;
  };
}

/**
 * Averages the trees' leaf values over the rows of X and returns predictions in the `Predictions` layout:
 * P(class 1) for binary, K probabilities per row for multiclass, the value for regression.
 */
export function predictTrees(trees: FlatTree[], task: Task, K: number, nFeatures: number, X: FeatureMatrix): Predictions {
  if (X.columns.length !== nFeatures) {
    throw new HostError('invalid-argument', `The model was trained on ${nFeatures} features; this data has ${X.columns.length}.`);
  }
  const n = X.rowCount;
  const d = treeOutDim(task, K);
  const acc = new Float64Array(n * d);
  for (const t of trees) addTreePredictions(t, X.columns, n, acc, d, 0, 1);
  const m = trees.length;
  if (task === 'regression') {
    for (let i = 0; i < n; i++) acc[i] = acc[i]! / m;
    return acc;
  }
  // Class proportions: clamp away the last bit of rounding so that probabilities stay within [0, 1].
  if (task === 'multiclass') {
    for (let i = 0; i < acc.length; i++) acc[i] = Math.min(1, Math.max(0, acc[i]! / m));
    return acc;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.min(1, Math.max(0, acc[i * 2 + 1]! / m));
  return out;
}

/** Resolves and checks parameters. */
export function treeParams(params: Partial<TreeParams> = {}): TreeParams {
  const p: TreeParams = { ...TREE_DEFAULTS };
  for (const key of Object.keys(TREE_DEFAULTS) as (keyof TreeParams)[]) {
    const v = params[key];
    if (v !== undefined) (p as unknown as Record<string, unknown>)[key] = v;
  }
  const bad = (what: string): never => {
    throw new HostError('invalid-argument', `Decision tree: ${what}.`);
  };
  if (!Number.isInteger(p.maxDepth) || (p.maxDepth < 1 && p.maxDepth !== -1)) bad('maxDepth must be ≥ 1, or -1 for none');
  if (!Number.isInteger(p.maxLeaves) || (p.maxLeaves < 2 && p.maxLeaves !== -1)) bad('maxLeaves must be ≥ 2, or -1 for none');
  if (!(p.minSamplesLeaf >= 1)) bad('minSamplesLeaf must be ≥ 1');
  if (p.criterion !== 'gini' && p.criterion !== 'entropy') bad("criterion must be 'gini' or 'entropy'");
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 255) bad('maxBins must be a whole number in 2..255');
  return p;
}

/** Fits one decision tree. */
export function fitTree(X: FeatureMatrix, y: Target, params: Partial<TreeParams>, ctx: FitContext): TreeModel {
  const p = treeParams(params);
  const K = checkTreeInputs(X, y, ctx, 'Decision tree');
  checkCancelled(ctx);
  const edges = learnBinEdges(X, { maxBins: p.maxBins, seed: ctx.seed });
  const binned = binMatrix(X, edges);
  const grower = new HistTreeGrower(binned, edges, treeStatMode(y.task, K, p.criterion), {
    maxLeaves: p.maxLeaves,
    maxDepth: p.maxDepth,
    minSamplesLeaf: p.minSamplesLeaf,
    minChildWeight: 0,
  });
  checkCancelled(ctx);
  const grown = grower.grow(treeInput(y.task, y.values, ctx.weights ?? null));
  const tree = flatten(grown, grower.S, treeOutDim(y.task, K), treeLeafValue(y.task, K));
  const gains = new Float64Array(X.columns.length);
  addGains(grown, gains);
  ctx.onProgress?.({ fraction: 1 });
  return makeTree(y.task, p, K, tree, normalise(gains), edges, y.classes, X.names);
}

function makeTree(
  task: Task,
  params: TreeParams,
  K: number,
  tree: FlatTree,
  importance: Float64Array,
  edges: Float64Array[],
  classes: string[] | undefined,
  names: string[],
): TreeModel {
  let leafCount = 0;
  for (const f of tree.feature) if (f < 0) leafCount++;
  return {
    kind: 'tree',
    task,
    params: { ...params },
    leafCount,
    predict: (X: FeatureMatrix) => predictTrees([tree], task, K, edges.length, X),
    featureImportance: () => importance.slice(),
    toJSON(): ModelState {
      return {
        kind: 'tree',
        task,
        version: 1,
        params: { ...params },
        ...(classes ? { classes: [...classes] } : {}),
        classCount: K,
        featureNames: [...names],
        edges: edgesToJSON(edges),
        tree: treeToJSON(tree),
        importance: Array.from(importance),
      };
    },
  };
}

/** Rebuilds a decision tree from `toJSON()` (after a JSON round trip). */
export function loadTree(state: ModelState): TreeModel {
  if (state.kind !== 'tree' || state.version !== 1) throw new HostError('invalid-argument', `Not a version 1 tree state (${state.kind} v${state.version}).`);
  const K = Number(state.classCount);
  if (!(K >= 1)) throw new HostError('invalid-argument', 'The tree state is malformed.');
  const tree = treeFromJSON(state.tree as FlatTreeJSON, treeOutDim(state.task, K));
  return makeTree(
    state.task,
    treeParams(state.params as Partial<TreeParams>),
    K,
    tree,
    Float64Array.from(state.importance as number[]),
    edgesFromJSON(state.edges),
    state.classes as string[] | undefined,
    (state.featureNames as string[]) ?? [],
  );
}
