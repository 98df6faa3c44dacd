#!/usr/bin/env node
// `npm run dev`: rebuilds on change and serves Orchard to the browser. The renderer is rebuilt by
// `vite build --watch` into out/renderer (the host reads files from disk, so reload the page after a
// change); electron/ and workers/ are recompiled by `tsc --watch`, and a change to the host itself needs
// a restart. Projects go to .orchard-dev/workspace unless ORCHARD_WORKSPACE says otherwise.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const appRoot = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const binOf = (pkg, bin) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), bin);
const tsc = binOf('typescript', 'bin/tsc');
const vite = binOf('vite', 'bin/vite.js');
const node = (args, opts = {}) => spawn(process.execPath, args, { cwd: appRoot, stdio: 'inherit', ...opts });

// Compile the host once up front, so the server below starts from fresh output.
for (const config of ['tsconfig.node.json', 'tsconfig.preload.json']) {
  const r = spawnSync(process.execPath, [tsc, '-p', config], { cwd: appRoot, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const children = [
  node([tsc, '-p', 'tsconfig.node.json', '--watch', '--preserveWatchOutput']),
  node([vite, 'build', '--watch', '--sourcemap', '--minify', 'false']),
];

const index = path.join(appRoot, 'out', 'renderer', 'index.html');
while (!existsSync(index)) await new Promise((r) => setTimeout(r, 250));

const server = pathToFileURL(path.join(appRoot, 'out', 'node', 'electron', 'web', 'server.js')).href;
const { startWebHost } = await import(server);
const workspaceRoot = process.env.ORCHARD_WORKSPACE || path.join(appRoot, '.orchard-dev', 'workspace');
const port = process.env.ORCHARD_PORT ? Number(process.env.ORCHARD_PORT) : 0;
const host = await startWebHost({ workspaceRoot, port, open: !process.env.CI && process.env.ORCHARD_NO_OPEN !== '1' });
console.log(`Orchard (dev) is running at ${host.url}\nWorkspace: ${workspaceRoot}. Press Ctrl+C to stop.`);

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(130);
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  await host.close().catch(() => undefined);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const child of children) child.on('exit', (code) => code && !stopping && console.error(`orchard: a watcher stopped (exit ${code}).`));
