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
  engine.dispose();

  // Native loads: Orchard's own statements (sniff, typed read, integer check, rename), then a plain read_csv.
  const nativeLoads = async (): Promise<{ same: number; plain: number }> => {
    let started = performance.now();
    for (const sql of nativeLoadSql) await native.run(sql);
    const same = performance.now() - started;
    await native.run('DROP TABLE wide');
    started = performance.now();
    await native.run(`CREATE TABLE wide AS SELECT * FROM read_csv('${file}')`);
    return { same, plain: performance.now() - started };
  };
  const nativeLoad = await nativeLoads();
  const replay = async (): Promise<number[]> => {
    const times: number[] = [];
    for (const sql of statements) {
      const started = performance.now();
      await native.run(sql);
      times.push(performance.now() - started);
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

  const row = (what: string, a: number, b: number) => `| ${what} | ${(a / 1000).toFixed(2)} | ${(b / 1000).toFixed(2)} | ${(a / b).toFixed(2)}× |`;
  return `## Import and quality report, ${rows.toLocaleString('en')} × ${info.columns.length}

A generated CSV (8 decimals with 5% missing, 4 integer codes, 5 categories with 3% missing, a date, a yes/no
target). Orchard: the data engine in process (the worker runs the same code), loading the file, then the full
report with the target (${statements.length} SQL statements; the report ${report.warnings.length} warnings).
Native: \`@duckdb/node-api\` replaying the same statements on the same file: the load's ${nativeLoadSql.length} (sniff,
typed read with the missing-value tokens, integer check, rename; with a plain \`read_csv\` beside them for
reference), then the report's ${statements.length}.

| step | Orchard s | native DuckDB s | ratio |
|---|---:|---:|---:|
${row('load CSV', orchardLoad, nativeLoad.same)}
${row('quality report', orchardReport, nativeReport)}
${row('total', orchardLoad + orchardReport, nativeLoad.same + nativeReport)}
${row('load CSV, native plain read_csv', orchardLoad, nativeLoad.plain)}
${row('load CSV, native on 1 thread', orchardLoad, nativeLoad1.same)}
${row('quality report, native on 1 thread', orchardReport, nativeReport1)}

Target: within 2× of native DuckDB. Native DuckDB runs its queries on every core; DuckDB-WASM on one, so the
single-thread rows show the engine-for-engine gap.

The report's five slowest statements in Orchard (seconds), with native DuckDB's time for the same statement:

| Orchard s | native s | statement |
|---:|---:|---|
${slowest}
`;
}
