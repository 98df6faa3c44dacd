import type { ServerResponse } from 'node:http';
import type { EmitEvent } from '../../shared/host/registry.js';

/**
 * Server-Sent Events for the browser host: each open `GET /api/events` response is a subscriber; `emit`
 * writes one `data:` line per host event to all of them. A comment line every `heartbeatMs` keeps proxies
 * and idle timers from closing a quiet stream, and lets a dead socket be noticed.
 */
export interface EventStreamHub {
  emit: EmitEvent;
  /** Takes over a response: writes the SSE headers and keeps it until the client goes away or `close`. */
  subscribe(res: ServerResponse, headers: Record<string, string>): void;
  readonly size: number;
  close(): void;
}

export function createEventStreamHub(opts: { heartbeatMs?: number } = {}): EventStreamHub {
  const clients = new Set<ServerResponse>();
  const write = (chunk: string): void => {
    for (const res of clients) {
      if (res.writableEnded || res.destroyed) clients.delete(res);
      else res.write(chunk);
    }
  };
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), opts.heartbeatMs ?? 15_000);
  heartbeat.unref();

  return {
    emit: (event, payload) => write(`data: ${JSON.stringify({ event, payload })}\n\n`),
    subscribe(res, headers) {
      res.writeHead(200, {
        ...headers,
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      // `retry` sets the browser's reconnect delay; the comment flushes headers so `onopen` fires at once.
      res.write('retry: 2000\n: connected\n\n');
      clients.add(res);
      res.on('close', () => clients.delete(res));
    },
    get size() {
      return clients.size;
    },
    close() {
      clearInterval(heartbeat);
      for (const res of clients) res.end();
      clients.clear();
    },
  };
}
