import { stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Serving the built renderer, shared by the browser host and the Electron `app://` protocol: a URL path maps
 * to a file inside the renderer folder or to nothing; no path can leave that folder.
 */

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.parquet': 'application/octet-stream',
};

export function mimeType(file: string): string {
  return MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file a URL path names inside `root`, or undefined when the path is malformed, hidden (a segment
 * starting with '.'), or would resolve outside `root`. `/` and folders map to their index.html.
 */
export function resolveInside(root: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s.startsWith('.'))) return undefined;
  const base = path.resolve(root);
  const file = path.resolve(base, ...segments);
  if (file !== base && !file.startsWith(base + path.sep)) return undefined;
  return decoded.endsWith('/') || segments.length === 0 ? path.join(file, 'index.html') : file;
}

/** Like `resolveInside`, then checks the file exists (a folder falls back to its index.html). */
export async function findStaticFile(root: string, urlPath: string): Promise<{ file: string; size: number } | undefined> {
  const file = resolveInside(root, urlPath);
  if (file === undefined) return undefined;
  for (const candidate of [file, path.join(file, 'index.html')]) {
    try {
      const s = await stat(candidate);
      if (s.isFile()) return { file: candidate, size: s.size };
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}
