import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { tsxEsmApi } from '../data/node-client.js';
import type { BoostArrays, BoostJob, HistogramHelper } from '../../shared/ml/models/parallel.js';
import { boostJob } from '../../shared/ml/models/gbdt.js';
import { KERNELS, wasmHist, type KernelName, type WasmHist, type WasmMemory } from '../../shared/ml/models/wasm-hist.js';
import { ARGS, CLAIMED, CMD, CMD_BIND, CMD_BOOST, CMD_BOOST_BIND, CMD_CALL, CMD_QUIT, CONTROL_WORDS, DONE, FAILED, KERNEL, MAX_ARGS, NARGS, RESULT, SEQ, SPINS } from './hist-thread-protocol.node.js';

/**
 * The Node `HistogramHelper` (shared/ml/models/parallel.ts): one worker thread that builds half of each large
 * node's gradient histograms (and partitions half of its rows) with the grower's WebAssembly kernels on its
 * shared memory, handed commands through Atomics so a synchronous fit can use it. Start it with `startHistogramThread()`, pass it to `fitGbdt` (runtime
 * `histogramHelper`), and `dispose()` it when done; a helper nobody disposed never keeps the process alive.
 */
export interface NodeHistogramHelper extends HistogramHelper {
  /** Stops the thread (after any job in flight); resolves with its exit code. Later jobs throw. */
  dispose(): Promise<number>;
  /** Whether the thread is still running (false once `dispose` resolved or the thread died). */
  readonly running: boolean;
  /** How many jobs (histograms and partitions) the thread has been given. */
  readonly jobs: number;
  /** How many of those the calling thread ran itself, finding them not yet started by the histogram thread. */
  readonly stolen: number;
}

/** Starts the histogram thread and waits until it is ready. */
export async function startHistogramThread(): Promise<NodeHistogramHelper> {
  const control = new SharedArrayBuffer(CONTROL_WORDS * 4);
  const ctrl = new Int32Array(control);
  const { port1, port2 } = new MessageChannel();
  const worker = spawnEntry({ control, channel: port2 }, [port2]);
  let running = true;
  const exited = new Promise<number>((resolve) => {
    worker.once('exit', (code) => {
      running = false;
      port1.close();
      resolve(code);
    });
  });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`The histogram thread stopped before it started (exit code ${code}).`)));
    });
  } catch (err) {
    await worker.terminate();
    throw err;
  }
  worker.unref();
  return new ThreadHelper(worker, ctrl, port1, exited, () => running);
}

class ThreadHelper implements NodeHistogramHelper {
  private seq: number;
  private bound: WasmMemory | null = null;
  private boundBytes: Uint8Array | null = null;
  private boundBoost: BoostArrays | null = null;
  /** The bound kernels on this thread, to run a job the thread has not claimed (see CLAIMED). */
  private local: WasmHist | null = null;
  /** The started job, as this thread would run it (null for binds). */
  private pending: (() => number) | null = null;
  private busy = false;
  private disposed: Promise<number> | null = null;
  jobs = 0;
  /** How many of them this thread ran itself (the histogram thread had not started them). */
  stolen = 0;

  constructor(
    private readonly worker: Worker,
    private readonly ctrl: Int32Array,
    private readonly port: MessagePort,
    private readonly exited: Promise<number>,
    private readonly alive: () => boolean,
  ) {
    this.seq = Atomics.load(ctrl, SEQ);
  }

  get running(): boolean {
    return this.alive();
  }

  bind(memory: WasmMemory, bytes: Uint8Array): void {
    if (this.bound === memory && this.boundBytes === bytes) return;
    this.bound = null;
    this.local = null;
    this.port.postMessage({ memory, bytes });
    this.command(CMD_BIND);
    this.wait();
    this.local = wasmHist(memory, true, bytes);
    this.bound = memory;
    this.boundBytes = bytes;
  }

  bindBoost(arrays: BoostArrays): void {
    if (this.boundBoost === arrays) return;
    this.boundBoost = null;
    this.port.postMessage(arrays);
    this.command(CMD_BOOST_BIND);
    this.wait();
    this.boundBoost = arrays;
  }

