import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HOST_CHANNELS } from '../shared/host/contract.js';

/**
 * electron/main.ts with Electron replaced at the import boundary by a recording fake. The services are real
 * (on a temp workspace); only the data engine is stubbed, since nothing here imports data.
 */

const fake = vi.hoisted(() => {
  type Listener = (...args: unknown[]) => unknown;
  const on = (store: Map<string, Listener[]>) => (name: string, l: Listener) => {
    store.set(name, [...(store.get(name) ?? []), l]);
  };
  const appEvents = new Map<string, Listener[]>();
  const windows: FakeWindow[] = [];
  class FakeWindow {
    readonly events = new Map<string, Listener[]>();
    readonly contentsEvents = new Map<string, Listener[]>();
    readonly sent: Array<[string, unknown]> = [];
    openHandler: ((d: { url: string }) => { action: string }) | undefined;
    loaded: string | undefined;
    readonly webContents = {
      on: on(this.contentsEvents),
      setWindowOpenHandler: (h: (d: { url: string }) => { action: string }) => (this.openHandler = h),
      send: (channel: string, message: unknown) => this.sent.push([channel, message]),
      isDestroyed: () => false,
    };
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      windows.push(this);
    }
    once = on(this.events);
    on = on(this.events);
    loadURL = async (url: string) => {
      this.loaded = url;
    };
    static getAllWindows = () => windows;
    static getFocusedWindow = () => windows[0] ?? null;
  }
  const ready = { resolve: () => undefined as void };
  return {
    appEvents,
    windows,
    ipcHandlers: new Map<string, Listener>(),
    headerHook: undefined as undefined | Listener,
    permissionCheck: undefined as undefined | Listener,
    privileged: [] as unknown[],
    protocolHandlers: new Map<string, Listener>(),
    menu: undefined as unknown,
    opened: [] as string[],
    ready,
    FakeWindow,
    whenReady: new Promise<void>((resolve) => (ready.resolve = resolve)),
  };
});

vi.mock('electron', () => ({
  app: {
    getAppPath: () => process.cwd(),
    isPackaged: false,
    getVersion: () => '0.1.0',
    getName: () => 'Orchard',
    requestSingleInstanceLock: () => true,
    on: (name: string, l: (...args: unknown[]) => unknown) => fake.appEvents.set(name, [...(fake.appEvents.get(name) ?? []), l]),
    whenReady: () => fake.whenReady,
    quit: vi.fn(),
    exit: vi.fn(),
  },
  BrowserWindow: fake.FakeWindow,
  ipcMain: {
    handle: (channel: string, l: (...args: unknown[]) => unknown) => fake.ipcHandlers.set(channel, l),
    removeHandler: (channel: string) => fake.ipcHandlers.delete(channel),
  },
  Menu: { buildFromTemplate: (t: unknown) => ({ t }), setApplicationMenu: (m: unknown) => (fake.menu = m) },
  protocol: {
    registerSchemesAsPrivileged: (s: unknown[]) => fake.privileged.push(...s),
    handle: (scheme: string, h: (...args: unknown[]) => unknown) => fake.protocolHandlers.set(scheme, h),
  },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: (l: (...args: unknown[]) => unknown) => (fake.headerHook = l) },
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: (l: (...args: unknown[]) => unknown) => (fake.permissionCheck = l),
    },
  },
  shell: { openExternal: async (url: string) => void fake.opened.push(url) },
  dialog: { showOpenDialog: vi.fn(), showMessageBox: vi.fn(), showErrorBox: vi.fn() },
}));

vi.mock('../workers/data/node-inspector.js', () => ({
  createNodeInspector: () => ({ inspect: () => Promise.reject(new Error('no data engine in this test')), close: async () => undefined }),
}));

let workspace: string;
beforeAll(async () => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'orchard-main-'));
  vi.stubEnv('ORCHARD_WORKSPACE', workspace);
  vi.stubEnv('ORCHARD_DEV_URL', '');
  await import('./main.js');
  expect(fake.privileged).toMatchObject([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  expect(fake.windows).toHaveLength(0);
  fake.ready.resolve();
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(workspace, { recursive: true, force: true });
});

const win = () => fake.windows[0]!;
const invoke = (channel: string, args: unknown, url = 'app://orchard/index.html') =>
  fake.ipcHandlers.get(`orchard:${channel}`)!({ senderFrame: { url } }, args) as Promise<{ ok: boolean; result?: unknown; error?: unknown }>;

describe('electron main', () => {
  it('opens a sandboxed, isolated window on the app protocol', () => {
    expect(win().options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: expect.stringMatching(/preload\.cjs$/),
    });
    expect(win().loaded).toBe('app://orchard/index.html');
    expect(fake.protocolHandlers.has('app')).toBe(true);
    expect(fake.menu).toBeDefined();
  });

  it('serves every channel over IPC, to the app only, with real services', async () => {
    expect([...fake.ipcHandlers.keys()].sort()).toEqual(HOST_CHANNELS.map((c) => `orchard:${c}`).sort());
    await expect(invoke('projects.create', { name: 'Churn' })).resolves.toMatchObject({ ok: true, result: { name: 'Churn' } });
    await expect(invoke('workspace.info', {})).resolves.toMatchObject({ ok: true, result: { root: workspace, host: 'electron' } });
    await expect(invoke('projects.list', {}, 'https://evil.example/')).resolves.toMatchObject({ ok: false, error: { code: 'not-supported' } });
    await expect(invoke('projects.open', { name: 'Nope' })).resolves.toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('pushes host events to the windows', async () => {
    await invoke('projects.create', { name: 'Events' });
    expect(win().sent).toContainEqual(['orchard:event', { event: 'projects.changed', payload: { project: 'Events' } }]);
  });

  it('adds the CSP to app responses only', () => {
    const hook = fake.headerHook!;
    const run = (url: string) => {
      let out: unknown;
      hook({ url, responseHeaders: { 'content-security-policy': ['weak'], 'x-a': ['1'] } }, (r: unknown) => (out = r));
      return out as { responseHeaders?: Record<string, string[]> };
    };
    const app = run('app://orchard/index.html');
    expect(app.responseHeaders?.['Content-Security-Policy']?.[0]).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(app.responseHeaders?.['content-security-policy']).toBeUndefined();
    expect(app.responseHeaders?.['x-a']).toEqual(['1']);
    expect(run('https://example.com/')).toEqual({});
    expect(fake.permissionCheck!({}, 'media')).toBe(false);
  });

  it('keeps the window on the app and sends web links to the system browser', () => {
    const deny = win().openHandler!({ url: 'https://archive.ics.uci.edu/' });
    expect(deny).toEqual({ action: 'deny' });
    expect(win().openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(fake.opened).toEqual(['https://archive.ics.uci.edu/']);
    const navigate = win().contentsEvents.get('will-navigate')![0]!;
    const away = { preventDefault: vi.fn() };
    navigate(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const stay = { preventDefault: vi.fn() };
    navigate(stay, 'app://orchard/index.html#/projects');
    expect(stay.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    win().contentsEvents.get('will-attach-webview')![0]!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('closes the services before quitting', async () => {
    const event = { preventDefault: vi.fn() };
    fake.appEvents.get('will-quit')![0]!(event);
    expect(event.preventDefault).toHaveBeenCalled();
    const { app } = await import('electron');
    await vi.waitFor(() => expect(app.quit).toHaveBeenCalled());
  });
});
