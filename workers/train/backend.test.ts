import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { chooseBackend, decideBackend, softwareAdapterReason, type BackendName, type BackendProbe, type TfPlatform } from './backend.js';
import { initNodeTraining } from './tf-platform.node.js';

const REAL_GPU = { vendor: 'nvidia', architecture: 'ada', description: 'NVIDIA GeForce RTX 4070', isFallbackAdapter: false };

describe('decideBackend', () => {
  it('takes WebGPU on a real adapter', () => {
    const choice = decideBackend({ adapter: REAL_GPU, probes: [{ backend: 'webgpu', msPerStep: 0.8 }] });
    expect(choice.backend).toBe('webgpu');
    expect(choice.reason).toMatch(/RTX 4070/);
  });

  it('never takes WebGPU on a fallback or SwiftShader adapter, however fast it probed', () => {
    const probes: BackendProbe[] = [
      { backend: 'webgpu', msPerStep: 0.1 },
      { backend: 'wasm', msPerStep: 3 },
      { backend: 'webgl', msPerStep: 5 },
    ];
    const fallback = decideBackend({ adapter: { ...REAL_GPU, isFallbackAdapter: true }, probes });
    expect(fallback.backend).toBe('wasm');
    expect(fallback.reason).toMatch(/fallback/);
    const swiftshader = decideBackend({ adapter: { vendor: 'google', architecture: 'swiftshader', description: 'SwiftShader Device (Subzero)' }, probes });
    expect(swiftshader.backend).toBe('wasm');
    expect(swiftshader.reason).toMatch(/swiftshader/i);
    expect(softwareAdapterReason({ description: 'llvmpipe (LLVM 15.0.7, 256 bits)' })).toMatch(/llvmpipe/);
    expect(softwareAdapterReason(REAL_GPU)).toBeNull();
  });

  it('takes the faster of WASM and WebGL when there is no GPU adapter', () => {
    const webglFaster = decideBackend({ adapter: null, probes: [{ backend: 'wasm', msPerStep: 4 }, { backend: 'webgl', msPerStep: 1.5 }] });
    expect(webglFaster.backend).toBe('webgl');
    expect(webglFaster.reason).toMatch(/^No WebGPU adapter; WebGL measured 1\.5 ms .* against WASM at 4\.0 ms/);
    const wasmFaster = decideBackend({
      adapter: null,
      probes: [{ backend: 'wasm', msPerStep: 1.2 }, { backend: 'webgl', msPerStep: 6 }],
      wasm: { simd: true, threads: false },
    });
    expect(wasmFaster.backend).toBe('wasm');
    expect(wasmFaster.reason).toMatch(/WASM \(SIMD\) measured 1\.2 ms/);
    expect(wasmFaster.probes).toEqual([{ backend: 'wasm', msPerStep: 1.2 }, { backend: 'webgl', msPerStep: 6 }]);
  });

  it('takes the one that works when the other fails, and CPU when both fail', () => {
    const onlyWebgl = decideBackend({ adapter: null, probes: [{ backend: 'wasm', error: 'no wasm file' }, { backend: 'webgl', msPerStep: 9 }] });
    expect(onlyWebgl.backend).toBe('webgl');
    expect(onlyWebgl.reason).toMatch(/WASM could not run \(no wasm file\)/);
    const none = decideBackend({ adapter: null, probes: [{ backend: 'wasm', error: 'x' }, { backend: 'webgl', error: 'y' }] });
    expect(none.backend).toBe('cpu');
    const brokenGpu = decideBackend({
      adapter: REAL_GPU,
      probes: [{ backend: 'webgpu', error: 'device lost' }, { backend: 'wasm', error: 'x' }, { backend: 'webgl', error: 'y' }],
    });
    expect(brokenGpu.backend).toBe('cpu');
    expect(brokenGpu.reason).toMatch(/WebGPU failed to start \(device lost\)/);
    expect(decideBackend({ adapter: null, probes: [] }).backend).toBe('cpu');
  });
});

describe('chooseBackend', () => {
  const browserLike = (adapter: TfPlatform['gpuAdapter']): TfPlatform => ({ name: 'browser', candidates: ['webgpu', 'wasm', 'webgl', 'cpu'], gpuAdapter: adapter });
  const fakeProbes = (table: Partial<Record<BackendName, BackendProbe>>) => {
    const asked: BackendName[] = [];
    const probe = async (name: BackendName) => {
      asked.push(name);
      return table[name] ?? { backend: name, error: 'not registered' };
    };
    return { asked, probe };
  };

  it('probes WebGPU only on a real adapter, and the rest only when WebGPU fails', async () => {
    const real = fakeProbes({ webgpu: { backend: 'webgpu', msPerStep: 1 } });
    const activated: BackendName[] = [];
    const activate = async (name: BackendName) => (activated.push(name), true);
    expect((await chooseBackend(browserLike(async () => REAL_GPU), { probe: real.probe, activate })).backend).toBe('webgpu');
    expect(real.asked).toEqual(['webgpu']);
    expect(activated).toEqual(['webgpu']);

    const software = fakeProbes({ wasm: { backend: 'wasm', msPerStep: 2 }, webgl: { backend: 'webgl', msPerStep: 1 } });
    const choice = await chooseBackend(browserLike(async () => ({ isFallbackAdapter: true })), { probe: software.probe, activate });
    expect(software.asked).toEqual(['wasm', 'webgl']);
    expect(choice.backend).toBe('webgl');

    const failing = fakeProbes({ webgpu: { backend: 'webgpu', error: 'adapter lost' }, wasm: { backend: 'wasm', msPerStep: 2 } });
    const afterGpu = await chooseBackend(browserLike(async () => REAL_GPU), { probe: failing.probe, activate });
    expect(failing.asked).toEqual(['webgpu', 'wasm', 'webgl']);
    expect(afterGpu.backend).toBe('wasm');
    expect(afterGpu.probes.map((p) => p.backend)).toEqual(['webgpu', 'wasm', 'webgl']);
  });

  it('falls back when the winner will not start, and reports an adapter query that threw', async () => {
    const { probe } = fakeProbes({ wasm: { backend: 'wasm', msPerStep: 1 }, webgl: { backend: 'webgl', msPerStep: 2 } });
    const choice = await chooseBackend(
      browserLike(async () => {
        throw new Error('WebGPU is disabled');
      }),
      { probe, activate: async (name) => name !== 'wasm' },
    );
    expect(choice.backend).toBe('webgl');
    expect(choice.reason).toMatch(/^No WebGPU adapter \(WebGPU is disabled\); WebGL measured 2\.0 ms/);
    expect(choice.probes.find((p) => p.backend === 'wasm')?.error).toMatch(/failed to initialise/);
  });

  it('in Node, measures WASM for real and activates it (CPU is only the last resort)', async () => {
    const choice = await initNodeTraining({ steps: 3, warmup: 1 });
    expect(choice.backend).toBe('wasm');
    expect(tf.getBackend()).toBe(choice.backend);
    const wasm = choice.probes.find((p) => p.backend === 'wasm');
    expect(wasm?.error).toBeUndefined();
    expect(wasm?.msPerStep).toBeGreaterThan(0);
    expect(choice.reason).toMatch(/^No WebGPU adapter; /);
    expect(choice).toEqual(decideBackend({ adapter: null, probes: choice.probes, wasm: { simd: true, threads: false } }));
  });
});
