import type { HostApi, HostEventName, HostEvents } from '../../../shared/host/contract.js';
import { deserializeError, HostError } from '../../../shared/host/errors.js';
import type { HostPlatform } from './bridge.js';

/**
 * The renderer's host in a browser tab: operations are `POST /api/call/<channel>` (the session cookie rides
 * along), events come from one shared EventSource on `/api/events`, and files are uploaded to
 * `/api/upload` before import. The constructors are injectable so tests can run this against a real server
 * from Node.
 */

interface EventSourceLike {
  readonly readyState: number;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
  close(): void;
}

export interface WebPlatformOptions {
  /** Prefix for every request ('' = this page's origin). */
  baseUrl?: string;
  fetch?: typeof fetch;
  EventSource?: new (url: string) => EventSourceLike;
  XMLHttpRequest?: new () => XMLHttpRequest;
  /** Reconnect delays for the event stream, doubling from `min` to `max` ms. */
  reconnect?: { min: number; max: number };
}

const CLOSED = 2;
const unreachable = (): HostError =>
  new HostError('internal', 'Orchard is not reachable. Is the terminal that started it still running?');

function replyError(status: number, body: unknown): Error {
  if (typeof body === 'object' && body !== null && 'error' in body) return deserializeError(body.error);
  return new HostError('internal', `Orchard answered with HTTP ${status}.`);
}

export function createWebPlatform(opts: WebPlatformOptions = {}): HostPlatform {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? ((input, init) => fetch(input, init));
  // Looked up when first needed, so merely importing this module touches no browser API.
  const eventSource = (): WebPlatformOptions['EventSource'] => opts.EventSource ?? globalThis.EventSource;
  const xhr = (): NonNullable<WebPlatformOptions['XMLHttpRequest']> => opts.XMLHttpRequest ?? globalThis.XMLHttpRequest;
  const delays = opts.reconnect ?? { min: 1000, max: 30_000 };

  // One EventSource for all listeners, opened with the first and closed with the last.
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let source: EventSourceLike | undefined;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let delay = delays.min;
  let everOpened = false;
  const count = (): number => [...listeners.values()].reduce((n, s) => n + s.size, 0);
  const dispatch = (event: string, payload: unknown): void => {
    for (const l of [...(listeners.get(event) ?? [])]) l(payload);
  };

  function connect(): void {
    retry = undefined;
    const ES = eventSource();
    if (ES === undefined) return; // no EventSource here (a test DOM): operations work, events never arrive
    const es = new ES(`${base}/api/events`);
    source = es;
    es.onopen = () => {
      delay = delays.min;
      // Events sent while we were away are lost; tell lists to refresh.
      if (everOpened) dispatch('projects.changed', {});
      everOpened = true;
    };
    es.onmessage = (m) => {
      try {
        const msg = JSON.parse(String(m.data)) as { event?: unknown; payload?: unknown };
        if (typeof msg.event === 'string') dispatch(msg.event, msg.payload);
      } catch {
        // not one of ours
      }
    };
    es.onerror = () => {
      // EventSource retries network errors by itself; it gives up (CLOSED) on an HTTP error such as a 401
      // after the host restarted. Then we try again ourselves, backing off.
      if (es.readyState !== CLOSED || source !== es) return;
      source = undefined;
      if (count() > 0) {
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, delays.max);
      }
    };
  }

  function disconnectIfIdle(): void {
    if (count() > 0) return;
    source?.close();
    source = undefined;
    if (retry !== undefined) clearTimeout(retry);
    retry = undefined;
  }

  const host: HostApi = {
    async call(channel, args) {
      let res: Response;
      try {
        res = await doFetch(`${base}/api/call/${channel}`, {
          method: 'POST',
          credentials: 'same-origin',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(args ?? {}),
        });
      } catch {
        throw unreachable();
      }
      if (res.ok && (res.headers.get('content-type') ?? '').startsWith('application/octet-stream')) {
        return new Uint8Array(await res.arrayBuffer()) as never;
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        throw replyError(res.status, undefined);
      }
      const reply = body as { ok?: unknown; result?: unknown };
      if (res.ok && reply.ok === true) return reply.result as never;
      throw replyError(res.status, body);
    },
    on<E extends HostEventName>(event: E, listener: (payload: HostEvents[E]) => void) {
      const l = listener as (payload: unknown) => void;
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(l);
      if (source === undefined && retry === undefined) connect();
      return () => {
        set.delete(l);
        disconnectIfIdle();
      };
    },
  };

  return {
    kind: 'web',
    host,
    fileToRef(file, onProgress, signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted === true) {
          reject(new HostError('cancelled', `The upload of "${file.name}" was cancelled.`));
          return;
        }
        const XHR = xhr();
        const req = new XHR();
        req.open('POST', `${base}/api/upload?name=${encodeURIComponent(file.name)}`);
        req.upload.onprogress = (e) => {
          if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
        };
        req.onload = () => {
          let body: unknown;
          try {
            body = JSON.parse(req.responseText) as unknown;
          } catch {
            reject(replyError(req.status, undefined));
            return;
          }
          const reply = body as { ok?: unknown; result?: { uploadId?: unknown } };
          const uploadId = reply.result?.uploadId;
          if (req.status === 200 && reply.ok === true && typeof uploadId === 'string') {
            onProgress?.(1);
            resolve({ kind: 'upload', uploadId, originalName: file.name });
          } else reject(replyError(req.status, body));
        };
        req.onerror = () => reject(unreachable());
        req.onabort = () => reject(new HostError('cancelled', `The upload of "${file.name}" was cancelled.`));
        signal?.addEventListener('abort', () => req.abort(), { once: true });
        req.send(file);
      });
    },
    onMenuCommand() {
      return () => undefined;
    },
  };
}
