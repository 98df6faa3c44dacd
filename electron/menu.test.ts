import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutDetail, buildMenuTemplate, type MenuCommand } from './menu.js';
import type { MenuCommand as RendererMenuCommand } from '../renderer/src/host/bridge.js';

const labels = (items: MenuItemConstructorOptions[]) => items.map((i) => i.label ?? i.role);
const submenu = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];

function actions() {
  return { newProject: vi.fn(), importData: vi.fn(), about: vi.fn() };
}

describe('buildMenuTemplate', () => {
  it('has File, Edit, View, Help on Linux and Windows', () => {
    const a = actions();
    const t = buildMenuTemplate(a, { platform: 'linux', appName: 'Orchard', dev: false });
    expect(labels(t)).toEqual(['&File', 'editMenu', '&View', 'help']);
    const file = submenu(t[0]);
    expect(labels(file)).toEqual(['New Project', 'Import Data…', undefined, 'Quit']);
    expect(file[3]?.role).toBe('quit');
    file[0]?.click?.({} as never, undefined, {} as never);
    file[1]?.click?.({} as never, undefined, {} as never);
    submenu(t[3])[0]?.click?.({} as never, undefined, {} as never);
    expect(a.newProject).toHaveBeenCalledOnce();
    expect(a.importData).toHaveBeenCalledOnce();
    expect(a.about).toHaveBeenCalledOnce();
    expect(submenu(t[3])[0]?.label).toBe('About Orchard');
  });

  it('adds the app and window menus on macOS', () => {
    const t = buildMenuTemplate(actions(), { platform: 'darwin', appName: 'Orchard', dev: false });
    expect(labels(t)).toEqual(['appMenu', '&File', 'editMenu', '&View', 'windowMenu', 'help']);
    expect(submenu(t[1]).at(-1)?.role).toBe('close');
  });

  it('shows reload and developer tools only in dev', () => {
    const roles = (dev: boolean) =>
      submenu(buildMenuTemplate(actions(), { platform: 'linux', appName: 'Orchard', dev })[2]).map((i) => i.role);
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });
});

describe('aboutDetail', () => {
  it('credits the sample data', () => {
    const text = aboutDetail('0.1.0', { electron: '45.5.0', node: '22.0.0' }, {
      title: 'Statlog German Credit',
      credit: 'Hans Hofmann (1994), UCI Machine Learning Repository',
      licence: 'CC BY 4.0',
      url: 'https://archive.ics.uci.edu/dataset/144/statlog+german+credit+data',
    });
    expect(text).toContain('Version 0.1.0');
    expect(text).toContain('Electron 45.5.0 · Node 22.0.0');
    expect(text).toContain('Sample data: Statlog German Credit, Hans Hofmann (1994), UCI Machine Learning Repository (CC BY 4.0).');
    expect(text).toContain('https://archive.ics.uci.edu/dataset/144/statlog+german+credit+data');
  });
});

// The main process and the renderer each declare the menu command type; they must stay the same.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _sameMenuCommand: Same<MenuCommand, RendererMenuCommand> = true;
void _sameMenuCommand;
