import { join } from 'node:path';
import { DATASETS } from '../test/team-files.js';
import { expect, test } from './fixtures.js';
import { Modelling } from './pages/modelling.js';
import { DataViews } from './pages/split-sql.js';

const ADULT = join(DATASETS, 'adult.csv');
const CREDIT = join(DATASETS, 'credit-g.csv');

test('adult income: problem card, pipeline, a leaderboard of six models with a cancelled run, and a tuned model on top', async ({ page, projects, data }) => {
  test.setTimeout(240_000);
  const views = new DataViews(page);
  const m = new Modelling(page);
  await projects.create('Income study');
  await data.dropFile(ADULT);
  await data.expectShape('48,842', 15);

  // Define before any split: the card saves, and says the baseline needs a split.
  await m.stage('Define');
  await m.defineProblem({ objective: 'Find people likely to earn more than 50K.', target: 'income', positive: '>50K', metric: 'Accuracy' });
  // Accuracy on a 24% minority class is called out.
  await expect(m.problemWarnings).toContainText('The smallest class is 23.9% of the rows');
  await expect(m.baseline.getByTestId('no-split')).toBeVisible();
  await m.baseline.getByRole('button', { name: 'Make a split in the Data stage' }).click();

  await views.createSplit({ method: 'Stratified on the target', column: 'income', seed: 42 });
  await expect(views.splitCounts).toContainText('Train:');

  // Back in Define: AUC, and the naive baseline scored on the validation partition.
  await m.stage('Define');
  await m.problemForm.getByLabel('Primary metric').selectOption({ label: 'ROC AUC' });
  await expect(m.problemWarnings).toHaveCount(0);
  await m.problemForm.getByRole('button', { name: 'Save problem card' }).click();
  await expect(m.baselineScore()).toHaveText('ROC AUC 0.5000', { timeout: 60_000 });

  // Prepare: the default pipeline plus log(1 + x) of the capital columns, previewed and saved.
  await m.stage('Prepare');
  await expect(m.steps.first()).toBeVisible({ timeout: 60_000 });
  const defaults = await m.steps.count();
  // drop income; impute and scale the numbers; impute and one-hot encode the categories
  expect(defaults).toBe(5);
  await expect(m.steps.first()).toContainText('Drop "income"');
  await m.addStep('Log(1 + x)', async (form) => {
    await form.getByLabel('These columns:').check();
    await form.getByLabel('Chosen columns').selectOption(['capital-gain', 'capital-loss']);
  });
  await expect(m.steps).toHaveCount(defaults + 1);
  await expect(m.steps.last()).toContainText('Take log(1 + x) of "capital-gain" and "capital-loss".');
  // Move it up before the scaling (impute → log → scale); undo one move and redo it.
  const at = (i: number) => m.steps.nth(i - 1);
  await at(defaults + 1).getByRole('button', { name: `Move step ${defaults + 1} up` }).click();
  await at(defaults).getByRole('button', { name: `Move step ${defaults} up` }).click();
  await at(defaults - 1).getByRole('button', { name: `Move step ${defaults - 1} up` }).click();
  await expect(at(defaults - 2)).toContainText('log(1 + x)');
  await expect(at(defaults - 1)).toContainText('Scale');
  await m.toolbarButton(/^Undo move step/).click();
  await expect(at(defaults - 1)).toContainText('log(1 + x)');
  await at(defaults - 1).getByRole('button', { name: `Move step ${defaults - 1} up` }).click();
  await expect(at(defaults - 2)).toContainText('log(1 + x)');
  await m.toolbarButton('Preview').click();
  await expect(m.preview.getByTestId('preview-table').locator('tbody tr')).toHaveCount(20, { timeout: 60_000 });
  await expect(m.preview.getByTestId('leakage-warnings').or(m.preview.getByTestId('leakage-none'))).toBeVisible();
  await m.toolbarButton('Save pipeline').click();
  await expect(m.toolbarButton('Saved')).toBeDisabled();

  // Train six model types, small and fast (boosting with a cautious learning rate, which tuning can improve on);
  // cancel the MLP while it runs, then run it again.
  await m.stage('Train');
  await m.setCv('None (validation partition only)');
  await m.setParams('Gradient boosting', 'nTrees=30, learningRate=0.03');
  await m.setParams('Random forest', 'nTrees=10, maxDepth=8');
  await m.setParams('Neural network (MLP)', 'epochs=3');
  await m.train();
  await expect(m.runs).toHaveCount(6);
  const mlp = m.run('mlp');
  await expect(mlp.getByRole('progressbar')).toBeVisible();
  await mlp.getByRole('button', { name: 'Cancel Neural network (MLP)' }).click();
  await expect(mlp).toHaveAttribute('data-status', 'cancelled');
  await expect(mlp).toContainText('Cancelled');
  await mlp.getByRole('button', { name: 'Run Neural network (MLP) again' }).click();
  await expect(m.runs.and(page.locator('[data-status="done"]'))).toHaveCount(6, { timeout: 180_000 });

  const rows = m.leaderboardRows();
  await expect(rows).toHaveCount(6);
  const kinds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
  expect(new Set(kinds)).toEqual(new Set(['baseline', 'logreg', 'tree', 'rf', 'gbdt', 'mlp']));
  await expect(rows.and(page.locator('[data-kind="baseline"]'))).toContainText('baseline');
  await expect(m.leaderboard.getByTestId('backend')).toHaveCount(1);

  // The best model: its learning curve, then four random trials; the tuned model takes the top.
  const best = rows.first();
  const bestKind = await best.getAttribute('data-kind');
  await m.selectRow(best);
  // The learning curve fills in on one worker while the search runs on the other.
  await m.tune({ strategy: 'Random search', trials: 4 });
  await expect(m.details.getByTestId('learning-curve-chart').locator('svg')).toBeVisible({ timeout: 60_000 });
  await expect(m.tunePanel.getByTestId('trials').locator('tbody tr')).toHaveCount(4, { timeout: 120_000 });
  await expect(m.tunePanel.getByTestId('tune-best')).toBeVisible({ timeout: 60_000 });
  await expect(rows).toHaveCount(7);
  await expect(rows.first()).toHaveAttribute('data-tuned', 'true');
  await expect(rows.first()).toHaveAttribute('data-kind', bestKind ?? '');

  // Everything is kept: after a reload the leaderboard is rebuilt from the saved runs, and two runs compare side by side.
  await page.reload();
  await m.stage('Train');
  await expect(rows).toHaveCount(7);
  await expect(rows.first()).toHaveAttribute('data-tuned', 'true');
  const browser = page.getByTestId('runs-table');
  await page.getByRole('region', { name: 'All runs' }).getByLabel('Model').selectOption({ label: 'Gradient boosting' });
  await expect(browser.getByTestId('runs-row')).toHaveCount(2);
  await browser.getByRole('checkbox').nth(0).check();
  await browser.getByRole('checkbox').nth(1).check();
  const compare = page.getByTestId('compare-table');
  await expect(compare.locator('thead th')).toHaveCount(3);
  await expect(compare).toContainText('Gradient boosting (tuned)');
  await expect(compare.getByRole('row', { name: /param learningRate/ })).toBeVisible();
  await m.stage('Define');
  await expect(m.baselineScore()).toHaveText('ROC AUC 0.5000');
  await m.stage('Prepare');
  await expect(m.steps).toHaveCount(defaults + 1);
  await expect(m.toolbarButton('Saved')).toBeDisabled();
  await m.toolbarButton('Preview').click();
  await expect(m.preview.getByTestId('preview-table')).toBeVisible({ timeout: 60_000 });
});

