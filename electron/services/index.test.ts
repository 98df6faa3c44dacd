import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HOST_CHANNELS } from '../../shared/host/contract.js';
import { csvLineCounter, servicesForTest } from './fixtures/test-workspace.js';
import { createHandlerRegistry, resolveWorkspaceRoot } from './index.js';

let t: Awaited<ReturnType<typeof servicesForTest>> | undefined;
afterEach(async () => {
  await t?.done();
  t = undefined;
});

describe('createHostServices', () => {
  it('serves every channel of the contract through a validating registry', async () => {
    t = await servicesForTest();
    expect(Object.keys(t.services.handlers).sort()).toEqual([...HOST_CHANNELS].sort());
    const registry = createHandlerRegistry(t.services);
    for (const channel of HOST_CHANNELS) expect(registry.has(channel)).toBe(true);
    await expect(registry.dispatch('projects.create', { name: 'x', extra: 1 })).rejects.toMatchObject({ code: 'invalid-argument' });
    await expect(registry.dispatch('projects.create', { name: 'Via registry' })).resolves.toMatchObject({ name: 'Via registry' });
    await expect(registry.dispatch('fs.readFile', {})).rejects.toMatchObject({ code: 'invalid-argument' });
  });

  it('opens only http and https links', async () => {
    const opened: string[] = [];
    t = await servicesForTest({ openExternal: (url) => (opened.push(url), Promise.resolve(true)) });
    const open = t.services.handlers['app.openExternal'];
    await expect(open({ url: 'https://archive.ics.uci.edu/dataset/144' })).resolves.toEqual({ opened: true });
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'ms-settings:', 'not a url']) {
      await expect(open({ url })).rejects.toMatchObject({ code: 'invalid-argument' });
    }
    expect(opened).toEqual(['https://archive.ics.uci.edu/dataset/144']);
  });

  it('closes the inspector once on close', async () => {
    const inspector = csvLineCounter();
    t = await servicesForTest({ inspector });
    await Promise.all([t.services.close(), t.services.close()]);
    expect(inspector.closed).toBe(true);
  });
});

describe('resolveWorkspaceRoot', () => {
  it('takes the explicit folder, then ORCHARD_WORKSPACE, then ~/Orchard', () => {
    expect(resolveWorkspaceRoot('ws', { ORCHARD_WORKSPACE: '/env/ws' })).toBe(resolve('ws'));
    expect(resolveWorkspaceRoot(undefined, { ORCHARD_WORKSPACE: '/env/ws' })).toBe(resolve('/env/ws'));
    expect(resolveWorkspaceRoot(undefined, {})).toBe(join(homedir(), 'Orchard'));
    expect(resolveWorkspaceRoot('', { ORCHARD_WORKSPACE: ' ' })).toBe(join(homedir(), 'Orchard'));
  });
});
