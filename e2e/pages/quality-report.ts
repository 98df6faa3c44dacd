import { expect, type Locator, type Page } from '@playwright/test';

/** The Data stage's Quality report view. */
export class QualityReportPage {
  readonly root: Locator;
  readonly targetPicker: Locator;
  readonly progress: Locator;
  readonly warnings: Locator;
  readonly target: Locator;
  readonly imbalanceNote: Locator;
  readonly heatmap: Locator;
  readonly rowsPanel: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('quality-report');
    this.targetPicker = this.root.getByTestId('target-picker');
    this.progress = this.root.getByRole('progressbar', { name: 'Report progress' });
    this.warnings = this.root.getByTestId('report-warnings');
    this.target = this.root.getByTestId('report-target');
    this.imbalanceNote = this.root.getByTestId('imbalance-note');
    this.heatmap = this.root.getByTestId('heatmap');
    this.rowsPanel = this.root.getByTestId('report-rows');
  }

  async open(): Promise<void> {
    const tab = this.page.getByRole('tablist', { name: 'Data views' }).getByRole('tab', { name: 'Quality report' });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
  }

  fact(name: string): Locator {
    return this.root.getByTestId(`fact-${name.toLowerCase().replaceAll(' ', '-')}`);
  }

  column(name: string): Locator {
    return this.root.getByTestId(`column-card-${name}`);
  }

  /** Waits for the whole report (the progress bar goes once every section is in). */
  async waitUntilDone(): Promise<void> {
    await expect(this.root.getByRole('button', { name: 'Export HTML' })).toBeEnabled({ timeout: 60_000 });
  }

  async chooseTarget(column: string): Promise<void> {
    await this.targetPicker.selectOption(column);
  }

  /** Clicks bar `index` of a column's histogram (vega draws each bar as a path inside the mark group). */
  async clickHistogramBar(column: string, index: number): Promise<void> {
    const bars = this.column(column).getByTestId('histogram').locator('g.mark-rect path');
    await expect(bars.nth(index)).toBeVisible();
    await bars.nth(index).click();
  }

  rows(): Locator {
    return this.rowsPanel.locator('[role=row][aria-rowindex]');
  }
}
