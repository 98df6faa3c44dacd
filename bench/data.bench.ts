/**
 * The Data stage benchmarks (import, quality report, responsiveness). Import speed: Orchard's data engine (DuckDB-WASM's threaded build on Node worker threads, Parquet through
 * parquet-wasm) against native DuckDB (@duckdb/node-api) doing the same load of the same file, in one run.
 * Writes docs/benchmarks.md. Usage: npm run bench [-- --rows N]
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { writeSection } from './doc.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATASETS } from '../test/team-files.js';
import { startNodeDataWorker } from '../workers/data/node-client.js';
import { longTaskBench } from './longtasks.bench.js';
import { reportBench } from './report.bench.js';

const rowsArg = process.argv.indexOf('--rows');
const ROWS = rowsArg > 0 ? Number(process.argv[rowsArg + 1]) : 1_000_000;
const REPEATS = 3;

interface Row {
  case: string;
  orchard: number;
  native: number;
}

async function best(run: () => Promise<void>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    await run();
    min = Math.min(min, performance.now() - t);
  }
  return min;
}

const dir = await mkdtemp(join(tmpdir(), 'orchard-bench-'));
try {
  const native = await (await DuckDBInstance.create(':memory:')).connect();
  const generatedCsv = join(dir, 'generated.csv');
  const generatedParquet = join(dir, 'generated.parquet');
  const select = `SELECT i AS id, (i * 7919) % 1000 / 10.0 AS amount, CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 97) END AS score,
      ['north','south','east','west'][1 + i % 4] AS region, 'customer ' || (i % 50000) AS name,
      DATE '2020-01-01' + INTERVAL (i % 1500) DAY AS day, i % 3 = 0 AS churned
    FROM range(${ROWS}) t(i)`;
  await native.run(`COPY (${select}) TO '${generatedCsv}' (FORMAT csv, HEADER)`);
  await native.run(`COPY (${select}) TO '${generatedParquet}' (FORMAT parquet)`);

  const t0 = performance.now();
  const worker = await startNodeDataWorker();
  const startup = performance.now() - t0;

  const files = [
    { label: 'adult.csv (48,842 × 15)', path: join(DATASETS, 'adult.csv'), format: 'csv' as const },
    { label: `generated CSV (${ROWS.toLocaleString('en')} × 7)`, path: generatedCsv, format: 'csv' as const },
    { label: `generated Parquet (${ROWS.toLocaleString('en')} × 7)`, path: generatedParquet, format: 'parquet' as const },
  ];
  const rows: Row[] = [];
  for (const f of files) {
    const orchard = await best(async () => {
      await worker.request('open', { table: 'bench', fileName: f.path, format: f.format, source: { kind: 'path', path: f.path } });
    });
    const reader = f.format === 'csv' ? `read_csv('${f.path}')` : `read_parquet('${f.path}')`;
    const nativeMs = await best(async () => {
      await native.run(`CREATE OR REPLACE TABLE bench AS SELECT * FROM ${reader}`);
    });
    const size = (await stat(f.path)).size;
    rows.push({ case: `load ${f.label}, ${(size / 1e6).toFixed(1)} MB`, orchard, native: nativeMs });
    console.log(`${f.label}: orchard ${orchard.toFixed(0)} ms, native ${nativeMs.toFixed(0)} ms`);
  }
  const pageOrchard = await best(async () => {
    for (let k = 0; k < 20; k++) await worker.request('page', { table: 'bench', offset: Math.floor((k / 20) * ROWS), limit: 256 });
  });
  const pageNative = await best(async () => {
    for (let k = 0; k < 20; k++) {
      const start = Math.floor((k / 20) * ROWS);
      await native.runAndReadAll(`SELECT * FROM bench WHERE rowid >= ${start} AND rowid < ${start + 256} ORDER BY rowid`);
    }
  });
  rows.push({ case: '20 pages of 256 rows at spread offsets', orchard: pageOrchard, native: pageNative });
  await worker.terminate();
  const reportSection = await reportBench(dir, ROWS);
  console.log(reportSection);
  const responsiveSection = await longTaskBench(dir, ROWS);
  console.log(responsiveSection);

  const table = rows
    .map((r) => `| ${r.case} | ${r.orchard.toFixed(0)} | ${r.native.toFixed(0)} | ${(r.orchard / r.native).toFixed(2)}× |`)
    .join('\n');
  await writeSection(
    'data',
    `## Import into the data engine

Best of ${REPEATS} runs; times in milliseconds. Orchard: the data engine in process (DuckDB-WASM 1.32's threaded
build on Node worker threads; a file read into memory and registered as bytes; Parquet decoded by parquet-wasm
into Arrow, then ingested). Reference: native DuckDB
(\`@duckdb/node-api\`) running the same load of the same file in the same run. Ratio = Orchard / native (lower is
better). Engine start-up: ${startup.toFixed(0)} ms.

| case | Orchard ms | native DuckDB ms | ratio |
|---|---:|---:|---:|
${table}

Native DuckDB uses its own Parquet reader and reads files from disk. Each of Orchard's statements crosses to DuckDB's
threads and back through shared memory (a few milliseconds), which small loads and single pages feel most.

${reportSection}
${responsiveSection}`,
  );
  console.log('wrote docs/benchmarks.md');
} finally {
  await rm(dir, { recursive: true, force: true });
}
