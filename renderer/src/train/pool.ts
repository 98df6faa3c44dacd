import { HostError } from '../../../shared/host/errors.js';
import type { SplitData } from '../../../shared/ml/job.js';
import type { BackendInfo, TrainProgress, TrainRequests } from '../../../shared/protocol/train-worker.js';
import { WorkerClient, type WorkerPort } from '../../../shared/protocol/worker-client.js';
import { browserPort } from '../data/worker-port.js';

/**
 * The training worker pool: a few training Web Workers (TensorFlow.js and the pure TypeScript models), each
 * holding one copy of the data it was last given. Jobs wait in a queue and go to the first free worker, which is
 * first initialised (`init`, backend chosen) and given the job's data (`useData`) when it does not hold it yet.
 *
 * Cancel: training loops are synchronous inside a worker, so a running job is cancelled by terminating its
 * worker; a fresh one takes its place (and is initialised when the next job needs it). A queued job is simply
 * taken off the queue. Either way the job's promise rejects with a `cancelled` HostError.
 */

export type TrainClient = WorkerClient<TrainRequests, TrainProgress>;

/** Data a job needs: fetched once per key (the pool keeps it while jobs use it) and copied to each worker. */
export interface DataSource {
  key: string;
  load(): Promise<SplitData>;
}

export type JobRequest = 'train' | 'learningCurve' | 'tune' | 'preview' | 'baseline';

export interface JobHandle<T> {
  id: number;
  promise: Promise<T>;
  cancel(): void;
}

/** Makes one worker; the renderer's is a module Web Worker, tests pass their own. */
export type WorkerFactory = () => WorkerPort;

interface Slot {
  client: TrainClient;
  ready: Promise<BackendInfo> | null;
  dataKey: string | null;
  busy: Job | null;
}

interface Job {
  id: number;
  type: JobRequest;
  args: (key: string) => unknown;
  data: DataSource;
  onProgress: ((p: TrainProgress) => void) | undefined;
  resolve(value: unknown): void;
  reject(err: Error): void;
  cancelled: boolean;
  slot: Slot | null;
}

export function browserTrainWorker(): WorkerPort {
  const worker = new Worker(new URL('../../../workers/train/web-entry.ts', import.meta.url), { type: 'module', name: 'orchard-train' });
  return browserPort(worker, 'training worker');
}

/** A copy of the data for one worker: each gets its own buffers (structured clone copies them). */
function copyData(data: SplitData): SplitData {
  return { frame: data.frame, partitions: data.partitions.slice() };
}

