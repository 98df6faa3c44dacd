import * as tf from '@tensorflow/tfjs';

/**
 * Which TensorFlow.js backend the MLP trains on, and why. The rule (spec): WebGPU where a real GPU adapter exists
 * (a software fallback adapter — `isFallbackAdapter`, or SwiftShader and the like in the adapter info — counts as
 * none); otherwise whichever of WASM (SIMD) and WebGL a short probe measures faster on this machine; CPU last.
 * The decision is `decideBackend`, a pure function of the adapter info and the probe results, so it is tested
 * without a GPU; `chooseBackend` gathers those facts through a `TfPlatform` and switches TensorFlow.js over.
 * Node has only `wasm` and `cpu` (tf-platform.node.ts); the browser worker all four (tf-platform.web.ts).
 */

/** The TensorFlow.js backends Orchard can train on. */
export type BackendName = 'webgpu' | 'wasm' | 'webgl' | 'cpu';

/** One timed probe: milliseconds per small dense training step, or why the backend could not run it. */
export interface BackendProbe {
  backend: BackendName;
  msPerStep?: number;
  error?: string;
}

/** The chosen backend, a sentence saying why (shown in the UI), and the probes behind it (recorded with each experiment). */
export interface BackendChoice {
  backend: BackendName;
  reason: string;
  probes: BackendProbe[];
}

/** What the platform could learn about its WebGPU adapter (`null` from `TfPlatform.gpuAdapter` when there is none). */
export interface GpuAdapterSummary {
  /** `adapter.info.isFallbackAdapter` (or the older `adapter.isFallbackAdapter`). */
  isFallbackAdapter?: boolean;
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
}

/** Facts about the WASM build this platform would load, for the reason text. */
export interface WasmFeatures {
  simd: boolean;
  threads: boolean;
}

/** The only things that differ between Node and the browser when picking a backend. */
export interface TfPlatform {
  name: 'node' | 'browser';
  /** Backends this platform has registered, in the order they are worth trying. */
  candidates: readonly BackendName[];
  /** The WebGPU adapter, or null where there is none (always null in Node). */
  gpuAdapter(): Promise<GpuAdapterSummary | null>;
}

/** Adapter names that mean a software rasteriser rather than a GPU. */
const SOFTWARE_ADAPTERS = /swiftshader|llvmpipe|lavapipe|softpipe|microsoft basic render/i;

/** Why an adapter is not a real GPU, or null when it is one. */
export function softwareAdapterReason(adapter: GpuAdapterSummary): string | null {
  if (adapter.isFallbackAdapter === true) return 'the WebGPU adapter is a software fallback adapter';
  const text = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter(Boolean).join(' ');
  const match = SOFTWARE_ADAPTERS.exec(text);
  return match ? `the WebGPU adapter is a software renderer (${match[0]})` : null;
}

function describeAdapter(adapter: GpuAdapterSummary): string {
  const parts = [adapter.vendor, adapter.architecture, adapter.device, adapter.description].filter((p) => p !== undefined && p !== '');
  return parts.length > 0 ? parts.join(' ') : 'an unnamed adapter';
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'WASM', webgl: 'WebGL', cpu: 'CPU' };

function fmtMs(ms: number): string {
  return ms >= 10 ? ms.toFixed(0) : ms >= 1 ? ms.toFixed(1) : ms.toFixed(2);
}

/**
 * The spec's rule as a pure function. `probes` holds whatever was measured (a WebGPU probe too, when the adapter was
 * real and the backend was tried); a probe with `error` or without `msPerStep` does not count as working, except
 * that CPU is always the last resort.
 */
export function decideBackend(input: { adapter: GpuAdapterSummary | null; probes: readonly BackendProbe[]; wasm?: WasmFeatures }): BackendChoice {
  const choice = decide(input);
  return { ...choice, reason: choice.reason.charAt(0).toUpperCase() + choice.reason.slice(1) };
}

