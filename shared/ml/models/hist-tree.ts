import type { BinnedMatrix } from './binning.js';
import type { HistogramHelper } from './parallel.js';
import { CategorySplit } from './category-split.js';
import { BLOCK, buildGhHistogram, partitionRows } from './hist-kernels.js';
import { FIXED_MAX_FEATURES, WASM_PAGE, wasmHist, wasmHistBytes, wasmMemory, type WasmHist } from './wasm-hist.js';

/**
 * The one tree grower behind the decision tree, the random forest and gradient boosting: histogram splits on
 * binned columns (see binning.ts), grown best-first to a leaf budget or depth-first without one.
 *
 * Statistics. Each training row carries a few numbers and every node sums them per bin of every feature:
 * - `gh` mode (boosting; regression trees with g = w·y, h = w): per bin [Σg, Σh, count]. A side's score is
 *   G²/(H+λ); the leaf value is the caller's (−G/(H+λ) for boosting, G/H for a regression tree's mean).
 * - `classes` mode (classification trees): per bin [W_0 … W_{K-1}, count], the weight of each class. Score is
 *   Σ W_k²/W (Gini: the weighted impurity decrease is score(L) + score(R) − score(parent)) or
 *   Σ W_k ln(W_k/W) (entropy, likewise).
 * A split's gain is score(L) + score(R) − score(parent); both sides must hold `minSamplesLeaf` rows and
 * `minChildWeight` of hessian (weight).
 *
 * Speed. Rows are partitioned in place in one index array, so a node's rows are one contiguous segment.
 * Histograms are flat Float64Arrays (bin-major, S stats per bin), pooled and reused across trees. A split builds
 * the histogram of its smaller child only and gets the larger one by subtracting it from the parent's (the
 * parent's buffer becomes the child's). Building walks the rows in blocks, gathering the block's statistics once
 * into a small contiguous buffer that stays in cache while every feature is counted. With per-node feature
 * sampling (random forests) there is no subtraction: each node builds only its sampled features, then keeps
 * just its best split, so no histogram outlives its node.
 *
 * WebAssembly (gh mode). Where the runtime has WebAssembly, gradient histograms and row partitions run in the
 * kernels of wasm-hist.ts, on one memory holding the bins row-major (a row's codes in one cache line, where the
 * columns would cost one miss per feature in a sparse node), the interleaved gradients, the row index and the
 * histograms. Each bin is summed in row order by the same IEEE adds, so the trees are those of the JavaScript
 * loops of hist-kernels.ts, which remain the fallback (and the classes mode). With a `HistogramHelper` (parallel.ts) the
 * memory is shared: a large node's histograms are built half on a second thread (half the features each, straight
 * into the node's histogram) and its rows partitioned in two halves, with the same sums and the same row order as
 * one thread, so the trees are identical.
 *
 * Missing values are one extra bin per feature; a split tries them on both sides and keeps the better as the
 * node's default direction (with no missing rows in the node, the default is the side with more rows).
 *
 * Categories (gh mode, features marked `categorical`, whose bin b is category code b) split by sets of bins,
 * chosen as LightGBM does (category-split.ts). The missing bin is one of the categories, and the node's default
 * direction is its side; rarer categories, and categories the training rows never had, go right.
 */

/** How a grower measures splits: gradient statistics, or class weights with an impurity criterion. */
export type StatMode = { kind: 'gh'; lambda: number } | { kind: 'classes'; classes: number; criterion: 'gini' | 'entropy' };

/** Limits on the tree; -1 (or a non-finite number) for maxDepth / maxLeaves means none. */
export interface GrowerOptions {
  maxLeaves: number;
  maxDepth: number;
  minSamplesLeaf: number;
  minChildWeight: number;
  /** A split must gain more than this. */
  minSplitGain?: number;
  /** Features sampled per node (random forests); 0 or ≥ nFeatures means all, with histogram subtraction. */
  nodeFeatures?: number;
  /** Per feature, 1 when its bins are category codes to split by sets (gh mode only; see category-split.ts). */
  categorical?: Uint8Array | null;
}

/** Per-row statistics for one tree. */
export type GrowInput =
  | { kind: 'gh'; grad: Float64Array; hess: Float64Array }
  /** The caller has written every row's pair into `gradientPairs()` already. */
  | { kind: 'gh'; grad: null; hess: null }
  | { kind: 'classes'; classes: Int32Array; weights: Float64Array | null };

/**
 * A grown tree as flat arrays (node 0 is the root; a split node's children are `left` and `left + 1`).
 * `feature` is -1 at a leaf. A row goes left when its value is <= `threshold` (its bin <= `splitBin`), and when
 * missing, left iff `defaultLeft`. At a category split (`categories[node]` not null) a row goes left when its bin
 * is marked in that table instead (`threshold` is +Infinity and `splitBin` -1 there). `stats` holds each node's
 * summed statistics (S per node).
 */
export interface GrownTree {
  nodeCount: number;
  feature: Int32Array;
  threshold: Float64Array;
  splitBin: Int32Array;
  defaultLeft: Uint8Array;
  left: Int32Array;
  gain: Float64Array;
  stats: Float64Array;
  /** Per node, for a category split the 256 bins with 1 where the bin goes left (the missing bin's entry is 0); else null. */
  categories: (Uint8Array | null)[];
  /** A leaf's rows are `rowIndex[start[node] .. end[node])` (valid until the grower grows again). */
  start: Int32Array;
  end: Int32Array;
}


