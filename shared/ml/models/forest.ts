import { HostError } from '../../host/errors.js';
import { mulberry32 } from '../../data/random.js';
import type { FeatureMatrix, FitContext, FittedModel, ModelState, Task } from '../types.js';
import { checkCancelled } from '../types.js';
import { binMatrix, edgesFromJSON, edgesToJSON, learnBinEdges } from './binning.js';
import { addGains, flatten, normalise, treeFromJSON, treeToJSON, type FlatTree, type FlatTreeJSON } from './flat-tree.js';
import { HistTreeGrower, type GrowInput } from './hist-tree.js';
import type { Target } from '../types.js';
import { checkTreeInputs, predictTrees, treeInput, treeLeafValue, treeOutDim, treeStatMode } from './tree.js';

/**
 * Random forest: `nTrees` decision trees (see tree.ts), each on a bootstrap sample of the rows (drawn with
 * replacement, so a row's weight is how often it was drawn) and choosing each split among `maxFeatures` features
 * drawn afresh at every node. Predictions average the trees' leaf class proportions (or leaf means). One seeded
 * generator drives the bootstrap and the feature draws, so the same seed grows the same forest.
 *
 * Trees grow until their leaves are pure or hold `minSamplesLeaf` rows, within `maxDepth`; `maxLeaves` caps each
 * tree (grown best-first) so that a forest on a million rows still saves to a manageable size.
 */

/** Random forest parameters (see `FOREST_DEFAULTS`). */
export interface ForestParams {
  nTrees: number;
  /** -1: no limit. */
  maxDepth: number;
  /** Leaves per tree at most; -1: no limit. */
  maxLeaves: number;
  minSamplesLeaf: number;
  /** Features tried per node: 'sqrt', 'log2', or a fraction in (0, 1] of them. */
  maxFeatures: 'sqrt' | 'log2' | number;
  bootstrap: boolean;
  criterion: 'gini' | 'entropy';
  maxBins: number;
}

/** Defaults of `fitForest`. */
export const FOREST_DEFAULTS: Readonly<ForestParams> = Object.freeze({
  nTrees: 100,
  maxDepth: -1,
  maxLeaves: 1024,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  bootstrap: true,
  criterion: 'gini',
  maxBins: 255,
});

/** A fitted random forest. */
export interface ForestModel extends FittedModel {
  readonly kind: 'rf';
  readonly treeCount: number;
  /** Mean impurity decrease per feature over the trees, normalised to sum to 1. */
  featureImportance(): Float64Array;
}

/** Resolves and checks parameters. */
export function forestParams(params: Partial<ForestParams> = {}): ForestParams {
  const p: ForestParams = { ...FOREST_DEFAULTS };
  for (const key of Object.keys(FOREST_DEFAULTS) as (keyof ForestParams)[]) {
    const v = params[key];
    if (v !== undefined) (p as unknown as Record<string, unknown>)[key] = v;
  }
  const bad = (what: string): never => {
    throw new HostError('invalid-argument', `Random forest: ${what}.`);
  };
  if (!Number.isInteger(p.nTrees) || p.nTrees < 1) bad('nTrees must be a whole number ≥ 1');
  if (!Number.isInteger(p.maxDepth) || (p.maxDepth < 1 && p.maxDepth !== -1)) bad('maxDepth must be ≥ 1, or -1 for none');
  if (!Number.isInteger(p.maxLeaves) || (p.maxLeaves < 2 && p.maxLeaves !== -1)) bad('maxLeaves must be ≥ 2, or -1 for none');
  if (!(p.minSamplesLeaf >= 1)) bad('minSamplesLeaf must be ≥ 1');
  const mf = p.maxFeatures;
  if (!(mf === 'sqrt' || mf === 'log2' || (typeof mf === 'number' && mf > 0 && mf <= 1))) bad("maxFeatures must be 'sqrt', 'log2' or a fraction in (0, 1]");
  if (typeof p.bootstrap !== 'boolean') bad('bootstrap must be true or false');
  if (p.criterion !== 'gini' && p.criterion !== 'entropy') bad("criterion must be 'gini' or 'entropy'");
  if (!Number.isInteger(p.maxBins) || p.maxBins < 2 || p.maxBins > 255) bad('maxBins must be a whole number in 2..255');
  return p;
}

/** How many features a node draws from `nFeatures`. */
export function featuresPerNode(maxFeatures: ForestParams['maxFeatures'], nFeatures: number): number {
  const m = maxFeatures === 'sqrt' ? Math.sqrt(nFeatures) : maxFeatures === 'log2' ? Math.log2(nFeatures) : maxFeatures * nFeatures;
  return Math.min(nFeatures, Math.max(1, Math.floor(m)));
}