function decide(input: { adapter: GpuAdapterSummary | null; probes: readonly BackendProbe[]; wasm?: WasmFeatures }): BackendChoice {
  const probes = input.probes.map((p) => ({ ...p }));
  const find = (name: BackendName) => probes.find((p) => p.backend === name);
  const works = (p: BackendProbe | undefined): p is BackendProbe & { msPerStep: number } =>
    p !== undefined && p.error === undefined && typeof p.msPerStep === 'number' && Number.isFinite(p.msPerStep);

  let whyNotGpu: string;
  if (input.adapter === null) whyNotGpu = 'no WebGPU adapter';
  else {
    const software = softwareAdapterReason(input.adapter);
    const gpu = find('webgpu');
    if (software !== null) whyNotGpu = software;
    else if (gpu?.error !== undefined) whyNotGpu = `WebGPU failed to start (${gpu.error})`;
    else {
      const speed = works(gpu) ? ` (${fmtMs(gpu.msPerStep)} ms per probe step)` : '';
      return { backend: 'webgpu', reason: `WebGPU on a real GPU adapter: ${describeAdapter(input.adapter)}${speed}.`, probes };
    }
  }

  const timed = (['wasm', 'webgl'] as const).map(find).filter(works);
  timed.sort((a, b) => a.msPerStep - b.msPerStep);
  const wasmLabel = input.wasm ? `WASM (${input.wasm.simd ? 'SIMD' : 'no SIMD'}${input.wasm.threads ? ', threads' : ''})` : 'WASM';
  const label = (name: BackendName) => (name === 'wasm' ? wasmLabel : LABEL[name]);
  const best = timed[0];
  if (best !== undefined) {
    const other = timed[1];
    const failed = (['wasm', 'webgl'] as const).map(find).filter((p): p is BackendProbe => p !== undefined && !works(p));
    let versus = '';
    if (other !== undefined) versus = ` against ${label(other.backend)} at ${fmtMs(other.msPerStep)} ms`;
    else if (failed.length > 0) versus = `; ${failed.map((p) => `${label(p.backend)} could not run (${p.error ?? 'no timing'})`).join(', ')}`;
    return {
      backend: best.backend,
      reason: `${whyNotGpu}; ${label(best.backend)} measured ${fmtMs(best.msPerStep)} ms per probe step${versus}.`,
      probes,
    };
  }
  const tried = (['wasm', 'webgl'] as const).map(find).filter((p): p is BackendProbe => p !== undefined);
  const why = tried.length > 0 ? tried.map((p) => `${label(p.backend)} could not run (${p.error ?? 'no timing'})`).join(', ') : 'neither WASM nor WebGL is available';
  return { backend: 'cpu', reason: `${whyNotGpu}; ${why}, so the plain JavaScript CPU backend.`, probes };
}

