import type { WorkerPort } from '../../../shared/protocol/worker-client.js';

/** A browser Worker as the `WorkerPort` the typed client speaks through; `what` names it in errors. */
export function browserPort(worker: Worker, what: string): WorkerPort {
  return {
    postMessage: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => worker.addEventListener('message', (e) => listener(e.data)),
    onError: (listener) =>
      worker.addEventListener('error', (e) => {
        e.preventDefault();
        listener(new Error(e.message || `the ${what} could not start`));
      }),
    onExit: () => undefined,
    terminate: () => worker.terminate(),
  };
}
