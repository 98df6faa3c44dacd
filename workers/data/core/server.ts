import { HostError, serializeError } from '../../../shared/host/errors.js';
import type { DataProgress, DataReplyMessage, DataRequests, DataRequestType } from '../../../shared/protocol/data-worker.js';
import type { CancelMessage } from '../../../shared/protocol/worker-client.js';
import { appendTables, type AppendAccess } from './append.js';
import type { DataEngine } from './engine.js';
import { assignSplit, attachSplit } from './split-table.js';
import { lockFiles, materialize, runQuery } from './sql-console.js';
import { profileTable } from './profile/profile.js';
import { pairPlot } from './profile/pair-plot.js';
import { filteredRows } from './profile/rows.js';
import { readFrame } from './frame.js';

/** The worker's side of the channel: `self` in a Web Worker, `parentPort` in a Node worker thread. */
export interface WorkerScope {
  postMessage(message: DataReplyMessage, transfer: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
}

export type EngineFactory = () => Promise<DataEngine>;

/**
 * Answers data requests arriving on `scope`: one at a time, in arrival order (DuckDB runs on this thread), with
 * exactly one `ok` or `error` per request id and any progress before it. Everything but `init` is refused until
 * an `init` has built the engine.
 */
export function serveDataWorker(scope: WorkerScope, createEngine: EngineFactory): void {
  let engine: Promise<DataEngine> | null = null;
  let queue: Promise<void> = Promise.resolve();
  /** Requests the client has cancelled; work that checks between steps stops with a `cancelled` error. */
  const cancelled = new Set<number>();

  const send = (message: DataReplyMessage): void => {
    try {
      scope.postMessage(message, message.kind === 'ok' ? transferList(message.result) : []);
    } catch (err) {
      if (message.kind === 'progress') return;
      // The reply could not be cloned: answer with why instead, so the caller is not left waiting.
      scope.postMessage({ id: message.id, kind: 'error', error: serializeError(err) }, []);
    }
  };

  const handle = async (message: unknown): Promise<void> => {
    const request = readRequest(message);
    if (request === null) return; // No id to answer to.
    const { id, type, args } = request;
    try {
      let result: unknown;
      if (type === 'init') {
        engine ??= createEngine();
        const ready = await engine.catch((err: unknown) => {
          engine = null; // Let a later init try again.
          throw err;
        });
        result = { version: ready.version };
      } else {
        if (engine === null) throw notInitialised(type);
        const ready = await engine;
        result = await dispatchDataRequest(ready, type as DataRequestType, args, (progress) => send({ id, kind: 'progress', progress }), () => cancelled.has(id));
      }
      send({ id, kind: 'ok', result });
    } catch (err) {
      send({ id, kind: 'error', error: serializeError(err) });
    } finally {
      cancelled.delete(id);
    }
  };

  scope.onMessage((message) => {
    // A cancel is read at once, not queued behind the request it stops.
    const control = message as Partial<CancelMessage> | null;
    if (control?.type === 'cancel' && typeof control.request === 'number') {
      cancelled.add(control.request);
      return;
    }
    queue = queue.then(() => handle(message));
  });
}

/**
 * Runs one request on an engine. Used by the worker above and directly by in-process callers and tests, so both
 * answer the same way. Unknown request types are refused.
 */
export async function dispatchDataRequest<T extends DataRequestType>(
  engine: DataEngine,
  type: T,
  args: DataRequests[T]['args'],
  onProgress: (progress: DataProgress) => void = () => undefined,
  isCancelled: () => boolean = () => false,
): Promise<DataRequests[T]['result']> {
  const request = { type, args } as { type: string; args: unknown };
  switch (request.type) {
    case 'init':
      return { version: engine.version } satisfies DataRequests['init']['result'];
    case 'open':
      return engine.open(request.args as DataRequests['open']['args'], onProgress, isCancelled);
    case 'preview':
      return engine.preview(request.args as DataRequests['preview']['args'], onProgress);
    case 'toParquet':
      return engine.toParquet(request.args as DataRequests['toParquet']['args']);
    case 'append': {
      const args = request.args as DataRequests['append']['args'];
      // The engine's open tables carry ColumnInfo (with kinds); its access type names the narrower shape.
      const info = appendTables(engine.access as unknown as AppendAccess, args);
      engine.close({ table: args.from });
      return info;
    }
    case 'page':
      return engine.page(request.args as DataRequests['page']['args']);
    case 'close':
      return engine.close(request.args as DataRequests['close']['args']);
    case 'assignSplit':
      return assignSplit(engine.access, request.args as DataRequests['assignSplit']['args']);
    case 'attachSplit':
      return attachSplit(engine.access, request.args as DataRequests['attachSplit']['args']);
    case 'query':
      return runQuery(engine.access, request.args as DataRequests['query']['args']);
    case 'materialize':
      return materialize(engine.access, request.args as DataRequests['materialize']['args']);
    case 'lockFiles':
      return lockFiles(engine.access);
    case 'profile':
      return profileTable(engine.access, request.args as DataRequests['profile']['args'], onProgress, isCancelled);
    case 'rows':
      return filteredRows(engine.access, request.args as DataRequests['rows']['args']);
    case 'frame':
      return readFrame(engine.access, request.args as DataRequests['frame']['args']);
    case 'pairPlot':
      return pairPlot(engine.access, request.args as DataRequests['pairPlot']['args']);
    default:
      throw new HostError('invalid-argument', `The data worker has no request named "${String(request.type).slice(0, 60)}".`);
  }
}

function readRequest(message: unknown): { id: number; type: string; args: never } | null {
  if (typeof message !== 'object' || message === null) return null;
  const { id, type, args } = message as { id?: unknown; type?: unknown; args?: unknown };
  if (typeof id !== 'number') return null;
  return { id, type: typeof type === 'string' ? type : String(type), args: (args ?? {}) as never };
}

function notInitialised(type: string): Error {
  const err = new Error(`The data worker is not initialised: send "init" before "${type.slice(0, 60)}".`);
  err.name = 'NotInitialised';
  return err;
}

/** Buffers in a result (the result itself, or its direct properties) travel in the transfer list. */
function transferList(result: unknown): ArrayBuffer[] {
  const found = new Set<ArrayBuffer>();
  const take = (value: unknown): void => {
    if (value instanceof ArrayBuffer) found.add(value);
    else if (ArrayBuffer.isView(value) && value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  };
  take(result);
  if (typeof result === 'object' && result !== null && !ArrayBuffer.isView(result)) {
    for (const value of Object.values(result)) {
      take(value);
      // A frame's columns: an array of objects holding typed arrays.
      if (Array.isArray(value)) for (const item of value) if (typeof item === 'object' && item !== null) Object.values(item).forEach(take);
    }
  }
  return [...found];
}
