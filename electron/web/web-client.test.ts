import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Window } from 'happy-dom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HostError } from '../../shared/host/errors.js';
import type { HostEvents } from '../../shared/host/contract.js';
import { createWebPlatform } from '../../renderer/src/host/web.js';
import type { HostPlatform } from '../../renderer/src/host/bridge.js';
import { startWebHost, type WebHost } from './server.js';

/**
 * The renderer's browser client (renderer/src/host/web.ts) against the real browser host. It lives here
 * because renderer/ may not import electron/. Node has fetch but no EventSource, and XMLHttpRequest comes
 * from happy-dom, whose window is placed at the server's origin with the session cookie set.
 */

/** Enough of EventSource for the client: `data:` lines, onopen/onerror, CLOSED on an HTTP error. */
class FetchEventSource {
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  private readonly abort = new AbortController();
  static headers: Record<string, string> = {};
  static opened = 0;

  constructor(url: string) {
    void this.run(url);
  }

  private async run(url: string): Promise<void> {
    try {
      const res = await fetch(url, { headers: FetchEventSource.headers, signal: this.abort.signal });
      if (res.status !== 200 || res.body === null) throw new Error(`HTTP ${res.status}`);
      this.readyState = 1;
      FetchEventSource.opened++;
      this.onopen?.(new Event('open'));
      const decoder = new TextDecoder();
      let buffer = '';
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const data = buffer.slice(0, end).split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6));
          buffer = buffer.slice(end + 2);
          if (data.length > 0) this.onmessage?.(new MessageEvent('message', { data: data.join('\n') }));
        }
      }
    } catch {
      // aborted, refused, or an HTTP error: a real EventSource gives up on the latter too
    }
    if (this.readyState === 2) return;
    this.readyState = 2;
    this.onerror?.(new Event('error'));
  }

  close(): void {
    this.readyState = 2;
    this.abort.abort();
  }

  /** The connection breaks (not a close by the client). */
  drop(): void {
    this.abort.abort();
  }
}

async function waitFor(check: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!check()) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

let root: string;
let web: WebHost;
let happy: Window;
let platform: HostPlatform;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'orchard-web-client-'));
  mkdirSync(path.join(root, 'renderer'));
  writeFileSync(path.join(root, 'renderer', 'index.html'), '<!doctype html><title>Orchard</title>');
  web = await startWebHost({ workspaceRoot: path.join(root, 'workspace'), rendererDir: path.join(root, 'renderer') });
  const authorization = `Bearer ${web.token}`;
  FetchEventSource.headers = { authorization };
  happy = new Window({ url: `${web.origin}/` });
  // The server sets an HttpOnly cookie; a script-visible one with the same value is what happy-dom can hold.
  happy.document.cookie = `orchard_token=${web.token}; path=/`;
  platform = createWebPlatform({
    baseUrl: web.origin,
    fetch: (input, init) => fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), authorization } }),
    EventSource: FetchEventSource,
    XMLHttpRequest: happy.XMLHttpRequest as unknown as new () => XMLHttpRequest,
    reconnect: { min: 20, max: 100 },
  });
});
afterAll(async () => {
  await happy.happyDOM.close();
  await web.close();
  rmSync(root, { recursive: true, force: true });
});

describe('web platform against the browser host', () => {
  it('calls operations and gets typed results', async () => {
    expect(platform.kind).toBe('web');
    const doc = await platform.host.call('projects.create', { name: 'Churn' });
    expect(doc.name).toBe('Churn');
    const list = await platform.host.call('projects.list', {});
    expect(list.map((p) => p.name)).toEqual(['Churn']);
  });

  it('rejects with a rebuilt HostError', async () => {
    const err = await platform.host.call('projects.open', { name: 'Nope' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'not-found', message: expect.stringContaining('Nope') });
  });

  it('says the host is unreachable when the server is gone', async () => {
    const dead = createWebPlatform({ baseUrl: 'http://127.0.0.1:9', fetch: (i, init) => fetch(i, init) });
    await expect(dead.host.call('projects.list', {})).rejects.toMatchObject({ code: 'internal', message: expect.stringContaining('not reachable') });
  });

  it('uploads a File, imports it, hears the events and reads the bytes back', async () => {
    const changed: Array<HostEvents['projects.changed']> = [];
    const progress: Array<HostEvents['import.progress']> = [];
    const offChanged = platform.host.on('projects.changed', (p) => changed.push(p));
    const offProgress = platform.host.on('import.progress', (p) => progress.push(p));
    await waitFor(() => FetchEventSource.opened > 0);

    const csv = 'a,b\n1,x\n2,y\n';
    const file = new happy.File([csv], 'sales.csv', { type: 'text/csv' }) as unknown as File;
    const onProgress = vi.fn();
    const ref = await platform.fileToRef(file, onProgress);
    expect(ref).toMatchObject({ kind: 'upload', originalName: 'sales.csv', uploadId: expect.any(String) });
    expect(onProgress).toHaveBeenLastCalledWith(1);

    const record = await platform.host.call('datasets.import', { project: 'Churn', file: ref, importId: 'imp-web' });
    expect(record.rows).toBe(2);
    await waitFor(() => changed.some((c) => c.project === 'Churn'));
    expect(progress.some((p) => p.importId === 'imp-web' && p.phase === 'save')).toBe(true);

    const bytes = await platform.host.call('datasets.read', { project: 'Churn', datasetId: record.id });
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(new TextDecoder().decode(bytes)).toBe(csv);
    offChanged();
    offProgress();
  });

  it('rejects an upload the host refuses, and a cancelled one', async () => {
    const empty = new happy.File(['x'], '', {}) as unknown as File;
    await expect(platform.fileToRef(empty)).rejects.toMatchObject({ code: 'invalid-argument' });
    const aborted = new AbortController();
    aborted.abort();
    const file = new happy.File(['x'], 'a.csv', {}) as unknown as File;
    await expect(platform.fileToRef(file, undefined, aborted.signal)).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('reconnects the event stream after the host refuses it, and asks lists to refresh', async () => {
    let accept = false;
    const sources: FetchEventSource[] = [];
    class Flaky extends FetchEventSource {
      constructor(url: string) {
        super(accept ? url : 'http://127.0.0.1:9/refused');
        sources.push(this);
      }
    }
    const flaky = createWebPlatform({ baseUrl: web.origin, EventSource: Flaky, reconnect: { min: 10, max: 40 } });
    const changed = vi.fn();
    const off = flaky.host.on('projects.changed', changed);
    await waitFor(() => sources.length >= 3);
    accept = true;
    await waitFor(() => sources.some((s) => s.readyState === 1));
    await platform.host.call('projects.create', { name: 'Later' });
    await waitFor(() => changed.mock.calls.some(([p]) => (p as { project?: string }).project === 'Later'));
    // A dropped stream comes back by itself, and since events may have been missed, lists are told to refresh.
    const before = sources.length;
    sources.find((s) => s.readyState === 1)!.drop();
    await waitFor(() => sources.length > before && sources.at(-1)!.readyState === 1);
    await waitFor(() => changed.mock.calls.some(([p]) => JSON.stringify(p) === '{}'));
    off();
    await waitFor(() => sources.every((s) => s.readyState === 2));
  });
});
