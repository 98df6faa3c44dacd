import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATASETS } from '../test/team-files.js';
import { expect, test } from './fixtures.js';

const TITANIC = join(DATASETS, 'titanic.csv');

test('create a project, drop titanic.csv, see its rows, and find it again after a reload', async ({ page, projects, data }) => {
  await projects.create('Titanic study');
  await expect(page.getByRole('navigation', { name: 'Project stages' })).toContainText('Titanic study');
  await expect(page.getByRole('navigation')).toContainText('Train');
  await expect(page.getByText('soon').first()).toBeVisible();

  await data.dropFile(TITANIC);
  await data.expectShape('891', 12);
  await expect(data.columnHeaders()).toHaveCount(12);
  await expect(data.columnHeaders().first()).toContainText('PassengerId');
  await expect(data.cell(0, 3)).toHaveText('Braund, Mr. Owen Harris');
  await expect(data.cell(0, 0)).toHaveText('1');

  await page.reload();
  await data.expectShape('891', 12);
  await expect(data.cell(0, 3)).toHaveText('Braund, Mr. Owen Harris');

  await projects.backToList();
  await expect(projects.row('Titanic study')).toContainText('1 dataset');
});

test('drop a Parquet file made by DuckDB and scroll to its last row', async ({ page, projects, data, workspace }) => {
  const file = join(workspace, '..', `orchard-e2e-${Date.now()}.parquet`);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  await conn.run(
    `COPY (SELECT i AS id, i * 0.5 AS half, 'item ' || i AS label FROM range(1, 5001) t(i)) TO '${file}' (FORMAT parquet)`,
  );
  conn.closeSync();

  await projects.create('Parquet check');
  await data.dropFile(file);
  await data.expectShape('5,000', 3);
  await expect(data.cell(0, 2)).toHaveText('item 1');
  await data.grid.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  await expect(data.cell(4999, 0)).toHaveText('5000');
  await expect(data.cell(4999, 1)).toHaveText('2500');
  void page;
});

test('bad files get a clear message and change nothing', async ({ page, projects, data, workspace }) => {
  await projects.create('Careful');
  const empty = join(workspace, '..', `empty-${Date.now()}.csv`);
  await writeFile(empty, '');
  await data.dropFile(empty, 'empty.csv');
  await expect(page.getByRole('alert').filter({ hasText: 'empty' })).toBeVisible();

  const binary = join(workspace, '..', `binary-${Date.now()}.csv`);
  await writeFile(binary, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x01, 0x02]));
  await data.dropFile(binary, 'photo.csv');
  await expect(page.getByRole('alert').filter({ hasText: 'photo.csv' })).toBeVisible();

  await expect(data.shape).toHaveCount(0);
  await projects.backToList();
  await expect(projects.row('Careful')).toContainText('0 datasets');
});