/** Where the grower's data lies in the kernels' memory (byte offsets). */
interface WasmLayout {
  /** Row-major bins, `stride` bytes per row (for histograms: a sparse node's row is one cache line). */
  bins: number;
  stride: number;
  /** The same bins column-major, feature f's from cols + f·n (for partitions: one feature, dense). */
  cols: number;
  gh: number;
  idx: number;
  tmp: number;
  lut: number;
  /** The `hist` kernel's feature descriptors (two i32 per feature). */
  desc: number;
  /** Scratch for the fixed kernels (see wasm-hist.ts). */
  sink: number;
  /** Histograms from here, `histBytes` apart; `slots` of them at first. */
  pool: number;
  histBytes: number;
  slots: number;
}

/** The memory layout for n rows, or null when it would not fit a 32-bit memory. */
function wasmLayout(n: number, nFeatures: number, histSize: number, maxLeaves: number): WasmLayout | null {
  let end = 0;
  const take = (bytes: number): number => {
    const at = end;
    end += Math.ceil(bytes / 64) * 64;
    return at;
  };
  const stride = Math.max(1, nFeatures);
  const bins = take(n * stride);
  const cols = take(n * nFeatures);
  const gh = take(16 * n);
  const idx = take(4 * n);
  const tmp = take(4 * n);
  const lut = take(256);
  const desc = take(8 * nFeatures);
  const sink = take(128);
  const histBytes = Math.ceil((8 * histSize) / 64) * 64;
  // Best-first growth keeps about one histogram per open leaf; the memory must have room for them all.
  const budget = maxLeaves > 0 && Number.isFinite(maxLeaves);
  const slots = budget ? Math.min(maxLeaves + 2, 64) : 16;
  const most = Math.max(4 * slots, budget ? 2 * (maxLeaves + 2) : 0);
  const pool = end;
  if (pool + most * histBytes > 0xffff0000) return null;
  return { bins, stride, cols, gh, idx, tmp, lut, desc, sink, pool, histBytes, slots };
}
/** Nodes with fewer rows build on one thread even with a helper (handing over costs more than it saves). */
const PARALLEL_MIN_ROWS = 4096;
/** Likewise for partitioning a node's rows (far cheaper per row than a histogram). */
const PARALLEL_PARTITION_ROWS = 65_536;

/** Grows trees on one binned matrix, reusing its buffers from tree to tree. */
export class HistTreeGrower {
  /** Statistics per histogram bin. */
  readonly S: number;
  /** The training rows, partitioned by the last tree grown (see `GrownTree.start`). */
  get rowIndex(): Uint32Array {
    return this.idxView;
  }
  private idxView: Uint32Array;
  private tmp: Uint32Array;
  private readonly ord: Float64Array;
  private readonly ordCls: Int32Array;
  private readonly offsets: Int32Array;
  private readonly histSize: number;
  private readonly pool: Float64Array[] = [];
  private readonly free: number[] = [];
  private lut: Uint8Array;
  private readonly nFeatures: number;
  // Split scratch.
  private readonly acc: Float64Array;
  private readonly bestLeftScratch: Float64Array;
  private readonly missScratch: Float64Array;
  private readonly tot: Float64Array;
  // Node store (grows).
  private cap = 0;
  private nNodes = 0;
  private feature = new Int32Array(0);
  private threshold = new Float64Array(0);
  private splitBin = new Int32Array(0);
  private defaultLeft = new Uint8Array(0);
  private left = new Int32Array(0);
  private gain = new Float64Array(0);
  private stats = new Float64Array(0);
  private start = new Int32Array(0);
  private end = new Int32Array(0);
  private depth = new Int32Array(0);
  private hist = new Int32Array(0);
  private bGain = new Float64Array(0);
  private bFeature = new Int32Array(0);
  private bBin = new Int32Array(0);
  private bDefaultLeft = new Uint8Array(0);
  private bLeft = new Float64Array(0);
  /** Per node, its category split's table (see `GrownTree.categories`), and its best one while it is open. */
  private cats: (Uint8Array | null)[] = [];
  private bCats: (Uint8Array | null)[] = [];
  private readonly categorical: Uint8Array | null;
  private readonly catSplit = new CategorySplit();
  /** The best category set so far in `findBest` (the missing bin's entry 0). */
  private readonly catBest = new Uint8Array(256);
  private featScratch: Int32Array;
  /** Row r's gradient and hessian at 2r and 2r+1 (gh mode), copied in at the start of each tree. */
  private gh: Float64Array;
  /** Whether rowIndex started as 0..n-1 in this tree (so the root can skip the gather). */
  private identity = false;
  private readonly data: BinnedMatrix;
  /** The WebAssembly kernels and where the data lies in their memory (gh mode where available). */
  private readonly kern: WasmHist | null = null;
  private readonly at: WasmLayout | null = null;
  /** The memory's buffer the views were made on (a growing memory that is not shared replaces it). */
  private viewsOf: ArrayBufferLike | null = null;
  private desc: Int32Array = new Int32Array(0);
  private readonly helper: HistogramHelper | null = null;

