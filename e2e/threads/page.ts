// Runs checks.worker.ts (a worker may block on Atomics.wait; this page may not) and leaves its answer on window.checks.
const worker = new Worker(new URL('./checks.worker.ts', import.meta.url), { type: 'module' });
const done = (result: unknown) => {
  (window as unknown as { checks: unknown }).checks = result;
};
worker.onmessage = (event: MessageEvent) => done(event.data);
worker.onerror = (event: ErrorEvent) => done({ failed: event.message || 'the worker failed to start' });
