/**
 * The histogram grower's hot loops as WebAssembly, emitted byte by byte here (no toolchain, nothing downloaded):
 * a tiny encoder for the few opcodes the kernels need, and the kernels themselves. The module imports its memory
 * (`env.memory`), so the grower lays out the data in it and several threads can share one (shared memory).
 *
 * Kernels (all pointers are byte addresses in the memory):
 * - `hist(hist, bins, stride, gh, idx, s, e, direct, desc, nf)`: the gradient histograms of rows idx[s..e) (rows
 *   s..e themselves when `direct` is 1) for nf features. Bins are row-major (row r's codes at bins + r·stride);
 *   `desc` holds one pair of i32 per feature: its byte in a row, and where its bins start in `hist` (bytes from
 *   `hist`). A bin is three f64 [Σg, Σh, count]; row r's gradient and hessian are the f64 pair at gh + 16r.
 *   Each bin is summed in row order with plain IEEE adds, so the sums equal `buildGhHistogram`'s to the bit.
 *   Does not zero `hist`.
 * - `partition(idx, tmp, bins, stride, fbyte, lut, s, e, t0)`: `partitionRows` by the code at
 *   bins + fbyte + r·stride (the grower passes its column-major copy: stride 1, fbyte f·n); a row goes left iff
 *   lut[its code] is 1; s, e, t0 and the result (the left count) count u32 elements as there.
 * - `histAll`, `histLo`, `histHi(hist, idx, s, e, direct)` (with a `FixedLayout`): `hist` for every feature, the
 *   first half (nf >> 1) or the rest, with the layout and every feature's offsets as constants in the code and
 *   the feature loop unrolled: about 1.5× faster than `hist`, the same sums. A grower makes its own module.
 *
 * `WebAssembly` is not in shared/'s lib (no DOM, no Node), so the little of it used here is typed here; where a
 * runtime has none (or refuses the module), `wasmHist` returns null and the grower keeps its JavaScript loops.
 */

/** The part of the WebAssembly API the kernels use. */
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum?: number; shared?: boolean }) => WasmMemory;
}

type Fixed = (hist: number, idx: number, s: number, e: number, direct: number) => void;

/** The kernels on one memory. */
export interface WasmHist {
  readonly memory: WasmMemory;
  /** The module they came from (another thread instantiates the same on the same shared memory). */
  readonly bytes: Uint8Array;
  hist(hist: number, bins: number, stride: number, gh: number, idx: number, s: number, e: number, direct: number, desc: number, nf: number): void;
  partition(idx: number, tmp: number, bins: number, stride: number, fbyte: number, lut: number, s: number, e: number, t0: number): number;
  /** Present when the module was made with a `FixedLayout`. */
  histAll?: Fixed;
  histLo?: Fixed;
  histHi?: Fixed;
}

/** The kernels a helper thread may be asked to run, by number (see parallel.ts). */
export const KERNELS = ['hist', 'partition', 'histAll', 'histLo', 'histHi'] as const;
export type KernelName = (typeof KERNELS)[number];

/** What `histAll`/`histLo`/`histHi` fix: row-major bins at `bins`, `stride` bytes a row, gradients at `gh`. */
export interface FixedLayout {
  bins: number;
  stride: number;
  gh: number;
  /** Per feature (in order): its byte in a row and where its bins start in a histogram, in bytes. */
  features: { byte: number; base: number }[];
  /** 128 bytes of scratch (the kernels' prefetching leaves a word at sink and one at sink + 64). */
  sink: number;
}

/** Above this many features the fixed kernels would be large code; the grower uses `hist` alone. */
export const FIXED_MAX_FEATURES = 512;

export const WASM_PAGE = 65536;
/** Shared memories must declare a maximum; this is all a 32-bit memory can address. */
export const SHARED_MAX_PAGES = 65536;

// ---- Encoder --------------------------------------------------------------------------------------------------

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n = Math.floor(n / 128);
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const str = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

const I32 = 0x7f;
const V128 = 0x7b;

