import * as tf from '@tensorflow/tfjs';
import type { ModelFitters } from '../../shared/ml/job.js';
import { trainRuntime } from './fitters.js';
import type { BackendInfo } from '../../shared/protocol/train-worker.js';
import { initNodeTraining } from './tf-platform.node.js';

/** The CLI's fitters: TensorFlow.js on WASM in this process (CPU only where WASM cannot start). */
export async function nodeModelFitters(): Promise<{ fitters: ModelFitters; backend: BackendInfo; dispose(): Promise<void> }> {
  const runtime = trainRuntime(await initNodeTraining());
  return { ...runtime, dispose: async () => tf.disposeVariables() };
}