  startBoost(job: BoostJob, lo: number, hi: number, count: number): void {
    if (this.boundBoost === null) throw new Error('HistogramHelper: a boosting job before bindBoost');
    if (this.busy) this.wait();
    const c = this.ctrl;
    c[KERNEL] = job === 'gradients' ? 0 : 1;
    c[ARGS] = lo;
    c[ARGS + 1] = hi;
    c[ARGS + 2] = count;
    this.command(CMD_BOOST);
    const arrays = this.boundBoost;
    this.pending = () => {
      boostJob(job, arrays, lo, hi, count);
      return 0;
    };
    this.jobs++;
  }

  start(kernel: KernelName, args: ArrayLike<number>): void {
    if (this.bound === null) throw new Error('HistogramHelper: a job before bind');
    if (args.length > MAX_ARGS) throw new Error('HistogramHelper: too many arguments');
    // A job left unwaited (its caller threw) is finished before its arguments are overwritten.
    if (this.busy) this.wait();
    const c = this.ctrl;
    c[KERNEL] = KERNELS.indexOf(kernel);
    c[NARGS] = args.length;
    for (let i = 0; i < args.length; i++) c[ARGS + i] = args[i]!;
    this.command(CMD_CALL);
    const fn = this.local?.[kernel] as ((...a: number[]) => number | undefined) | undefined;
    const copy = Array.from(args);
    this.pending = fn ? () => fn(...copy) ?? 0 : null;
    this.jobs++;
  }

  wait(): number {
    if (!this.busy) return 0;
    const c = this.ctrl;
    const seq = this.seq;
    const job = this.pending;
    this.pending = null;
    // Not started by the thread yet: run it here rather than wait for the thread to be scheduled.
    if (job && Atomics.compareExchange(c, CLAIMED, (seq - 1) | 0, seq) === ((seq - 1) | 0)) {
      this.busy = false;
      this.stolen++;
      return job();
    }
    let spins = 0;
    for (;;) {
      const done = Atomics.load(c, DONE);
      if (done === seq) break;
      if (spins < SPINS) spins++;
      else Atomics.wait(c, DONE, done, 1000);
    }
    this.busy = false;
    if (Atomics.load(c, FAILED) !== 0) {
      Atomics.store(c, FAILED, 0);
      const why = receiveMessageOnPort(this.port)?.message;
      this.bound = null;
      throw new Error(`The histogram thread failed: ${String(why ?? 'no reason given')}`);
    }
    return Atomics.load(c, RESULT);
  }

  dispose(): Promise<number> {
    if (this.disposed === null) {
      if (this.alive()) {
        this.wait();
        this.command(CMD_QUIT);
        this.busy = false;
      }
      // The thread leaves its loop on QUIT and exits by itself; one that does not is stopped. Until it has
      // exited it must keep the process alive, or an awaited dispose() would end the process unsettled.
      this.worker.ref();
      const timer = setTimeout(() => void this.worker.terminate(), 5000);
      timer.unref();
      this.disposed = this.exited.finally(() => clearTimeout(timer));
    }
    return this.disposed;
  }

  private command(cmd: number): void {
    if (this.disposed !== null || !this.alive()) throw new Error('HistogramHelper: the histogram thread has stopped');
    // A job left unwaited (its caller threw) is finished first: one job at a time.
    if (this.busy) this.wait();
    this.pending = null;
    const c = this.ctrl;
    c[CMD] = cmd;
    this.seq = (this.seq + 1) | 0;
    Atomics.store(c, SEQ, this.seq);
    Atomics.notify(c, SEQ);
    this.busy = true;
  }
}

/** The thread from compiled output (hist-thread-entry.node.js beside this file) or, from sources, through tsx. */
function spawnEntry(workerData: unknown, transferList: MessagePort[]): Worker {
  const compiled = new URL('./hist-thread-entry.node.js', import.meta.url);
  if (existsSync(fileURLToPath(compiled))) return new Worker(compiled, { workerData, transferList });
  // As in workers/data/node-client.ts: Node 20 ignores `--import tsx` in a worker, so it registers tsx itself.
  const tsx = tsxEsmApi();
  const entry = new URL('./hist-thread-entry.node.ts', import.meta.url).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(boot, { eval: true, workerData, transferList });
}
