import { accessSync, constants, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/**
 * What `npm start` (bin/start.mjs) decides before it opens anything: whether an Electron binary is here to run
 * and can show a window. The binary is found the way
 * node_modules/electron/index.js finds it (path.txt names it inside dist/, ELECTRON_OVERRIDE_DIST_PATH
 * overrides dist/) but without `require('electron')`, which would try to download it when it is missing.
 */

export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: 'not-installed' | 'no-display'; detail: string };

export interface FindElectronOptions {
  /** node_modules/electron; undefined when the package itself is not installed. */
  electronDir: string | undefined;
  env?: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /** Whether a file exists and is executable (injected by tests). */
  isExecutable?: (file: string) => boolean;
}

function executable(file: string): boolean {
  try {
    accessSync(file, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The directory of the installed `electron` package, resolved without running its index.js. */
export function electronPackageDir(fromDir: string): string | undefined {
  try {
    return path.dirname(createRequire(path.join(fromDir, 'package.json')).resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

export function findElectronBinary(opts: FindElectronOptions): ElectronBinary {
  const env = opts.env ?? process.env;
  const platform = opts.platform ?? process.platform;
  const isExecutable = opts.isExecutable ?? executable;
  if (opts.electronDir === undefined) {
    return { ok: false, reason: 'not-installed', detail: 'the electron package is not installed' };
  }
  const pathFile = path.join(opts.electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const overrideDist = env['ELECTRON_OVERRIDE_DIST_PATH'];
  let binary: string;
  if (overrideDist !== undefined && overrideDist !== '') binary = path.join(overrideDist, name || 'electron');
  else if (name !== '') binary = path.join(opts.electronDir, 'dist', name);
  else return { ok: false, reason: 'not-installed', detail: 'node_modules/electron/path.txt is missing (download skipped)' };
  if (!isExecutable(binary)) return { ok: false, reason: 'not-installed', detail: `${binary} is missing` };
  if (platform === 'linux' && !env['DISPLAY'] && !env['WAYLAND_DISPLAY']) {
    return { ok: false, reason: 'no-display', detail: 'no DISPLAY or WAYLAND_DISPLAY is set' };
  }
  return { ok: true, path: binary };
}

/** The one line `npm start` prints when it falls back to the browser. */
export function browserFallbackMessage(found: Exclude<ElectronBinary, { ok: true }>): string {
  return found.reason === 'no-display'
    ? 'orchard: there is no display for a desktop window here, so Orchard opens in your browser instead.'
    : 'orchard: the Electron runtime is not installed here (offline), so Orchard opens in your browser instead.';
}
