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
  /** "Compare two columns": its two column pickers, caption and chart. */
  readonly pairPlot: Locator;
  readonly pairCaption: Locator;

  constructor(readonly page: Page) {
    this.root = page.getByTestId('quality-report');
    this.targetPicker = this.root.getByTestId('target-picker');
    this.progress = this.root.getByRole('progressbar', { name: 'Report progress' });
    this.warnings = this.root.getByTestId('report-warnings');
    this.target = this.root.getByTestId('report-target');
    this.imbalanceNote = this.root.getByTestId('imbalance-note');
    this.heatmap = this.root.getByTestId('heatmap');
    this.rowsPanel = this.root.getByTestId('report-rows');
    this.pairPlot = this.root.getByTestId('pair-plot');
    this.pairCaption = this.pairPlot.getByTestId('pair-caption');
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
    // Charts may be drawn only near the viewport: scroll to the card as an analyst would.
    await this.column(column).scrollIntoViewIfNeeded();
    const bars = this.column(column).getByTestId('histogram').locator('g.mark-rect path');
    await expect(bars.nth(index)).toBeVisible();
    await bars.nth(index).click();
  }

  /** Picks the two columns to compare, by their labelled selects. */
  async comparePair(x: string, y: string): Promise<void> {
    await this.pairPlot.getByLabel('Horizontal (x)').selectOption(x);
    await this.pairPlot.getByLabel('Vertical (y)').selectOption(y);
  }

  /**
   * The chart of one kind (scatter, box, counts), scrolled into view as an analyst would (charts may be drawn
   * only near the viewport); vega draws its marks inside `g.mark-<type>` groups.
   */
  async pairChart(kind: 'scatter' | 'box' | 'counts'): Promise<Locator> {
    const chart = this.pairPlot.getByTestId(`pair-chart-${kind}`);
    await chart.evaluate((el) => el.scrollIntoView({ block: 'center' }), undefined, { timeout: 60_000 });
    return chart;
  }

  rows(): Locator {
    return this.rowsPanel.locator('[role=row][aria-rowindex]');
  }
}
