import { join } from 'node:path';
import { DATASETS } from '../test/team-files.js';
import { expect, test } from './fixtures.js';
import { DataViews } from './pages/split-sql.js';

const TITANIC = join(DATASETS, 'titanic.csv');

test('split titanic on Survived, explore the training rows only, query them and save a result', async ({ page, projects, data }) => {
  const views = new DataViews(page);
  await projects.create('Split study');
  await data.dropFile(TITANIC);
  await data.expectShape('891', 12);

  // Stratified 70/15/15 by largest remainder per class: 549 → 384/83/82 and 342 → 240/51/51.
  await views.show('Split');
  await views.createSplit({ method: 'Stratified on the target', column: 'Survived', seed: 42 });
  await expect(views.splitCounts).toContainText('Train: 624 rows');
  await expect(views.splitCounts).toContainText('Validation: 134 rows');
  await expect(views.splitCounts).toContainText('Test: 133 rows');
  await expect(views.lockNote).toHaveText('Test rows are locked: exploration shows the training partition only (624 of 891 rows).');

  await views.show('Rows');
  await expect(data.grid).toHaveAttribute('aria-rowcount', '625');

  await views.show('SQL');
  await views.runSql('SELECT Sex, count(*) AS n FROM titanic GROUP BY 1 ORDER BY 1');
  await expect(views.resultRows()).toHaveCount(2);
  await expect(views.sqlCount).toHaveText('2 rows');
  const counts = await views.resultRows().locator('td:nth-child(2)').allTextContents();
  expect(counts.reduce((a, b) => a + Number(b), 0)).toBe(624);

  await views.runSql('SELECT Sex, nope FROM titanic');
  await expect(views.sqlError).toContainText('Line 1, column 13');
  await expect(views.sqlError).toContainText('"nope" not found');
  await views.runSql('DROP TABLE titanic');
  await expect(views.sqlError).toContainText('queries that read');

  await views.runSql('SELECT Pclass, count(*) AS passengers FROM titanic GROUP BY 1 ORDER BY 1');
  await expect(views.resultRows()).toHaveCount(3);
  await views.saveResultAs('By class');
  await expect(data.tab('By class')).toHaveAttribute('aria-selected', 'true');
  await data.expectShape('3', 2);
  await views.show('Rows');
  await expect(data.cell(0, 0)).toHaveText('1');

  // After a reload the split is still there and still locks the test rows.
  await data.tab('titanic').click();
  await page.reload();
  await data.tab('titanic').click();
  await expect(views.lockNote).toContainText('624 of 891 rows');
});
