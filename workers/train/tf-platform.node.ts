import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { chooseBackend, type BackendChoice, type ProbeOptions, type TfPlatform } from './backend.js';

/**
 * The Node side of training: TensorFlow.js's CPU backend and its WASM backend, whose .wasm files are read from the
 * package's dist folder on disk (nothing is fetched). Node has no WebGPU or WebGL, and tfjs-node is never used
 * (it downloads libtensorflow at install).
 */

const require = createRequire(import.meta.url);

/** The folder holding tfjs-backend-wasm's three .wasm builds, as a file path ending in a separator. */
export function tfWasmDir(): string {
  return `${dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'))}/`;
}

let prepared = false;

/** Points the WASM backend at its files on disk; must run before the backend first initialises (idempotent). */
export function prepareNodeTf(): void {
  if (prepared) return;
  // A plain path: the backend's Node build reads it with fs (a file: URL would be fetched).
  try {
    setWasmPaths(tfWasmDir());
  } catch (err) {
    // The backend already started from its default location (its own dist folder, the same files): nothing to do.
    if (!(err instanceof Error && err.message.includes('already initialized'))) throw err;
  }
  prepared = true;
}

/** Node's platform for `chooseBackend`: WASM and CPU, no GPU adapter. */
export const nodeTfPlatform: TfPlatform = {
  name: 'node',
  candidates: ['wasm', 'cpu'],
  gpuAdapter: () => Promise.resolve(null),
};

/** Prepares the WASM files, then picks and activates the faster of WASM and CPU (see backend.ts). */
export async function initNodeTraining(options: ProbeOptions = {}): Promise<BackendChoice> {
  prepareNodeTf();
  return chooseBackend(nodeTfPlatform, options);
}
