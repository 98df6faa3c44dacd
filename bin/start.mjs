#!/usr/bin/env node
// `npm start`: opens Orchard. With an Electron runtime (and, on Linux, a display) it runs the desktop app;
// otherwise it says so in one line and serves Orchard to the browser from this process instead.
// ORCHARD_BROWSER=1 always uses the browser; ORCHARD_NO_OPEN=1 (or CI) only prints the link;
// ORCHARD_PORT picks the port; ORCHARD_WORKSPACE the folder that holds the projects (default ~/Orchard).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const out = (...p) => path.join(appRoot, 'out', ...p);
const needed = [
  out('node', 'electron', 'main.js'),
  out('node', 'electron', 'preload.cjs'),
  out('node', 'electron', 'launch.js'),
  out('node', 'electron', 'web', 'server.js'),
  out('renderer', 'index.html'),
];

if (!needed.every((f) => existsSync(f))) {
  console.log('orchard: building first (npm run build)…');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const built = spawnSync(npm, ['run', 'build'], { cwd: appRoot, stdio: 'inherit', shell: process.platform === 'win32' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const load = (...p) => import(pathToFileURL(out('node', 'electron', ...p)).href);
const { electronPackageDir, findElectronBinary, browserFallbackMessage } = await load('launch.js');

const found =
  process.env.ORCHARD_BROWSER === '1'
    ? { ok: false, reason: 'asked', detail: '' }
    : findElectronBinary({ electronDir: electronPackageDir(appRoot) });

if (found.ok) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(found.path, [appRoot, ...process.argv.slice(2)], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('error', (err) => {
    console.error(`orchard: could not start Electron: ${err.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  if (found.reason !== 'asked') console.log(browserFallbackMessage(found));
  const { startWebHost } = await load('web', 'server.js');
  const { resolveWorkspaceRoot } = await load('services', 'index.js');
  const port = process.env.ORCHARD_PORT ? Number(process.env.ORCHARD_PORT) : 0;
  const open = !process.env.CI && process.env.ORCHARD_NO_OPEN !== '1';
  const host = await startWebHost({ workspaceRoot: resolveWorkspaceRoot(undefined, process.env), port, open });
  console.log(`Orchard is running at ${host.url}`);
  console.log('Press Ctrl+C to stop.');
  let stopping = false;
  const stop = async () => {
    if (stopping) process.exit(130);
    stopping = true;
    await host.close().catch((err) => console.error(`orchard: ${err.message}`));
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
