import { BrowserWindow, type Session, type WebContents } from 'electron';
import { contentSecurityPolicy, isAppUrl, isExternalWebUrl, permissionAllowed, type AppLocation } from './security.js';

/**
 * The main window and the session rules around it. Everything here is Electron wiring; the decisions
 * (which URL is the app, which link may open outside, the CSP) are the pure functions of security.ts.
 */

/** CSP on every response of the app's pages (the dev server's included), and no web permissions. */
export function hardenSession(session: Session, location: AppLocation): void {
  const csp = contentSecurityPolicy({ dev: location.dev });
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, location)) {
      callback({});
      return;
    }
    const headers = { ...(details.responseHeaders ?? {}) };
    for (const key of Object.keys(headers)) {
      if (key.toLowerCase() === 'content-security-policy') delete headers[key];
    }
    callback({ responseHeaders: { ...headers, 'Content-Security-Policy': [csp] } });
  });
  session.setPermissionRequestHandler((_wc, permission, callback) => callback(permissionAllowed(permission)));
  session.setPermissionCheckHandler((_wc, permission) => permissionAllowed(permission));
}

/** Keeps a window on the app: no navigating away, no pop-ups, no webviews; web links go to the browser. */
export function confineToApp(contents: WebContents, location: AppLocation, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event, url) => {
    if (isAppUrl(url, location)) return;
    event.preventDefault();
    if (isExternalWebUrl(url)) openExternal(url);
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url, location)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalWebUrl(url)) openExternal(url);
    return { action: 'deny' };
  });
}

export interface MainWindowOptions {
  location: AppLocation;
  preload: string;
  icon?: string;
  openExternal(url: string): void;
}

export function createMainWindow(opts: MainWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Orchard',
    backgroundColor: '#f7f7f4',
    ...(opts.icon !== undefined ? { icon: opts.icon } : {}),
    webPreferences: {
      preload: opts.preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  confineToApp(win.webContents, opts.location, opts.openExternal);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.location.url);
  return win;
}
