import type { BinnedMatrix } from './binning.js';
import type { GrownTree } from './hist-tree.js';

/** A grown tree in use: the leaf a row reaches, the compact form models keep and save, and split-gain importances. */

/** The leaf a row of raw values reaches (`columns[f][row]`). */
export function leafOfRaw(
  feature: Int32Array,
  threshold: Float64Array,
  defaultLeft: Uint8Array,
  left: Int32Array,
  columns: Float64Array[],
  row: number,
): number {
  let node = 0;
  let f = feature[0]!;
  while (f >= 0) {
    const v = columns[f]![row]!;
    const l = left[node]!;
    node = v <= threshold[node]! ? l : v === v ? l + 1 : defaultLeft[node] ? l : l + 1;
    f = feature[node]!;
  }
  return node;
}

/**
 * The leaf a row of raw values reaches in a tree with category splits (`catAt`, `catBits`; see `FlatTree`): at
 * such a node a value goes left when it is a code in the node's set, missing values by `defaultLeft`, and any
 * other value (a category the training rows never had) right.
 */
export function leafOfRawCategorical(tree: FlatTree, columns: Float64Array[], row: number): number {
  const { feature, threshold, defaultLeft, left } = tree;
  const catAt = tree.catAt!;
  const bits = tree.catBits!;
  let node = 0;
  let f = feature[0]!;
  while (f >= 0) {
    const v = columns[f]![row]!;
    const l = left[node]!;
    const c = catAt[node]!;
    if (c < 0) node = v <= threshold[node]! ? l : v === v ? l + 1 : defaultLeft[node] ? l : l + 1;
    else if (v !== v) node = defaultLeft[node] ? l : l + 1;
    else {
      const word = Math.floor(v / 32);
      const inSet = v >= 0 && word < bits[c]! && v === Math.floor(v) && ((bits[c + 1 + word]! >>> (v & 31)) & 1) === 1;
      node = inSet ? l : l + 1;
    }
    f = feature[node]!;
  }
  return node;
}

/** The leaf a binned training row reaches (the same path `leafOfRaw` takes on its raw values). */
export function leafOfBinned(tree: GrownTree, data: BinnedMatrix, row: number): number {
  let node = 0;
  let f = tree.feature[0]!;
  while (f >= 0) {
    const b = data.columns[f]![row]!;
    const l = tree.left[node]!;
    const set = tree.categories[node];
    node = b === data.nBins[f] ? (tree.defaultLeft[node] ? l : l + 1) : (set ? set[b] === 1 : b <= tree.splitBin[node]!) ? l : l + 1;
    f = tree.feature[node]!;
  }
  return node;
}

/**
 * A fitted tree as it is kept and saved: structure plus `outDim` leaf values per leaf. In `left`, a split node
 * holds its left child (the right is `left + 1`) and a leaf holds its index into `values`.
 */
export interface FlatTree {
  feature: Int32Array;
  threshold: Float64Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  values: Float64Array;
  outDim: number;
  /**
   * Category splits, when the tree has any: node i splits by a set of category codes when catAt[i] >= 0; then
   * catBits[catAt[i]] is the set's length in 32-bit words and the words after it hold one bit per code (set: left).
   */
  catAt?: Int32Array;
  catBits?: Uint32Array;
}

/** Turns a grown tree into a `FlatTree`, with `leafValue` writing each leaf's `outDim` values from its stats. */
export function flatten(
  tree: GrownTree,
  S: number,
  outDim: number,
  leafValue: (stats: Float64Array, offset: number, out: Float64Array, outOffset: number) => void,
): FlatTree {
  const m = tree.nodeCount;
  const left = tree.left.slice();
  let leaves = 0;
  for (let i = 0; i < m; i++) if (tree.feature[i]! < 0) leaves++;
  const values = new Float64Array(leaves * outDim);
  let li = 0;
  for (let i = 0; i < m; i++) {
    if (tree.feature[i]! >= 0) continue;
    left[i] = li;
    leafValue(tree.stats, i * S, values, li * outDim);
    li++;
  }
  const flat: FlatTree = { feature: tree.feature, threshold: tree.threshold, defaultLeft: tree.defaultLeft, left, values, outDim };
  if (tree.categories.some((c) => c !== null)) {
    const sets = tree.categories.map((set) => (set ? Array.from(set.keys()).filter((b) => set[b] === 1) : null));
    Object.assign(flat, packCategories(sets));
  }
  return flat;
}

/** Per node, the codes of its category set (null: not a category split), packed as `FlatTree.catAt` / `catBits`. */
function packCategories(sets: (readonly number[] | null)[]): { catAt: Int32Array; catBits: Uint32Array } {
  const catAt = new Int32Array(sets.length).fill(-1);
  const words: number[] = [];
  sets.forEach((codes, node) => {
    if (!codes) return;
    const top = codes.reduce((m, c) => Math.max(m, c), -1);
    const w = (top >> 5) + 1;
    catAt[node] = words.length;
    words.push(w);
    const at = words.length;
    for (let i = 0; i < w; i++) words.push(0);
    for (const c of codes) words[at + (c >> 5)] = (words[at + (c >> 5)]! | (1 << (c & 31))) >>> 0;
  });
  return { catAt, catBits: Uint32Array.from(words) };
}

