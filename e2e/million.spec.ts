import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { expect, test } from './fixtures.js';

test('a million rows scroll with only the visible rows in the page', async ({ page, projects, data, workspace }) => {
  test.setTimeout(180_000);
  const file = join(workspace, '..', `million-${Date.now()}.parquet`);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(
    `COPY (SELECT i AS id, (i * 7919) % 1000 AS bucket, 'row ' || i AS label FROM range(1, 1000001) t(i))
     TO '${file}' (FORMAT parquet)`,
  );
  conn.closeSync();

  await projects.create('Million');
  await data.pickFile(file);
  await data.expectShape('1,000,000', 3);
  await expect(data.cell(0, 2)).toHaveText('row 1');

  for (const fraction of [0.5, 0.123, 1]) {
    await data.grid.evaluate((el, f) => el.scrollTo(0, (el.scrollHeight - el.clientHeight) * f), fraction);
    const first = data.grid.locator('[role=row][aria-rowindex]').nth(30);
    const index = Number(await first.getAttribute('aria-rowindex')) - 2;
    await expect(data.cell(index, 2)).toHaveText(`row ${index + 1}`);
    const rendered = await data.grid.locator('[role=row][aria-rowindex]').count();
    expect(rendered).toBeLessThan(150);
  }
  await expect(data.cell(999_999, 0)).toHaveText('1000000');
  void page;
});
