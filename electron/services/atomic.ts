import { randomUUID } from 'node:crypto';
import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { isCode } from './file-system.js';

/**
 * Atomic saves: the bytes go to a temp file beside the target (same folder, so the same file system), are
 * flushed to disk, and the temp file is renamed over the target. A crash at any moment leaves either the old
 * file or the new one, never a mix. Temp files a crash leaves behind are removed by `removeStaleTempFiles`.
 */

const TEMP_FILE = /^\..+\.[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.tmp$/;

export function tempFileFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomUUID()}.tmp`);
}

export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const temp = tempFileFor(target);
  const handle = await open(temp, 'wx');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameReplacing(temp, target);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(dirname(target));
}

/** Saves a document as pretty JSON with a final newline (readable in a text editor, friendly to diffs). */
export async function writeJsonAtomic(target: string, doc: unknown): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(doc, null, 2) + '\n');
}

/**
 * Flushes a folder's entry list, so a rename inside it survives a power cut. Windows cannot open a folder for
 * this, and some file systems refuse; the rename itself is still atomic there.
 */
export async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return;
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch (err) {
    if (!isCode(err, 'EINVAL', 'EISDIR', 'EPERM', 'EACCES', 'ENOTSUP')) throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Renames over an existing file. On Windows a virus scanner or indexer can hold the target open for a moment,
 * which fails the rename with EPERM/EACCES/EBUSY: retry briefly there.
 */
export async function renameReplacing(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      const retry = process.platform === 'win32' && attempt < 8 && isCode(err, 'EPERM', 'EACCES', 'EBUSY');
      if (!retry) throw err;
      await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** attempt));
    }
  }
}

/**
 * Removes temp files that an interrupted save left in `folder`. Only files older than `olderThanMs` go, so a
 * save in progress in another process (the CLI while the app runs) is left alone.
 */
export async function removeStaleTempFiles(folder: string, olderThanMs = 10 * 60_000): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(folder);
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return [];
    throw err;
  }
  const removed: string[] = [];
  const now = Date.now();
  for (const name of names.filter((n) => TEMP_FILE.test(n))) {
    const file = join(folder, name);
    try {
      const info = await stat(file);
      if (!info.isFile() || now - info.mtimeMs < olderThanMs) continue;
      await rm(file, { force: true });
      removed.push(name);
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
    }
  }
  return removed;
}
