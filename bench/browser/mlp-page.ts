// Runs the benchmark in a module Web Worker, as the app trains, and leaves the result on window.mlpBench.
const params = new URLSearchParams(location.search);
const worker = new Worker(new URL('./mlp-worker.ts', import.meta.url), { type: 'module' });
const done = (result: unknown) => {
  (window as unknown as { mlpBench: unknown }).mlpBench = result;
};
worker.onmessage = (event: MessageEvent) => done(event.data);
worker.onerror = (event: ErrorEvent) => done({ error: event.message || 'the worker failed to start' });
worker.postMessage({ rows: Number(params.get('rows') ?? 80_000), epochs: Number(params.get('epochs') ?? 3) });
