import { expect, type Locator, type Page } from '@playwright/test';

/** The project list, as a person sees it. */
export class ProjectsPage {
  readonly heading: Locator;
  readonly nameInput: Locator;
  readonly list: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { name: 'Projects' });
    this.nameInput = page.getByLabel('New project');
    this.list = page.getByRole('list', { name: 'Projects' });
  }

  row(name: string): Locator {
    return this.list.locator(`li[data-project="${name}"]`);
  }

  async create(name: string): Promise<void> {
    await this.nameInput.fill(name);
    await this.page.getByRole('button', { name: 'Create project' }).click();
  }

  async open(name: string): Promise<void> {
    await this.row(name).getByRole('button', { name: new RegExp(`^${name}`) }).click();
  }

  async rename(name: string, newName: string): Promise<void> {
    await this.page.getByRole('button', { name: `Rename ${name}` }).click();
    const input = this.page.getByLabel(`New name for ${name}`);
    await input.fill(newName);
    await input.press('Enter');
  }

  async delete(name: string): Promise<void> {
    await this.page.getByRole('button', { name: `Delete ${name}` }).click();
    const dialog = this.page.getByRole('dialog');
    await expect(dialog).toContainText(`Delete “${name}”?`);
    await dialog.getByRole('button', { name: 'Delete project' }).click();
  }

  async backToList(): Promise<void> {
    await this.page.getByRole('button', { name: '← All projects' }).click();
    await expect(this.heading).toBeVisible();
  }
}
