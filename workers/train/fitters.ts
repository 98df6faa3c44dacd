import { modelFitters, PURE_MODELS, type ModelImplementation } from '../../shared/ml/models/registry.js';
import type { ModelKind } from '../../shared/ml/types.js';
import type { BackendChoice } from './backend.js';
import { fitMlp, loadMlp } from './mlp.js';
import type { TrainRuntime } from './server.js';

/**
 * Every model kind for one platform: the pure TypeScript models plus the MLP on the TensorFlow.js backend
 * `choice` picked (the same sentence saying why goes into each experiment record). `models` replaces some kinds'
 * implementations with the platform's own (the CLI's gbdt with a histogram thread).
 */
export function trainRuntime(choice: BackendChoice, models: Partial<Record<ModelKind, ModelImplementation>> = {}): TrainRuntime {
  return {
    fitters: modelFitters({ ...PURE_MODELS, mlp: { fit: fitMlp, load: loadMlp }, ...models }),
    backend: { name: choice.backend, reason: choice.reason },
  };
}
