#!/usr/bin/env node
// The `orchard` command. Runs the compiled CLI (out/node, made by `npm run build`) when it is there, else the
// TypeScript source through tsx, so a fresh checkout works before a build. ORCHARD_FROM_SOURCE=1 forces the
// source (the CLI tests use it, so a stale build cannot hide a change).
import { existsSync } from 'node:fs';

const compiled = new URL('../out/node/electron/cli/orchard.js', import.meta.url);
const fromSource = process.env.ORCHARD_FROM_SOURCE === '1' || !existsSync(compiled);

let cli;
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(new URL('../electron/cli/orchard.ts', import.meta.url).href);
} else {
  cli = await import(compiled.href);
}

process.exitCode = await cli.main(process.argv.slice(2));
