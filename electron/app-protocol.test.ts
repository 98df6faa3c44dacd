import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appProtocolResponse } from './app-protocol.js';

let root: string;
let renderer: string;
beforeAll(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'orchard-app-protocol-'));
  renderer = path.join(root, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Orchard</title>');
  writeFileSync(path.join(renderer, 'assets', 'main.js'), 'console.log(1)');
  writeFileSync(path.join(renderer, 'assets', 'duckdb.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(path.join(root, 'secret.txt'), 'not for the page');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('app:// protocol', () => {
  it('serves the built renderer with the CSP and the right types', async () => {
    const index = await appProtocolResponse(renderer, 'app://orchard/index.html');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(index.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await index.text()).toContain('<title>Orchard</title>');
    expect((await appProtocolResponse(renderer, 'app://orchard/')).status).toBe(200);
    expect((await appProtocolResponse(renderer, 'app://orchard/assets/main.js')).headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const wasm = await appProtocolResponse(renderer, 'app://orchard/assets/duckdb.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
    expect(new Uint8Array(await wasm.arrayBuffer())).toEqual(new Uint8Array([0, 97, 115, 109]));
  });

  it('never leaves the renderer folder', async () => {
    for (const url of [
      'app://orchard/../secret.txt',
      'app://orchard/%2e%2e/secret.txt',
      'app://orchard/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      'app://orchard/..%5csecret.txt',
      'app://orchard/%00',
    ]) {
      const res = await appProtocolResponse(renderer, url);
      expect(res.status, url).toBe(404);
    }
  });

  it('answers only for its own host and for reads', async () => {
    expect((await appProtocolResponse(renderer, 'app://elsewhere/index.html')).status).toBe(404);
    expect((await appProtocolResponse(renderer, 'app://orchard/index.html', 'POST')).status).toBe(405);
    const head = await appProtocolResponse(renderer, 'app://orchard/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('says the app is not built when index.html is missing', async () => {
    const res = await appProtocolResponse(path.join(root, 'nothing-here'), 'app://orchard/');
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
