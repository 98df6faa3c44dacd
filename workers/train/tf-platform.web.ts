import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { chooseBackend, type BackendChoice, type GpuAdapterSummary, type ProbeOptions, type TfPlatform } from './backend.js';

/**
 * The browser side of training (a Web Worker): WebGPU, WASM, WebGL and CPU. The three .wasm builds come through
 * Vite `?url` imports, so they ship inside the bundle and nothing is fetched from outside it. WebGL in a worker
 * runs on an OffscreenCanvas. The threaded WASM build stays off although the app is cross-origin isolated: its
 * thread workers fail to start from this bundled module worker (the backend's init then fails, as the modelling
 * end-to-end test showed), and the SIMD build is the one measured in docs/benchmarks.md.
 */

/** The subset of the WebGPU API the adapter check reads (the DOM typings are not part of the worker build). */
interface GpuAdapterLike {
  info?: GpuAdapterSummary;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterSummary>;
}
interface NavigatorGpu {
  gpu?: { requestAdapter(options?: { powerPreference?: 'high-performance' | 'low-power' }): Promise<GpuAdapterLike | null> };
}

let prepared = false;

/** Gives the WASM backend the bundled file URLs; must run before the backend first initialises (idempotent). */
export function prepareWebTf(): void {
  if (prepared) return;
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  prepared = true;
}

/** Reads the high-performance adapter's info; null when the browser has no WebGPU or no adapter. */
async function gpuAdapter(): Promise<GpuAdapterSummary | null> {
  const gpu = (navigator as unknown as NavigatorGpu).gpu;
  if (!gpu) return null;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info ?? (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {});
  const summary: GpuAdapterSummary = {};
  for (const key of ['vendor', 'architecture', 'device', 'description'] as const) {
    const value = info[key];
    if (typeof value === 'string' && value !== '') summary[key] = value;
  }
  const fallback = info.isFallbackAdapter ?? adapter.isFallbackAdapter;
  if (typeof fallback === 'boolean') summary.isFallbackAdapter = fallback;
  return summary;
}

/** The browser's platform for `chooseBackend`. */
export const webTfPlatform: TfPlatform = {
  name: 'browser',
  candidates: ['webgpu', 'wasm', 'webgl', 'cpu'],
  gpuAdapter,
};

/** Prepares the WASM files, then picks and activates a backend by the spec's rule (see backend.ts). */
export async function initWebTraining(options: ProbeOptions = {}): Promise<BackendChoice> {
  prepareWebTf();
  return chooseBackend(webTfPlatform, options);
}
