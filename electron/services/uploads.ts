import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { HostError } from '../../shared/host/errors.js';
import { isCode } from './file-system.js';

/** Upload ids are opaque tokens: letters, digits, `-` and `_` only, so one can never name a path. */
export const UPLOAD_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Streams an uploaded body into `<stagingDir>/<uploadId>` (browser mode sends the file before importing it).
 * The bytes go to `<uploadId>.uploading` first, which no upload id can name, and are renamed when complete.
 * If `expectedBytes` is given, a body that turns out longer or shorter is refused and nothing is kept.
 */
export async function stageUpload(
  stagingDir: string,
  body: Readable,
  originalName: string,
  expectedBytes?: number,
): Promise<{ uploadId: string }> {
  if (expectedBytes !== undefined && (!Number.isSafeInteger(expectedBytes) || expectedBytes < 0)) {
    throw new HostError('invalid-argument', 'The announced upload size must be a whole number of bytes.');
  }
  const uploadId = randomUUID();
  const target = join(stagingDir, uploadId);
  const temp = `${target}.uploading`;
  let received = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      received += chunk.length;
      if (expectedBytes !== undefined && received > expectedBytes) {
        done(new HostError('invalid-argument', `The upload of ${originalName} is larger than announced (${expectedBytes} bytes).`));
        return;
      }
      done(null, chunk);
    },
  });
  try {
    await pipeline(body, count, createWriteStream(temp, { flags: 'wx' }));
    if (expectedBytes !== undefined && received < expectedBytes) {
      throw new HostError(
        'invalid-argument',
        `The upload of ${originalName} ended early: ${received} of ${expectedBytes} bytes arrived.`,
      );
    }
    await rename(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    if (err instanceof HostError) throw err;
    if (isCode(err, 'ERR_STREAM_PREMATURE_CLOSE', 'ECONNRESET', 'ABORT_ERR')) {
      throw new HostError('cancelled', `The upload of ${originalName} was interrupted.`);
    }
    throw err;
  }
  return { uploadId };
}