export class TrainPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private readonly loaded = new Map<string, Promise<SplitData>>();
  private nextId = 1;
  private backendInfo: BackendInfo | null = null;

  constructor(
    private readonly size: number,
    private readonly factory: WorkerFactory = browserTrainWorker,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new HostError('invalid-argument', 'The pool needs at least one worker.');
  }

  /** The TensorFlow.js backend the workers chose (known once one has been initialised). */
  get backend(): BackendInfo | null {
    return this.backendInfo;
  }

  /** Jobs waiting or running. */
  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.busy !== null).length;
  }

  /** Initialises a worker (if none is yet) and answers the backend it chose. */
  async ensureBackend(): Promise<BackendInfo> {
    if (this.backendInfo !== null) return this.backendInfo;
    const slot = this.slots.find((s) => s.busy === null) ?? this.slots[0] ?? this.addSlot();
    return this.init(slot);
  }

  /**
   * Queues one request. `args` receives the data key the worker holds. Progress events (including tuning
   * trials) go to `onProgress`.
   */
  run<T extends JobRequest>(
    type: T,
    data: DataSource,
    args: (key: string) => TrainRequests[T]['args'],
    onProgress?: (p: TrainProgress) => void,
  ): JobHandle<TrainRequests[T]['result']> {
    const id = this.nextId++;
    let job!: Job;
    const promise = new Promise<TrainRequests[T]['result']>((resolve, reject) => {
      job = { id, type, args, data, onProgress, resolve: resolve as (v: unknown) => void, reject, cancelled: false, slot: null };
    });
    this.queue.push(job);
    this.pump();
    return { id, promise, cancel: () => this.cancel(job) };
  }

  /** Forgets cached data (e.g. after a new split); workers reload it on their next job. */
  forgetData(): void {
    this.loaded.clear();
  }

  /** Ends every worker and rejects every job. */
  dispose(): void {
    for (const job of [...this.queue]) this.cancel(job);
    for (const slot of this.slots) {
      if (slot.busy !== null) this.cancel(slot.busy);
      void slot.client.terminate();
    }
    this.slots.length = 0;
  }

  private cancel(job: Job): void {
    if (job.cancelled) return;
    job.cancelled = true;
    const queued = this.queue.indexOf(job);
    if (queued >= 0) this.queue.splice(queued, 1);
    const slot = job.slot;
    if (slot !== null) {
      // The worker is busy inside a synchronous loop: stop it and put a fresh one in its place.
      const index = this.slots.indexOf(slot);
      void slot.client.terminate();
      if (index >= 0) this.slots[index] = this.newSlot();
    }
    job.reject(new HostError('cancelled', 'Cancelled.'));
    this.pump();
  }

  private newSlot(): Slot {
    const client: TrainClient = new WorkerClient<TrainRequests, TrainProgress>(this.factory(), 'training worker');
    return { client, ready: null, dataKey: null, busy: null };
  }

  private addSlot(): Slot {
    const slot = this.newSlot();
    this.slots.push(slot);
    return slot;
  }

  private init(slot: Slot): Promise<BackendInfo> {
    if (slot.ready === null) {
      slot.ready = slot.client.request('init', {}).then((r) => {
        this.backendInfo ??= r.backend;
        return r.backend;
      });
      slot.ready.catch(() => {
        slot.ready = null;
      });
    }
    return slot.ready;
  }

  private freeSlot(): Slot | null {
    const idle = this.slots.find((s) => s.busy === null && !s.client.closed);
    if (idle !== undefined) return idle;
    const dead = this.slots.findIndex((s) => s.busy === null && s.client.closed);
    if (dead >= 0) return (this.slots[dead] = this.newSlot());
    if (this.slots.length < this.size) return this.addSlot();
    return null;
  }

  private pump(): void {
    while (this.queue.length > 0) {
      // Prefer a free worker that already holds the next job's data.
      const job = this.queue[0]!;
      const holding = this.slots.find((s) => s.busy === null && !s.client.closed && s.dataKey === job.data.key);
      const slot = holding ?? this.freeSlot();
      if (slot === null) return;
      this.queue.shift();
      slot.busy = job;
      job.slot = slot;
      void this.execute(slot, job);
    }
  }

  private loadData(source: DataSource): Promise<SplitData> {
    let found = this.loaded.get(source.key);
    if (found === undefined) {
      found = source.load();
      this.loaded.set(source.key, found);
      found.catch(() => this.loaded.delete(source.key));
    }
    return found;
  }

  private async execute(slot: Slot, job: Job): Promise<void> {
    try {
      const [data] = await Promise.all([this.loadData(job.data), this.init(slot)]);
      if (job.cancelled) return;
      if (slot.dataKey !== job.data.key) {
        slot.dataKey = null;
        await slot.client.request('useData', { key: job.data.key, data: copyData(data) });
        slot.dataKey = job.data.key;
      }
      if (job.cancelled) return;
      const options = job.onProgress ? { onProgress: job.onProgress } : {};
      const result = await slot.client.request(job.type, job.args(job.data.key) as never, options);
      if (!job.cancelled) job.resolve(result);
    } catch (err) {
      if (!job.cancelled) job.reject(err instanceof Error ? err : new Error(String(err)));
    } finally {
      if (slot.busy === job) slot.busy = null;
      job.slot = null;
      if (!job.cancelled) this.pump();
    }
  }
}

let shared: TrainPool | null = null;

/** The renderer's pool: two training workers. */
export function trainPool(): TrainPool {
  shared ??= new TrainPool(2);
  return shared;
}
