import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/** The Data stage of an open project. */
export class DataStage {
  readonly dropzone: Locator;
  readonly shape: Locator;
  readonly grid: Locator;
  /** The dialog between dropping a file and saving it. */
  readonly preview: Locator;

  constructor(readonly page: Page) {
    this.preview = page.getByTestId('import-preview');
    this.dropzone = page.getByTestId('dropzone');
    this.shape = page.getByTestId('dataset-shape');
    this.grid = page.getByTestId('data-grid');
  }

  /**
   * Drops a file and goes through the preview with the detected settings (Import), unless the file is refused
   * first (its message shows instead). `dropForPreview` stops at the preview.
   */
  async dropFile(path: string, name = basename(path)): Promise<void> {
    await this.dropForPreview(path, name);
    await this.confirmIfPreviewed(name);
  }

  /** The import's entry in the list of imports (progress, or the reason it was refused). */
  importEntry(name: string): Locator {
    return this.page.getByRole('list', { name: 'Imports' }).getByRole('listitem').filter({ hasText: name });
  }

  /** Clicks Import in the preview, if the file got that far (a refused file shows its message instead). */
  async confirmIfPreviewed(name: string): Promise<void> {
    const refused = this.importEntry(name).getByRole('alert');
    await expect(this.preview.or(refused).first()).toBeVisible({ timeout: 60_000 });
    if (await this.preview.isVisible()) await this.confirmImport();
  }

  async confirmImport(): Promise<void> {
    await expect(this.preview.getByRole('button', { name: 'Import', exact: true })).toBeEnabled();
    await this.preview.getByRole('button', { name: 'Import', exact: true }).click();
    await expect(this.preview).toHaveCount(0);
  }

  /** The missing-value tokens the preview shows, as the tokens themselves. */
  async missingTokens(): Promise<string[]> {
    return this.preview.locator('[data-token]').evaluateAll((chips) => chips.map((c) => c.getAttribute('data-token') ?? ''));
  }

  /** Drops a file from disk on the drop zone the way a desktop drag does: a drop event carrying a File. */
  async dropForPreview(path: string, name = basename(path)): Promise<void> {
    await this.dropFiles([{ path, name }]);
  }

  /** Drops several files at once, as when they are dragged together from the desktop. */
  async dropFiles(files: { path: string; name?: string }[]): Promise<void> {
    const payload = await Promise.all(files.map(async (f) => ({ b64: (await readFile(f.path)).toString('base64'), fileName: f.name ?? basename(f.path) })));
    const transfer = await this.page.evaluateHandle((items) => {
      const dt = new DataTransfer();
      for (const { b64, fileName } of items) {
        const raw = atob(b64);
        const buf = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
        dt.items.add(new File([buf], fileName));
      }
      return dt;
    }, payload);
    await this.dropzone.dispatchEvent('dragenter', { dataTransfer: transfer });
    await this.dropzone.dispatchEvent('drop', { dataTransfer: transfer });
  }

  async pickFile(path: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(path);
    await this.confirmIfPreviewed(basename(path));
  }

  cell(row: number, column: number): Locator {
    return this.grid.locator(`[role=row][aria-rowindex="${row + 2}"] [role=gridcell]`).nth(column);
  }

  columnHeaders(): Locator {
    return this.grid.getByRole('columnheader');
  }

  tab(name: string): Locator {
    return this.page.getByRole('tab', { name });
  }

  async expectShape(rows: string, columns: number): Promise<void> {
    await expect(this.shape).toHaveText(`${rows} rows × ${columns} columns`);
  }
}