test('credit-g: stratified 3-fold CV with class weights gives mean ± std per metric, and the card\u2019s baseline stays on the board', async ({ page, projects, data }) => {
  const views = new DataViews(page);
  const m = new Modelling(page);
  await projects.create('Credit risk');
  await data.dropFile(CREDIT);
  await data.expectShape('1,000', 21);
  await views.show('Split');
  await views.createSplit({ method: 'Stratified on the target', column: 'class', seed: 7 });
  await expect(views.splitCounts).toContainText('Train: 700 rows');

  await m.stage('Define');
  // The dataset's own cost matrix: approving a bad applicant costs five times turning away a good one.
  await m.defineProblem({ objective: 'Flag applicants likely to default.', target: 'class', positive: 'bad', metric: 'ROC AUC', costs: { falsePositive: 1, falseNegative: 5 } });
  await expect(m.problemForm.getByTestId('target-classes')).toContainText('the smallest class is 30.0% of the rows');
  await expect(m.baselineScore()).toHaveText('ROC AUC 0.5000', { timeout: 60_000 });

  // No pipeline saved: training uses the default one, and says so.
  await m.stage('Train');
  await expect(page.getByText('No pipeline saved yet: using the default one.')).toBeVisible();
  await m.chooseModels(['Logistic regression', 'Decision tree', 'Gradient boosting']);
  await m.setParams('Gradient boosting', 'nTrees=20');
  await m.setCv('Stratified k-fold', 3);
  await m.setup.getByLabel('Class imbalance').selectOption({ label: 'Class weights (rare classes count more)' });
  await m.train();
  await expect(m.runs.and(page.locator('[data-status="done"]'))).toHaveCount(3, { timeout: 90_000 });

  const rows = m.leaderboardRows();
  await expect(rows).toHaveCount(4);
  // Every trained row has a cross-validated mean ± std for each metric of the task.
  for (const kind of ['logreg', 'tree', 'gbdt']) await expect(rows.and(page.locator(`[data-kind="${kind}"]`))).toContainText('±');
  const baseline = rows.and(page.locator('[data-kind="baseline"]'));
  await expect(baseline).toContainText('from the problem card');
  await expect(rows.last()).toHaveAttribute('data-kind', 'baseline');

  // With those costs each run predicts "bad" at the threshold that costs least on validation, and says so.
  await m.selectRow(rows.first());
  await expect(page.getByTestId('threshold')).toContainText(/^Predicts "bad" when its probability is at least 0\.\d{4}: the cheapest threshold on the validation partition when a false positive costs 1 and a false negative 5 \(total \d+\)\.$/);

  // The runs list filters by model.
  await page.getByRole('region', { name: 'All runs' }).getByLabel('Model').selectOption({ label: 'Decision tree' });
  await expect(page.getByTestId('runs-row')).toHaveCount(1);
});
