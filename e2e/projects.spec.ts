import { expect, test } from './fixtures.js';

test('first launch offers the sample project, which opens with its data and credit', async ({ page, data }) => {
  await expect(page.getByRole('heading', { name: 'New to Orchard?' })).toBeVisible();
  await page.getByRole('button', { name: 'Open the sample project' }).click();
  await data.expectShape('1,000', 21);
  await expect(page.getByText(/Statlog German Credit/)).toBeVisible();
  await expect(page.getByText(/CC BY 4\.0/)).toBeVisible();
});

test('rename and delete a project, and refuse a duplicate name', async ({ page, projects }) => {
  await projects.create('Alpha');
  await projects.backToList();
  await projects.create('alpha');
  await expect(page.getByRole('alert')).toContainText(/existing project/);

  await projects.rename('Alpha', 'Beta');
  await expect(projects.row('Beta')).toBeVisible();
  await expect(projects.row('Alpha')).toHaveCount(0);

  await page.getByRole('button', { name: 'Delete Beta' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  await expect(projects.row('Beta')).toBeVisible();

  await projects.delete('Beta');
  await expect(projects.row('Beta')).toHaveCount(0);
  await page.reload();
  await expect(projects.heading).toBeVisible();
  await expect(projects.row('Beta')).toHaveCount(0);
});

test('a project name with ../ is refused with a readable message', async ({ page, projects }) => {
  await projects.create('../escape');
  await expect(page.getByRole('alert')).toContainText('not a valid project name');
  await expect(projects.heading).toBeVisible();
});