/** Options for `probeBackend` / `chooseBackend`: the probe's size (defaults: batch 256, 32→64→32→1, 2 warm-up + 5 timed steps). */
export interface ProbeOptions {
  steps?: number;
  warmup?: number;
  batch?: number;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Switches TensorFlow.js to `name` and times a few small dense training steps on it (forward, loss, gradients of
 * a 32→64→32→1 ReLU network on a batch of 256), after warm-up steps that compile shaders. Leaves `name` active.
 */
export async function probeBackend(name: BackendName, options: ProbeOptions = {}): Promise<BackendProbe> {
  const steps = options.steps ?? 5;
  const warmup = options.warmup ?? 2;
  const batch = options.batch ?? 256;
  try {
    const ok = await tf.setBackend(name);
    if (!ok || tf.getBackend() !== name) return { backend: name, error: `${LABEL[name]} backend failed to initialise` };
    await tf.ready();
    const seeds = [1, 2, 3, 4];
    const x = tf.randomUniform([batch, 32], -1, 1, 'float32', seeds[0]);
    const y = tf.randomUniform([batch, 1], 0, 1, 'float32', seeds[1]);
    const w1 = tf.randomUniform([32, 64], -0.3, 0.3, 'float32', seeds[2]);
    const w2 = tf.randomUniform([64, 32], -0.3, 0.3, 'float32', seeds[3]);
    const w3 = tf.randomUniform([32, 1], -0.3, 0.3, 'float32', 5);
    const grad = tf.grads((a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) =>
      tf.losses.meanSquaredError(y, tf.matMul(tf.relu(tf.matMul(tf.relu(tf.matMul(x, a)), b)), c)),
    );
    const step = () => tf.tidy(() => tf.addN(grad([w1, w2, w3]).map((g) => tf.sum(g))));
    try {
      for (let i = 0; i < warmup; i++) {
        const s = step();
        await s.data();
        s.dispose();
      }
      const t0 = performance.now();
      let last: tf.Tensor | null = null;
      for (let i = 0; i < steps; i++) {
        last?.dispose();
        last = step();
      }
      if (last) {
        const v = (await last.data())[0]!;
        last.dispose();
        if (!Number.isFinite(v)) return { backend: name, error: 'probe produced a non-finite result' };
      }
      return { backend: name, msPerStep: (performance.now() - t0) / steps };
    } finally {
      tf.dispose([x, y, w1, w2, w3]);
    }
  } catch (err) {
    return { backend: name, error: message(err) };
  }
}

/** What `chooseBackend` needs from the outside world; each defaults to the real thing, and tests replace them. */
export interface ChooseDeps {
  probe?: (name: BackendName, options: ProbeOptions) => Promise<BackendProbe>;
  activate?: (name: BackendName) => Promise<boolean>;
}

/**
 * Applies the rule on this machine: asks the platform for its GPU adapter, probes WebGPU when the adapter is real,
 * otherwise probes WASM and WebGL (those the platform registers), decides with `decideBackend`, and makes the choice
 * TensorFlow.js's active backend. If the chosen backend then fails to start, the next working probe (or CPU) is used
 * and the reason says so.
 */
export async function chooseBackend(platform: TfPlatform, options: ProbeOptions & ChooseDeps = {}): Promise<BackendChoice> {
  const probe = options.probe ?? probeBackend;
  const activate = options.activate ?? (async (name: BackendName) => (await tf.setBackend(name)) && tf.getBackend() === name);
  let adapter: GpuAdapterSummary | null = null;
  let adapterError: string | undefined;
  if (platform.candidates.includes('webgpu')) {
    try {
      adapter = await platform.gpuAdapter();
    } catch (err) {
      adapterError = message(err);
    }
  }
  const probes: BackendProbe[] = [];
  if (adapter !== null && softwareAdapterReason(adapter) === null) {
    const gpu = await probe('webgpu', options);
    probes.push(gpu);
    if (gpu.error === undefined) {
      const choice = decideBackend({ adapter, probes });
      if (await activate('webgpu')) return choice;
      probes[0] = { backend: 'webgpu', error: 'WebGPU backend failed to initialise' };
    }
  }
  for (const name of ['wasm', 'webgl'] as const) {
    if (platform.candidates.includes(name)) probes.push(await probe(name, options));
  }
  const wasm = platform.candidates.includes('wasm') ? await wasmFeatures() : undefined;
  const decide = (measured: BackendProbe[]): BackendChoice => {
    const choice = decideBackend(wasm ? { adapter, probes: measured, wasm } : { adapter, probes: measured });
    if (adapterError === undefined) return choice;
    return { ...choice, reason: choice.reason.replace('No WebGPU adapter', `No WebGPU adapter (${adapterError})`) };
  };
  const choice = decide(probes);
  if (await activate(choice.backend)) return choice;
  // The winner would not start a second time: mark it failed and decide again (CPU at worst).
  const failed: BackendProbe = { backend: choice.backend, error: `${LABEL[choice.backend]} failed to initialise after probing` };
  const again = decide(choice.probes.map((p) => (p.backend === choice.backend ? failed : p)));
  await activate(again.backend);
  return again;
}

/** SIMD and threads as TensorFlow.js's WASM backend sees them on this platform. */
export async function wasmFeatures(): Promise<WasmFeatures> {
  const flag = async (name: string) => {
    try {
      return (await tf.env().getAsync(name)) === true;
    } catch {
      return false;
    }
  };
  return { simd: await flag('WASM_HAS_SIMD_SUPPORT'), threads: await flag('WASM_HAS_MULTITHREAD_SUPPORT') };
}
