import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createEventStreamHub, type EventStreamHub } from './events.js';

let hub: EventStreamHub | undefined;
afterEach(() => hub?.close());

describe('event stream hub', () => {
  it('writes data lines to subscribers, heartbeats, and forgets closed ones', async () => {
    const h = (hub = createEventStreamHub({ heartbeatMs: 30 }));
    const server = createServer((_req, res) => h.subscribe(res, { 'X-Test': 'yes' }));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    let text = '';
    const req = request({ host: '127.0.0.1', port, path: '/' });
    const response = new Promise<Record<string, unknown>>((resolve) =>
      req.on('response', (res) => {
        res.setEncoding('utf8');
        res.on('data', (c: string) => (text += c));
        resolve(res.headers);
      }),
    );
    req.end();
    const headers = await response;
    await new Promise((r) => setTimeout(r, 20));
    expect(headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(headers['x-test']).toBe('yes');
    expect(h.size).toBe(1);
    h.emit('projects.changed', { project: 'Churn' });
    await new Promise((r) => setTimeout(r, 100));
    expect(text).toContain('retry: 2000\n: connected\n\n');
    expect(text).toContain('data: {"event":"projects.changed","payload":{"project":"Churn"}}\n\n');
    expect(text).toContain(': heartbeat\n\n');
    req.destroy();
    await new Promise((r) => setTimeout(r, 50));
    expect(h.size).toBe(0);
    await new Promise<void>((r) => server.close(() => r()));
  });
});
