// menu.ts: the template's standard roles per platform, dev-only items gated, and Help links opened only when allow-listed.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, HELP_LINKS, type MenuOptions } from '../../electron/menu';
import { isAllowedExternal } from '../../electron/external-links';

function options(overrides: Partial<MenuOptions> = {}): MenuOptions {
  return { platform: 'linux', appName: 'Partner Console', dev: false, packaged: true, openExternal: vi.fn(), isAllowed: isAllowedExternal, ...overrides };
}

const submenu = (item: MenuItemConstructorOptions | undefined) => (item?.submenu ?? []) as MenuItemConstructorOptions[];
const roles = (item: MenuItemConstructorOptions | undefined) => submenu(item).flatMap((i) => (i.role ? [i.role] : []));
const byLabel = (template: MenuItemConstructorOptions[], label: string) => template.find((m) => m.label === label);

describe('buildMenuTemplate', () => {
  it('has the macOS app menu first on darwin, and File > Quit elsewhere', () => {
    const mac = buildMenuTemplate(options({ platform: 'darwin' }));
    expect(mac.map((m) => m.label)).toEqual(['Partner Console', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(mac[0])).toEqual(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit']);
    for (const platform of ['linux', 'win32'] as const) {
      const t = buildMenuTemplate(options({ platform }));
      expect(t.map((m) => m.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
      expect(roles(t[0])).toEqual(['quit']);
    }
  });

  it('offers the standard edit roles', () => {
    expect(roles(byLabel(buildMenuTemplate(options()), 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']);
  });

  it.each([
    ['packaged', { dev: false, packaged: true }, ['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']],
    ['unpackaged, built renderer', { dev: false, packaged: false }, ['toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']],
    ['dev server', { dev: true, packaged: false }, ['reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']],
  ])('View menu when %s', (_name, flags, expected) => {
    expect(roles(byLabel(buildMenuTemplate(options(flags)), 'View'))).toEqual(expected);
  });

  it('has minimize/zoom/close in the Window menu (zoom is macOS-only in Electron)', () => {
    expect(roles(byLabel(buildMenuTemplate(options({ platform: 'darwin' })), 'Window'))).toEqual(['minimize', 'zoom', 'front', 'close']);
    expect(roles(byLabel(buildMenuTemplate(options({ platform: 'linux' })), 'Window'))).toEqual(['minimize', 'close']);
    expect(byLabel(buildMenuTemplate(options()), 'Window')?.role).toBe('window');
  });

  it('opens Help links in the system browser', () => {
    const openExternal = vi.fn();
    const help = byLabel(buildMenuTemplate(options({ openExternal })), 'Help');
    expect(help?.role).toBe('help');
    const items = submenu(help);
    expect(items.map((i) => i.label)).toEqual(HELP_LINKS.map((l) => l.label));
    for (const item of items) (item.click as () => void)();
    expect(openExternal.mock.calls).toEqual(HELP_LINKS.map((l) => [l.url]));
    for (const link of HELP_LINKS) expect(link.url).toMatch(/^https:\/\//);
  });

  it('never offers or opens a link the allow-list refuses', () => {
    const openExternal = vi.fn();
    const help = byLabel(buildMenuTemplate(options({ openExternal, isAllowed: () => false })), 'Help');
    expect(submenu(help)).toEqual([]);
    expect(openExternal).not.toHaveBeenCalled();
  });

  it('uses only roles Electron knows, and no custom click handlers outside Help', () => {
    const KNOWN = new Set(['about', 'services', 'hide', 'hideOthers', 'unhide', 'quit', 'undo', 'redo', 'cut', 'copy', 'paste', 'selectAll', 'reload', 'toggleDevTools', 'resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen', 'minimize', 'zoom', 'front', 'close', 'window', 'help']);
    for (const platform of ['darwin', 'linux'] as const) {
      const t = buildMenuTemplate(options({ platform, dev: true, packaged: false }));
      const all = [...t, ...t.flatMap(submenu)];
      for (const item of all) if (item.role) expect(KNOWN).toContain(item.role);
      const clicks = t.filter((m) => m.label !== 'Help').flatMap(submenu).filter((i) => i.click);
      expect(clicks).toEqual([]);
    }
  });
});
