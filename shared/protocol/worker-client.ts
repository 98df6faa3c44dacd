import { deserializeError, HostError } from '../host/errors.js';
import type { DataProgress, DataRequests } from './data-worker.js';

/**
 * A typed request/reply client over any worker. Each request gets an id and a pending entry; the worker answers
 * with progress messages and then exactly one `ok` or `error`. When the worker dies or is terminated, every
 * pending request is rejected, so no caller ever waits forever or receives `undefined`.
 */

/**
 * The little a client needs from a worker. A browser `Worker` and a Node `worker_threads.Worker` each adapt to
 * it in a few lines (see workers/data/node-client.ts and workers/CONTEXT.md).
 */
export interface WorkerPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
  /** An uncaught error in the worker, or a message that could not be read. The client treats it as fatal. */
  onError(listener: (error: Error) => void): void;
  /** The worker thread ended (Node); a browser Worker never calls this. */
  onExit(listener: (exitCode: number) => void): void;
  terminate(): void | Promise<unknown>;
}

/** A map from request type to its argument and result, like `DataRequests`. */
export type RequestMap<M> = { [K in keyof M]: { args: unknown; result: unknown } };

export interface RequestOptions<P> {
  onProgress?: (progress: P) => void;
  /** Buffers to move to the worker rather than copy; the caller's views of them become empty. */
  transfer?: ArrayBuffer[];
  /**
   * Aborting asks the worker to stop this request (a `cancel` message naming it, which the worker reads between
   * steps of work that checks for it) and rejects the request with a `cancelled` HostError at once.
   */
  signal?: CancelSignal;
}

/** What the client needs of an `AbortSignal` (shared/ compiles without the DOM's types). */
export interface CancelSignal {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
}

/** The control message a client sends to stop request `request`; workers handle it outside their queue. */
export interface CancelMessage {
  type: 'cancel';
  request: number;
}

interface Pending<P> {
  type: string;
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  onProgress: ((progress: P) => void) | undefined;
}

export class WorkerClient<M extends RequestMap<M>, P = unknown> {
  private readonly pending = new Map<number, Pending<P>>();
  private nextId = 1;
  /** Set once the worker is gone; every later request is refused with it. */
  private failure: Error | null = null;

  /** `name` says which worker in error messages, e.g. "data worker". */
  constructor(
    private readonly port: WorkerPort,
    private readonly name = 'worker',
  ) {
    port.onMessage((message) => this.receive(message));
    port.onError((error) => this.fail(new HostError('internal', `The ${name} failed: ${error.message}`), true));
    port.onExit((code) => this.fail(new HostError('internal', `The ${name} stopped unexpectedly (exit code ${code}).`), false));
  }

  /** Whether the worker has died or been terminated; a closed client refuses every request. */
  get closed(): boolean {
    return this.failure !== null;
  }

  /** Sends one request and resolves with its typed result, or rejects with the worker's error rebuilt. */
  request<T extends keyof M & string>(type: T, args: M[T]['args'], opts: RequestOptions<P> = {}): Promise<M[T]['result']> {
    if (this.failure !== null) return Promise.reject(this.failure);
    if (opts.signal?.aborted === true) return Promise.reject(new HostError('cancelled', `"${type}" was cancelled.`));
    const id = this.nextId++;
    return new Promise<M[T]['result']>((resolve, reject) => {
      this.pending.set(id, { type, resolve: resolve as (r: unknown) => void, reject, onProgress: opts.onProgress });
      try {
        this.port.postMessage({ id, type, args }, opts.transfer ?? []);
      } catch (err) {
        this.pending.delete(id);
        reject(err instanceof Error ? err : new Error(String(err)));
        return;
      }
      opts.signal?.addEventListener(
        'abort',
        () => {
          const entry = this.pending.get(id);
          if (entry === undefined) return;
          this.pending.delete(id);
          entry.reject(new HostError('cancelled', `"${type}" was cancelled.`));
          try {
            this.port.postMessage({ type: 'cancel', request: id } satisfies CancelMessage, []);
          } catch {
            // The worker is gone; nothing is left to stop.
          }
        },
        { once: true },
      );
    });
  }

  /** Stops the worker; pending requests reject with a `cancelled` HostError. Safe to call twice. */
  async terminate(): Promise<void> {
    if (this.failure === null) {
      this.fail(new HostError('cancelled', `The ${this.name} was stopped before it answered.`), false);
    }
    await this.port.terminate();
  }

  private receive(message: unknown): void {
    if (typeof message !== 'object' || message === null) return;
    const { id, kind } = message as { id?: unknown; kind?: unknown };
    if (typeof id !== 'number') return;
    const entry = this.pending.get(id);
    if (entry === undefined) return;
    if (kind === 'progress') {
      const progress = (message as { progress: P }).progress;
      try {
        entry.onProgress?.(progress);
      } catch {
        // A throwing progress listener must not break the request it listens to.
      }
      return;
    }
    if (kind !== 'ok' && kind !== 'error') return;
    this.pending.delete(id);
    if (kind === 'ok') {
      const { result } = message as { result?: unknown };
      if (result === undefined) entry.reject(new HostError('internal', `The ${this.name} answered "${entry.type}" with nothing.`));
      else entry.resolve(result);
    } else {
      entry.reject(deserializeError((message as { error?: unknown }).error));
    }
  }

  private fail(error: Error, terminate: boolean): void {
    if (this.failure !== null) return;
    this.failure = error;
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(withRequest(error, entry.type));
    if (terminate) void Promise.resolve(this.port.terminate()).catch(() => undefined);
  }
}

function withRequest(error: Error, type: string): Error {
  if (!(error instanceof HostError)) return error;
  return new HostError(error.code, `${error.message.replace(/\.$/, '')} (while answering "${type}").`);
}

export type DataWorkerClient = WorkerClient<DataRequests, DataProgress>;

/** A client for the data worker behind `port` (send `init` before anything else). */
export function createDataWorkerClient(port: WorkerPort): DataWorkerClient {
  return new WorkerClient<DataRequests, DataProgress>(port, 'data worker');
}
