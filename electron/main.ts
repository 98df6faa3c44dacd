import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { HandlerRegistry } from '../shared/host/registry.js';
import { createNodeInspector } from '../workers/data/node-inspector.js';
import { APP_SCHEME_PRIVILEGES, appProtocolResponse } from './app-protocol.js';
import { createEventFanout, IPC_EVENT_CHANNEL, registerIpc } from './ipc.js';
import { aboutDetail, buildMenuTemplate, IMPORT_FILTERS, MENU_EVENT, type MenuCommand } from './menu.js';
import { APP_SCHEME, isAppUrl, isExternalWebUrl, resolveAppLocation } from './security.js';
import { createHostServices, resolveWorkspaceRoot } from './services/index.js';
import { SAMPLE_CREDIT } from './services/sample.js';
import type { HostServices } from './services/types.js';
import { createMainWindow, hardenSession } from './window.js';

/**
 * The Electron host: services on IPC, the renderer in a sandboxed window. This file only wires Electron to
 * the pure modules beside it (ipc, security, menu, app-protocol), which carry the tests.
 */

const location = resolveAppLocation(process.env);
if (location.warning !== undefined) console.warn(`orchard: ${location.warning}`);

// Must happen before `ready`.
protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

const here = path.dirname(fileURLToPath(import.meta.url));
const appRoot = app.getAppPath();
const rendererDir = path.join(appRoot, 'out', 'renderer');
const resourcesDir = app.isPackaged ? process.resourcesPath : path.join(appRoot, 'resources');
const iconPath = path.join(appRoot, 'resources', 'icons', 'icon.png');

let services: HostServices | undefined;

const openExternal = (url: string): void => {
  if (isExternalWebUrl(url)) void shell.openExternal(url).catch(() => undefined);
};

function openWindow(): BrowserWindow {
  return createMainWindow({
    location,
    preload: path.join(here, 'preload.cjs'),
    icon: process.platform === 'linux' ? iconPath : undefined,
    openExternal,
  });
}

function targetWindow(): BrowserWindow {
  return BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0] ?? openWindow();
}

function sendMenuCommand(win: BrowserWindow, command: MenuCommand): void {
  win.webContents.send(IPC_EVENT_CHANNEL, { event: MENU_EVENT, payload: command });
}

function installMenu(): void {
  const template = buildMenuTemplate(
    {
      newProject: () => sendMenuCommand(targetWindow(), { command: 'project.new' }),
      importData: () => {
        const win = targetWindow();
        void dialog
          .showOpenDialog(win, { title: 'Import data', properties: ['openFile'], filters: IMPORT_FILTERS })
          .then(({ canceled, filePaths }) => {
            const file = filePaths[0];
            if (!canceled && file !== undefined) sendMenuCommand(win, { command: 'data.import', file: { kind: 'path', path: file } });
          });
      },
      about: () => {
        void dialog.showMessageBox(targetWindow(), {
          type: 'info',
          title: `About ${app.getName()}`,
          message: 'Orchard',
          detail: aboutDetail(app.getVersion(), process.versions, SAMPLE_CREDIT),
          buttons: ['OK'],
        });
      },
    },
    { platform: process.platform, appName: 'Orchard', dev: location.dev },
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, location);
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rendererDir, request.url, request.method));

  services = await createHostServices({
    workspaceRoot: resolveWorkspaceRoot(undefined, process.env),
    host: 'electron',
    inspector: createNodeInspector(),
    emit: createEventFanout(() => BrowserWindow.getAllWindows().map((w) => w.webContents)),
    allowPathRefs: true,
    openExternal: async (url) => {
      if (!isExternalWebUrl(url)) return false;
      await shell.openExternal(url);
      return true;
    },
    resourcesDir,
  });
  const registry = new HandlerRegistry();
  registry.registerAll(services.handlers);
  registerIpc(ipcMain, registry, {
    isTrustedSender: (frameUrl) => isAppUrl(frameUrl, location),
    onUnexpectedError: (channel, err) => console.error(`orchard: ${channel} failed:`, err),
  });

  installMenu();
  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

// One Orchard per workspace: a second launch focuses the first window instead of opening the same files twice.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const win = BrowserWindow.getAllWindows()[0];
    if (win === undefined) return;
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let closed = false;
  app.on('will-quit', (event) => {
    if (closed || services === undefined) return;
    event.preventDefault();
    void services
      .close()
      .catch((err: unknown) => console.error('orchard: closing the services failed:', err))
      .finally(() => {
        closed = true;
        app.quit();
      });
  });
  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      dialog.showErrorBox('Orchard could not start', err instanceof Error ? err.message : String(err));
      app.exit(1);
    });
}
