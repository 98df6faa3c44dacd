import * as tf from '@tensorflow/tfjs';
import type { ModelFitters } from '../../shared/ml/job.js';
import { fitGbdt, loadGbdt, type GbdtParams } from '../../shared/ml/models/gbdt.js';
import { trainRuntime } from './fitters.js';
import type { BackendInfo } from '../../shared/protocol/train-worker.js';
import { startHistogramThread, type NodeHistogramHelper } from './hist-threads.node.js';
import { initNodeTraining } from './tf-platform.node.js';

/** Gradient boosting fits of at least this many cells (rows × features) build histograms on a second thread. */
export const HISTOGRAM_THREAD_MIN_CELLS = 2_000_000;

/**
 * The CLI's fitters: TensorFlow.js on WASM in this process (CPU only where WASM cannot start), and gradient
 * boosting on large data with a histogram thread (started at the first such fit; the trees are the same).
 */
export async function nodeModelFitters(): Promise<{ fitters: ModelFitters; backend: BackendInfo; dispose(): Promise<void> }> {
  let thread: Promise<NodeHistogramHelper | null> | null = null;
  // A thread that cannot start leaves the fit on one thread.
  const histogramThread = (): Promise<NodeHistogramHelper | null> => (thread ??= startHistogramThread().catch(() => null));
  const runtime = trainRuntime(await initNodeTraining(), {
    gbdt: {
      fit: async (X, y, params, ctx) => {
        const big = X.rowCount * X.columns.length >= HISTOGRAM_THREAD_MIN_CELLS;
        const histogramHelper = big ? await histogramThread() : null;
        return fitGbdt(X, y, params as Partial<GbdtParams>, ctx, { histogramHelper });
      },
      load: loadGbdt,
    },
  });
  return {
    ...runtime,
    dispose: async () => {
      tf.disposeVariables();
      const started = thread;
      thread = null;
      await (await started)?.dispose();
    },
  };
}
