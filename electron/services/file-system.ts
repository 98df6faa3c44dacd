import { stat } from 'node:fs/promises';
import { relative, isAbsolute, sep } from 'node:path';

/** Whether `err` is a Node system error with one of these codes. */
export function isCode(err: unknown, ...codes: string[]): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}

/** The file's or folder's age in milliseconds, or undefined when it is gone. */
export async function ageOf(path: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(path)).mtimeMs;
  } catch (err) {
    if (isCode(err, 'ENOENT', 'ENOTDIR')) return undefined;
    throw err;
  }
}

/** Whether `child` lies strictly inside `folder` (both absolute); guards paths read from documents. */
export function isInside(folder: string, child: string): boolean {
  const rel = relative(folder, child);
  return rel.length > 0 && !rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel);
}

export const ONE_DAY_MS = 24 * 60 * 60_000;
