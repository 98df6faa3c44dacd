import { HostError } from '../host/errors.js';

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i;

/**
 * A project name is also its folder's name, so it must be safe on every desktop file system: no path
 * separators or `..`, no characters Windows refuses, no leading dot or space, no trailing dot or space.
 * Returns the trimmed name or throws an `invalid-argument` error that says what to change.
 */
export function checkProjectName(raw: string): string {
  const name = raw.trim();
  if (name.length === 0) throw new HostError('invalid-argument', 'A project needs a name.');
  if (name.length > 64) throw new HostError('invalid-argument', 'A project name can be at most 64 characters.');
  if (name.includes('..') || /[/\\]/.test(name)) {
    throw new HostError('invalid-argument', `"${name}" is not a valid project name: it may not contain "/", "\\" or "..".`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[<>:"|?*\u0000-\u001f]/.test(name)) {
    throw new HostError('invalid-argument', `"${name}" is not a valid project name: it may not contain < > : " | ? * or control characters.`);
  }
  if (name.startsWith('.') || name.endsWith('.')) {
    throw new HostError('invalid-argument', 'A project name may not start or end with a dot.');
  }
  if (RESERVED.test(name)) throw new HostError('invalid-argument', `"${name}" is a reserved name on Windows.`);
  return name;
}

/** Two names clash when they differ only in case (macOS and Windows folders are case-insensitive). */
export function sameProjectName(a: string, b: string): boolean {
  return a.localeCompare(b, undefined, { sensitivity: 'accent' }) === 0;
}

/** A file name safe to store inside a project, keeping the original extension. */
export function safeFileName(original: string): string {
  const base = original.split(/[/\\]/).pop() ?? 'data';
  // eslint-disable-next-line no-control-regex
  const cleaned = base.replace(/[<>:"|?*\u0000-\u001f]/g, '_').replace(/^\.+/, '').slice(-120);
  return cleaned.length > 0 ? cleaned : 'data';
}
