// The application menu as a pure template (standard roles only; dev tools and reload gated; Help links allow-listed).
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  /** Running against the Vite dev server: Reload is offered. */
  readonly dev: boolean;
  /** A packaged build never offers developer tools. */
  readonly packaged: boolean;
  /** Opens a URL in the system browser; only called with links that pass `isAllowed`. */
  readonly openExternal: (url: string) => void;
  readonly isAllowed: (url: string) => boolean;
}

export interface HelpLink {
  readonly label: string;
  readonly url: string;
}

export const HELP_LINKS: readonly HelpLink[] = [{ label: 'Paxos Developer Documentation', url: 'https://docs.paxos.com/' }];

const separator: MenuItemConstructorOptions = { type: 'separator' };

function appMenu(appName: string): MenuItemConstructorOptions {
  return {
    label: appName,
    submenu: [{ role: 'about' }, separator, { role: 'services' }, separator, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, separator, { role: 'quit' }],
  };
}

function viewMenu(options: MenuOptions): MenuItemConstructorOptions {
  const devItems: MenuItemConstructorOptions[] = [
    ...(options.dev ? [{ role: 'reload' } as const] : []),
    ...(options.packaged ? [] : [{ role: 'toggleDevTools' } as const]),
  ];
  return {
    label: 'View',
    submenu: [
      ...devItems,
      ...(devItems.length ? [separator] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      separator,
      { role: 'togglefullscreen' },
    ],
  };
}

function helpMenu(options: MenuOptions): MenuItemConstructorOptions {
  const links = HELP_LINKS.filter((link) => options.isAllowed(link.url));
  return {
    label: 'Help',
    role: 'help',
    submenu: links.map((link) => ({
      label: link.label,
      click: () => {
        if (options.isAllowed(link.url)) options.openExternal(link.url);
      },
    })),
  };
}

/** Builds the menu template for `platform`; pass it to Menu.buildFromTemplate. */
export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  return [
    ...(mac ? [appMenu(options.appName)] : [{ label: 'File', submenu: [{ role: 'quit' } as const] }]),
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, separator, { role: 'selectAll' }],
    },
    viewMenu(options),
    {
      label: 'Window',
      role: 'window',
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }, separator, { role: 'close' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
    helpMenu(options),
  ];
}
