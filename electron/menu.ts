import type { MenuItemConstructorOptions } from 'electron';
import type { HostEventName } from '../shared/host/contract.js';

/**
 * The application menu as plain data (Electron's template type is only a type import here), so its shape is
 * unit-tested; `main.ts` turns it into a Menu. Commands the renderer must carry out (it owns "which project")
 * go to it as the contract's `app.menu` event.
 */

export type { MenuCommand } from '../shared/host/contract.js';

export const MENU_EVENT = 'app.menu' satisfies HostEventName;

export interface MenuActions {
  newProject(): void;
  importData(): void;
  about(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Adds reload and developer tools to View. */
  dev: boolean;
}

export function buildMenuTemplate(actions: MenuActions, opts: MenuOptions): MenuItemConstructorOptions[] {
  const mac = opts.platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'New Project', accelerator: 'CmdOrCtrl+N', click: () => actions.newProject() },
      { label: 'Import Data…', accelerator: 'CmdOrCtrl+O', click: () => actions.importData() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit', label: 'Quit', accelerator: 'CmdOrCtrl+Q' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(opts.dev
        ? ([{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }] as const)
        : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const help: MenuItemConstructorOptions = {
    role: 'help',
    submenu: [{ label: `About ${opts.appName}`, click: () => actions.about() }],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    view,
    ...(mac ? [{ role: 'windowMenu' } as const] : []),
    help,
  ];
}

/** The About box's text. */
export function aboutDetail(
  version: string,
  versions: { electron?: string; chrome?: string; node?: string },
  sample: { title: string; credit: string; licence: string; url: string },
): string {
  const runtime = [
    versions.electron && `Electron ${versions.electron}`,
    versions.chrome && `Chromium ${versions.chrome}`,
    versions.node && `Node ${versions.node}`,
  ].filter(Boolean);
  return [
    `Version ${version}`,
    'A local-first machine-learning studio: your data never leaves this machine.',
    runtime.join(' · '),
    '',
    `Sample data: ${sample.title}, ${sample.credit} (${sample.licence}).`,
    sample.url,
  ].join('\n');
}

/** File-dialog filters for Import Data…. */
export const IMPORT_FILTERS = [
  { name: 'Data files', extensions: ['csv', 'parquet'] },
  { name: 'All files', extensions: ['*'] },
];
