import { expect, type Locator, type Page } from '@playwright/test';

/** The Data stage's Split and SQL views, and the switch between the views. */
export class DataViews {
  readonly lockNote: Locator;
  readonly splitCounts: Locator;
  readonly sqlInput: Locator;
  readonly sqlResult: Locator;
  readonly sqlError: Locator;
  readonly sqlCount: Locator;

  constructor(readonly page: Page) {
    this.lockNote = page.getByTestId('split-lock');
    this.splitCounts = page.getByTestId('split-counts');
    this.sqlInput = page.getByRole('textbox', { name: 'SQL query' });
    this.sqlResult = page.getByTestId('sql-result');
    this.sqlError = page.getByTestId('sql-error');
    this.sqlCount = page.getByTestId('sql-count');
  }

  async show(view: 'Rows' | 'SQL' | 'Split'): Promise<void> {
    const tab = this.page.getByRole('tablist', { name: 'Data views' }).getByRole('tab', { name: view, exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }

  /** Makes a split from the Split view's form. */
  async createSplit(opts: { method: string; column: string; seed?: number }): Promise<void> {
    const form = this.page.getByRole('form', { name: 'Make a split' });
    await form.getByLabel('Method').selectOption({ label: opts.method });
    await form.getByRole('combobox').nth(1).selectOption(opts.column);
    if (opts.seed !== undefined) await form.getByLabel('Seed').fill(String(opts.seed));
    await form.getByRole('button', { name: 'Create split' }).click();
  }

  /** Types a query and runs it with Ctrl+Enter. */
  async runSql(sql: string): Promise<void> {
    await this.sqlInput.fill(sql);
    await this.sqlInput.press('Control+Enter');
  }

  resultRows(): Locator {
    return this.sqlResult.locator('tbody tr');
  }

  async saveResultAs(name: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Save as dataset…' }).click();
    await this.page.getByRole('textbox', { name: 'New dataset name' }).fill(name);
    await this.page.getByRole('button', { name: 'Save', exact: true }).click();
  }
}
