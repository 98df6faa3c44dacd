import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { browserFallbackMessage, electronPackageDir, findElectronBinary } from './launch.js';

const temps: string[] = [];
function fakeElectronPackage(opts: { pathTxt?: string; binary?: boolean }): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'orchard-electron-'));
  temps.push(dir);
  if (opts.pathTxt !== undefined) writeFileSync(path.join(dir, 'path.txt'), opts.pathTxt);
  if (opts.binary === true && opts.pathTxt !== undefined) {
    const bin = path.join(dir, 'dist', opts.pathTxt);
    mkdirSync(path.dirname(bin), { recursive: true });
    writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
  }
  return dir;
}
afterEach(() => {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
});

const display = { DISPLAY: ':0' };

describe('findElectronBinary', () => {
  it('finds dist/<path.txt> the way electron/index.js does', () => {
    const dir = fakeElectronPackage({ pathTxt: 'electron', binary: true });
    expect(findElectronBinary({ electronDir: dir, env: display, platform: 'linux' })).toEqual({
      ok: true,
      path: path.join(dir, 'dist', 'electron'),
    });
  });

  it('reports "not installed" without downloading when path.txt or the binary is missing', () => {
    const none = findElectronBinary({ electronDir: fakeElectronPackage({}), env: display, platform: 'linux' });
    expect(none).toMatchObject({ ok: false, reason: 'not-installed' });
    const noBinary = findElectronBinary({ electronDir: fakeElectronPackage({ pathTxt: 'electron' }), env: display, platform: 'linux' });
    expect(noBinary).toMatchObject({ ok: false, reason: 'not-installed' });
    expect(findElectronBinary({ electronDir: undefined })).toMatchObject({ ok: false, reason: 'not-installed' });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    const dir = fakeElectronPackage({ pathTxt: 'Electron.app/Contents/MacOS/Electron' });
    const found = findElectronBinary({
      electronDir: dir,
      env: { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' },
      platform: 'darwin',
      isExecutable: (f) => f === '/opt/electron/Electron.app/Contents/MacOS/Electron',
    });
    expect(found).toEqual({ ok: true, path: '/opt/electron/Electron.app/Contents/MacOS/Electron' });
  });

  it('falls back when Linux has no display to show a window on', () => {
    const dir = fakeElectronPackage({ pathTxt: 'electron', binary: true });
    const found = findElectronBinary({ electronDir: dir, env: {}, platform: 'linux' });
    expect(found).toMatchObject({ ok: false, reason: 'no-display' });
    expect(findElectronBinary({ electronDir: dir, env: { WAYLAND_DISPLAY: 'wayland-0' }, platform: 'linux' }).ok).toBe(true);
  });

  it('says in one line why the browser opens instead', () => {
    const msg = browserFallbackMessage({ ok: false, reason: 'not-installed', detail: '' });
    expect(msg).toBe('orchard: the Electron runtime is not installed here (offline), so Orchard opens in your browser instead.');
    expect(msg).not.toContain('\n');
    expect(browserFallbackMessage({ ok: false, reason: 'no-display', detail: '' })).toContain('no display');
  });

  it('locates the installed electron package without running it', () => {
    const dir = electronPackageDir(process.cwd());
    expect(dir).toBeDefined();
    expect(path.basename(dir!)).toBe('electron');
  });
});
