import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { DataStage } from './pages/data-stage.js';
import { ProjectsPage } from './pages/projects-page.js';

interface WebHost {
  url: string;
  close(): Promise<void>;
}

interface Fixtures {
  /** A fresh workspace folder for this test, removed afterwards. */
  workspace: string;
  /** The real browser host serving the built renderer over that workspace; the page is already signed in. */
  app: { url: string; workspace: string };
  projects: ProjectsPage;
  data: DataStage;
}

export const test = base.extend<Fixtures>({
  // eslint-disable-next-line no-empty-pattern
  workspace: async ({}, use) => {
    const dir = await mkdtemp(join(tmpdir(), 'orchard-e2e-'));
    await use(dir);
    await rm(dir, { recursive: true, force: true });
  },
  app: async ({ workspace, page }, use) => {
    const serverModule = '../out/node/electron/web/server.js';
    const { startWebHost } = (await import(serverModule)) as {
      startWebHost(opts: { workspaceRoot: string; open?: boolean }): Promise<WebHost>;
    };
    const host = await startWebHost({ workspaceRoot: workspace, open: false });
    await page.goto(host.url);
    await use({ url: host.url, workspace });
    await page.close();
    await host.close();
  },
  projects: async ({ page, app }, use) => {
    void app;
    await use(new ProjectsPage(page));
  },
  data: async ({ page, app }, use) => {
    void app;
    await use(new DataStage(page));
  },
});

export { expect } from '@playwright/test';
