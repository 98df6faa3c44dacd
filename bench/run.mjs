#!/usr/bin/env node
// `npm run bench`: runs every benchmark and rewrites its section of docs/benchmarks.md with the results, the
// machine and the date. Benchmarks compare against a reference measured in the same run.
// `npm run bench -- data` or `-- train` runs one of them; other arguments go to the scripts.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// `big` (a 14.5M-row table, about 5 minutes) runs only when named.
const SUITES = { data: './data.bench.ts', train: './train.bench.ts', big: './big-table.bench.ts' };
const DEFAULT = ['data', 'train'];
const args = process.argv.slice(2);
const chosen = Object.keys(SUITES).filter((name) => args.includes(name));
const rest = args.filter((a) => !(a in SUITES));
for (const name of chosen.length > 0 ? chosen : DEFAULT) {
  const script = fileURLToPath(new URL(SUITES[name], import.meta.url));
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...rest], { stdio: 'inherit' });
  if (run.status !== 0) process.exit(run.status ?? 1);
}