/** Instructions (each returns its bytes). */
const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (d: number) => [0x0c, ...uleb(d)],
  brIf: (d: number) => [0x0d, ...uleb(d)],
  get: (i: number) => [0x20, ...uleb(i)],
  set: (i: number) => [0x21, ...uleb(i)],
  tee: (i: number) => [0x22, ...uleb(i)],
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  f64Load: (offset = 0) => [0x2b, 3, ...uleb(offset)],
  i32Load8u: (offset = 0) => [0x2d, 0, ...uleb(offset)],
  i32Store: (offset = 0) => [0x36, 2, ...uleb(offset)],
  f64Store: (offset = 0) => [0x39, 3, ...uleb(offset)],
  i32Const: (v: number) => [0x41, ...sleb(v)],
  f64Const: (v: number) => [0x44, ...new Uint8Array(Float64Array.of(v).buffer)],
  i32Eqz: [0x45],
  i32GeU: [0x4f],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32Shl: [0x74],
  i32ShrU: [0x76],
  f64Add: [0xa0],
  v128Load: (offset = 0) => [0xfd, 0x00, 3, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, 0x0b, 3, ...uleb(offset)],
  f64x2Add: [0xfd, ...uleb(240)],
};

interface Func {
  name: string;
  params: number[];
  results: number[];
  locals: number[];
  body: number[][];
}

function encodeModule(funcs: Func[], shared: boolean): Uint8Array {
  const types = section(1, vec(funcs.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))])));
  const limits = shared ? [0x03, ...uleb(1), ...uleb(SHARED_MAX_PAGES)] : [0x00, ...uleb(1)];
  const imports = section(2, vec([[...str('env'), ...str('memory'), 0x02, ...limits]]));
  const functions = section(3, vec(funcs.map((_, i) => uleb(i))));
  const exports = section(7, vec(funcs.map((f, i) => [...str(f.name), 0x00, ...uleb(i)])));
  const code = section(
    10,
    vec(
      funcs.map((f) => {
        const body = [...vec(f.locals.map((t) => [1, t])), ...f.body.flat(), 0x0b];
        return [...uleb(body.length), ...body];
      }),
    ),
  );
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...functions, ...exports, ...code]);
}

// ---- Kernels --------------------------------------------------------------------------------------------------

/** One bin update of the `hist` kernel (the feature's descriptor at p): [g, h] += v, count += 1. */
function histUpdate(hist: number, rowp: number, p: number, a: number, v: number): number[][] {
  return [
    op.get(hist), op.get(p), op.i32Load(4), op.i32Add,
    op.get(rowp), op.get(p), op.i32Load(), op.i32Add, op.i32Load8u(), op.i32Const(24), op.i32Mul, op.i32Add, op.tee(a),
    op.get(a), op.v128Load(), op.get(v), op.f64x2Add, op.v128Store(),
    op.get(a), op.get(a), op.f64Load(16), op.f64Const(1), op.f64Add, op.f64Store(16),
  ];
}

function histFunc(): Func {
  // Params 0..9, then locals.
  const [hist, bins, stride, gh, idx, s, e, direct, desc, nf] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [i, r, rowp, p, pend, a] = [10, 11, 12, 13, 14, 15];
  const v = 16;
  return {
    name: 'hist',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, V128],
    body: [
      op.get(desc), op.get(nf), op.i32Const(3), op.i32Shl, op.i32Add, op.set(pend),
      op.get(s), op.set(i),
      op.block, op.loop,
      op.get(i), op.get(e), op.i32GeU, op.brIf(1),
      // r = direct ? i : idx[i]
      op.get(direct), op.if, op.get(i), op.set(r), op.else,
      op.get(idx), op.get(i), op.i32Const(2), op.i32Shl, op.i32Add, op.i32Load(), op.set(r), op.end,
      op.get(gh), op.get(r), op.i32Const(4), op.i32Shl, op.i32Add, op.v128Load(), op.set(v),
      op.get(bins), op.get(r), op.get(stride), op.i32Mul, op.i32Add, op.set(rowp),
      op.get(desc), op.set(p),
      op.block, op.loop,
      op.get(p), op.get(pend), op.i32GeU, op.brIf(1),
      ...histUpdate(hist, rowp, p, a, v),
      op.get(p), op.i32Const(8), op.i32Add, op.set(p),
      op.br(0),
      op.end, op.end,
      op.get(i), op.i32Const(1), op.i32Add, op.set(i),
      op.br(0),
      op.end, op.end,
    ],
  };
}

