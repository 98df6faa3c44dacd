import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import { loadLimit, tooLargeToLoad } from '../../shared/protocol/data-worker.js';
import type { DatasetFormat } from '../../shared/schema/project.js';
import { isCode } from './file-system.js';

/** The file extensions Orchard imports, and the format each one is read as. */
export const IMPORT_FORMATS: Readonly<Record<string, DatasetFormat>> = {
  '.csv': 'csv',
  '.tsv': 'csv',
  '.txt': 'csv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.json': 'json',
  '.ndjson': 'json',
  '.jsonl': 'json',
};

const SUPPORTED = 'CSV (.csv, .tsv, .txt), Parquet (.parquet, .pq) or JSON (.json, .ndjson, .jsonl)';

/** The format named by a file's extension, or a `bad-file` error that lists what Orchard can import. */
export function formatOf(fileName: string): DatasetFormat {
  const ext = extname(fileName).toLowerCase();
  const format = Object.hasOwn(IMPORT_FORMATS, ext) ? IMPORT_FORMATS[ext] : undefined;
  if (format === undefined) {
    const what = ext === '' ? 'has no file extension' : `is a ${ext} file`;
    throw new HostError('bad-file', `${fileName} ${what}; Orchard imports ${SUPPORTED}.`);
  }
  return format;
}

/**
 * Checks a file before anything is copied: it exists, is a regular file, is not empty, has a supported
 * extension, and its first bytes fit that format. `shownAs` names it in messages (the path the user gave, or
 * the original name of an upload). Returns the format and size.
 */
export async function checkImportFile(
  path: string,
  fileName: string,
  shownAs: string,
): Promise<{ format: DatasetFormat; sizeBytes: number }> {
  let info;
  try {
    info = await stat(path);
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) throw new HostError('not-found', `There is no file at ${shownAs}.`);
    if (isCode(err, 'EACCES', 'EPERM')) throw new HostError('bad-file', `Orchard is not allowed to read ${shownAs}.`);
    throw err;
  }
  if (!info.isFile()) throw new HostError('bad-file', `${shownAs} is not a file.`);
  if (info.size === 0) throw new HostError('bad-file', `${fileName} is empty.`);
  const format = formatOf(fileName);
  if (info.size > loadLimit(format)) throw new HostError('bad-file', tooLargeToLoad(fileName, info.size, loadLimit(format)));
  await checkFirstBytes(path, fileName, format, info.size);
  return { format, sizeBytes: info.size };
}

/** A cheap look at the bytes, so a spreadsheet or image renamed .csv gets a clear message, not a parse error. */
async function checkFirstBytes(path: string, fileName: string, format: DatasetFormat, size: number): Promise<void> {
  const handle = await open(path, 'r');
  try {
    if (format === 'csv' || format === 'json') {
      const head = Buffer.alloc(Math.min(size, 64 * 1024));
      await handle.read(head, 0, head.length, 0);
      // UTF-16 text has a zero byte in every ASCII character; its byte order mark says so.
      const utf16 = format === 'csv' && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff));
      if (!utf16 && head.includes(0)) {
        throw new HostError(
          'bad-file',
          `${fileName} is not a text file: it contains binary data. Save it as CSV (UTF-8) and import that.`,
        );
      }
      return;
    }
    const head = Buffer.alloc(4);
    const tail = Buffer.alloc(4);
    if (size >= 12) {
      await handle.read(head, 0, 4, 0);
      await handle.read(tail, 0, 4, size - 4);
    }
    if (head.toString('latin1') !== 'PAR1' || tail.toString('latin1') !== 'PAR1') {
      throw new HostError('bad-file', `${fileName} is not a Parquet file (it does not start and end with "PAR1").`);
    }
  } finally {
    await handle.close();
  }
}
