/**
 * Import and the full quality report on a generated 1,000,000 × 20 CSV, in Orchard's two DuckDB-WASM paths: the
 * app's data worker in Chromium (data-browser.bench.ts) and the Node engine in process (what the CLI and the
 * host's import run), both on DuckDB's threaded build, against native DuckDB
 * (@duckdb/node-api) loading the same file and replaying the very SQL statements the Node engine ran, in the same
 * run. Returns markdown for docs/benchmarks.md.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { DuckDBInstance } from '@duckdb/node-api';
import { profileTable } from '../workers/data/core/profile/profile.js';
import { createNodeDataEngine } from '../workers/data/platform.node.js';
import { runBrowserDataBench } from './data-browser.bench.js';

/**
 * The generated 20-column table (native DuckDB SQL): 8 decimals with 5% missing, 4 integer codes, 5 categories
 * with 3% missing, a date and a yes/no target.
 */
export function wideTableSql(rows: number): string {
  const cols: string[] = ['i AS id'];
  for (let k = 0; k < 8; k++) cols.push(`CASE WHEN hash(i, ${k}) % 20 = 0 THEN NULL ELSE ((hash(i, ${k + 100}) % 100000) / 100.0) * ${k + 1} END AS num_${k}`);
  for (let k = 0; k < 4; k++) cols.push(`(hash(i, ${k + 200}) % ${[3, 12, 50, 400][k]})::INT AS int_${k}`);
  for (let k = 0; k < 5; k++) {
    cols.push(`CASE WHEN hash(i, ${k + 300}) % 33 = 0 THEN NULL ELSE 'cat_' || (hash(i, ${k + 400}) % ${[2, 5, 9, 30, 200][k]}) END AS cat_${k}`);
  }
  cols.push(`DATE '2015-01-01' + INTERVAL (hash(i, 500) % 3000) DAY AS day`);
  cols.push(`CASE WHEN hash(i, 600) % 4 = 0 THEN 'yes' ELSE 'no' END AS target`);
  return `SELECT ${cols.join(', ')} FROM range(${rows}) t(i)`;
}

