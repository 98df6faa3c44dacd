import { readFile } from 'node:fs/promises';
import { APP_HOST, APP_SCHEME, securityHeaders } from './security.js';
import { findStaticFile, mimeType } from './web/static.js';

/**
 * The `app://orchard/…` protocol that serves the built renderer inside Electron. Loading from a privileged
 * custom scheme rather than file:// gives the page a real origin: `fetch` and module workers work, `'self'`
 * in the CSP means the app's files only, and a page can never read other files on disk.
 */

export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true, codeCache: true },
};

function text(status: number, body: string): Response {
  return new Response(body, { status, headers: { ...securityHeaders(), 'Content-Type': 'text/plain; charset=utf-8' } });
}

/** The response for one `app:` request; pure apart from reading the file, so it is tested in Node. */
export async function appProtocolResponse(rendererDir: string, requestUrl: string, method = 'GET'): Promise<Response> {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return text(400, 'Bad request');
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return text(404, 'Not found');
  if (method !== 'GET' && method !== 'HEAD') return text(405, 'Method not allowed');
  const found = await findStaticFile(rendererDir, url.pathname);
  if (found === undefined) {
    return url.pathname === '/' || url.pathname === '/index.html'
      ? text(503, 'Orchard is not built yet: run `npm run build`.')
      : text(404, 'Not found');
  }
  const body = method === 'HEAD' ? null : await readFile(found.file);
  return new Response(body, {
    status: 200,
    headers: {
      ...securityHeaders(),
      'Content-Type': mimeType(found.file),
      'Content-Length': String(found.size),
      'Cache-Control': 'no-cache',
    },
  });
}
