import { describe, expect, it, vi } from 'vitest';
import { HOST_CHANNELS } from '../shared/host/contract.js';
import { deserializeError, HostError } from '../shared/host/errors.js';
import { HandlerRegistry, type HandlerMap } from '../shared/host/registry.js';
import { createEventFanout, ipcChannelFor, registerIpc, type InvokeEventLike, type IpcMainLike, type IpcReply } from './ipc.js';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>;

function fakeIpcMain() {
  const handlers = new Map<string, Listener>();
  const ipc: IpcMainLike = {
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`twice: ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => handlers.delete(channel),
  };
  const invoke = (channel: string, args: unknown, url = 'app://orchard/index.html') => {
    const h = handlers.get(ipcChannelFor(channel));
    if (h === undefined) throw new Error(`no handler for ${channel}`);
    return h({ senderFrame: { url } }, args);
  };
  return { ipc, handlers, invoke };
}

const project = { schemaVersion: 2 as const, id: 'p1', name: 'Churn', createdAt: '2024-01-01T00:00:00.000Z', updatedAt: '2024-01-01T00:00:00.000Z', datasets: [] };

function registryWith(overrides: Partial<HandlerMap> = {}): HandlerRegistry {
  const notUsed = () => Promise.reject(new Error('not used in this test'));
  const map = Object.fromEntries(HOST_CHANNELS.map((c) => [c, notUsed])) as unknown as HandlerMap;
  const registry = new HandlerRegistry();
  registry.registerAll({ ...map, ...overrides });
  return registry;
}

describe('registerIpc', () => {
  it('serves every contract channel and nothing else', () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpc(ipc, registryWith(), { isTrustedSender: () => true });
    expect([...handlers.keys()].sort()).toEqual(HOST_CHANNELS.map((c) => `orchard:${c}`).sort());
  });

  it('returns results in an ok envelope, after the argument is validated', async () => {
    const { ipc, invoke } = fakeIpcMain();
    const create = vi.fn(async ({ name }: { name: string }) => ({ ...project, name }));
    registerIpc(ipc, registryWith({ 'projects.create': create }), { isTrustedSender: () => true });
    await expect(invoke('projects.create', { name: 'Churn' })).resolves.toEqual({ ok: true, result: project });
    const bad = await invoke('projects.create', { name: 42 });
    expect(bad.ok).toBe(false);
    expect(create).toHaveBeenCalledTimes(1);
    const err = deserializeError(bad.ok ? undefined : bad.error);
    expect(err).toBeInstanceOf(HostError);
    expect((err as HostError).code).toBe('invalid-argument');
    expect(err.message).toContain('name');
  });

  it('keeps a HostError code and message across the wire', async () => {
    const { ipc, invoke } = fakeIpcMain();
    const onUnexpectedError = vi.fn();
    const open = async () => {
      throw new HostError('not-found', 'There is no project called "Nope".');
    };
    registerIpc(ipc, registryWith({ 'projects.open': open }), { isTrustedSender: () => true, onUnexpectedError });
    const reply = await invoke('projects.open', { name: 'Nope' });
    expect(reply).toEqual({ ok: false, error: { name: 'HostError', code: 'not-found', message: 'There is no project called "Nope".' } });
    expect(onUnexpectedError).not.toHaveBeenCalled();
  });

  it('reports bugs (non-HostErrors) to onUnexpectedError and still replies', async () => {
    const { ipc, invoke } = fakeIpcMain();
    const onUnexpectedError = vi.fn();
    registerIpc(ipc, registryWith({ 'projects.list': () => Promise.reject(new TypeError('boom')) }), {
      isTrustedSender: () => true,
      onUnexpectedError,
    });
    const reply = await invoke('projects.list', {});
    expect(reply.ok).toBe(false);
    expect(reply.ok ? '' : reply.error.message).toBe('boom');
    expect(onUnexpectedError).toHaveBeenCalledWith('projects.list', expect.any(TypeError));
  });

  it('refuses calls from frames that are not the app', async () => {
    const { ipc, handlers } = fakeIpcMain();
    const list = vi.fn(async () => []);
    registerIpc(ipc, registryWith({ 'projects.list': list }), { isTrustedSender: (url) => url === 'app://orchard/index.html' });
    const h = handlers.get('orchard:projects.list')!;
    for (const senderFrame of [{ url: 'https://evil.example/' }, null]) {
      const reply = await h({ senderFrame }, {});
      expect(reply.ok).toBe(false);
      expect(reply.ok ? undefined : reply.error.code).toBe('not-supported');
    }
    expect(list).not.toHaveBeenCalled();
    await expect(h({ senderFrame: { url: 'app://orchard/index.html' } }, {})).resolves.toEqual({ ok: true, result: [] });
  });

  it('fails at start-up when the services lack a channel, and can be removed', () => {
    const { ipc, handlers } = fakeIpcMain();
    const partial = new HandlerRegistry();
    partial.register('projects.list', async () => []);
    expect(() => registerIpc(ipc, partial, { isTrustedSender: () => true })).toThrow(/workspace\.info/);
    const dispose = registerIpc(ipc, registryWith(), { isTrustedSender: () => true });
    dispose();
    expect(handlers.size).toBe(0);
  });
});

describe('createEventFanout', () => {
  it('sends each event to every live window, read afresh each time', () => {
    const sent: string[] = [];
    const win = (name: string, destroyed = false, throws = false) => ({
      isDestroyed: () => destroyed,
      send: (channel: string, message: unknown) => {
        if (throws) throw new Error('gone');
        sent.push(`${name} ${channel} ${JSON.stringify(message)}`);
      },
    });
    const windows = [win('a'), win('closed', true), win('dying', false, true), win('b')];
    const emit = createEventFanout(() => windows);
    emit('projects.changed', { project: 'Churn' });
    windows.push(win('c'));
    emit('import.progress', { importId: 'i1', phase: 'copy', fraction: 0.5 });
    expect(sent).toEqual([
      'a orchard:event {"event":"projects.changed","payload":{"project":"Churn"}}',
      'b orchard:event {"event":"projects.changed","payload":{"project":"Churn"}}',
      'a orchard:event {"event":"import.progress","payload":{"importId":"i1","phase":"copy","fraction":0.5}}',
      'b orchard:event {"event":"import.progress","payload":{"importId":"i1","phase":"copy","fraction":0.5}}',
      'c orchard:event {"event":"import.progress","payload":{"importId":"i1","phase":"copy","fraction":0.5}}',
    ]);
  });
});