  /**
   * With a `helper` (gh mode with WebAssembly only; ignored otherwise) large nodes build half their features'
   * histograms, and partition half their rows, on the helper's thread. `kernel: 'js'` keeps to the JavaScript
   * loops (the tests compare the two). The trees are the same either way.
   */
  constructor(
    binned: BinnedMatrix,
    private readonly edges: Float64Array[],
    private readonly mode: StatMode,
    private readonly options: GrowerOptions,
    helper?: HistogramHelper | null,
    kernel: 'auto' | 'js' = 'auto',
  ) {
    this.S = mode.kind === 'gh' ? 3 : mode.classes + 1;
    const n = binned.rowCount;
    this.nFeatures = binned.columns.length;
    this.offsets = new Int32Array(this.nFeatures + 1);
    for (let f = 0; f < this.nFeatures; f++) this.offsets[f + 1] = this.offsets[f]! + binned.nBins[f]! + 1;
    this.histSize = this.offsets[this.nFeatures]! * this.S;
    this.data = binned;
    if (mode.kind === 'gh' && kernel === 'auto') {
      const at = wasmLayout(n, this.nFeatures, this.histSize, options.maxLeaves);
      const pages = at ? Math.ceil(at.pool / WASM_PAGE) + Math.ceil((at.slots * at.histBytes) / WASM_PAGE) : 0;
      // Kernels with this layout and these features fixed in the code, else the plain ones.
      const fixed = at && this.nFeatures <= FIXED_MAX_FEATURES
        ? { bins: at.bins, stride: at.stride, gh: at.gh, sink: at.sink, features: Array.from({ length: this.nFeatures }, (_, f) => ({ byte: f, base: this.offsets[f]! * 24 })) }
        : null;
      const kernels = (memory: ReturnType<typeof wasmMemory>, shared: boolean): WasmHist | null =>
        memory ? ((fixed && wasmHist(memory, shared, wasmHistBytes(shared, fixed))) ?? wasmHist(memory, shared)) : null;
      // A helper needs a shared memory; where none can be made the fit runs on this thread.
      let kern = at && helper ? kernels(wasmMemory(pages, true), true) : null;
      if (kern) this.helper = helper!;
      else kern = at ? kernels(wasmMemory(pages, false), false) : null;
      if (kern && at) {
        this.kern = kern;
        this.at = at;
        // Row-major bins: row r's code of feature f at r·stride + f.
        const bins = new Uint8Array(kern.memory.buffer, at.bins, n * at.stride);
        const cols = new Uint8Array(kern.memory.buffer, at.cols, n * this.nFeatures);
        for (let f = 0; f < this.nFeatures; f++) {
          const col = binned.columns[f]!;
          cols.set(col, f * n);
          for (let r = 0, o = f; r < n; r++, o += at.stride) bins[o] = col[r]!;
        }
      }
    }
    this.idxView = new Uint32Array(0);
    this.tmp = this.idxView;
    this.lut = new Uint8Array(256);
    this.gh = new Float64Array(0);
    if (this.kern) {
      this.views();
      for (let i = 0; i < this.at!.slots; i++) this.pool.push(this.poolView(i));
      this.free.push(...Array.from({ length: this.at!.slots }, (_, i) => this.at!.slots - 1 - i));
    } else {
      this.idxView = new Uint32Array(n);
      this.tmp = new Uint32Array(n);
      this.gh = new Float64Array(mode.kind === 'gh' ? 2 * n : 0);
    }
    this.ord = new Float64Array(BLOCK * 2);
    this.ordCls = new Int32Array(mode.kind === 'classes' ? BLOCK : 0);
    this.acc = new Float64Array(this.S);
    this.bestLeftScratch = new Float64Array(this.S);
    this.missScratch = new Float64Array(this.S);
    this.tot = new Float64Array(this.S);
    this.featScratch = new Int32Array(this.nFeatures);
    const cat = options.categorical;
    if (cat && cat.length !== this.nFeatures) throw new Error('HistTreeGrower: categorical has the wrong length');
    this.categorical = mode.kind === 'gh' && cat && cat.some((c) => c === 1) ? cat : null;
  }

