/**
 * An optional second thread for the histogram grower (hist-tree.ts). shared/ starts no threads: a platform that
 * can share memory between threads (Node's worker_threads: workers/train/hist-threads.node.ts) supplies a
 * `HistogramHelper`, and a fit given one builds the gradient histograms of large nodes on two threads, each
 * feature's histogram wholly on one of them by the same loop (`buildGhHistogram`), and partitions a large
 * node's rows in two halves (`partitionRows`, stable, so the halves join into the order one pass gives). The
 * model is bit-for-bit the one a single thread grows. Without a helper everything runs on the calling thread.
 *
 * The protocol is synchronous (fits are synchronous): the grower allocates its buffers with `sharedBuffer`,
 * `bind`s them, then for each large node starts the helper on its share, does the rest itself, and `wait`s.
 * One helper serves one grower at a time.
 */

/** The buffers the helper reads (and `out`, the one it writes); every array lies on a `sharedBuffer`. */
export interface HistogramBuffers {
  /** Bin codes, one array per feature (the grower's binned columns). */
  columns: Uint8Array[];
  /** Feature f's bins start at histogram slot offsets[f] (3 numbers per slot). */
  offsets: Int32Array;
  /** Row r's gradient and hessian at 2r and 2r+1. */
  gh: Float64Array;
  /** The grower's row index (a node's rows are one segment of it). */
  rowIndex: Uint32Array;
  /** Where the helper writes its features' histograms (the grower copies them out). */
  out: Float64Array;
  /** The features of a job (the grower writes them here before `start`). */
  features: Int32Array;
  /** Where a partition job puts the right rows (at the same positions as in `rowIndex`). */
  scratch: Uint32Array;
  /** A partition job's rule: a row goes left iff lut[its bin code] is 1 (256 entries). */
  lut: Uint8Array;
}

/** A second thread that builds part of a histogram while the caller builds the rest. */
export interface HistogramHelper {
  /** A zero-filled buffer of `bytes` bytes that the helper thread sees too. */
  sharedBuffer(bytes: number): ArrayBufferLike;
  /** Makes `buffers` the ones later jobs read and write (cheap when they already are). */
  bind(buffers: HistogramBuffers): void;
  /**
   * Starts building, into `out`, the histograms of features `features[0..count)` over rows `rowIndex[start..end)`
   * (rows start..end themselves, in order, when `direct`). Returns at once; one job at a time.
   */
  start(start: number, end: number, direct: boolean, count: number): void;
  /**
   * Starts `partitionRows` of rows `rowIndex[start..end)` by the bins of `columns[feature]` and `lut`: left rows
   * compacted in place from `start`, right rows to `scratch[start..)`. Returns at once; `wait` gives the left count.
   */
  startPartition(start: number, end: number, feature: number): void;
  /** Blocks until the started job is done and returns its result (a partition's left count; 0 for a build). */
  wait(): number;
}
