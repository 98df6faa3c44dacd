import { HostError, serializeError } from '../../shared/host/errors.js';
import { learningCurve, prepare, trainModel, type ModelFitters, type SplitData, type TrainedModel } from '../../shared/ml/job.js';
import { checkLeakage } from '../../shared/ml/leakage.js';
import { fitPipeline, previewRows, withTargetDropped } from '../../shared/ml/pipeline/index.js';
import { tuneModel } from '../../shared/ml/tune-job.js';
import { takeFrame, takeTarget, trainingRows } from '../../shared/ml/types.js';
import type { BackendInfo, TrainedResult, TrainProgress, TrainReplyMessage, TrainRequests, TrainRequestType } from '../../shared/protocol/train-worker.js';

/**
 * The training worker's side: the same envelope as the data worker (one request at a time, progress, exactly
 * one ok or error). Runs the pure jobs of shared/ml with the fitters this platform has (the MLP needs
 * TensorFlow.js). Used by the Web Worker entry and, in process, by the tests.
 */

export interface TrainScope {
  postMessage(message: TrainReplyMessage, transfer: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

export interface TrainRuntime {
  fitters: ModelFitters;
  backend: BackendInfo;
}

export class TrainWorkerState {
  private data: { key: string; data: SplitData } | null = null;

  constructor(readonly runtime: TrainRuntime) {}

  use(key: string, data: SplitData): number {
    if (typeof key !== 'string' || data?.frame === undefined || !(data.partitions instanceof Uint8Array)) {
      throw new HostError('invalid-argument', 'useData needs a key, a frame and its partitions.');
    }
    this.data = { key, data };
    return data.frame.rowCount;
  }

  get(key: string): SplitData {
    if (this.data === null || this.data.key !== key) throw new HostError('not-found', 'The training worker does not hold that data; send it with useData first.');
    return this.data.data;
  }
}

const result = (t: TrainedModel): TrainedResult => {
  const out: TrainedResult = { result: t.result, pipeline: t.pipeline, model: t.model.toJSON() };
  if (t.classes !== undefined) out.classes = t.classes;
  return out;
};

export async function dispatchTrainRequest<T extends TrainRequestType>(
  state: TrainWorkerState,
  type: T,
  args: TrainRequests[T]['args'],
  onProgress: (p: TrainProgress) => void = () => undefined,
): Promise<TrainRequests[T]['result']> {
  const request = { type, args } as { type: string; args: never };
  const { fitters } = state.runtime;
  switch (request.type) {
    case 'init':
      return { backend: state.runtime.backend } satisfies TrainRequests['init']['result'];
    case 'useData': {
      const a = request.args as TrainRequests['useData']['args'];
      return { rows: state.use(a.key, a.data) } satisfies TrainRequests['useData']['result'];
    }
    case 'train': {
      const a = request.args as TrainRequests['train']['args'];
      return result(await trainModel(state.get(a.key), a.plan, a.choice, fitters, { onProgress }));
    }
    case 'learningCurve': {
      const a = request.args as TrainRequests['learningCurve']['args'];
      return learningCurve(state.get(a.key), a.plan, a.choice, fitters, { onProgress });
    }
    case 'tune': {
      const a = request.args as TrainRequests['tune']['args'];
      const job = { kind: a.kind, strategy: a.strategy, ...(a.space ? { space: a.space } : {}), ...(a.maxTrials ? { maxTrials: a.maxTrials } : {}), ...(a.maxSeconds ? { maxSeconds: a.maxSeconds } : {}) };
      const tuned = await tuneModel(state.get(a.key), a.plan, job, fitters, {
        onProgress: (p) => onProgress(p),
        onTrial: (trial) => onProgress({ fraction: Number.NaN, trial }),
      });
      return { trials: tuned.trials, best: tuned.best === null ? null : result(tuned.best), stoppedBy: tuned.stoppedBy } satisfies TrainRequests['tune']['result'];
    }
    case 'preview': {
      const a = request.args as TrainRequests['preview']['args'];
      const data = state.get(a.key);
      const prepared = prepare(data, a);
      const rows = Uint32Array.from(prepared.train, (i) => prepared.frameRows[i]!);
      const train = trainingRows(takeFrame(data.frame, rows));
      const { fitted } = fitPipeline(withTargetDropped(a.spec, a.target), train, takeTarget(prepared.y, prepared.train), 0);
      const preview = previewRows(fitted, train, Math.min(Math.max(1, a.limit), 200));
      const target = { column: a.target, task: a.task, ...(a.positiveClass ? { positiveClass: a.positiveClass } : {}) };
      const leakage = checkLeakage(train, target, a.timeColumn ? { timeColumn: a.timeColumn } : undefined);
      return { names: preview.names, rows: preview.rows, trainRows: rows.length, leakage } satisfies TrainRequests['preview']['result'];
    }
    case 'baseline': {
      const a = request.args as TrainRequests['baseline']['args'];
      const trained = await trainModel(state.get(a.key), { ...a.plan, cv: { method: 'none', folds: 2 } }, { kind: 'baseline' }, fitters);
      return trained.result;
    }
    default:
      throw new HostError('invalid-argument', `The training worker has no request named "${String(request.type).slice(0, 60)}".`);
  }
}

/** Serves requests on `scope` once `start` has built the runtime (TensorFlow.js backend chosen). */
export function serveTrainWorker(scope: TrainScope, start: () => Promise<TrainRuntime>): void {
  let state: Promise<TrainWorkerState> | null = null;
  let queue: Promise<void> = Promise.resolve();
  const send = (message: TrainReplyMessage): void => {
    try {
      scope.postMessage(message, []);
    } catch (err) {
      if (message.kind !== 'progress') scope.postMessage({ id: message.id, kind: 'error', error: serializeError(err) }, []);
    }
  };
  const handle = async (message: unknown): Promise<void> => {
    if (typeof message !== 'object' || message === null) return;
    const { id, type, args } = message as { id?: unknown; type?: unknown; args?: unknown };
    if (typeof id !== 'number') return;
    try {
      if (type === 'init') state ??= start().then((runtime) => new TrainWorkerState(runtime));
      if (state === null) throw new HostError('internal', `The training worker is not initialised: send "init" before "${String(type).slice(0, 60)}".`);
      const ready = await state.catch((err: unknown) => {
        state = null;
        throw err;
      });
      const reply = await dispatchTrainRequest(ready, String(type) as TrainRequestType, (args ?? {}) as never, (progress) => send({ id, kind: 'progress', progress }));
      send({ id, kind: 'ok', result: reply });
    } catch (err) {
      send({ id, kind: 'error', error: serializeError(err) });
    }
  };
  scope.onMessage((message) => {
    queue = queue.then(() => handle(message));
  });
}