/** The codes of node `node`'s category set (its split must be one). */
function codesOf(tree: FlatTree, node: number): number[] {
  const bits = tree.catBits!;
  const c = tree.catAt![node]!;
  const codes: number[] = [];
  for (let w = 0; w < bits[c]!; w++) {
    const word = bits[c + 1 + w]!;
    for (let b = 0; b < 32; b++) if ((word >>> b) & 1) codes.push(32 * w + b);
  }
  return codes;
}

/** Adds `scale` × the tree's leaf values for every row of `columns` to `out` (row-major, `stride` per row, at `col`). */
export function addTreePredictions(
  tree: FlatTree,
  columns: Float64Array[],
  rowCount: number,
  out: Float64Array,
  stride: number,
  col: number,
  scale: number,
): void {
  const { feature, threshold, defaultLeft, left, values, outDim } = tree;
  const categorical = tree.catAt !== undefined;
  for (let r = 0; r < rowCount; r++) {
    const leaf = left[categorical ? leafOfRawCategorical(tree, columns, r) : leafOfRaw(feature, threshold, defaultLeft, left, columns, r)]!;
    if (outDim === 1) out[r * stride + col]! += scale * values[leaf]!;
    else for (let k = 0; k < outDim; k++) out[r * stride + col + k]! += scale * values[leaf * outDim + k]!;
  }
}

/**
 * A flat tree as JSON (thresholds of +Infinity, a "missing or not" split, are written as null). `c`, when the
 * tree has category splits, maps each such node to the codes that go left.
 */
export interface FlatTreeJSON {
  f: number[];
  t: (number | null)[];
  d: number[];
  l: number[];
  v: number[];
  c?: Record<string, number[]>;
}

/** Serialises a tree for a model's state. */
export function treeToJSON(t: FlatTree): FlatTreeJSON {
  const json: FlatTreeJSON = {
    f: Array.from(t.feature),
    t: Array.from(t.threshold, (x) => (Number.isFinite(x) ? x : null)),
    d: Array.from(t.defaultLeft),
    l: Array.from(t.left),
    v: Array.from(t.values),
  };
  if (t.catAt) {
    const c: Record<string, number[]> = {};
    t.catAt.forEach((at, node) => {
      if (at >= 0) c[node] = codesOf(t, node);
    });
    json.c = c;
  }
  return json;
}

/** Reads a tree back from a model's state. */
export function treeFromJSON(json: unknown, outDim: number): FlatTree {
  const j = json as Partial<FlatTreeJSON> | null;
  if (!j || !Array.isArray(j.f) || !Array.isArray(j.t) || !Array.isArray(j.d) || !Array.isArray(j.l) || !Array.isArray(j.v)) {
    throw new Error('Model state: a tree is malformed.');
  }
  const n = j.f.length;
  if (j.t.length !== n || j.d.length !== n || j.l.length !== n) throw new Error('Model state: a tree is malformed.');
  const tree: FlatTree = {
    feature: Int32Array.from(j.f),
    threshold: Float64Array.from(j.t, (x) => (x === null ? Infinity : x)),
    defaultLeft: Uint8Array.from(j.d),
    left: Int32Array.from(j.l),
    values: Float64Array.from(j.v),
    outDim,
  };
  if (j.c !== undefined) {
    if (j.c === null || typeof j.c !== 'object') throw new Error('Model state: a tree is malformed.');
    const sets = new Array<number[] | null>(n).fill(null);
    for (const [key, codes] of Object.entries(j.c)) {
      const node = Number(key);
      const ok = Number.isInteger(node) && node >= 0 && node < n && Array.isArray(codes) && codes.every((c) => Number.isInteger(c) && c >= 0 && c < 65_536);
      if (!ok) throw new Error('Model state: a category split in a tree is malformed.');
      sets[node] = codes;
    }
    Object.assign(tree, packCategories(sets));
  }
  return tree;
}

/** Adds each split's gain to its feature's total (feature importance before normalising). */
export function addGains(tree: GrownTree, into: Float64Array): void {
  for (let i = 0; i < tree.nodeCount; i++) {
    const f = tree.feature[i]!;
    if (f >= 0) into[f]! += tree.gain[i]!;
  }
}

/** Scales importances to sum to 1 (all zero stays zero). */
export function normalise(imp: Float64Array): Float64Array {
  let s = 0;
  for (const v of imp) s += v;
  const out = new Float64Array(imp.length);
  if (s > 0) for (let i = 0; i < imp.length; i++) out[i] = imp[i]! / s;
  return out;
}
