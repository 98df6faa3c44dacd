import { describe, expect, it } from 'vitest';
import { bearerToken, cookieValues, isAllowedHost, isAuthorized, isSameOriginRequest, newToken, tokenMatches } from './auth.js';

describe('browser host auth', () => {
  it('makes distinct 256-bit base64url tokens', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('compares tokens of any length without throwing', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('', 'abc')).toBe(false);
    expect(tokenMatches('abc'.repeat(100), 'abc')).toBe(false);
  });

  it('reads cookies and bearer tokens', () => {
    expect(cookieValues('a=1; orchard_token=x; b=2; orchard_token=y', 'orchard_token')).toEqual(['x', 'y']);
    expect(cookieValues('xorchard_token=z', 'orchard_token')).toEqual([]);
    expect(cookieValues(undefined, 'orchard_token')).toEqual([]);
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(isAuthorized({ cookie: 'orchard_token=old; orchard_token=T' }, 'T')).toBe(true);
    expect(isAuthorized({ authorization: 'Bearer T' }, 'T')).toBe(true);
    expect(isAuthorized({ authorization: 'Bearer X', cookie: 'orchard_token=X' }, 'T')).toBe(false);
  });

  it('accepts only its own host and same-origin POSTs', () => {
    expect(isAllowedHost('127.0.0.1:8080', 8080)).toBe(true);
    expect(isAllowedHost('LOCALHOST:8080', 8080)).toBe(true);
    expect(isAllowedHost('attacker.example:8080', 8080)).toBe(false);
    expect(isAllowedHost(undefined, 8080)).toBe(false);
    const host = '127.0.0.1:8080';
    expect(isSameOriginRequest({ host }, 8080)).toBe(true);
    expect(isSameOriginRequest({ host, origin: 'http://127.0.0.1:8080' }, 8080)).toBe(true);
    expect(isSameOriginRequest({ host, origin: 'http://localhost:8080' }, 8080)).toBe(false);
    expect(isSameOriginRequest({ host, origin: 'null' }, 8080)).toBe(false);
    expect(isSameOriginRequest({ host, 'sec-fetch-site': 'cross-site' }, 8080)).toBe(false);
    expect(isSameOriginRequest({ host, 'sec-fetch-site': 'same-origin' }, 8080)).toBe(true);
  });
});
