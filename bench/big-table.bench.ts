/**
 * A table near the data engine's limits: a generated 14,500,000 × 20 Parquet file (what a 2 GB CSV becomes once
 * imported), opened from bytes as the renderer opens a stored copy, then the full quality report. Run once with
 * the default rule (a table expected to pass 512 MB is compressed, see COMPRESSED_DATABASE in
 * workers/data/core/load-context.ts) and once with compression off, to show what the rule is for.
 * Not part of the default `npm run bench` (it takes about 5 minutes): `npm run bench -- big`.
 */
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { profileTable } from '../workers/data/core/profile/profile.js';
import { createNodeDataEngine } from '../workers/data/platform.node.js';
import { writeSection } from './doc.js';
import { wideTableSql } from './report.bench.js';

const ROWS = 14_500_000;

interface Outcome {
  compressed: boolean;
  loadSeconds: number;
  tableMb: number;
  report: { seconds: number } | { error: string };
}

async function run(bytes: Uint8Array, compress: boolean): Promise<Outcome> {
  const engine = await createNodeDataEngine(compress ? undefined : { aboveBytes: 256 * 1024 ** 2, chunkBytes: 32 * 1024 ** 2, compressAboveBytes: Infinity });
  try {
    let t = performance.now();
    await engine.open({ table: 'big', fileName: 'big.parquet', format: 'parquet', source: { kind: 'bytes', bytes } });
    const loadSeconds = (performance.now() - t) / 1000;
    const { conn } = engine.access;
    const tableMb = Number(conn.query("SELECT sum(memory_usage_bytes)::DOUBLE / 1048576 FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'").getChildAt(0)?.get(0) ?? 0);
    t = performance.now();
    let report: Outcome['report'];
    try {
      await profileTable(engine.access, { table: 'big', target: 'target' });
      report = { seconds: (performance.now() - t) / 1000 };
    } catch (err) {
      report = { error: String((err as Error).message ?? err).split('\n')[0]!.slice(0, 120) };
    }
    return { compressed: compress, loadSeconds, tableMb, report };
  } finally {
    engine.dispose();
  }
}

const dir = await mkdtemp(join(tmpdir(), 'orchard-big-'));
try {
  const file = join(dir, 'big.parquet');
  const native = await (await DuckDBInstance.create(':memory:')).connect();
  await native.run(`COPY (${wideTableSql(ROWS)}) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
  const size = (await stat(file)).size;
  const bytes = new Uint8Array(await readFile(file));
  const outcomes = [await run(bytes, true), await run(bytes, false)];
  for (const o of outcomes) console.log(JSON.stringify(o));
  const line = (o: Outcome) =>
    `| ${o.compressed ? 'compressed (the default above 512 MB)' : 'uncompressed'} | ${o.loadSeconds.toFixed(0)} | ${o.tableMb.toFixed(0)} | ${'seconds' in o.report ? `${o.report.seconds.toFixed(0)} s` : `fails: ${o.report.error}`} |`;
  await writeSection(
    'big',
    `## A table near the engine's limits, ${ROWS.toLocaleString('en')} × 20

The import and report benchmark's generated table as a Parquet file of ${(size / 1e6).toFixed(0)} MB (about what a 2 GB CSV becomes once imported), opened from bytes as
the renderer opens a stored copy, then the full quality report with a target. DuckDB-WASM has 3.1 GB for tables
and queries.

| table | load s | table in memory, MB | quality report |
|---|---:|---:|---|
${outcomes.map(line).join('\n')}
`,
  );
} finally {
  await rm(dir, { recursive: true, force: true });
}
