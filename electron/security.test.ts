import { describe, expect, it } from 'vitest';
import {
  APP_ORIGIN,
  contentSecurityPolicy,
  isAppUrl,
  isExternalWebUrl,
  permissionAllowed,
  resolveAppLocation,
  sameOrigin,
  securityHeaders,
} from './security.js';

describe('contentSecurityPolicy', () => {
  it('is the strict policy for built pages', () => {
    expect(contentSecurityPolicy()).toBe(
      "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; " +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' blob: data:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    );
  });

  it('loosens only scripts and websockets for a dev server', () => {
    const dev = contentSecurityPolicy({ dev: true });
    expect(dev).toContain("script-src 'self' 'wasm-unsafe-eval' 'unsafe-inline'");
    expect(dev).toContain("connect-src 'self' blob: data: ws: wss:");
    expect(dev).toContain("object-src 'none'");
    expect(contentSecurityPolicy()).not.toContain(" 'unsafe-eval'");
  });

  it('comes with the other security headers', () => {
    expect(securityHeaders()).toMatchObject({
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
    });
  });
});

describe('which URLs are the app', () => {
  const built = resolveAppLocation({});
  const dev = resolveAppLocation({ ORCHARD_DEV_URL: 'http://localhost:5173/' });

  it('loads app://orchard unless a loopback dev server is named', () => {
    expect(built).toEqual({ url: `${APP_ORIGIN}/index.html`, dev: false });
    expect(dev).toEqual({ url: 'http://localhost:5173/', dev: true });
  });

  it('ignores a dev URL that is not loopback http', () => {
    for (const url of ['https://evil.example/', 'http://192.168.1.2:5173/', 'file:///tmp/x.html', 'nonsense']) {
      const loc = resolveAppLocation({ ORCHARD_DEV_URL: url });
      expect(loc.dev).toBe(false);
      expect(loc.warning).toContain('ignored');
    }
  });

  it('trusts only same scheme and host', () => {
    expect(isAppUrl('app://orchard/index.html', built)).toBe(true);
    expect(isAppUrl('app://orchard/assets/x.js#frag', built)).toBe(true);
    expect(isAppUrl('app://other/index.html', built)).toBe(false);
    expect(isAppUrl('file:///index.html', built)).toBe(false);
    expect(isAppUrl('https://orchard/index.html', built)).toBe(false);
    expect(isAppUrl(undefined, built)).toBe(false);
    expect(isAppUrl('', built)).toBe(false);
    expect(isAppUrl('http://localhost:5173/src/x.ts', dev)).toBe(true);
    expect(isAppUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isAppUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });

  it('compares custom schemes by host, which WHATWG origin cannot', () => {
    expect(new URL('app://orchard/').origin).toBe('null');
    expect(sameOrigin('app://orchard/a', 'app://orchard/b')).toBe(true);
    expect(sameOrigin('about:blank', 'about:blank')).toBe(false);
  });
});

describe('isExternalWebUrl', () => {
  it('lets only http(s) links out', () => {
    expect(isExternalWebUrl('https://archive.ics.uci.edu/dataset/144')).toBe(true);
    expect(isExternalWebUrl('http://example.com')).toBe(true);
    for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'app://orchard/', 'smb://host/share', 'not a url']) {
      expect(isExternalWebUrl(url)).toBe(false);
    }
  });
});

describe('permissionAllowed', () => {
  it('refuses everything but clipboard writes', () => {
    expect(permissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'clipboard-read']) {
      expect(permissionAllowed(p)).toBe(false);
    }
  });
});