  /**
   * Grows one tree on `rows` (all rows when absent; ascending order keeps memory access sequential) using the
   * features `features` (all when absent). `random` draws the per-node feature samples.
   */
  grow(input: GrowInput, rows?: Uint32Array | null, features?: Int32Array | null, random?: () => number): GrownTree {
    if (input.kind !== this.mode.kind) throw new Error('HistTreeGrower: input does not match the stat mode');
    const opts = this.options;
    const S = this.S;
    const idx = this.idxView;
    let n: number;
    this.identity = !rows;
    if (rows) {
      n = rows.length;
      idx.set(rows);
    } else {
      n = this.data.rowCount;
      for (let i = 0; i < n; i++) idx[i] = i;
    }
    if (input.kind === 'gh' && input.grad) {
      // Interleave gradient and hessian so that gathering a row's pair touches one cache line.
      const gh = this.gh;
      const { grad, hess } = input;
      for (let i = 0; i < n; i++) {
        const r = idx[i]!;
        gh[2 * r] = grad[r]!;
        gh[2 * r + 1] = hess[r]!;
      }
    }
    const allFeats = features ?? Int32Array.from({ length: this.nFeatures }, (_, i) => i);
    const nodeFeatures = opts.nodeFeatures ?? 0;
    const perNode = nodeFeatures > 0 && nodeFeatures < allFeats.length;
    if (perNode && !random) throw new Error('HistTreeGrower: per-node feature sampling needs a random source');
    const maxLeaves = opts.maxLeaves > 0 && Number.isFinite(opts.maxLeaves) ? opts.maxLeaves : Infinity;
    const bestFirst = maxLeaves !== Infinity;
    const maxDepth = opts.maxDepth >= 0 && Number.isFinite(opts.maxDepth) ? opts.maxDepth : Infinity;
    const minLeaf = Math.max(1, opts.minSamplesLeaf);
    const minW = Math.max(opts.minChildWeight, 0);

    this.nNodes = 0;
    this.ensure(bestFirst ? Math.min(2 * maxLeaves, 1 << 20) : 64);
    const root = this.newNode(0, n, 0);
    this.rootStats(input, n, root);
    let leaves = 1;
    const open: number[] = [];

    const splittable = (node: number): boolean => {
      const count = this.end[node]! - this.start[node]!;
      const w = this.mode.kind === 'gh' ? this.stats[node * S + 1]! : this.weightOf(node);
      return this.depth[node]! < maxDepth && count >= 2 * minLeaf && w >= 2 * minW;
    };
    const evaluateWith = (node: number, h: Float64Array, feats: Int32Array, nf: number): boolean => {
      this.findBest(node, h, feats, nf, minLeaf, minW);
      return this.bFeature[node]! >= 0;
    };
    const sampleFeatures = (): number => {
      const fs = this.featScratch;
      const m = allFeats.length;
      for (let i = 0; i < m; i++) fs[i] = allFeats[i]!;
      for (let i = 0; i < nodeFeatures; i++) {
        const j = i + Math.floor(random!() * (m - i));
        const t = fs[i]!;
        fs[i] = fs[j]!;
        fs[j] = t;
      }
      return nodeFeatures;
    };
    /** Per-node mode: sample, build, evaluate, forget the histogram. */
    const evaluateFresh = (node: number): boolean => {
      const nf = sampleFeatures();
      const hi = this.alloc();
      const h = this.pool[hi]!;
      this.build(h, input, this.start[node]!, this.end[node]!, this.featScratch, nf);
      const ok = evaluateWith(node, h, this.featScratch, nf);
      this.release(hi);
      return ok;
    };

    if (splittable(root) && leaves < maxLeaves) {
      if (perNode) {
        if (evaluateFresh(root)) open.push(root);
      } else {
        const hi = this.alloc();
        this.build(this.pool[hi]!, input, 0, n, allFeats, allFeats.length);
        this.hist[root] = hi;
        if (evaluateWith(root, this.pool[hi]!, allFeats, allFeats.length)) open.push(root);
        else this.releaseNode(root);
      }
    }

    while (open.length > 0 && leaves < maxLeaves) {
      let node: number;
      if (bestFirst) {
        let bi = 0;
        for (let i = 1; i < open.length; i++) if (this.bGain[open[i]!]! > this.bGain[open[bi]!]!) bi = i;
        node = open[bi]!;
        open[bi] = open[open.length - 1]!;
        open.pop();
      } else {
        node = open.pop()!;
      }
      const [l, r] = this.split(node);
      leaves++;
      const wantL = leaves < maxLeaves && splittable(l);
      const wantR = leaves < maxLeaves && splittable(r);
      if (perNode) {
        // Push right first so a depth-first walk takes the left child next.
        const okR = wantR && evaluateFresh(r);
        const okL = wantL && evaluateFresh(l);
        if (okR) open.push(r);
        if (okL) open.push(l);
        continue;
      }
      const parentHist = this.hist[node]!;
      this.hist[node] = -1;
      if (!wantL && !wantR) {
        this.release(parentHist);
        continue;
      }
      const lCount = this.end[l]! - this.start[l]!;
      const rCount = this.end[r]! - this.start[r]!;
      const small = lCount <= rCount ? l : r;
      const large = small === l ? r : l;
      const wantSmall = small === l ? wantL : wantR;
      const wantLarge = small === l ? wantR : wantL;
      const hs = this.alloc();
      const ph = this.pool[parentHist]!;
      const sh = this.pool[hs]!;
      this.build(sh, input, this.start[small]!, this.end[small]!, allFeats, allFeats.length);
      if (wantLarge) {
        this.subtract(ph, sh, allFeats, allFeats.length);
        this.hist[large] = parentHist;
      } else this.release(parentHist);
      if (wantSmall) this.hist[small] = hs;
      else this.release(hs);
      const okR = wantR && evaluateWith(r, this.pool[this.hist[r]!]!, allFeats, allFeats.length);
      const okL = wantL && evaluateWith(l, this.pool[this.hist[l]!]!, allFeats, allFeats.length);
      if (okR) open.push(r);
      else this.releaseNode(r);
      if (okL) open.push(l);
      else this.releaseNode(l);
    }
    for (const node of open) this.releaseNode(node);

    const m = this.nNodes;
    return {
      nodeCount: m,
      feature: this.feature.slice(0, m),
      threshold: this.threshold.slice(0, m),
      splitBin: this.splitBin.slice(0, m),
      defaultLeft: this.defaultLeft.slice(0, m),
      left: this.left.slice(0, m),
      gain: this.gain.slice(0, m),
      stats: this.stats.slice(0, m * S),
      categories: this.cats.slice(0, m),
      start: this.start.slice(0, m),
      end: this.end.slice(0, m),
    };
  }

