/**
 * The security rules both hosts apply, as pure functions so they are unit-tested without Electron: the
 * Content-Security-Policy, which URLs count as "the app", which links may leave for the system browser, and
 * which web permissions a page may have.
 */

const CSP_DIRECTIVES: ReadonlyArray<readonly [string, string]> = [
  ['default-src', "'self'"],
  ['script-src', "'self' 'wasm-unsafe-eval'"],
  ['worker-src', "'self' blob:"],
  ['style-src', "'self' 'unsafe-inline'"],
  ['img-src', "'self' data: blob:"],
  ['connect-src', "'self' blob: data:"],
  ['object-src', "'none'"],
  ['base-uri', "'none'"],
  ['frame-ancestors', "'none'"],
];

/**
 * The policy for the app's pages. `dev` loosens it only as far as a Vite dev server needs (its inline
 * refresh preamble and the hot-reload websocket); built pages never get it.
 */
export function contentSecurityPolicy(opts: { dev?: boolean } = {}): string {
  return CSP_DIRECTIVES.map(([name, value]) => {
    if (opts.dev === true && name === 'script-src') return `${name} ${value} 'unsafe-inline'`;
    if (opts.dev === true && name === 'connect-src') return `${name} ${value} ws: wss:`;
    return `${name} ${value}`;
  }).join('; ');
}

/**
 * Headers every response of the app carries, in either host. COOP plus COEP make the page cross-origin isolated,
 * which is what lets the data worker run DuckDB on several threads (SharedArrayBuffer); everything the app loads is
 * its own, so `require-corp` refuses nothing it needs.
 */
export function securityHeaders(opts: { dev?: boolean } = {}): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(opts),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * Whether two URLs share scheme and authority. WHATWG gives custom schemes such as `app:` an opaque origin
 * ("null"), so comparing `origin` would call every app:// page foreign; scheme plus host does not.
 */
export function sameOrigin(a: string, b: string): boolean {
  const ua = parse(a);
  const ub = parse(b);
  if (ua === undefined || ub === undefined) return false;
  return ua.protocol === ub.protocol && ua.host === ub.host && ua.host !== '';
}

/** Links the app may hand to the system browser: http(s) only, never file:, javascript:, custom schemes. */
export function isExternalWebUrl(url: string): boolean {
  const u = parse(url);
  return u !== undefined && (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Where the Electron window loads the renderer from. */
export interface AppLocation {
  /** The URL the window opens. */
  url: string;
  /** True for a Vite dev server (looser CSP, served by Vite rather than the app protocol). */
  dev: boolean;
}

export const APP_SCHEME = 'app';
export const APP_HOST = 'orchard';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

/**
 * The built renderer is served from `app://orchard/` (a privileged custom scheme, so `fetch`, module workers
 * and WebAssembly behave as on the web and `'self'` in the CSP means only the app). `ORCHARD_DEV_URL` points
 * at a Vite dev server instead, and is honoured only on a loopback http address: the page we load is the page
 * that gets the host API.
 */
export function resolveAppLocation(env: Record<string, string | undefined>): AppLocation & { warning?: string } {
  const dev = env['ORCHARD_DEV_URL'];
  const built = { url: `${APP_ORIGIN}/index.html`, dev: false };
  if (dev === undefined || dev === '') return built;
  const u = parse(dev);
  if (u === undefined || u.protocol !== 'http:' || !LOOPBACK.has(u.hostname)) {
    return { ...built, warning: `ORCHARD_DEV_URL=${dev} ignored: only http://localhost or 127.0.0.1 is allowed.` };
  }
  return { url: u.href, dev: true };
}

/** Whether a frame or navigation URL is the app itself (so may use the host API, or may be navigated to). */
export function isAppUrl(url: string | undefined, location: AppLocation): boolean {
  if (url === undefined || url === '') return false;
  return sameOrigin(url, location.url);
}

/** The web permissions a page of the app may have: none, except writing to the clipboard. */
export function permissionAllowed(permission: string): boolean {
  return permission === 'clipboard-sanitized-write';
}
