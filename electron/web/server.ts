import { createReadStream, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { HandlerRegistry } from '../../shared/host/registry.js';
import { HostError } from '../../shared/host/errors.js';
import { createNodeInspector } from '../../workers/data/node-inspector.js';
import { isExternalWebUrl, securityHeaders } from '../security.js';
import { appRoot } from '../services/app-folders.js';
import { createHostServices } from '../services/index.js';
import type { HostServices } from '../services/types.js';
import { handleCall, handleUpload, sendError } from './api.js';
import { isAllowedHost, isAuthorized, isSameOriginRequest, newToken, sessionCookie, tokenMatches } from './auth.js';
import { createEventStreamHub } from './events.js';
import { openInBrowser } from './open-browser.js';
import { findStaticFile, mimeType } from './static.js';

/**
 * The browser host: the built renderer and the host services over HTTP on 127.0.0.1, for machines without
 * Electron (and for the end-to-end tests). It prints nothing; the caller prints `url`.
 */

export interface WebHostOptions {
  workspaceRoot: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Open the user's browser at `url`. */
  open?: boolean;
  /** The built renderer (default: out/renderer in the app folder). */
  rendererDir?: string;
  /** The session token (default: 32 random bytes, base64url); tests pass their own. */
  token?: string;
  /** Folder holding sample/ (passed to the services). */
  resourcesDir?: string;
}

export interface WebHost {
  /** The link that signs a browser in: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  /** `http://127.0.0.1:PORT` */
  origin: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const HEADERS = securityHeaders();

function page(res: ServerResponse, status: number, title: string, text: string, extra: Record<string, string> = {}): void {
  const body = Buffer.from(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>` +
      `<body style="font-family:system-ui,sans-serif;max-width:40em;margin:4em auto;line-height:1.5">` +
      `<h1>${title}</h1><p>${text}</p></body></html>`,
  );
  res.writeHead(status, {
    ...HEADERS,
    ...extra,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': String(body.length),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

async function serveStatic(req: IncomingMessage, res: ServerResponse, rendererDir: string, pathname: string): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    page(res, 405, 'Method not allowed', 'Only GET and HEAD are served here.', { Allow: 'GET, HEAD' });
    return;
  }
  if (!existsSync(path.join(rendererDir, 'index.html'))) {
    page(res, 503, 'Orchard is not built yet', 'The interface has not been built. Run <code>npm run build</code>, then reload.');
    return;
  }
  // Browsers ask for /favicon.ico on their own; unless the renderer ships one, answer with the app icon.
  const found =
    (await findStaticFile(rendererDir, pathname)) ??
    (pathname === '/favicon.ico' ? await findStaticFile(path.join(appRoot(), 'resources', 'icons'), '/256x256.png') : undefined);
  if (found === undefined) {
    page(res, 404, 'Not found', 'There is no such page in Orchard.');
    return;
  }
  res.writeHead(200, {
    ...HEADERS,
    'Content-Type': mimeType(found.file),
    'Content-Length': String(found.size),
    'Cache-Control': 'no-cache',
  });
  if (req.method === 'HEAD') res.end();
  else createReadStream(found.file).on('error', () => res.destroy()).pipe(res);
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? newToken();
    const rendererDir = path.resolve(opts.rendererDir ?? path.join(appRoot(), 'out', 'renderer'));
  const hub = createEventStreamHub();
  const inspector = createNodeInspector();
  let services: HostServices;
  try {
    services = await createHostServices({
      workspaceRoot: opts.workspaceRoot,
      host: 'web',
      inspector,
      emit: hub.emit,
      allowPathRefs: false,
      openExternal: (url) => (isExternalWebUrl(url) ? openInBrowser(url) : Promise.resolve(false)),
      ...(opts.resourcesDir !== undefined ? { resourcesDir: opts.resourcesDir } : {}),
    });
  } catch (err) {
    hub.close();
    await inspector.close().catch(() => undefined);
    throw err;
  }
  const registry = new HandlerRegistry();
  registry.registerAll(services.handlers);

  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) sendError(res, err, HEADERS);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, port)) {
      page(res, 421, 'Wrong address', `Orchard answers only at http://127.0.0.1:${port}/.`);
      return;
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const api = url.pathname.startsWith('/api/');
    const offered = url.searchParams.get('token');
    if (url.pathname === '/' && offered !== null && req.method === 'GET') {
      if (!tokenMatches(offered, token)) {
        page(res, 401, 'This link has expired', 'Open the link Orchard printed when it started; each launch makes a new one.');
        return;
      }
      res.writeHead(303, { ...HEADERS, 'Set-Cookie': sessionCookie(token), Location: '/', 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (!isAuthorized(req.headers, token)) {
      const why = 'This Orchard session needs its key: open the link Orchard printed when it started.';
      if (api) sendError(res, new HostError('not-supported', why), HEADERS, 401);
      else page(res, 401, 'Sign in with the launch link', why);
      return;
    }
    if (req.method === 'POST' && !isSameOriginRequest(req.headers, port)) {
      sendError(res, new HostError('not-supported', 'Requests from other sites are refused.'), HEADERS, 403);
      return;
    }
    if (!api) return serveStatic(req, res, rendererDir, url.pathname);

    if (url.pathname === '/api/events' && req.method === 'GET') return hub.subscribe(res, HEADERS);
    if (req.method !== 'POST') {
      sendError(res, new HostError('invalid-argument', `${req.method ?? '?'} ${url.pathname} is not an operation.`), { ...HEADERS, Allow: 'POST' }, 405);
      return;
    }
    if (url.pathname === '/api/upload') return handleUpload(req, res, url, services, HEADERS);
    if (url.pathname.startsWith('/api/call/')) {
      return handleCall(req, res, url.pathname.slice('/api/call/'.length), registry, HEADERS);
    }
    sendError(res, new HostError('invalid-argument', `There is no ${url.pathname}.`), HEADERS, 404);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    hub.close();
    await services.close();
    throw err;
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;
  const url = `${origin}/?token=${token}`;
  if (opts.open === true) void openInBrowser(url);

  let closing: Promise<void> | undefined;
  return {
    url,
    origin,
    port,
    token,
    close: () =>
      (closing ??= (async () => {
        hub.close();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await stopped;
        await services.close();
      })()),
  };
}