export async function reportBench(dir: string, rows: number): Promise<string> {
  const file = join(dir, 'wide.csv');
  const native = await (await DuckDBInstance.create(':memory:')).connect();
  await native.run(`COPY (${wideTableSql(rows)}) TO '${file}' (FORMAT csv, HEADER)`);

  const engine = await createNodeDataEngine();
  const nodeVersion = engine.version;
  // The load's own statements, to replay natively (the file's name in the WASM engine becomes its path).
  const loadStatements: string[] = [];
  const conn = engine.access.conn;
  const query = conn.query.bind(conn);
  conn.query = ((sql: string) => {
    loadStatements.push(sql);
    return query(sql);
  }) as typeof conn.query;
  let t = performance.now();
  const info = await engine.open({ table: 'wide', fileName: 'wide.csv', format: 'csv', source: { kind: 'path', path: file } });
  const orchardLoad = performance.now() - t;
  conn.query = query;
  const nativeLoadSql = loadStatements.map((sql) => sql.replace(/'orchard_file_\d+\.csv'/g, `'${file.replace(/'/g, "''")}'`));

  const statements: string[] = [];
  const orchardTimes: number[] = [];
  const access = engine.access;
  const recording = new Proxy(access.conn, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string) => {
          statements.push(sql);
          const started = performance.now();
          try {
            return target.query(sql);
          } finally {
            orchardTimes.push(performance.now() - started);
          }
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as DuckDBConnection;
  t = performance.now();
  const report = await profileTable({ ...access, conn: recording }, { table: 'wide', target: 'target' });
  const orchardReport = performance.now() - t;
  // A second load and report on the warm engine.
  t = performance.now();
  await engine.open({ table: 'wide', fileName: 'wide.csv', format: 'csv', source: { kind: 'path', path: file } });
  const orchardLoad2 = performance.now() - t;
  t = performance.now();
  await profileTable(access, { table: 'wide', target: 'target' });
  const orchardReport2 = performance.now() - t;
  engine.dispose();
  const node = { first: { load: orchardLoad, report: orchardReport }, best: { load: Math.min(orchardLoad, orchardLoad2), report: Math.min(orchardReport, orchardReport2) } };

  const app = await runBrowserDataBench(file, { target: 'target', runs: 2 });
  const appRuns = { first: { load: app.loadMs[0]!, report: app.reportMs[0]! }, best: { load: Math.min(...app.loadMs), report: Math.min(...app.reportMs) } };

  // Native loads: Orchard's own statements (sniff, typed read, integer check, rename), then a plain read_csv.
  // Every side gets the best of two runs.
  const nativeLoads = async (): Promise<{ same: number; plain: number }> => {
    let best = { same: Infinity, plain: Infinity };
    for (let run = 0; run < 2; run++) {
      let started = performance.now();
      for (const sql of nativeLoadSql) await native.run(sql);
      const same = performance.now() - started;
      await native.run('DROP TABLE wide');
      started = performance.now();
      await native.run(`CREATE TABLE wide AS SELECT * FROM read_csv('${file}')`);
      best = { same: Math.min(best.same, same), plain: Math.min(best.plain, performance.now() - started) };
    }
    return best;
  };
  const nativeLoad = await nativeLoads();
  const replay = async (): Promise<number[]> => {
    const times = statements.map(() => Infinity);
    for (let run = 0; run < 2; run++) {
      for (const [i, sql] of statements.entries()) {
        const started = performance.now();
        await native.run(sql);
        times[i] = Math.min(times[i]!, performance.now() - started);
      }
    }
    return times;
  };
  const nativeTimes = await replay();
  const nativeReport = nativeTimes.reduce((a, b) => a + b, 0);
  await native.run('SET threads = 1');
  await native.run('DROP TABLE wide');
  const nativeLoad1 = await nativeLoads();
  const nativeReport1 = (await replay()).reduce((a, b) => a + b, 0);
  const slowest = orchardTimes
    .map((ms, i) => ({ ms, native: nativeTimes[i] ?? 0, sql: statements[i] ?? '' }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5)
    .map((s) => `| ${(s.ms / 1000).toFixed(2)} | ${(s.native / 1000).toFixed(2)} | \`${s.sql.replace(/\s+/g, ' ').slice(0, 90).replace(/\|/g, '\\|')}…\` |`)
    .join('\n');

  const s = (ms: number) => (ms / 1000).toFixed(2);
  const row = (what: string, a: number, n: number, b: number) => `| ${what} | ${s(a)} | ${s(n)} | ${s(b)} | ${(a / b).toFixed(2)}× | ${(n / b).toFixed(2)}× |`;
  const threads = /(\d+) threads/.exec(app.version)?.[1] ?? '1';
  return `## Import and quality report, ${rows.toLocaleString('en')} × ${info.columns.length}

A generated CSV (8 decimals with 5% missing, 4 integer codes, 5 categories with 3% missing, a date, a yes/no
target), loaded, then the full report with the target (${statements.length} SQL statements; the report ${report.warnings.length} warnings).
- **Orchard, app**: the renderer's data worker in Debian's Chromium, as the app runs it: a cross-origin-isolated page,
  so DuckDB-WASM's threaded build on ${threads} threads (${app.version}). Times as the page sees them, from the request to
  the answer (the CSV's bytes moved to the worker, as the renderer moves a stored dataset's).
- **Orchard, Node**: the same engine in process (${nodeVersion}), as the CLI (\`orchard profile\`) and the host's
  import (preview, load, the stored Parquet copy) run it: the same threaded build on Node worker threads.
- **Native**: \`@duckdb/node-api\` replaying the statements the Node engine ran, on the same file: the load's ${nativeLoadSql.length}
  (sniff, typed read with the missing-value tokens, integer check, rename), then the report's ${statements.length}. Native
  gets the best of two runs (each statement's best, for the report), and so does Orchard (two loads and reports
  on one engine); Orchard's first runs, on an engine whose WebAssembly code is still cold, are shown apart.

| step | Orchard, app s | Orchard, Node s | native DuckDB s | ratio, app | ratio, Node |
|---|---:|---:|---:|---:|---:|
${row('load CSV', appRuns.best.load, node.best.load, nativeLoad.same)}
${row('quality report', appRuns.best.report, node.best.report, nativeReport)}
${row('total', appRuns.best.load + appRuns.best.report, node.best.load + node.best.report, nativeLoad.same + nativeReport)}
${row("load CSV, Orchard's first run", appRuns.first.load, node.first.load, nativeLoad.same)}
${row("quality report, Orchard's first run", appRuns.first.report, node.first.report, nativeReport)}
${row('load CSV, against native plain read_csv', appRuns.best.load, node.best.load, nativeLoad.plain)}
${row('load CSV, against native on 1 thread', appRuns.best.load, node.best.load, nativeLoad1.same)}
${row('quality report, against native on 1 thread', appRuns.best.report, node.best.report, nativeReport1)}

Target: within 2× of native DuckDB, which runs on every core. Engine start-up, not counted above: ${s(app.startMs)} s in
the app. The single-thread rows show the engine-for-engine gap. Times on a shared machine vary from run to run
(native DuckDB's own by up to 2×), so compare the ratios within one run.

The report's five slowest statements in the Node engine (seconds), with native DuckDB's time for the same statement:

| Orchard s | native s | statement |
|---:|---:|---|
${slowest}
`;
}
