import { join } from 'node:path';
import { DATASETS } from '../test/team-files.js';
import { expect, test } from './fixtures.js';
import { QualityReportPage } from './pages/quality-report.js';
import { DataViews } from './pages/split-sql.js';

const ADULT = join(DATASETS, 'adult.csv');
const TITANIC = join(DATASETS, 'titanic.csv');

test('the quality report of adult.csv: missing values, the income balance, the heatmap and the rows behind a bar', async ({ page, projects, data }) => {
  const report = new QualityReportPage(page);
  await projects.create('Adult income');
  await data.dropFile(ADULT);
  await data.expectShape('48,842', 15);

  await report.open();
  await expect(report.fact('Rows')).toHaveText('48,842');
  await expect(report.column('workclass').getByTestId('missing')).toHaveText('2,799 (5.7%)');
  await report.waitUntilDone();
  await expect(report.warnings).toContainText("91.7% of capital-gain's values are exactly zero");
  // The heatmap draws its cells on a canvas (hundreds of marks); a click on a cell still shows its rows.
  await expect(report.heatmap.locator('canvas')).toBeVisible();
  const canvas = (await report.heatmap.locator('canvas').boundingBox())!;
  await page.mouse.click(canvas.x + canvas.width * 0.5, canvas.y + canvas.height * 0.5);
  await expect(report.rowsPanel).toContainText(/Rows with \S+ and \S+ present \(Pearson -?\d\.\d\d\)/);

  await report.chooseTarget('income');
  await expect(report.target).toContainText('Target: income');
  await expect(report.target.getByRole('list', { name: 'Class balance' })).toContainText('23.9%');
  await expect(report.imbalanceNote).toContainText('">50K" is 23.9% of rows');
  await report.waitUntilDone();
  await expect(report.warnings).toContainText('income is imbalanced');

  // age 17–90 in 50 bins of 1.46 years: the first bar holds the 595 17-year-olds and the 862 18-year-olds.
  await report.clickHistogramBar('age', 0);
  await expect(report.rowsPanel).toContainText('age from 17 to 18.5');
  await expect(report.rowsPanel).toContainText('1,457 rows');
  await expect(report.rows().first()).toBeVisible();
  await expect(report.rows().first().getByRole('gridcell').first()).toHaveText('18');
});

test('once titanic is split, the report describes the 624 training rows only', async ({ page, projects, data }) => {
  const views = new DataViews(page);
  const report = new QualityReportPage(page);
  await projects.create('Split report');
  await data.dropFile(TITANIC);
  await data.expectShape('891', 12);
  await views.show('Split');
  await views.createSplit({ method: 'Stratified on the target', column: 'Survived', seed: 42 });
  await expect(views.splitCounts).toContainText('Train: 624 rows');

  await report.open();
  await expect(report.root).toContainText('Training partition only');
  await expect(report.fact('Rows')).toHaveText('624');
  await report.chooseTarget('Survived');
  // Stratified: 384 of the 549 who died and 240 of the 342 who survived are in training.
  await expect(report.target.getByRole('list', { name: 'Class balance' })).toContainText('61.5% (384)');
  await expect(report.target.getByRole('list', { name: 'Class balance' })).toContainText('38.5% (240)');
  await report.waitUntilDone();
  await report.clickHistogramBar('Pclass', 0);
  await expect(report.rowsPanel).toContainText('Pclass from 0.5 to 1.5');
  const shown = Number((await report.rowsPanel.locator('h3').textContent())?.match(/([\d,]+) rows/)?.[1]?.replace(',', ''));
  expect(shown).toBeLessThan(216);
});

test('compare two columns of adult.csv: a sampled scatter coloured by income, then boxes of age by sex', async ({ page, projects, data }) => {
  const report = new QualityReportPage(page);
  await projects.create('Adult pairs');
  await data.dropFile(ADULT);
  await data.expectShape('48,842', 15);
  await report.open();
  await report.chooseTarget('income');

  await report.comparePair('age', 'hours-per-week');
  await expect(report.pairCaption).toHaveText(/Showing 5,000 of 48,842 rows \(seeded sample\)/, { timeout: 60_000 });
  const scatter = await report.pairChart('scatter');
  await expect(scatter.locator('g.mark-symbol path').first()).toBeVisible();
  await expect(scatter.locator('svg')).toContainText('income');

  await report.comparePair('sex', 'age');
  const boxes = await report.pairChart('box');
  await expect(boxes.locator('g.mark-rect.role-mark path').first()).toBeVisible();
  // One whisker, one box and one median tick per sex and income: 2 × 2.
  await expect(boxes.locator('g.mark-rule.role-mark line')).toHaveCount(4);
  await expect(boxes.locator('g.mark-rect.role-mark path')).toHaveCount(8);
  await expect(report.pairCaption).toContainText('48,842 rows in 4 boxes');
});
