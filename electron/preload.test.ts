import { readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it, vi } from 'vitest';
import { HOST_CHANNELS, HOST_EVENTS } from '../shared/host/contract.js';
import type { OrchardBridge as PreloadBridge } from '../renderer/src/host/bridge.js';

/**
 * Runs the preload source the way Electron runs a sandboxed preload: as a CommonJS function body whose
 * `require` knows only 'electron' (here a fake with contextBridge, ipcRenderer and webUtils).
 */
function loadPreload() {
  const source = readFileSync(new URL('./preload.cts', import.meta.url), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
  });
  const exposed = new Map<string, unknown>();
  const listeners = new Set<(event: unknown, message: unknown) => void>();
  const invoke = vi.fn(async (channel: string, args: unknown): Promise<unknown> => ({ ok: true, result: { channel, args } }));
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api) },
    ipcRenderer: {
      invoke,
      on: (channel: string, l: (event: unknown, message: unknown) => void) => {
        expect(channel).toBe('orchard:event');
        listeners.add(l);
      },
      removeListener: (_channel: string, l: (event: unknown, message: unknown) => void) => listeners.delete(l),
    },
    webUtils: { getPathForFile: (file: { name: string }) => `/home/ana/${file.name}` },
  };
  const required: string[] = [];
  const sandboxRequire = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require "${id}"`);
    return electron;
  };
  const module = { exports: {} as Record<string, unknown> };
  new Function('require', 'module', 'exports', outputText)(sandboxRequire, module, module.exports);
  const push = (message: unknown) => listeners.forEach((l) => l({ sender: 'ipc-event' }, message));
  return { exposed, invoke, listeners, push, required, lists: module.exports as { CHANNELS: string[]; EVENTS: string[] } };
}

describe('preload', () => {
  it('requires only electron and exposes only orchardHost = {call, on, pathForFile}', () => {
    const { exposed, required } = loadPreload();
    expect(required).toEqual(['electron']);
    expect([...exposed.keys()]).toEqual(['orchardHost']);
    expect(Object.keys(exposed.get('orchardHost') as object).sort()).toEqual(['call', 'on', 'pathForFile']);
  });

  it('keeps its copied allowlists equal to the contract', () => {
    const { lists } = loadPreload();
    expect(lists.CHANNELS).toEqual([...HOST_CHANNELS]);
    expect(lists.EVENTS).toEqual([...HOST_EVENTS]);
  });

  it('sends allowlisted channels as orchard:<channel> and passes the envelope back', async () => {
    const { exposed, invoke } = loadPreload();
    const host = exposed.get('orchardHost') as PreloadBridge;
    for (const channel of HOST_CHANNELS) {
      await expect(host.call(channel, { a: 1 })).resolves.toEqual({ ok: true, result: { channel: `orchard:${channel}`, args: { a: 1 } } });
    }
    expect(invoke).toHaveBeenCalledTimes(HOST_CHANNELS.length);
  });

  it('refuses other channels before anything is sent', async () => {
    const { exposed, invoke } = loadPreload();
    const host = exposed.get('orchardHost') as PreloadBridge;
    for (const channel of ['event', 'orchard:projects.list', 'projects.list ', '__proto__', 'constructor', 42]) {
      const reply = await host.call(channel as string, {});
      expect(reply).toMatchObject({ ok: false, error: { name: 'HostError', code: 'invalid-argument' } });
    }
    expect(invoke).not.toHaveBeenCalled();
  });

  it('turns a failed invoke into an error envelope', async () => {
    const { exposed, invoke } = loadPreload();
    invoke.mockRejectedValueOnce(new Error("No handler registered for 'orchard:projects.list'"));
    const reply = await (exposed.get('orchardHost') as PreloadBridge).call('projects.list', {});
    expect(reply).toEqual({ ok: false, error: { name: 'Error', message: "No handler registered for 'orchard:projects.list'" } });
  });

  it('delivers only the named event, without the IPC event object, until unsubscribed', () => {
    const { exposed, listeners, push } = loadPreload();
    const host = exposed.get('orchardHost') as PreloadBridge;
    const got: unknown[] = [];
    const off = host.on('projects.changed', (payload) => got.push(payload));
    push({ event: 'import.progress', payload: { fraction: 0.5 } });
    push({ event: 'projects.changed', payload: { project: 'Churn' } });
    push(null);
    expect(got).toEqual([{ project: 'Churn' }]);
    off();
    expect(listeners.size).toBe(0);
    push({ event: 'projects.changed', payload: {} });
    expect(got).toHaveLength(1);
    expect(() => host.on('window.close', () => undefined)).toThrow(/Unknown host event/);
  });

  it('maps a File to its path with webUtils', () => {
    const { exposed } = loadPreload();
    expect((exposed.get('orchardHost') as PreloadBridge).pathForFile({ name: 'sales.csv' } as File)).toBe('/home/ana/sales.csv');
  });
});
