// Composition root: single-instance lock, app:// scheme, the core, the IPC bridge and the window — wired explicitly here.
import { join } from 'node:path';
import { app, BrowserWindow, session, shell } from 'electron';
import { EVENTS } from '../shared/ipc-contract';
import { createCore, type Core } from './core/app-core';
import { loadEnvironments } from './core/config';
import { APP_ORIGIN } from './core/renderer-files';
import { originPolicy, registerIpc } from './ipc/register';
import { createMainWindow, isAllowedExternal, registerAppSchemePrivileges, serveRenderer } from './window';

registerAppSchemePrivileges();

/** Dev mode may load the Vite dev server; a packaged app never does. */
const devServer = !app.isPackaged ? process.env.PARTNER_CONSOLE_DEV_SERVER : undefined;

function localSandbox() {
  const issuer = process.env.PARTNER_CONSOLE_SANDBOX_ISSUER;
  const api = process.env.PARTNER_CONSOLE_SANDBOX_API;
  return issuer && api ? { issuer, api } : undefined;
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const core: Core = createCore({
    environments: await loadEnvironments(join(dataDir, 'environments.json'), localSandbox()),
    dataDir,
    openExternal: (url) => shell.openExternal(url),
  });
  registerIpc(core.handlers, originPolicy(devServer ? [APP_ORIGIN, new URL(devServer).origin] : [APP_ORIGIN]), {
    warn: (m) => console.warn(m),
  });

  const rendererDir = join(__dirname, '..', 'renderer');
  serveRenderer(session.defaultSession, rendererDir);
  const win = createMainWindow({ preloadPath: join(__dirname, 'preload.cjs'), startUrl: devServer ?? `${APP_ORIGIN}/index.html` });
  for (const name of EVENTS) {
    core.events.on(name, (payload: unknown) => {
      if (!win.isDestroyed()) win.webContents.send(name, payload);
    });
  }

  app.on('second-instance', () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void core.close());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win.show();
  });
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((e: unknown) => {
    console.error(`Partner Console failed to start: ${e instanceof Error ? e.message : String(e)}`);
    app.exit(1);
  });
}
