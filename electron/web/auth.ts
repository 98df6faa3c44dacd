import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

/**
 * Who may talk to the browser host. It listens on 127.0.0.1 only, but any web page the user visits can aim
 * requests at 127.0.0.1, and a rebinding DNS name can make them look same-origin; so every request must carry
 * this launch's secret token (cookie or bearer), name our exact host and port, and a POST may not come from
 * another origin.
 */

export const TOKEN_COOKIE = 'orchard_token';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison that does not leak the token's length either (both sides are hashed first). */
export function tokenMatches(candidate: string, token: string): boolean {
  const a = createHash('sha256').update(candidate, 'utf8').digest();
  const b = createHash('sha256').update(token, 'utf8').digest();
  return timingSafeEqual(a, b);
}

/** Every value of one cookie (browsers send several when instances on different ports each set one). */
export function cookieValues(header: string | undefined, name: string): string[] {
  if (header === undefined) return [];
  const out: string[] = [];
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    out.push(part.slice(eq + 1).trim());
  }
  return out;
}

export function bearerToken(header: string | undefined): string | undefined {
  const m = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m?.[1];
}

/** Whether the request carries the token, as the cookie or as `Authorization: Bearer`. */
export function isAuthorized(headers: IncomingHttpHeaders, token: string): boolean {
  const bearer = bearerToken(headers.authorization);
  if (bearer !== undefined && tokenMatches(bearer, token)) return true;
  // Check every candidate so the time taken does not depend on which one matched.
  return cookieValues(headers.cookie, TOKEN_COOKIE).reduce((ok, value) => tokenMatches(value, token) || ok, false);
}

export function sessionCookie(token: string): string {
  return `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The Host header values we answer to; anything else (a rebinding DNS name, a LAN address) is refused. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** For state-changing requests: an Origin header, when present, must be this very server. */
export function isSameOriginRequest(headers: IncomingHttpHeaders, port: number): boolean {
  const origin = headers.origin;
  if (origin === undefined) return headers['sec-fetch-site'] === undefined || headers['sec-fetch-site'] !== 'cross-site';
  return allowedHosts(port).some((h) => origin === `http://${h}`) && origin === `http://${headers.host ?? ''}`;
}
