import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import { HOST_CHANNELS } from '../../shared/host/contract.js';
import { HostError, serializeError, type HostErrorCode, type SerializedError } from '../../shared/host/errors.js';
import type { HandlerRegistry } from '../../shared/host/registry.js';
import type { HostServices } from '../services/types.js';

/**
 * The browser host's API routes: `POST /api/call/<channel>` and `POST /api/upload?name=`. Replies use the same
 * envelope as IPC, `{ok:true,result}` or `{ok:false,error}`, with an HTTP status that matches the error code.
 */

export const MAX_CALL_BODY = 1024 * 1024;
/** A kept run carries its fitted model: a random forest of deep trees is tens of megabytes of JSON. */
export const MAX_MODEL_BODY = 512 * 1024 * 1024;
const bodyLimit = (channel: string): number => (channel === 'experiments.save' ? MAX_MODEL_BODY : MAX_CALL_BODY);
export const MAX_UPLOAD_BYTES = 4 * 1024 ** 3;

const STATUS: Record<HostErrorCode, number> = {
  'invalid-argument': 400,
  'not-supported': 400,
  'not-found': 404,
  conflict: 409,
  cancelled: 409,
  'bad-file': 422,
  internal: 500,
};

export function statusForError(err: unknown): number {
  return err instanceof HostError ? STATUS[err.code] : 500;
}

/** What the browser gets: HostErrors as they are; anything else without its stack trace. */
function errorBody(err: unknown): SerializedError {
  const e = serializeError(err);
  delete e.stack;
  return e;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(data.length),
    'Cache-Control': 'no-store',
  });
  res.end(data);
}

export function sendError(res: ServerResponse, err: unknown, headers: Record<string, string>, status?: number): void {
  if (status === 413 || status === 415) headers = { ...headers, Connection: 'close' };
  sendJson(res, status ?? statusForError(err), { ok: false, error: errorBody(err) }, headers);
}

function declaredLength(req: IncomingMessage): number | undefined {
  const raw = req.headers['content-length'];
  if (raw === undefined || !/^\d+$/.test(raw)) return undefined;
  return Number(raw);
}

class TooLarge extends HostError {
  constructor(limit: number) {
    super('invalid-argument', `The request is larger than ${limit} bytes.`);
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = declaredLength(req);
  if (declared !== undefined && declared > limit) throw new TooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new TooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const isChannel = (name: string): boolean => (HOST_CHANNELS as readonly string[]).includes(name);

export async function handleCall(
  req: IncomingMessage,
  res: ServerResponse,
  channel: string,
  registry: HandlerRegistry,
  headers: Record<string, string>,
): Promise<void> {
  if (!isChannel(channel)) {
    sendError(res, new HostError('invalid-argument', `Unknown operation "${channel}".`), headers, 404);
    return;
  }
  const type = req.headers['content-type'] ?? '';
  if (declaredLength(req) !== 0 && !/^application\/json\s*(;|$)/i.test(type)) {
    // A JSON content type cannot be sent cross-site without a CORS preflight, which this server never grants.
    sendError(res, new HostError('invalid-argument', 'Send the arguments as application/json.'), headers, 415);
    return;
  }
  let args: unknown;
  try {
    const body = await readBody(req, bodyLimit(channel));
    args = body.length === 0 ? {} : (JSON.parse(body.toString('utf8')) as unknown);
  } catch (err) {
    if (err instanceof TooLarge) sendError(res, err, headers, 413);
    else sendError(res, new HostError('invalid-argument', 'The request body is not valid JSON.'), headers);
    return;
  }
  let result: unknown;
  try {
    result = await registry.dispatch(channel, args);
  } catch (err) {
    sendError(res, err, headers);
    return;
  }
  if (result instanceof Uint8Array) {
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(result.byteLength),
      'Cache-Control': 'no-store',
    });
    res.end(result);
    return;
  }
  sendJson(res, 200, { ok: true, result }, headers);
}

/** Counts bytes on the way through and fails the stream once they pass `limit`. */
function byteLimit(limit: number): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      if (size > limit) done(new TooLarge(limit));
      else done(null, chunk);
    },
  });
}

export async function handleUpload(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  services: Pick<HostServices, 'stageUpload'>,
  headers: Record<string, string>,
): Promise<void> {
  const name = url.searchParams.get('name') ?? '';
  if (name.length < 1 || name.length > 300) {
    sendError(res, new HostError('invalid-argument', 'Say the file name: /api/upload?name=<file name>.'), headers);
    return;
  }
  const declared = declaredLength(req);
  if (declared !== undefined && declared > MAX_UPLOAD_BYTES) {
    sendError(res, new HostError('invalid-argument', 'Files over 4 GB cannot be uploaded.'), headers, 413);
    return;
  }
  const body = req.pipe(byteLimit(MAX_UPLOAD_BYTES));
  req.on('error', (err) => body.destroy(err));
  try {
    const result = await services.stageUpload(body, name, declared);
    sendJson(res, 200, { ok: true, result }, headers);
  } catch (err) {
    const cause = body.errored ?? err;
    sendError(res, cause, headers, cause instanceof TooLarge ? 413 : undefined);
  }
}
