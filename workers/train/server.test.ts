import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../shared/data/random.js';
import { stratifiedSplit } from '../../shared/data/split.js';
import type { TrainingPlan } from '../../shared/ml/job.js';
import { modelFitters } from '../../shared/ml/models/registry.js';
import type { Frame } from '../../shared/ml/types.js';
import { dispatchTrainRequest, TrainWorkerState } from './server.js';

/** The training worker's requests, answered in process with the pure models (the MLP is tested in mlp.test.ts). */

function data(): { frame: Frame; partitions: Uint8Array } {
  const random = mulberry32(4);
  const n = 300;
  const x = Float64Array.from({ length: n }, () => random() * 2 - 1);
  const colour = Int32Array.from({ length: n }, () => Math.floor(random() * 3));
  const y = Int32Array.from(x, (v, i) => (v + (colour[i] === 2 ? 0.5 : 0) + (random() - 0.5) * 0.5 > 0 ? 1 : 0));
  return {
    frame: {
      rowCount: n,
      columns: [
        { name: 'x', type: 'number', values: x },
        { name: 'colour', type: 'category', codes: colour, levels: ['blue', 'green', 'red'] },
        { name: 'y', type: 'category', codes: y, levels: ['no', 'yes'] },
      ],
    },
    partitions: stratifiedSplit(y, [0.7, 0.15, 0.15], 1),
  };
}

// No step drops the target: the worker must do it, or "every category column" would one-hot encode the answer.
const spec = { steps: [{ kind: 'encode' as const, method: 'onehot' as const, columns: { type: 'category' as const } }] };
const plan: TrainingPlan = { target: 'y', task: 'binary', positiveClass: 'yes', pipeline: spec, cv: { method: 'none', folds: 2 }, imbalance: 'none', primaryMetric: 'auc', seed: 1 };

describe('the training worker', () => {
  const state = new TrainWorkerState({ fitters: modelFitters(), backend: { name: 'none', reason: 'no TensorFlow.js in this test' } });

  it('asks for the data before anything is trained on it', async () => {
    await expect(dispatchTrainRequest(state, 'train', { key: 'k', plan, choice: { kind: 'logreg' } })).rejects.toMatchObject({ code: 'not-found' });
    expect(await dispatchTrainRequest(state, 'useData', { key: 'k', data: data() })).toEqual({ rows: 300 });
  });

  it('previews the pipeline fitted on the training rows, without the target among the features', async () => {
    const preview = await dispatchTrainRequest(state, 'preview', { key: 'k', spec, target: 'y', task: 'binary', positiveClass: 'yes', limit: 5 });
    expect(preview.names).toEqual(['x', 'colour=blue', 'colour=green', 'colour=red']);
    expect(preview.rows).toHaveLength(5);
    expect(preview.trainRows).toBe(210);
  });

  it('trains with progress and answers with the model state and the baseline', async () => {
    const fractions: number[] = [];
    const trained = await dispatchTrainRequest(state, 'train', { key: 'k', plan, choice: { kind: 'logreg' } }, (p) => fractions.push(p.fraction));
    expect(trained.model.kind).toBe('logreg');
    expect(trained.classes).toEqual(['no', 'yes']);
    expect(trained.result.validation.auc).toBeGreaterThan(0.8);
    expect(fractions.at(-1)).toBe(1);
    const baseline = await dispatchTrainRequest(state, 'baseline', { key: 'k', plan });
    expect(baseline.validation.auc).toBe(0.5);
    await expect(dispatchTrainRequest(state, 'explode' as 'init', {})).rejects.toThrow('The training worker has no request named "explode".');
  });
});
