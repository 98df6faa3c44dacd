import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where Orchard's own files are. This module runs from source (electron/services/, under tsx or vitest) and
 * compiled (out/node/electron/services/, also inside a packaged app.asar), so it walks up from itself to the
 * folder whose package.json is Orchard's, instead of counting `..`.
 */

let cached: { root: string; version: string } | undefined;

function findApp(): { root: string; version: string } {
  if (cached !== undefined) return cached;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(folder, 'package.json');
    if (existsSync(manifest)) {
      const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'orchard') {
        cached = { root: folder, version: typeof pkg.version === 'string' ? pkg.version : '0.0.0' };
        return cached;
      }
    }
    const parent = dirname(folder);
    if (parent === folder) throw new Error('Orchard could not find its own package.json above ' + fileURLToPath(import.meta.url));
    folder = parent;
  }
}

/** The folder holding Orchard's package.json (the repo root, or the app's root inside a package). */
export function appRoot(): string {
  return findApp().root;
}

/** Orchard's version, from its package.json. */
export function appVersion(): string {
  return findApp().version;
}

/** The repo's resources/ folder (icons, sample data). A packaged app passes its own `resourcesDir` instead. */
export function defaultResourcesDir(): string {
  return join(appRoot(), 'resources');
}
