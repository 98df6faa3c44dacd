/**
 * Import and the full quality report on a generated 1,000,000 × 20 CSV: Orchard's data engine (DuckDB-WASM,
 * in process, exactly the code the worker runs) against native DuckDB (@duckdb/node-api) loading the same file
 * and replaying the very SQL statements the report ran, in the same run. Returns markdown for docs/benchmarks.md.
 */
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/duckdb-wasm/blocking';
import { DuckDBInstance } from '@duckdb/node-api';
import { profileTable } from '../workers/data/core/profile/profile.js';
import { createNodeDataEngine } from '../workers/data/platform.node.js';

export async function reportBench(dir: string, rows: number): Promise<string> {
  const file = join(dir, 'wide.csv');
  const native = await (await DuckDBInstance.create(':memory:')).connect();
  const cols: string[] = ['i AS id'];
  for (let k = 0; k < 8; k++) cols.push(`CASE WHEN hash(i, ${k}) % 20 = 0 THEN NULL ELSE ((hash(i, ${k + 100}) % 100000) / 100.0) * ${k + 1} END AS num_${k}`);
  for (let k = 0; k < 4; k++) cols.push(`(hash(i, ${k + 200}) % ${[3, 12, 50, 400][k]})::INT AS int_${k}`);
  for (let k = 0; k < 5; k++) {
    cols.push(`CASE WHEN hash(i, ${k + 300}) % 33 = 0 THEN NULL ELSE 'cat_' || (hash(i, ${k + 400}) % ${[2, 5, 9, 30, 200][k]}) END AS cat_${k}`);
  }
  cols.push(`DATE '2015-01-01' + INTERVAL (hash(i, 500) % 3000) DAY AS day`);
  cols.push(`CASE WHEN hash(i, 600) % 4 = 0 THEN 'yes' ELSE 'no' END AS target`);
  await native.run(`COPY (SELECT ${cols.join(', ')} FROM range(${rows}) t(i)) TO '${file}' (FORMAT csv, HEADER)`);

  const engine = await createNodeDataEngine();
  let t = performance.now();
  const info = await engine.open({ table: 'wide', fileName: 'wide.csv', format: 'csv', source: { kind: 'path', path: file } });
  const orchardLoad = performance.now() - t;

  const statements: string[] = [];
  const access = engine.access;
  const recording = new Proxy(access.conn, {
    get(target, prop, receiver) {
      if (prop === 'query') {
        return (sql: string) => {
          statements.push(sql);
          return target.query(sql);
        };
      }
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as DuckDBConnection;
  t = performance.now();
  const report = profileTable({ ...access, conn: recording }, { table: 'wide', target: 'target' });
  const orchardReport = performance.now() - t;
  engine.dispose();

  t = performance.now();
  await native.run(`CREATE TABLE wide AS SELECT * FROM read_csv('${file}')`);
  const nativeLoad = performance.now() - t;
  t = performance.now();
  for (const sql of statements) await native.run(sql);
  const nativeReport = performance.now() - t;

  const row = (what: string, a: number, b: number) => `| ${what} | ${(a / 1000).toFixed(2)} | ${(b / 1000).toFixed(2)} | ${(a / b).toFixed(2)}× |`;
  return `## Import and quality report, ${rows.toLocaleString('en')} × ${info.columns.length}

A generated CSV (8 decimals with 5% missing, 4 integer codes, 5 categories with 3% missing, a date, a yes/no
target). Orchard: the data engine in process (the worker runs the same code), loading the file, then the full
report with the target (${statements.length} SQL statements; the report ${report.warnings.length} warnings).
Native: \`@duckdb/node-api\` loading the same file with \`read_csv\` and replaying those ${statements.length} statements.

| step | Orchard s | native DuckDB s | ratio |
|---|---:|---:|---:|
${row('load CSV', orchardLoad, nativeLoad)}
${row('quality report', orchardReport, nativeReport)}
${row('total', orchardLoad + orchardReport, nativeLoad + nativeReport)}

Target: within 2× of native DuckDB. Native DuckDB runs its queries on every core; DuckDB-WASM on one.
`;
}
