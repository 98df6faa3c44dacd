/**
 * Errors that cross a boundary (IPC, HTTP, worker messages) travel as plain data and are rebuilt on the other
 * side, so a caller can branch on `code` and show `message` to the user as it is.
 */
export type HostErrorCode =
  | 'invalid-argument' // the caller sent something the contract does not allow
  | 'not-found' // the project, dataset or file named does not exist
  | 'conflict' // the name is taken, or the operation is already running
  | 'bad-file' // the file is not something Orchard can import
  | 'not-supported' // this host cannot do that (for example a file path in browser mode)
  | 'cancelled'
  | 'internal';

export class HostError extends Error {
  override readonly name = 'HostError';
  constructor(
    readonly code: HostErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export interface SerializedError {
  name: string;
  message: string;
  code?: HostErrorCode;
  stack?: string;
}

const CODES: ReadonlySet<string> = new Set<HostErrorCode>([
  'invalid-argument',
  'not-found',
  'conflict',
  'bad-file',
  'not-supported',
  'cancelled',
  'internal',
]);

export function serializeError(err: unknown): SerializedError {
  if (err instanceof HostError) return { name: err.name, message: err.message, code: err.code };
  if (err instanceof Error) {
    const out: SerializedError = { name: err.name, message: err.message };
    if (err.stack !== undefined) out.stack = err.stack;
    return out;
  }
  return { name: 'Error', message: String(err) };
}

/** Rebuilds an error sent by `serializeError`; unknown shapes become an `internal` HostError. */
export function deserializeError(data: unknown): Error {
  if (typeof data === 'object' && data !== null && typeof (data as SerializedError).message === 'string') {
    const e = data as SerializedError;
    if (e.code !== undefined && CODES.has(e.code)) return new HostError(e.code, e.message);
    const err = new Error(e.message);
    err.name = typeof e.name === 'string' ? e.name : 'Error';
    if (typeof e.stack === 'string') err.stack = e.stack;
    return err;
  }
  return new HostError('internal', 'The host sent an error Orchard could not read.');
}
