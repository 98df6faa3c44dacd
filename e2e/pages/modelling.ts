import { expect, type Locator, type Page } from '@playwright/test';

/** Define, Prepare and Train, as an analyst uses them. */
export class Modelling {
  readonly problemForm: Locator;
  readonly baseline: Locator;
  readonly problemWarnings: Locator;
  readonly steps: Locator;
  readonly preview: Locator;
  readonly setup: Locator;
  readonly runs: Locator;
  readonly leaderboard: Locator;
  readonly details: Locator;
  readonly tunePanel: Locator;

  constructor(readonly page: Page) {
    this.problemForm = page.getByRole('form', { name: 'Problem card' });
    this.baseline = page.getByTestId('baseline');
    this.problemWarnings = page.getByTestId('problem-warnings');
    this.steps = page.getByRole('list', { name: 'Pipeline steps' }).getByTestId('pipeline-step');
    this.preview = page.getByTestId('pipeline-preview');
    this.setup = page.getByRole('form', { name: 'Training setup' });
    this.runs = page.getByTestId('run');
    this.leaderboard = page.getByTestId('leaderboard');
    this.details = page.getByTestId('run-details');
    this.tunePanel = page.getByTestId('tune-panel');
  }

  /** Opens a stage from the sidebar. */
  async stage(name: 'Define' | 'Data' | 'Prepare' | 'Train'): Promise<void> {
    const button = this.page.getByRole('navigation', { name: 'Project stages' }).getByRole('button', { name, exact: true });
    await button.click();
    await expect(button).toHaveAttribute('aria-current', 'page');
  }

  /** Fills the problem card and saves it. `metric` is the primary metric's label (e.g. "ROC AUC"). */
  async defineProblem(opts: { objective: string; dataset?: string; target: string; positive?: string; metric: string; costs?: { falsePositive: number; falseNegative: number } }): Promise<void> {
    const form = this.problemForm;
    await form.getByLabel('Objective').fill(opts.objective);
    if (opts.dataset !== undefined) await form.getByLabel('Dataset').selectOption({ label: opts.dataset });
    await form.getByLabel('Target column').selectOption(opts.target);
    // The task is suggested from the column once it has been read.
    await expect(form.getByLabel('Task').locator('option', { hasText: 'suggested' })).toHaveCount(1, { timeout: 60_000 });
    if (opts.positive !== undefined) await form.getByLabel(/^Positive class/).selectOption(opts.positive);
    await form.getByLabel('Primary metric').selectOption({ label: opts.metric });
    if (opts.costs !== undefined) {
      await form.getByLabel('A false positive').fill(String(opts.costs.falsePositive));
      await form.getByLabel('A false negative').fill(String(opts.costs.falseNegative));
    }
    await form.getByRole('button', { name: 'Save problem card' }).click();
  }

  baselineScore(): Locator {
    return this.baseline.getByTestId('baseline-score');
  }

  /** Adds a step of one kind; `configure` fills its form before it is added. */
  async addStep(kind: string, configure?: (form: Locator) => Promise<void>): Promise<void> {
    await this.page.getByLabel('Add a step').selectOption({ label: kind });
    await this.page.getByRole('button', { name: 'Add…' }).click();
    const form = this.page.getByRole('form', { name: `Add step: ${kind}` });
    await expect(form).toBeVisible();
    if (configure) await configure(form);
    await form.getByRole('button', { name: 'Add step' }).click();
    await expect(form).toHaveCount(0);
  }

  toolbarButton(name: string | RegExp): Locator {
    return this.page.getByRole('toolbar', { name: 'Pipeline' }).getByRole('button', { name });
  }

  /** Ticks exactly these models (by label) in the training setup. */
  async chooseModels(labels: string[]): Promise<void> {
    const boxes = this.setup.locator('.model-choice');
    const count = await boxes.count();
    for (let i = 0; i < count; i++) {
      const box = boxes.nth(i).getByRole('checkbox');
      const label = (await boxes.nth(i).locator('strong').textContent()) ?? '';
      await box.setChecked(labels.includes(label));
    }
  }

  async setParams(model: string, text: string): Promise<void> {
    await this.setup.getByLabel(`${model} parameters`).fill(text);
  }

  async setCv(method: string, folds?: number): Promise<void> {
    await this.setup.getByLabel('Cross-validation').selectOption({ label: method });
    if (folds !== undefined) await this.setup.getByRole('spinbutton', { name: 'Folds' }).fill(String(folds));
  }

  async train(): Promise<void> {
    await this.setup.getByRole('button', { name: /^Train/ }).click();
  }

  run(kind: string): Locator {
    return this.runs.and(this.page.locator(`[data-kind="${kind}"]`));
  }

  leaderboardRows(): Locator {
    return this.leaderboard.getByTestId('leaderboard-row');
  }

  async selectRow(row: Locator): Promise<void> {
    await row.getByRole('button').first().click();
    await expect(this.details).toBeVisible();
  }

  async tune(opts: { strategy: string; trials: number }): Promise<void> {
    const panel = this.tunePanel;
    await panel.getByLabel('Strategy').selectOption({ label: opts.strategy });
    await panel.getByRole('spinbutton', { name: 'Trials' }).fill(String(opts.trials));
    await panel.getByRole('button', { name: 'Start tuning' }).click();
  }
}
