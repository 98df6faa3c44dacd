import type { KernelName, WasmMemory } from './wasm-hist.js';

/**
 * An optional second thread for the histogram grower (hist-tree.ts). shared/ starts no threads: a platform that
 * can share memory between threads (Node's worker_threads: workers/train/hist-threads.node.ts) supplies a
 * `HistogramHelper`, and a fit given one (gh mode, where WebAssembly can make a shared memory) keeps its data in
 * a shared WebAssembly memory and runs the kernels of wasm-hist.ts on it from both threads: a large node's
 * gradient histograms half the features each (each feature's histogram wholly on one thread, by the same kernel),
 * and its rows partitioned in two halves (stable, so the halves join into the order one pass gives). The model is
 * bit-for-bit the one a single thread grows. Without a helper everything runs on the calling thread.
 *
 * The protocol is synchronous (fits are synchronous): the grower `bind`s its memory, then for each large node
 * starts the helper on its share, does the rest itself, and `wait`s (which may run the share on the calling
 * thread when the helper has not started it: same kernel, same result). One helper serves one grower at a time.
 */
export interface HistogramHelper {
  /**
   * Makes later jobs run the kernels of module `bytes` (wasm-hist.ts, made for a shared memory) on `memory`, a
   * shared WebAssembly memory (cheap when they already are).
   */
  bind(memory: WasmMemory, bytes: Uint8Array): void;
  /** Starts `kernel` with these arguments (at most 16). Returns at once; one job at a time. */
  start(kernel: KernelName, args: ArrayLike<number>): void;
  /** Blocks until the started job is done and returns its result (a partition's left count; 0 for a histogram). */
  wait(): number;
  /** Makes later boosting jobs run on `arrays` (every array on shared memory; cheap when they already are). */
  bindBoost(arrays: BoostArrays): void;
  /** Starts `boostJob(job, arrays, lo, hi, count)` (gbdt.ts) on the helper's thread. Returns at once. */
  startBoost(job: BoostJob, lo: number, hi: number, count: number): void;
}

/** A boosting round's row-wise work, split by row ranges between the threads (gbdt.ts, `boostJob`). */
export type BoostJob = 'gradients' | 'scores';

/** The arrays boosting jobs read and write (one output: scores F, target y, weights w, the grower's pairs). */
export interface BoostArrays {
  binary: boolean;
  F: Float64Array;
  y: Float64Array;
  w: Float64Array | null;
  gh: Float64Array;
  rowIndex: Uint32Array;
  /** Per leaf: start, end (in rowIndex) and value, three numbers each. */
  leaves: Float64Array;
}
