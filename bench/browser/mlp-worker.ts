/**
 * The browser half of the MLP benchmark: in a module Web Worker (where the app trains), each of the browser's
 * TensorFlow.js backends in turn on the same seeded problem. WebGPU's adapter is reported, so a software fallback
 * (SwiftShader in headless Chromium) is not mistaken for a GPU. WebGPU and WebGL train on an eighth of the rows for
 * one epoch: without a real GPU they run on SwiftShader at a few thousand rows a second, and rows per second is
 * what the table compares.
 */
import { prepareWebTf, webTfPlatform } from '../../workers/train/tf-platform.web.js';
import { softwareAdapterReason } from '../../workers/train/backend.js';
import { mlpBenchProblem, timeMlp, type MlpBenchRow } from '../mlp-problem.js';

self.addEventListener('message', (event: MessageEvent<{ rows: number; epochs: number }>) => {
  void (async () => {
    try {
      prepareWebTf();
      const { rows: n, epochs } = event.data;
      const problem = mlpBenchProblem(n);
      const small = mlpBenchProblem(Math.max(1000, Math.round(n / 8)));
      const adapter = await webTfPlatform.gpuAdapter();
      const rows: MlpBenchRow[] = [];
      for (const backend of webTfPlatform.candidates) {
        const gpu = backend === 'webgpu' || backend === 'webgl';
        const row = await timeMlp('chromium', backend, gpu ? small : problem, gpu ? 1 : epochs);
        if (backend === 'webgpu' && adapter !== null) row.note = softwareAdapterReason(adapter) ?? 'a real GPU adapter';
        rows.push(row);
      }
      self.postMessage({ rows });
    } catch (err) {
      self.postMessage({ error: err instanceof Error ? err.message : String(err) });
    }
  })();
});
