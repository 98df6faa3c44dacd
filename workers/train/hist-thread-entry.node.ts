import { parentPort, receiveMessageOnPort, workerData, type MessagePort } from 'node:worker_threads';
import { buildGhHistogram, partitionRows } from '../../shared/ml/models/hist-tree.js';
import type { HistogramBuffers } from '../../shared/ml/models/parallel.js';
import { CMD, CMD_BIND, CMD_BUILD, CMD_PARTITION, CMD_QUIT, COUNT, DIRECT, DONE, END, FAILED, FEATURE, RESULT, SEQ, SPINS, START } from './hist-thread-protocol.node.js';

/**
 * The histogram thread (started by hist-threads.node.ts): after saying it is ready it never returns to its event
 * loop, but sleeps on the control words and runs each command the client posts, until told to quit.
 */
const { control, channel } = workerData as { control: SharedArrayBuffer; channel: MessagePort };
const ctrl = new Int32Array(control);
const ord = new Float64Array(2 * 2048);
let buffers: HistogramBuffers | null = null;
let seen = Atomics.load(ctrl, SEQ);
parentPort!.postMessage('ready');

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
      // The client posted the buffers before bumping SEQ, so the message is already queued.
      const received = receiveMessageOnPort(channel);
      if (received === undefined) throw new Error('bind without buffers');
      buffers = received.message as HistogramBuffers;
    } else if (cmd === CMD_BUILD) {
      if (buffers === null) throw new Error('build before bind');
      const b = buffers;
      buildGhHistogram(b.out, b.columns, b.offsets, b.gh, b.rowIndex, ctrl[START]!, ctrl[END]!, ctrl[DIRECT] === 1, b.features, 0, ctrl[COUNT]!, ord);
    } else if (cmd === CMD_PARTITION) {
      if (buffers === null) throw new Error('partition before bind');
      const b = buffers;
      const s = ctrl[START]!;
      ctrl[RESULT] = partitionRows(b.rowIndex, b.scratch, b.columns[ctrl[FEATURE]!]!, b.lut, s, ctrl[END]!, s);
    } else throw new Error(`unknown command ${cmd}`);
  } catch (err) {
    channel.postMessage(err instanceof Error ? (err.stack ?? err.message) : String(err));
    Atomics.store(ctrl, FAILED, 1);
  }
  Atomics.store(ctrl, DONE, seen);
  Atomics.notify(ctrl, DONE);
}
channel.close();