/** Fits a random forest. */
export function fitForest(X: FeatureMatrix, y: Target, params: Partial<ForestParams>, ctx: FitContext): ForestModel {
  const p = forestParams(params);
  const K = checkTreeInputs(X, y, ctx, 'Random forest');
  checkCancelled(ctx);
  const n = X.rowCount;
  const nFeat = X.columns.length;
  const random = mulberry32(ctx.seed);
  const edges = learnBinEdges(X, { maxBins: p.maxBins, seed: ctx.seed });
  const binned = binMatrix(X, edges);
  const grower = new HistTreeGrower(binned, edges, treeStatMode(y.task, K, p.criterion), {
    maxLeaves: p.maxLeaves,
    maxDepth: p.maxDepth,
    minSamplesLeaf: p.minSamplesLeaf,
    minChildWeight: 0,
    nodeFeatures: featuresPerNode(p.maxFeatures, nFeat),
  });
  const outDim = treeOutDim(y.task, K);
  const leafValue = treeLeafValue(y.task, K);
  const trees: FlatTree[] = [];
  const gains = new Float64Array(nFeat);
  const counts = new Float64Array(n);
  const rowsBuf = new Uint32Array(n);
  const classes = y.task === 'regression' ? null : Int32Array.from(y.values);
  const baseW = ctx.weights ?? null;
  const grad = y.task === 'regression' ? new Float64Array(n) : null;
  const hess = y.task === 'regression' ? new Float64Array(n) : null;
  const fullInput = treeInput(y.task, y.values, baseW);
  for (let t = 0; t < p.nTrees; t++) {
    checkCancelled(ctx);
    let input: GrowInput = fullInput;
    let rows: Uint32Array | null = null;
    if (p.bootstrap) {
      counts.fill(0);
      for (let i = 0; i < n; i++) counts[Math.floor(random() * n)]! += 1;
      let m = 0;
      for (let i = 0; i < n; i++) {
        if (counts[i]! > 0) {
          rowsBuf[m++] = i;
          if (baseW) counts[i]! *= baseW[i]!;
        }
      }
      rows = rowsBuf.subarray(0, m);
      if (classes) input = { kind: 'classes', classes, weights: counts };
      else {
        for (let q = 0; q < m; q++) {
          const i = rowsBuf[q]!;
          grad![i] = counts[i]! * y.values[i]!;
          hess![i] = counts[i]!;
        }
        input = { kind: 'gh', grad: grad!, hess: hess! };
      }
    }
    const grown = grower.grow(input, rows, null, random);
    trees.push(flatten(grown, grower.S, outDim, leafValue));
    addGains(grown, gains);
    ctx.onProgress?.({ fraction: (t + 1) / p.nTrees, message: `Tree ${t + 1} of ${p.nTrees}` });
  }
  return makeForest(y.task, p, K, trees, normalise(gains), edges, y.classes, X.names);
}

function makeForest(
  task: Task,
  params: ForestParams,
  K: number,
  trees: FlatTree[],
  importance: Float64Array,
  edges: Float64Array[],
  classes: string[] | undefined,
  names: string[],
): ForestModel {
  return {
    kind: 'rf',
    task,
    params: { ...params },
    treeCount: trees.length,
    predict: (X: FeatureMatrix) => predictTrees(trees, task, K, edges.length, X),
    featureImportance: () => importance.slice(),
    toJSON(): ModelState {
      return {
        kind: 'rf',
        task,
        version: 1,
        params: { ...params },
        ...(classes ? { classes: [...classes] } : {}),
        classCount: K,
        featureNames: [...names],
        edges: edgesToJSON(edges),
        trees: trees.map(treeToJSON),
        importance: Array.from(importance),
      };
    },
  };
}

/** Rebuilds a random forest from `toJSON()` (after a JSON round trip). */
export function loadForest(state: ModelState): ForestModel {
  if (state.kind !== 'rf' || state.version !== 1) throw new HostError('invalid-argument', `Not a version 1 rf state (${state.kind} v${state.version}).`);
  const K = Number(state.classCount);
  if (!(K >= 1) || !Array.isArray(state.trees) || state.trees.length === 0) throw new HostError('invalid-argument', 'The rf state is malformed.');
  const outDim = treeOutDim(state.task, K);
  const trees = (state.trees as FlatTreeJSON[]).map((t) => treeFromJSON(t, outDim));
  return makeForest(
    state.task,
    forestParams(state.params as Partial<ForestParams>),
    K,
    trees,
    Float64Array.from(state.importance as number[]),
    edgesFromJSON(state.edges),
    state.classes as string[] | undefined,
    (state.featureNames as string[]) ?? [],
  );
}