  /**
   * Row r's gradient and hessian at 2r and 2r+1 (gh mode): what `grow` copies its input into, which a caller may
   * write itself instead (then `grow({ kind: 'gh', grad: null, hess: null })`). With a helper it lies on shared
   * memory, as does `rowIndex`. Valid until the next `grow`.
   */
  gradientPairs(): Float64Array {
    return this.gh;
  }

  /** The helper this grower shares its memory with (null when it runs alone). */
  get sharedWith(): HistogramHelper | null {
    return this.helper;
  }

  private weightOf(node: number): number {
    const S = this.S;
    let w = 0;
    for (let k = 0; k < S - 1; k++) w += this.stats[node * S + k]!;
    return w;
  }

  private rootStats(input: GrowInput, n: number, root: number): void {
    const idx = this.idxView;
    const S = this.S;
    const st = this.stats;
    if (input.kind === 'gh') {
      let g = 0;
      let h = 0;
      if (input.grad) {
        for (let i = 0; i < n; i++) {
          const r = idx[i]!;
          g += input.grad[r]!;
          h += input.hess[r]!;
        }
      } else {
        // The same numbers in the same order.
        const gh = this.gh;
        for (let i = 0; i < n; i++) {
          const r2 = 2 * idx[i]!;
          g += gh[r2]!;
          h += gh[r2 + 1]!;
        }
      }
      st[root * S] = g;
      st[root * S + 1] = h;
      st[root * S + 2] = n;
    } else {
      const K = S - 1;
      for (let k = 0; k < K; k++) st[root * S + k] = 0;
      const w = input.weights;
      for (let i = 0; i < n; i++) {
        const r = idx[i]!;
        st[root * S + input.classes[r]!]! += w ? w[r]! : 1;
      }
      st[root * S + K] = n;
    }
  }

