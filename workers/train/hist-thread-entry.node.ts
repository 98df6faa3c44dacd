import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { boostJob } from '../../shared/ml/models/gbdt.js';
import type { BoostArrays } from '../../shared/ml/models/parallel.js';
import { KERNELS, wasmHist, type WasmMemory } from '../../shared/ml/models/wasm-hist.js';
import { ARGS, CLAIMED, CMD, CMD_BIND, CMD_BOOST, CMD_BOOST_BIND, CMD_CALL, CMD_QUIT, DONE, FAILED, KERNEL, NARGS, RESULT, SEQ, SPINS } from './hist-thread-protocol.node.js';

/**
 * The histogram thread (started by hist-threads.node.ts): after saying it is ready it never returns to its event
 * loop, but sleeps on the control words and runs each command the client posts (a kernel of wasm-hist.ts on the
 * shared memory it was bound to, or boosting's row-wise `boostJob`), until told to quit.
 */
const { control, channel } = workerData as { control: SharedArrayBuffer; channel: MessagePort };
const ctrl = new Int32Array(control);
let kernels: (((...args: number[]) => number | undefined) | undefined)[] | null = null;
let seen = Atomics.load(ctrl, SEQ);
parentPort!.postMessage('ready');

let boost: BoostArrays | null = null;
const args: number[] = [];

for (;;) {
  let spins = 0;
  while (Atomics.load(ctrl, SEQ) === seen) {
    if (spins < SPINS) spins++;
    else Atomics.wait(ctrl, SEQ, seen, 1000);
  }
  seen = Atomics.load(ctrl, SEQ);
  const cmd = ctrl[CMD];
  if (cmd === CMD_QUIT) {
    Atomics.store(ctrl, DONE, seen);
    Atomics.notify(ctrl, DONE);
    break;
  }
  // A job the client has run itself (it found it unclaimed while waiting) is skipped.
  if (Atomics.compareExchange(ctrl, CLAIMED, (seen - 1) | 0, seen) !== ((seen - 1) | 0)) continue;
  ctrl[RESULT] = 0;
  try {
    if (cmd === CMD_BIND) {
      // The client posted the memory before bumping SEQ, so the message is already queued.
      const received = receiveMessageOnPort(channel);
      if (received === undefined) throw new Error('bind without a memory');
      const { memory, bytes } = received.message as { memory: WasmMemory; bytes: Uint8Array };
      kernels = null;
      const kern = wasmHist(memory, true, bytes);
      if (kern === null) throw new Error('the kernels did not start on the shared memory');
      kernels = KERNELS.map((name) => kern[name] as ((...args: number[]) => number | undefined) | undefined);
    } else if (cmd === CMD_CALL) {
      if (kernels === null) throw new Error('a job before bind');
      const fn = kernels[ctrl[KERNEL]!];
      if (fn === undefined) throw new Error(`unknown kernel ${ctrl[KERNEL]}`);
      args.length = ctrl[NARGS]!;
      for (let i = 0; i < args.length; i++) args[i] = ctrl[ARGS + i]!;
      ctrl[RESULT] = fn(...args) ?? 0;
    } else if (cmd === CMD_BOOST_BIND) {
      const received = receiveMessageOnPort(channel);
      if (received === undefined) throw new Error('bindBoost without arrays');
      boost = received.message as BoostArrays;
    } else if (cmd === CMD_BOOST) {
      if (boost === null) throw new Error('a boosting job before bindBoost');
      boostJob(ctrl[KERNEL] === 0 ? 'gradients' : 'scores', boost, ctrl[ARGS]!, ctrl[ARGS + 1]!, ctrl[ARGS + 2]!);
    } else throw new Error(`unknown command ${cmd}`);
  } catch (err) {
    channel.postMessage(err instanceof Error ? (err.stack ?? err.message) : String(err));
    Atomics.store(ctrl, FAILED, 1);
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
channel.close();