function partitionFunc(): Func {
  const [idx, tmp, bins, stride, fbyte, lut, s, e, t0] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [pi, pend, pl, pr, r, go] = [9, 10, 11, 12, 13, 14];
  return {
    name: 'partition',
    params: [I32, I32, I32, I32, I32, I32, I32, I32, I32],
    results: [I32],
    locals: [I32, I32, I32, I32, I32, I32],
    body: [
      op.get(idx), op.get(s), op.i32Const(2), op.i32Shl, op.i32Add, op.tee(pi), op.set(pl),
      op.get(idx), op.get(e), op.i32Const(2), op.i32Shl, op.i32Add, op.set(pend),
      op.get(tmp), op.get(t0), op.i32Const(2), op.i32Shl, op.i32Add, op.set(pr),
      op.get(bins), op.get(fbyte), op.i32Add, op.set(bins),
      op.block, op.loop,
      op.get(pi), op.get(pend), op.i32GeU, op.brIf(1),
      op.get(pi), op.i32Load(), op.set(r),
      op.get(lut), op.get(bins), op.get(r), op.get(stride), op.i32Mul, op.i32Add, op.i32Load8u(), op.i32Add, op.i32Load8u(), op.i32Const(2), op.i32Shl, op.set(go),
      op.get(pl), op.get(r), op.i32Store(),
      op.get(pr), op.get(r), op.i32Store(),
      op.get(pl), op.get(go), op.i32Add, op.set(pl),
      op.get(pr), op.i32Const(4), op.get(go), op.i32Sub, op.i32Add, op.set(pr),
      op.get(pi), op.i32Const(4), op.i32Add, op.set(pi),
      op.br(0),
      op.end, op.end,
      // ((pl - idx) >> 2) - s
      op.get(pl), op.get(idx), op.i32Sub, op.i32Const(2), op.i32ShrU, op.get(s), op.i32Sub,
    ],
  };
}

/** How many rows ahead the fixed kernels touch a sparse node's next rows (measured: ~20% off a tree's histograms). */
const PREFETCH = 16;

/**
 * A `hist` kernel fixed to one list of features and one layout, all constants in the code: params (hist, idx, s,
 * e, direct). `features` gives each feature's byte in a row and where its bins start in a histogram (bytes).
 * Reading rows through `idx`, it first touches the row PREFETCH places ahead (its gradients and the first and
 * last byte of its bins), so that row's cache misses overlap this row's work; what it reads is summed into a
 * word stored at `sink` once at the end, so the loads stay (a store would fight the other thread for the lines).
 */
