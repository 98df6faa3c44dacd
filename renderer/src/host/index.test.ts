// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrchardBridge } from './bridge.js';

afterEach(() => {
  delete window.orchardHost;
  vi.resetModules();
});

describe('host module', () => {
  it('uses the preload bridge when Electron put one on window', async () => {
    const bridge: OrchardBridge = {
      call: vi.fn(async () => ({ ok: true as const, result: [] })),
      on: () => () => undefined,
      pathForFile: () => '/data/a.csv',
    };
    window.orchardHost = bridge;
    const { host, hostKind, fileToRef } = await import('./index.js');
    expect(hostKind).toBe('electron');
    await expect(host.call('projects.list', {})).resolves.toEqual([]);
    expect(bridge.call).toHaveBeenCalledWith('projects.list', {});
    await expect(fileToRef(new File(['x'], 'a.csv'))).resolves.toEqual({ kind: 'path', path: '/data/a.csv' });
  });

  it('talks HTTP in a plain browser tab, touching no browser API until used', async () => {
    const { hostKind, host, onMenuCommand } = await import('./index.js');
    expect(hostKind).toBe('web');
    expect(typeof host.call).toBe('function');
    const off = onMenuCommand(() => undefined);
    off();
  });
});
