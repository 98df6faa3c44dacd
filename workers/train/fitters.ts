import { modelFitters, PURE_MODELS } from '../../shared/ml/models/registry.js';
import type { BackendChoice } from './backend.js';
import { fitMlp, loadMlp } from './mlp.js';
import type { TrainRuntime } from './server.js';

/**
 * Every model kind for one platform: the pure TypeScript models plus the MLP on the TensorFlow.js backend
 * `choice` picked (the same sentence saying why goes into each experiment record).
 */
export function trainRuntime(choice: BackendChoice): TrainRuntime {
  return {
    fitters: modelFitters({ ...PURE_MODELS, mlp: { fit: fitMlp, load: loadMlp } }),
    backend: { name: choice.backend, reason: choice.reason },
  };
}
