import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { DATASETS } from '../test/team-files.js';
import { expect, test } from './fixtures.js';

const TITANIC = join(DATASETS, 'titanic.csv');
const ADULT = join(DATASETS, 'adult.csv');

/** `orchard info PROJECT --json` on the test's workspace: what the project recorded, from the real CLI. */
async function info(workspace: string, project: string): Promise<{ datasets: { rows: number; columns: { name: string; missing?: number }[] }[] }> {
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/orchard.mjs', 'info', project, '--json', '--workspace', workspace]);
  return JSON.parse(stdout) as Awaited<ReturnType<typeof info>>;
}

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

test('adult.csv: the preview reads "?" as missing, and the import records 2,799 missing in workclass', async ({ projects, data, workspace }) => {
  await projects.create('Adult');
  await data.dropForPreview(ADULT);
  await expect(data.preview).toBeVisible();
  await expect(data.preview.getByTestId('detected')).toHaveText('CSV · Comma-separated · first row is the header · UTF-8');
  expect(await data.missingTokens()).toEqual(['', 'NA', 'N/A', 'null', '?']);
  await expect(data.preview.getByRole('combobox', { name: 'Type of workclass' })).toHaveValue('category');
  // workclass of row 28 in adult.csv is "?": shown as missing in the sample.
  await expect(data.preview.locator('tbody tr').nth(27).locator('td').nth(1)).toHaveText('missing');
  await data.confirmImport();
  await data.expectShape('48,842', 15);
  const recorded = await info(workspace, 'Adult');
  expect(recorded.datasets[0]?.columns.find((c) => c.name === 'workclass')?.missing).toBe(2799);
});

test('the preview takes a type per column and missing-value tokens, including a single space', async ({ page, projects, data, workspace }) => {
  await projects.create('Choices');
  await data.dropForPreview(TITANIC);
  await data.preview.getByRole('combobox', { name: 'Type of Name' }).selectOption('ignore');
  await data.preview.getByRole('combobox', { name: 'Type of Ticket' }).selectOption('identifier');
  await data.preview.getByRole('textbox', { name: 'Another missing value' }).fill(' ');
  await data.preview.getByRole('button', { name: 'Add' }).click();
  await expect(data.preview.getByTestId('missing-tokens')).toContainText('a single space');
  await data.confirmImport();
  await data.expectShape('891', 11);
  await expect(data.columnHeaders().nth(3)).toContainText('Sex');
  const recorded = await info(workspace, 'Choices');
  expect(recorded.datasets[0]?.columns.map((c) => c.name)).not.toContain('Name');
  void page;
});

test('a ragged CSV is refused with the line that is wrong, and Cancel in the preview adds nothing', async ({ page, projects, data, workspace }) => {
  await projects.create('Ragged');
  const ragged = join(workspace, '..', `ragged-${Date.now()}.csv`);
  await writeFile(ragged, 'a,b,c\n1,2,3\n4,5\n');
  await data.dropFile(ragged, 'ragged.csv');
  await expect(data.importEntry('ragged.csv').getByRole('alert')).toHaveText(
    'ragged.csv has rows of different lengths: line 3 has 2 fields, expected 3 like line 1.',
  );
  await data.dropForPreview(TITANIC);
  await data.preview.getByRole('button', { name: 'Cancel' }).click();
  await expect(data.preview).toHaveCount(0);
  await expect(page.getByText('titanic.csv was not imported; nothing was added.')).toBeVisible();
  await projects.backToList();
  await expect(projects.row('Ragged')).toContainText('0 datasets');
});

test('files dropped together: appended when their columns match, otherwise the analyst chooses', async ({ page, projects, data, workspace }) => {
  await projects.create('Months');
  const file = (name: string) => join(workspace, '..', `${Date.now()}-${name}`);
  const [jan, feb, odd] = [file('jan.csv'), file('feb.csv'), file('odd.csv')];
  await writeFile(jan, 'id,amount\n1,10\n2,20\n');
  await writeFile(feb, 'amount,id\n30.5,3\n');
  await writeFile(odd, 'id,note\n4,late\n');
  await data.dropFiles([{ path: jan, name: 'jan.csv' }, { path: feb, name: 'feb.csv' }]);
  await expect(data.preview.getByTestId('appending')).toContainText('feb.csv has the same columns and will be appended');
  await data.confirmImport();
  await data.expectShape('3', 2);
  await expect(data.tab('jan')).toBeVisible();

  await data.dropFiles([{ path: jan, name: 'jan.csv' }, { path: odd, name: 'odd.csv' }]);
  const question = page.getByRole('dialog', { name: 'These files have different columns' });
  await expect(question.getByTestId('append-differences')).toContainText('"amount" is only in jan.csv.');
  await question.getByRole('button', { name: 'Import separately' }).click();
  await data.confirmImport();
  await data.confirmImport();
  await projects.backToList();
  await expect(projects.row('Months')).toContainText('3 datasets');
});
