/**
 * The control words the histogram thread and its client share (an Int32Array on a SharedArrayBuffer); see
 * hist-threads.node.ts. The client writes a command and its arguments, bumps SEQ and notifies; the thread does
 * it, stores SEQ into DONE and notifies back.
 */
export const SEQ = 0;
export const DONE = 1;
export const CMD = 2;
/** 1 once a command failed (its message waits on the channel). */
export const FAILED = 7;
/** The finished command's result (a partition's left count). */
export const RESULT = 9;
/** CMD_CALL: which kernel (an index into wasm-hist.ts's KERNELS) and how many arguments. */
export const KERNEL = 10;
export const NARGS = 11;
/**
 * The last job claimed: whoever moves it from SEQ − 1 to SEQ (compareExchange) runs that job. The thread claims
 * each job it sees; the client claims a job it is waiting for that the thread has not started (the thread was
 * asleep or descheduled, as on a busy machine) and runs it itself, so a second thread never costs much more
 * than none. Binds and quit are the thread's alone.
 */
export const CLAIMED = 12;
/** A kernel's arguments, from here on. */
export const ARGS = 16;
export const MAX_ARGS = 16;
export const CONTROL_WORDS = ARGS + MAX_ARGS;

export const CMD_BIND = 1;
export const CMD_CALL = 2;
export const CMD_QUIT = 3;
/** Boosting's row-wise jobs (gbdt.ts `boostJob`): bind the arrays; run a job (KERNEL: 0 gradients, 1 scores). */
export const CMD_BOOST_BIND = 4;
export const CMD_BOOST = 5;

/** Polls before sleeping in Atomics.wait: a node's histogram takes tens of microseconds to a few milliseconds. */
export const SPINS = 4000;