function histFixedFunc(name: string, features: { byte: number; base: number }[], bins: number, stride: number, gh: number, sink: number): Func {
  const [hist, idx, s, e, direct] = [0, 1, 2, 3, 4];
  const [i, r, rowp, a, ahead, acc] = [5, 6, 7, 8, 9, 10];
  const v = 11;
  const updates: number[][] = [];
  for (const { byte, base } of features) {
    updates.push(
      op.get(hist), op.get(rowp), op.i32Load8u(bins + byte), op.i32Const(24), op.i32Mul, op.i32Add, op.tee(a),
      op.get(a), op.v128Load(base), op.get(v), op.f64x2Add, op.v128Store(base),
      op.get(a), op.get(a), op.f64Load(base + 16), op.f64Const(1), op.f64Add, op.f64Store(base + 16),
    );
  }
  return {
    name,
    params: [I32, I32, I32, I32, I32],
    results: [],
    locals: [I32, I32, I32, I32, I32, I32, V128],
    body: [
      op.get(s), op.set(i),
      op.block, op.loop,
      op.get(i), op.get(e), op.i32GeU, op.brIf(1),
      op.get(direct), op.if, op.get(i), op.set(r), op.else,
      op.get(idx), op.get(i), op.i32Const(2), op.i32Shl, op.i32Add, op.i32Load(), op.set(r),
      // Touch row idx[i + PREFETCH].
      op.get(i), op.i32Const(PREFETCH), op.i32Add, op.get(e), op.i32GeU, op.i32Eqz, op.if,
      op.get(idx), op.get(i), op.i32Const(2), op.i32Shl, op.i32Add, op.i32Load(4 * PREFETCH), op.set(ahead),
      op.get(acc),
      op.get(ahead), op.i32Const(4), op.i32Shl, op.i32Load(gh), op.i32Add,
      op.get(ahead), op.i32Const(stride), op.i32Mul, op.tee(ahead), op.i32Load8u(bins), op.i32Add,
      op.get(ahead), op.i32Load8u(bins + stride - 1), op.i32Add,
      op.set(acc),
      op.end,
      op.end,
      op.get(r), op.i32Const(4), op.i32Shl, op.v128Load(gh), op.set(v),
      op.get(r), op.i32Const(stride), op.i32Mul, op.set(rowp),
      ...updates,
      op.get(i), op.i32Const(1), op.i32Add, op.set(i),
      op.br(0),
      op.end, op.end,
      op.i32Const(0), op.get(acc), op.i32Store(sink),
    ],
  };
}

/** The kernels' module bytes, for a shared memory or not, with the fixed kernels when `fixed` is given. */
export function wasmHistBytes(shared: boolean, fixed?: FixedLayout | null): Uint8Array {
  const funcs = [histFunc(), partitionFunc()];
  if (fixed) {
    const { features, bins, stride, gh, sink } = fixed;
    const half = features.length >> 1;
    funcs.push(
      histFixedFunc('histAll', features, bins, stride, gh, sink),
      histFixedFunc('histLo', features.slice(0, half), bins, stride, gh, sink),
      histFixedFunc('histHi', features.slice(half), bins, stride, gh, sink + 64),
    );
  }
  return encodeModule(funcs, shared);
}

/** Compiled modules of the plain kernels (no fixed layout), by sharedness. */
const modules: { plain?: object | null; shared?: object | null } = {};

function api(): WasmApi | null {
  const w = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  return w && typeof w.Module === 'function' ? w : null;
}

/** A memory for the kernels of `pages` pages (shared: growable up to 4 GB and postable to another thread). */
export function wasmMemory(pages: number, shared: boolean): WasmMemory | null {
  const w = api();
  if (!w) return null;
  try {
    return shared ? new w.Memory({ initial: pages, maximum: SHARED_MAX_PAGES, shared: true }) : new w.Memory({ initial: pages });
  } catch {
    return null;
  }
}

/**
 * The kernels on `memory` (shared or not, as made by `wasmMemory`): the plain ones, or those of `bytes` (from
 * `wasmHistBytes` for the same sharedness); null where WebAssembly is unavailable or refuses them.
 */
export function wasmHist(memory: WasmMemory, shared: boolean, bytes?: Uint8Array | null): WasmHist | null {
  const w = api();
  if (!w) return null;
  try {
    let mod: object | null | undefined;
    let code: Uint8Array;
    if (bytes) {
      code = bytes;
      mod = new w.Module(bytes);
    } else {
      const key = shared ? 'shared' : 'plain';
      code = wasmHistBytes(shared);
      mod = modules[key];
      if (mod === undefined) {
        try {
          mod = new w.Module(code);
        } catch {
          mod = null;
        }
        modules[key] = mod;
      }
    }
    if (mod === null) return null;
    const ex = new w.Instance(mod, { env: { memory } }).exports;
    const kern: WasmHist = { memory, bytes: code, hist: ex.hist as WasmHist['hist'], partition: ex.partition as WasmHist['partition'] };
    if (typeof ex.histAll === 'function') {
      kern.histAll = ex.histAll as Fixed;
      kern.histLo = ex.histLo as Fixed;
      kern.histHi = ex.histHi as Fixed;
    }
    return kern;
  } catch {
    return null;
  }
}
