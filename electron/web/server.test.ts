import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebHost, type WebHost } from './server.js';

/** The browser host end to end: a real server on 127.0.0.1, real services on a temp workspace, real DuckDB. */

const CSV = 'id,amount,label\n1,10.5,yes\n2,3.25,no\n3,7,yes\n';

let fx: Fixture;
let web: WebHost;
let auth: Record<string, string>;
let port: number;

beforeAll(async () => {
  fx = makeFixture();
  web = await startWebHost({ workspaceRoot: fx.workspace, rendererDir: fx.renderer });
  port = web.port;
  auth = { cookie: `orchard_token=${web.token}` };
});
afterAll(async () => {
  await web.close();
  fx.cleanup();
});

const call = (channel: string, args: unknown, headers: Record<string, string> = {}) =>
  raw(port, 'POST', `/api/call/${channel}`, {
    headers: { ...auth, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(args),
  });

describe('startWebHost', () => {
  it('listens on 127.0.0.1 with a 43-character random token in the sign-in URL', () => {
    expect(web.origin).toBe(`http://127.0.0.1:${port}`);
    expect(web.url).toBe(`http://127.0.0.1:${port}/?token=${web.token}`);
    expect(web.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses requests without the token (401), for pages and for the API', async () => {
    const page = await raw(port, 'GET', '/');
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.text).toContain('open the link Orchard printed');
    const api = await raw(port, 'POST', '/api/call/projects.list', { headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(api.status).toBe(401);
    expect(api.json()).toMatchObject({ ok: false, error: { message: expect.stringContaining('needs its key') } });
    expect((await raw(port, 'GET', '/', { headers: { cookie: 'orchard_token=wrong' } })).status).toBe(401);
    expect((await raw(port, 'GET', '/', { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await raw(port, 'GET', '/api/events')).status).toBe(401);
  });

  it('turns the token link into an HttpOnly SameSite=Strict cookie and a clean URL', async () => {
    const signIn = await raw(port, 'GET', `/?token=${web.token}`);
    expect(signIn.status).toBe(303);
    expect(signIn.headers.location).toBe('/');
    expect(signIn.headers['set-cookie']).toEqual([`orchard_token=${web.token}; HttpOnly; SameSite=Strict; Path=/`]);
    const cookie = signIn.headers['set-cookie']![0]!.split(';')[0]!;
    const page = await raw(port, 'GET', '/', { headers: { cookie: `other=1; ${cookie}` } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>Orchard</title>');
    expect((await raw(port, 'GET', '/?token=not-the-token')).status).toBe(401);
    // A bearer token works too (for scripts), and a stale cookie from another instance does not hide ours.
    expect((await raw(port, 'GET', '/', { headers: { authorization: `Bearer ${web.token}` } })).status).toBe(200);
    expect((await raw(port, 'GET', '/', { headers: { cookie: `orchard_token=stale; ${cookie}` } })).status).toBe(200);
  });

  it('answers only to its own Host (defeats DNS rebinding)', async () => {
    for (const host of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `192.168.0.10:${port}`, '127.0.0.1']) {
      const res = await raw(port, 'GET', '/', { headers: { ...auth, host } });
      expect(res.status, host).toBe(421);
    }
    expect((await raw(port, 'GET', '/', { headers: { ...auth, host: `localhost:${port}` } })).status).toBe(200);
  });

  it('refuses POSTs from other origins', async () => {
    for (const origin of ['http://evil.example', `http://localhost:${port + 1}`, 'null', `https://127.0.0.1:${port}`]) {
      const res = await call('projects.list', {}, { origin });
      expect(res.status, origin).toBe(403);
    }
    expect((await call('projects.list', {}, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await call('projects.list', {}, { origin: `http://127.0.0.1:${port}` })).status).toBe(200);
  });

  it('puts the security headers on every response', async () => {
    for (const res of [await raw(port, 'GET', '/'), await raw(port, 'GET', '/', { headers: auth }), await call('nope', {})]) {
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    }
  });

  it('creates and lists projects', async () => {
    const created = await call('projects.create', { name: 'Churn' });
    expect(created.status).toBe(200);
    expect(created.json()).toMatchObject({ ok: true, result: { name: 'Churn', datasets: [] } });
    const list = await call('projects.list', {});
    expect(list.json()).toMatchObject({ ok: true, result: [expect.objectContaining({ name: 'Churn', datasetCount: 0 })] });
    const info = await call('workspace.info', {});
    expect(info.json()).toMatchObject({ ok: true, result: { host: 'web' } });
  });

  it('sends HostErrors with their code, a readable message and a matching status', async () => {
    const missing = await call('projects.open', { name: 'Nope' });
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ ok: false, error: { name: 'HostError', code: 'not-found', message: expect.stringContaining('Nope') } });
    const conflict = await call('projects.create', { name: 'Churn' });
    expect(conflict.status).toBe(409);
    expect(conflict.json()).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const invalid = await call('projects.create', { name: 7 });
    expect(invalid.status).toBe(400);
    expect(invalid.json()).toMatchObject({ ok: false, error: { code: 'invalid-argument', message: 'args.name must be a string (got number).' } });
    const pathRef = await call('datasets.import', { project: 'Churn', file: { kind: 'path', path: '/etc/passwd' }, importId: 'x' });
    expect(pathRef.status).toBe(400);
    expect(pathRef.json()).toMatchObject({ ok: false, error: { code: 'not-supported' } });
  });

  it('refuses unknown channels, oversized bodies, bad JSON and non-JSON bodies', async () => {
    const unknown = await call('fs.readFile', {});
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toMatchObject({ ok: false, error: { message: 'Unknown operation "fs.readFile".' } });
    expect((await call('__proto__', {})).status).toBe(404);
    const big = await call('projects.create', { name: 'x'.repeat(1024 * 1024) });
    expect(big.status).toBe(413);
    const bad = await raw(port, 'POST', '/api/call/projects.list', { headers: { ...auth, 'content-type': 'application/json' }, body: '{' });
    expect(bad.status).toBe(400);
    const form = await raw(port, 'POST', '/api/call/projects.list', { headers: { ...auth, 'content-type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    expect((await raw(port, 'GET', '/api/call/projects.list', { headers: auth })).status).toBe(405);
    expect((await raw(port, 'POST', '/api/nothing', { headers: auth })).status).toBe(404);
  });

  it('uploads and imports a CSV, streaming progress and change events, then reads its bytes back', async () => {
    const events = listen(port, auth);
    await events.opened;
    expect(events.status).toBe(200);
    expect(events.contentType).toContain('text/event-stream');
    await call('projects.create', { name: 'Credit' });

    const upload = await raw(port, 'POST', `/api/upload?name=${encodeURIComponent('loans 2024.csv')}`, {
      headers: { ...auth, 'content-type': 'text/csv' },
      body: CSV,
    });
    expect(upload.status).toBe(200);
    const { uploadId } = (upload.json() as { result: { uploadId: string } }).result;
    expect(uploadId).toMatch(/^[A-Za-z0-9_-]+$/);

    const imported = await call('datasets.import', {
      project: 'Credit',
      file: { kind: 'upload', uploadId, originalName: 'loans 2024.csv' },
      importId: 'imp-1',
    });
    expect(imported.status).toBe(200);
    const record = (imported.json() as { result: { id: string; rows: number; originalName: string; columns: unknown[] } }).result;
    expect(record).toMatchObject({ rows: 3, originalName: 'loans 2024.csv' });
    expect(record.columns).toHaveLength(3);

    await waitFor(() => events.messages.some((m) => m.event === 'projects.changed' && m.payload.project === 'Credit'));
    const progress = events.messages.filter((m) => m.event === 'import.progress' && m.payload.importId === 'imp-1');
    expect(progress.map((m) => m.payload.phase)).toEqual(expect.arrayContaining(['copy', 'inspect', 'save']));

    const read = await call('datasets.read', { project: 'Credit', datasetId: record.id });
    expect(read.status).toBe(200);
    expect(read.headers['content-type']).toBe('application/octet-stream');
    expect(read.body.toString('utf8')).toBe(CSV);
    events.close();
  });

  it('refuses uploads without a name or announced over 4 GB', async () => {
    expect((await raw(port, 'POST', '/api/upload', { headers: auth, body: 'a' })).status).toBe(400);
    const huge = await raw(port, 'POST', '/api/upload?name=big.csv', { headers: { ...auth, 'content-length': String(5 * 1024 ** 3) } });
    expect(huge.status).toBe(413);
  });

  it('serves the renderer with the right types and never a file outside it', async () => {
    const wasm = await raw(port, 'GET', '/assets/engine.wasm', { headers: auth });
    expect(wasm.headers['content-type']).toBe('application/wasm');
    expect([...wasm.body]).toEqual([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect((await raw(port, 'GET', '/assets/worker.mjs', { headers: auth })).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw(port, 'GET', '/assets/app.js', { headers: auth })).headers['content-type']).toBe('text/javascript; charset=utf-8');
    const head = await raw(port, 'HEAD', '/assets/app.js', { headers: auth });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    for (const attempt of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/..%5csecret.txt', '/%00', '/%E0%A4%A']) {
      const res = await raw(port, 'GET', attempt, { headers: auth });
      expect(res.status, attempt).toBe(404);
      expect(res.text).not.toContain('outside the renderer');
    }
    expect((await raw(port, 'GET', '/missing.js', { headers: auth })).status).toBe(404);
    const icon = await raw(port, 'GET', '/favicon.ico', { headers: auth });
    expect([icon.status, icon.headers['content-type']]).toEqual([200, 'image/png']);
    expect((await raw(port, 'DELETE', '/index.html', { headers: auth })).status).toBe(405);
  });

  it('says clearly when the renderer is not built', async () => {
    const bare = await startWebHost({ workspaceRoot: fx.workspace, rendererDir: `${fx.root}/not-built`, token: 'fixed-token' });
    try {
      const res = await raw(bare.port, 'GET', '/', { headers: { authorization: 'Bearer fixed-token' } });
      expect(res.status).toBe(503);
      expect(res.text).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });

  it('ends event streams and frees its port on close', async () => {
    const other = await startWebHost({ workspaceRoot: fx.workspace, rendererDir: fx.renderer });
    const events = listen(other.port, { cookie: `orchard_token=${other.token}` });
    await events.opened;
    await other.close();
    await expect(raw(other.port, 'GET', '/')).rejects.toThrow(/ECONNREFUSED/);
  });
});

// Helpers: a temp folder with a fake built renderer, raw HTTP (fetch cannot set Host), an SSE subscriber.

interface Fixture {
  root: string;
  workspace: string;
  renderer: string;
  cleanup(): void;
}

function makeFixture(): Fixture {
  const root = mkdtempSync(path.join(os.tmpdir(), 'orchard-web-'));
  const renderer = path.join(root, 'renderer');
  mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>Orchard</title><div id="root"></div>');
  writeFileSync(path.join(renderer, 'assets', 'app.js'), 'export const x = 1;');
  writeFileSync(path.join(renderer, 'assets', 'worker.mjs'), 'self.onmessage = () => {};');
  writeFileSync(path.join(renderer, 'assets', 'engine.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
  return { root, workspace: path.join(root, 'workspace'), renderer, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  text: string;
  json: () => unknown;
}

function raw(
  port: number,
  method: string,
  urlPath: string,
  opts: { headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path: urlPath, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json: () => JSON.parse(text) as unknown });
      });
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** An SSE subscriber that collects the `data:` messages and the comment lines it receives. */
function listen(port: number, headers: Record<string, string>) {
  const messages: Array<{ event: string; payload: Record<string, unknown> }> = [];
  let comments = 0;
  let status = 0;
  let contentType = '';
  const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, ...headers } });
  const opened = new Promise<void>((resolve, reject) => {
    req.on('error', reject);
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      contentType = String(res.headers['content-type']);
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          for (const line of block.split('\n')) {
            if (line.startsWith('data: ')) messages.push(JSON.parse(line.slice(6)) as (typeof messages)[number]);
            else if (line.startsWith(':')) comments++;
          }
        }
        resolve();
      });
    });
  });
  req.end();
  return {
    messages,
    opened,
    get comments() {
      return comments;
    },
    get status() {
      return status;
    },
    get contentType() {
      return contentType;
    },
    close: () => req.destroy(),
  };
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}
