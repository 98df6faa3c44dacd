import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { wasmHist, type WasmHist, type WasmMemory } from '../../shared/ml/models/wasm-hist.js';
import { ARGS, CMD, CMD_BIND, CMD_BUILD, CMD_PARTITION, CMD_QUIT, DONE, FAILED, RESULT, SEQ, SPINS } from './hist-thread-protocol.node.js';

/**
 * The histogram thread (started by hist-threads.node.ts): after saying it is ready it never returns to its event
 * loop, but sleeps on the control words and runs each command the client posts (a kernel of wasm-hist.ts on the
 * shared memory it was bound to), until told to quit.
 */
const { control, channel } = workerData as { control: SharedArrayBuffer; channel: MessagePort };
const ctrl = new Int32Array(control);
let kern: WasmHist | null = null;
let seen = Atomics.load(ctrl, SEQ);
parentPort!.postMessage('ready');

const arg = (i: number): number => ctrl[ARGS + i]!;

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
  ctrl[RESULT] = 0;
  try {
    if (cmd === CMD_BIND) {
      // The client posted the memory before bumping SEQ, so the message is already queued.
      const received = receiveMessageOnPort(channel);
      if (received === undefined) throw new Error('bind without a memory');
      kern = wasmHist(received.message as WasmMemory, true);
      if (kern === null) throw new Error('the kernels did not start on the shared memory');
    } else if (cmd === CMD_BUILD) {
      if (kern === null) throw new Error('build before bind');
      kern.hist(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), arg(7), arg(8), arg(9));
    } else if (cmd === CMD_PARTITION) {
      if (kern === null) throw new Error('partition before bind');
      ctrl[RESULT] = kern.partition(arg(0), arg(1), arg(2), arg(3), arg(4), arg(5), arg(6), arg(7), arg(8));
    } else throw new Error(`unknown command ${cmd}`);
  } catch (err) {
    channel.postMessage(err instanceof Error ? (err.stack ?? err.message) : String(err));
    Atomics.store(ctrl, FAILED, 1);
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
channel.close();