  private ensure(need: number): void {
    if (need <= this.cap) return;
    const cap = Math.max(need, this.cap * 2, 16);
    const S = this.S;
    const grow = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (len: number) => T, len: number): T => {
      const b = make(len);
      b.set(a as never);
      return b;
    };
    this.feature = grow(this.feature, (k) => new Int32Array(k), cap);
    this.threshold = grow(this.threshold, (k) => new Float64Array(k), cap);
    this.splitBin = grow(this.splitBin, (k) => new Int32Array(k), cap);
    this.defaultLeft = grow(this.defaultLeft, (k) => new Uint8Array(k), cap);
    this.left = grow(this.left, (k) => new Int32Array(k), cap);
    this.gain = grow(this.gain, (k) => new Float64Array(k), cap);
    this.stats = grow(this.stats, (k) => new Float64Array(k), cap * S);
    this.start = grow(this.start, (k) => new Int32Array(k), cap);
    this.end = grow(this.end, (k) => new Int32Array(k), cap);
    this.depth = grow(this.depth, (k) => new Int32Array(k), cap);
    this.hist = grow(this.hist, (k) => new Int32Array(k), cap);
    this.bGain = grow(this.bGain, (k) => new Float64Array(k), cap);
    this.bFeature = grow(this.bFeature, (k) => new Int32Array(k), cap);
    this.bBin = grow(this.bBin, (k) => new Int32Array(k), cap);
    this.bDefaultLeft = grow(this.bDefaultLeft, (k) => new Uint8Array(k), cap);
    this.bLeft = grow(this.bLeft, (k) => new Float64Array(k), cap * S);
    this.cap = cap;
  }

  private newNode(start: number, end: number, depth: number): number {
    this.ensure(this.nNodes + 1);
    const id = this.nNodes++;
    this.feature[id] = -1;
    this.threshold[id] = 0;
    this.splitBin[id] = 0;
    this.defaultLeft[id] = 0;
    this.left[id] = -1;
    this.gain[id] = 0;
    this.start[id] = start;
    this.end[id] = end;
    this.depth[id] = depth;
    this.hist[id] = -1;
    this.bFeature[id] = -1;
    this.bGain[id] = 0;
    this.cats[id] = null;
    this.bCats[id] = null;
    return id;
  }

  private alloc(): number {
    const f = this.free.pop();
    if (f !== undefined) return f;
    if (this.kern) {
      // Twice the histograms: grow the memory (which may replace its buffer, so every view is made again).
      const at = this.at!;
      const have = this.pool.length;
      const end = at.pool + 2 * have * at.histBytes;
      const buffer = this.kern.memory.buffer;
      if (end > buffer.byteLength) this.kern.memory.grow(Math.ceil((end - buffer.byteLength) / WASM_PAGE));
      this.views();
      for (let i = have; i < 2 * have; i++) this.pool.push(this.poolView(i));
      for (let i = 2 * have - 1; i > have; i--) this.free.push(i);
      return have;
    }
    this.pool.push(new Float64Array(this.histSize));
    return this.pool.length - 1;
  }

  /** (Re)makes the views on the kernels' memory when its buffer is not the one they were made on. */
  private views(): void {
    const buffer = this.kern!.memory.buffer;
    if (buffer === this.viewsOf) return;
    const at = this.at!;
    const n = this.data.rowCount;
    this.idxView = new Uint32Array(buffer, at.idx, n);
    this.tmp = new Uint32Array(buffer, at.tmp, n);
    this.gh = new Float64Array(buffer, at.gh, 2 * n);
    this.lut = new Uint8Array(buffer, at.lut, 256);
    this.desc = new Int32Array(buffer, at.desc, 2 * this.nFeatures);
    for (let i = 0; i < this.pool.length; i++) this.pool[i] = this.poolView(i);
    this.viewsOf = buffer;
  }

  private poolView(i: number): Float64Array {
    const at = this.at!;
    return new Float64Array(this.kern!.memory.buffer, at.pool + i * at.histBytes, this.histSize);
  }

  private release(h: number): void {
    this.free.push(h);
  }

  private releaseNode(node: number): void {
    const h = this.hist[node]!;
    if (h >= 0) {
      this.release(h);
      this.hist[node] = -1;
    }
  }

  /** Splits `node` by its best split: partitions its rows, creates both children with their statistics. */
  private split(node: number): [number, number] {
    const S = this.S;
    const f = this.bFeature[node]!;
    const bin = this.bBin[node]!;
    const dl = this.bDefaultLeft[node]!;
    const col = this.data.columns[f]!;
    const nb = this.data.nBins[f]!;
    const lut = this.lut;
    const set = this.bCats[node] ?? null;
    if (set) lut.set(set);
    else {
      lut.fill(0);
      for (let b = 0; b <= bin; b++) lut[b] = 1;
    }
    lut[nb] = dl;
    const idx = this.idxView;
    const tmp = this.tmp;
    const s = this.start[node]!;
    const e = this.end[node]!;
    let nl: number;
    const helper = this.helper;
    const kern = this.kern;
    const at = this.at;
    const part = (a: number, b: number, t0: number): number =>
      kern ? kern.partition(at!.idx, at!.tmp, at!.cols, 1, f * this.data.rowCount, at!.lut, a, b, t0) : partitionRows(idx, tmp, col, lut, a, b, t0);
    if (helper && e - s >= PARALLEL_PARTITION_ROWS) {
      // The helper partitions the second half of the rows while this thread does the first; then the two left
      // parts and the two right parts are joined in order, which is what one pass would have left.
      const mid = s + ((e - s) >>> 1);
      helper.bind(kern!.memory, kern!.bytes);
      helper.start('partition', [at!.idx, at!.tmp, at!.cols, 1, f * this.data.rowCount, at!.lut, mid, e, mid]);
      const nl1 = part(s, mid, s);
      const nl2 = helper.wait();
      const nr1 = mid - s - nl1;
      idx.copyWithin(s + nl1, mid, mid + nl2);
      nl = s + nl1 + nl2;
      idx.set(tmp.subarray(s, s + nr1), nl);
      idx.set(tmp.subarray(mid, mid + (e - mid - nl2)), nl + nr1);
    } else {
      nl = s + part(s, e, 0);
      idx.set(tmp.subarray(0, e - nl), nl);
    }
    const depth = this.depth[node]! + 1;
    const l = this.newNode(s, nl, depth);
    const r = this.newNode(nl, e, depth);
    for (let k = 0; k < S; k++) {
      const lv = this.bLeft[node * S + k]!;
      this.stats[l * S + k] = lv;
      this.stats[r * S + k] = this.stats[node * S + k]! - lv;
    }
    // Counts are exact from the partition.
    this.stats[l * S + S - 1] = nl - s;
    this.stats[r * S + S - 1] = e - nl;
    this.feature[node] = f;
    this.splitBin[node] = set ? -1 : bin;
    const e0 = this.edges[f]!;
    this.threshold[node] = !set && bin < e0.length ? e0[bin]! : Infinity;
    this.cats[node] = set;
    this.bCats[node] = null;
    this.defaultLeft[node] = dl;
    this.left[node] = l;
    this.gain[node] = this.bGain[node]!;
    return [l, r];
  }

  private subtract(parent: Float64Array, small: Float64Array, feats: Int32Array, nf: number): void {
    const S = this.S;
    for (let q = 0; q < nf; q++) {
      const f = feats[q]!;
      const a = this.offsets[f]! * S;
      const b = this.offsets[f + 1]! * S;
      for (let k = a; k < b; k++) parent[k] = parent[k]! - small[k]!;
    }
  }

  /** Sums the statistics of rows rowIndex[s..e) into `hist` for the features `feats[0..nf)`. */
  private build(hist: Float64Array, input: GrowInput, s: number, e: number, feats: Int32Array, nf: number): void {
    const S = this.S;
    const offsets = this.offsets;
    const columns = this.data.columns;
    const idx = this.idxView;
    const ord = this.ord;
    if (input.kind === 'gh') {
      const direct = this.identity && s === 0 && e === this.data.rowCount;
      const kern = this.kern;
      if (kern) {
        const at = this.at!;
        const desc = this.desc;
        // Every feature in order: the fixed kernels.
        let all = nf === this.nFeatures && kern.histAll !== undefined;
        for (let q = 0; q < nf; q++) {
          const f = feats[q]!;
          hist.fill(0, offsets[f]! * 3, offsets[f + 1]! * 3);
          desc[2 * q] = f;
          desc[2 * q + 1] = offsets[f]! * 24;
          if (f !== q) all = false;
        }
        const h0 = hist.byteOffset;
        const d = direct ? 1 : 0;
        const helper = this.helper;
        if (helper && nf >= 2 && e - s >= PARALLEL_MIN_ROWS) {
          // The helper builds the second half of the features, straight into `hist`, while this thread builds the first.
          const half = nf >> 1;
          helper.bind(kern.memory, kern.bytes);
          if (all) {
            helper.start('histHi', [h0, at.idx, s, e, d]);
            kern.histLo!(h0, at.idx, s, e, d);
          } else {
            helper.start('hist', [h0, at.bins, at.stride, at.gh, at.idx, s, e, d, at.desc + 8 * half, nf - half]);
            kern.hist(h0, at.bins, at.stride, at.gh, at.idx, s, e, d, at.desc, half);
          }
          helper.wait();
        } else if (all) kern.histAll!(h0, at.idx, s, e, d);
        else kern.hist(h0, at.bins, at.stride, at.gh, at.idx, s, e, d, at.desc, nf);
        return;
      }
      buildGhHistogram(hist, columns, offsets, this.gh, idx, s, e, direct, feats, 0, nf, ord);
    } else {
      const K = S - 1;
      const cls = input.classes;
      const w = input.weights;
      const oc = this.ordCls;
      for (let q = 0; q < nf; q++) {
        const f = feats[q]!;
        hist.fill(0, offsets[f]! * S, offsets[f + 1]! * S);
      }
      for (let b0 = s; b0 < e; b0 += BLOCK) {
        const b1 = Math.min(e, b0 + BLOCK);
        for (let i = b0, j = 0; i < b1; i++, j++) {
          const r = idx[i]!;
          oc[j] = cls[r]!;
          ord[j] = w ? w[r]! : 1;
        }
        for (let q = 0; q < nf; q++) {
          const f = feats[q]!;
          const col = columns[f]!;
          const base = offsets[f]! * S;
          for (let i = b0, j = 0; i < b1; i++, j++) {
            const k = base + col[idx[i]!]! * S;
            hist[k + oc[j]!]! += ord[j]!;
            hist[k + K]! += 1;
          }
        }
      }
    }
  }

  /** Score of one side's statistics `a` (S numbers from `off`); larger is purer. */
  private score(a: Float64Array, off: number): number {
    const mode = this.mode;
    if (mode.kind === 'gh') {
      const g = a[off]!;
      return (g * g) / (a[off + 1]! + mode.lambda);
    }
    const K = this.S - 1;
    let w = 0;
    for (let k = 0; k < K; k++) w += a[off + k]!;
    if (w <= 0) return 0;
    let s = 0;
    if (mode.criterion === 'gini') {
      for (let k = 0; k < K; k++) s += a[off + k]! * a[off + k]!;
      return s / w;
    }
    for (let k = 0; k < K; k++) {
      const v = a[off + k]!;
      if (v > 0) s += v * Math.log(v / w);
    }
    return s;
  }

  /** Finds the best split of `node` over `feats[0..nf)` from its histogram `h`; sets bFeature = -1 if none. */
  private findBest(node: number, h: Float64Array, feats: Int32Array, nf: number, minLeaf: number, minW: number): void {
    const S = this.S;
    const st = this.stats;
    const tot = this.tot;
    for (let k = 0; k < S; k++) tot[k] = st[node * S + k]!;
    const count = tot[S - 1]!;
    const parentScore = this.score(tot, 0);
    let wTot: number;
    if (this.mode.kind === 'gh') wTot = tot[1]!;
    else {
      wTot = 0;
      for (let k = 0; k < S - 1; k++) wTot += tot[k]!;
    }
    const minGain = Math.max(this.options.minSplitGain ?? 0, 1e-10 * Math.abs(wTot));
    let bestGain = minGain;
    let bestF = -1;
    let bestBin = 0;
    let bestDl = 0;
    let bestCat = false;
    const bestLeft = this.bestLeftScratch;
    if (this.mode.kind === 'gh') {
      const lambda = this.mode.lambda;
      const G = tot[0]!;
      const H = tot[1]!;
      const categorical = this.categorical;
      for (let q = 0; q < nf; q++) {
        const f = feats[q]!;
        const base = this.offsets[f]! * 3;
        const nb = this.data.nBins[f]!;
        if (categorical && categorical[f] === 1) {
          const cs = this.catSplit;
          const gain = cs.best(h, base, nb, G, H, count, parentScore, lambda, minLeaf, minW);
          if (gain > bestGain) {
            bestGain = gain;
            bestF = f;
            bestBin = -1;
            bestDl = cs.set[nb]!;
            bestCat = true;
            this.catBest.set(cs.set);
            this.catBest[nb] = 0;
            bestLeft.set(cs.left);
          }
          continue;
        }
        const mi = base + nb * 3;
        const gm = h[mi]!;
        const hm = h[mi + 1]!;
        const cm = h[mi + 2]!;
        let gl = 0;
        let hl = 0;
        let cl = 0;
        const last = cm > 0 ? nb : nb - 1;
        for (let b = 0; b < last; b++) {
          const k = base + b * 3;
          if (h[k + 2] === 0) continue;
          gl += h[k]!;
          hl += h[k + 1]!;
          cl += h[k + 2]!;
          // Missing rows right.
          const cr = count - cl;
          if (cl >= minLeaf && cr >= minLeaf && hl >= minW && H - hl >= minW) {
            const gr = G - gl;
            const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (H - hl + lambda) - parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = f;
              bestBin = b;
              bestDl = cm > 0 ? 0 : cl >= cr ? 1 : 0;
              bestCat = false;
              bestLeft[0] = gl;
              bestLeft[1] = hl;
              bestLeft[2] = cl;
            }
          }
          // Missing rows left.
          if (cm > 0 && b < nb - 1) {
            const gl2 = gl + gm;
            const hl2 = hl + hm;
            const cl2 = cl + cm;
            const cr2 = count - cl2;
            if (cl2 >= minLeaf && cr2 >= minLeaf && hl2 >= minW && H - hl2 >= minW) {
              const gr2 = G - gl2;
              const gain = (gl2 * gl2) / (hl2 + lambda) + (gr2 * gr2) / (H - hl2 + lambda) - parentScore;
              if (gain > bestGain) {
                bestGain = gain;
                bestF = f;
                bestBin = b;
                bestDl = 1;
                bestCat = false;
                bestLeft[0] = gl2;
                bestLeft[1] = hl2;
                bestLeft[2] = cl2;
              }
            }
          }
        }
      }
    } else {
      const K = S - 1;
      const acc = this.acc;
      const miss = this.missScratch;
      const gini = this.mode.kind === 'classes' && this.mode.criterion === 'gini';
      // Score of the left side acc (+ miss when withMiss) and of the rest, summed.
      const pairScore = (withMiss: boolean, wl: number): number => {
        const wr = wTot - wl;
        let sl = 0;
        let sr = 0;
        for (let k = 0; k < K; k++) {
          const a = withMiss ? acc[k]! + miss[k]! : acc[k]!;
          const c = tot[k]! - a;
          if (gini) {
            sl += a * a;
            sr += c * c;
          } else {
            if (a > 0) sl += a * Math.log(a / wl);
            if (c > 0) sr += c * Math.log(c / wr);
          }
        }
        return gini ? (wl > 0 ? sl / wl : 0) + (wr > 0 ? sr / wr : 0) : sl + sr;
      };
      for (let q = 0; q < nf; q++) {
        const f = feats[q]!;
        const base = this.offsets[f]! * S;
        const nb = this.data.nBins[f]!;
        const mi = base + nb * S;
        let wm = 0;
        for (let k = 0; k < S; k++) miss[k] = h[mi + k]!;
        for (let k = 0; k < K; k++) wm += miss[k]!;
        const cm = miss[K]!;
        acc.fill(0);
        let wl = 0;
        const last = cm > 0 ? nb : nb - 1;
        for (let b = 0; b < last; b++) {
          const kb = base + b * S;
          // An empty bin splits the rows as the bin before it did.
          if (h[kb + K] === 0) continue;
          for (let k = 0; k < K; k++) {
            acc[k]! += h[kb + k]!;
            wl += h[kb + k]!;
          }
          acc[K]! += h[kb + K]!;
          const cl = acc[K]!;
          for (let side = 0; side < 2; side++) {
            if (side === 1 && !(cm > 0 && b < nb - 1)) break;
            const cl2 = side === 1 ? cl + cm : cl;
            const wl2 = side === 1 ? wl + wm : wl;
            const cr = count - cl2;
            if (cl2 < minLeaf || cr < minLeaf || wl2 < minW || wTot - wl2 < minW) continue;
            const gain = pairScore(side === 1, wl2) - parentScore;
            if (gain > bestGain) {
              bestGain = gain;
              bestF = f;
              bestBin = b;
              bestDl = side === 1 ? 1 : cm > 0 ? 0 : cl2 >= cr ? 1 : 0;
              for (let k = 0; k <= K; k++) bestLeft[k] = side === 1 ? acc[k]! + miss[k]! : acc[k]!;
            }
          }
        }
      }
    }
    this.bFeature[node] = bestF;
    if (bestF >= 0) {
      this.bGain[node] = bestGain;
      this.bBin[node] = bestBin;
      this.bDefaultLeft[node] = bestDl;
      this.bCats[node] = bestCat ? this.catBest.slice() : null;
      for (let k = 0; k < S; k++) this.bLeft[node * S + k] = bestLeft[k]!;
    }
  }

}
