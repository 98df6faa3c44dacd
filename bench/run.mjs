#!/usr/bin/env node
// `npm run bench`: runs every benchmark and rewrites its section of docs/benchmarks.md with the results, the
// machine and the date. Benchmarks compare against a reference measured in the same run.
// `npm run bench -- data` or `-- train` runs one of them; other arguments go to the scripts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SUITES = { data: './data.bench.ts', train: './train.bench.ts' };
const args = process.argv.slice(2);
const chosen = Object.keys(SUITES).filter((name) => args.includes(name));
const rest = args.filter((a) => !(a in SUITES));
for (const name of chosen.length > 0 ? chosen : Object.keys(SUITES)) {
  const script = fileURLToPath(new URL(SUITES[name], import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...rest], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
