// Drives ThreadedDuckDB, the data worker's synchronous line to DuckDB's threaded build, through each call the
// data engine makes, and posts what came back for threads.spec.ts to check.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { startThreadedDuckDB } from '../../workers/data/threads/start.web.js';

const one = (table: { getChildAt(i: number): { get(j: number): unknown } | null }, column = 0): unknown => table.getChildAt(column)?.get(0);

async function run(): Promise<Record<string, unknown>> {
  const db = await startThreadedDuckDB(2);
  db.open({ query: { castDecimalToDouble: true } });
  const conn = db.connect();
  const out: Record<string, unknown> = { version: db.getVersion(), isolated: crossOriginIsolated };
  out['threads'] = Number(one(conn.query(`SELECT current_setting('threads')::INT`)));

  // DuckDB's threads grow the shared memory for a big hash table and free it after; a big copy-in then lands in
  // that space, past the end of the views this thread last saw (the failure heap-views.worker.js prevents).
  out['distinct'] = Number(one(conn.query(`SELECT count(DISTINCT i)::DOUBLE FROM range(20000000) t(i)`)));
  const filler = new Uint8Array(64 * 1024 * 1024).fill(10);
  db.registerFileBuffer('filler.txt', filler);
  db.dropFile('filler.txt');
  conn.query(`CREATE TABLE big AS SELECT i, random() AS a, i::VARCHAR AS s FROM range(4000000) t(i)`);
  const counted = conn.query(`SELECT count(*)::DOUBLE, sum(i)::DOUBLE FROM big`);
  out['bigRows'] = one(counted);
  out['bigSum'] = one(counted, 1);

  // An answer of 24 MB crosses in several 16 MB chunks.
  const column = conn.query(`SELECT (i * 2)::DOUBLE AS x FROM range(3000000) t(i) ORDER BY i`);
  const x = column.getChildAt(0)!;
  out['columnRows'] = column.numRows;
  out['columnLast'] = x.get(column.numRows - 1);
  let sum = 0;
  for (let i = 0; i < column.numRows; i++) sum += x.get(i) as number;
  out['columnSum'] = sum;

  // A streamed result arrives batch by batch as it is read.
  let batches = 0;
  let streamed = 0;
  for (const batch of conn.send(`SELECT i FROM range(300000) t(i)`)) {
    batches++;
    streamed += batch.numRows;
  }
  out['streamedRows'] = streamed;
  out['streamedBatches'] = batches;

  // DuckDB's own message comes back, and the connection goes on working.
  try {
    conn.query('SELECT * FROM no_such_table');
    out['sqlError'] = 'no error';
  } catch (err) {
    out['sqlError'] = err instanceof Error ? err.message : String(err);
  }
  out['afterError'] = Number(one(conn.query('SELECT 41 + 1')));

  // Arrow in, a registered file read and dropped, and the raw IPC bytes of a query.
  const ipc = tableToIPC(tableFromArrays({ x: Float64Array.from([1, 2, 3]) }), 'stream');
  conn.insertArrowFromIPCStream(ipc, { name: 'inserted', create: true });
  out['inserted'] = Number(one(conn.query('SELECT sum(x) FROM inserted')));
  db.registerFileBuffer('small.csv', new TextEncoder().encode('a,b\n1,x\n2,y\n'));
  out['csvRows'] = Number(one(conn.query(`SELECT count(*) FROM read_csv('small.csv')`)));
  db.dropFile('small.csv');
  try {
    conn.query(`SELECT count(*) FROM read_csv('small.csv')`);
    out['dropped'] = false;
  } catch {
    out['dropped'] = true;
  }
  out['ipcBytes'] = conn.useUnsafe((bindings, id) => bindings.runQuery(id, 'SELECT 1').byteLength);
  conn.close();
  return out;
}

run().then(
  (result) => self.postMessage(result),
  (err: unknown) => self.postMessage({ failed: err instanceof Error ? err.message : String(err) }),
);
