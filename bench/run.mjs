#!/usr/bin/env node
// `npm run bench`: runs every benchmark in this folder and rewrites docs/benchmarks.md with the results,
// the machine and the date. Benchmarks compare against a reference measured in the same run.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('./data.bench.ts', import.meta.url));
const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(run.status ?? 1);
