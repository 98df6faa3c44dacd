import { open } from 'node:fs/promises';

/** Up to `length` bytes of the file at `path` from `offset` (fewer at its end): the data platform's and the host's ranged reads. */
export async function readFileRange(path: string, offset: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  if (length === 0) return bytes;
  const file = await open(path, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await file.read(bytes, done, length - done, offset + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return bytes.subarray(0, done);
  } finally {
    await file.close();
  }
}
