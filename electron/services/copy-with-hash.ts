import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Streams `from` into a new file `to` (which must not exist), computing the SHA-256 of the bytes on the way,
 * and flushes the copy to disk. Memory stays flat whatever the file's size. `onProgress` gets the fraction
 * copied, at most about once per percent.
 */
export async function copyWithHash(
  from: string,
  to: string,
  expectedBytes: number,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let copied = 0;
  let lastPercent = -1;
  const measure = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      copied += chunk.length;
      const percent = expectedBytes > 0 ? Math.min(100, Math.floor((copied / expectedBytes) * 100)) : 100;
      if (percent !== lastPercent) {
        lastPercent = percent;
        onProgress(percent / 100);
      }
      done(null, chunk);
    },
  });
  await pipeline(createReadStream(from), measure, createWriteStream(to, { flags: 'wx' }), ...(signal === undefined ? [] : [{ signal }]));
  const handle = await open(to, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), sizeBytes: copied };
}
