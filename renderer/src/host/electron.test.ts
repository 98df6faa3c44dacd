import { describe, expect, it, vi } from 'vitest';
import { HostError } from '../../../shared/host/errors.js';
import type { BridgeReply, OrchardBridge } from './bridge.js';
import { createElectronPlatform } from './electron.js';

function fakeBridge(reply: BridgeReply, path = '/home/ana/sales.csv') {
  const listeners = new Map<string, (payload: unknown) => void>();
  const bridge: OrchardBridge = {
    call: vi.fn(async () => reply),
    on: vi.fn((event: string, l: (payload: unknown) => void) => {
      listeners.set(event, l);
      return () => listeners.delete(event);
    }),
    pathForFile: () => path,
  };
  return { bridge, listeners };
}

describe('electron platform', () => {
  it('unwraps results', async () => {
    const { bridge } = fakeBridge({ ok: true, result: [{ name: 'Churn' }] });
    const { host, kind } = createElectronPlatform(bridge);
    expect(kind).toBe('electron');
    await expect(host.call('projects.list', {})).resolves.toEqual([{ name: 'Churn' }]);
    expect(bridge.call).toHaveBeenCalledWith('projects.list', {});
  });

  it('rebuilds HostErrors so callers can branch on the code', async () => {
    const { bridge } = fakeBridge({ ok: false, error: { name: 'HostError', code: 'conflict', message: 'A project called "Churn" already exists.' } });
    const err = await createElectronPlatform(bridge).host.call('projects.create', { name: 'Churn' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'conflict', message: 'A project called "Churn" already exists.' });
  });

  it('rebuilds other errors as plain Errors with their message', async () => {
    const { bridge } = fakeBridge({ ok: false, error: { name: 'TypeError', message: 'boom' } });
    const err = await createElectronPlatform(bridge).host.call('projects.list', {}).catch((e: unknown) => e);
    expect(err).not.toBeInstanceOf(HostError);
    expect(err).toMatchObject({ name: 'TypeError', message: 'boom' });
  });

  it('passes events and menu commands through', () => {
    const { bridge, listeners } = fakeBridge({ ok: true, result: null });
    const platform = createElectronPlatform(bridge);
    const changed = vi.fn();
    const menu = vi.fn();
    const off = platform.host.on('projects.changed', changed);
    platform.onMenuCommand(menu);
    listeners.get('projects.changed')?.({ project: 'Churn' });
    listeners.get('app.menu')?.({ command: 'project.new' });
    expect(changed).toHaveBeenCalledWith({ project: 'Churn' });
    expect(menu).toHaveBeenCalledWith({ command: 'project.new' });
    off();
    expect(listeners.has('projects.changed')).toBe(false);
  });

  it('imports files by path, and explains files without one', async () => {
    const file = new File(['a,b\n1,2\n'], 'sales.csv');
    const progress = vi.fn();
    await expect(createElectronPlatform(fakeBridge({ ok: true, result: null }).bridge).fileToRef(file, progress)).resolves.toEqual({
      kind: 'path',
      path: '/home/ana/sales.csv',
    });
    expect(progress).toHaveBeenCalledWith(1);
    const noPath = createElectronPlatform(fakeBridge({ ok: true, result: null }, '').bridge);
    await expect(noPath.fileToRef(file)).rejects.toMatchObject({ code: 'not-supported' });
  });
});
