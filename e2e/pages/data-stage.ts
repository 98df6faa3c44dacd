import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

/** The Data stage of an open project. */
export class DataStage {
  readonly dropzone: Locator;
  readonly shape: Locator;
  readonly grid: Locator;

  constructor(readonly page: Page) {
    this.dropzone = page.getByTestId('dropzone');
    this.shape = page.getByTestId('dataset-shape');
    this.grid = page.getByTestId('data-grid');
  }

  /** Drops a file from disk on the drop zone the way a desktop drag does: a drop event carrying a File. */
  async dropFile(path: string, name = basename(path)): Promise<void> {
    const bytes = (await readFile(path)).toString('base64');
    const transfer = await this.page.evaluateHandle(
      ({ b64, fileName }) => {
        const raw = atob(b64);
        const buf = new Uint8Array(raw.length);
        for (let i = 0; i < raw.length; i++) buf[i] = raw.charCodeAt(i);
        const dt = new DataTransfer();
        dt.items.add(new File([buf], fileName));
        return dt;
      },
      { b64: bytes, fileName: name },
    );
    await this.dropzone.dispatchEvent('dragenter', { dataTransfer: transfer });
    await this.dropzone.dispatchEvent('drop', { dataTransfer: transfer });
  }

  async pickFile(path: string): Promise<void> {
    await this.page.getByTestId('file-input').setInputFiles(path);
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
