// Composition root: single-instance lock, protocol registration, deep-link intake, the core, the IPC bridge and the window.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, session, shell } from 'electron';
import { EVENTS } from '../shared/ipc-contract';
import { createCore } from './core/app-core';
import { createKeychainStore } from './core/auth/token-vault';
import { CUSTOM_SCHEME, loadEnvironments } from './core/config';
import { APP_ORIGIN } from './core/renderer-files';
import { createDeepLinkIntake } from './deep-links';
import { originPolicy, registerIpc } from './ipc/register';
import { createMainWindow, isAllowedExternal, registerAppSchemePrivileges, serveRenderer } from './window';

registerAppSchemePrivileges();

/** Dev mode may load the Vite dev server; a packaged app never does. */
const devServer = !app.isPackaged ? process.env.PARTNER_CONSOLE_DEV_SERVER : undefined;
const intake = createDeepLinkIntake();

function localSandbox() {
  const issuer = process.env.PARTNER_CONSOLE_SANDBOX_ISSUER;
  const api = process.env.PARTNER_CONSOLE_SANDBOX_API;
  return issuer && api ? { issuer, api } : undefined;
}

function registerProtocolClient(): void {
  // In development the OS must start Electron with the app path; packaged builds register themselves.
  if (process.defaultApp && process.argv[1]) app.setAsDefaultProtocolClient(CUSTOM_SCHEME, process.execPath, [resolve(process.argv[1])]);
  else app.setAsDefaultProtocolClient(CUSTOM_SCHEME);
}

async function start(): Promise<void> {
  await app.whenReady();
  const dataDir = app.getPath('userData');
  const core = createCore({
    environments: await loadEnvironments(join(dataDir, 'environments.json'), localSandbox()),
    secretStore: createKeychainStore(),
    dataDir,
    openExternal: (url) => shell.openExternal(url),
    log: (line) => console.warn(line),
    saveFile: async (suggestedName, contents) => {
      const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = { defaultPath: join(app.getPath('documents'), suggestedName), filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return null;
      await writeFile(choice.filePath, contents, { encoding: 'utf8', mode: 0o600 });
      return { path: choice.filePath };
    },
  });
  registerIpc(core.handlers, originPolicy(devServer ? [APP_ORIGIN, new URL(devServer).origin] : [APP_ORIGIN]), { warn: (m) => console.warn(m) });

  serveRenderer(session.defaultSession, join(__dirname, '..', 'renderer'));
  const win = createMainWindow({ preloadPath: join(__dirname, 'preload.cjs'), startUrl: devServer ?? `${APP_ORIGIN}/index.html` });
  for (const name of EVENTS) {
    core.events.on(name, (payload: unknown) => {
      if (!win.isDestroyed()) win.webContents.send(name, payload);
    });
  }
  const focus = () => {
    if (win.isMinimized()) win.restore();
    win.focus();
  };
  intake.attach((url) => {
    if (core.handleDeepLink(url)) focus();
  });
  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
  app.on('second-instance', focus);
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => void core.close());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) win.show();
  });
  await core.start();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  // macOS delivers links through open-url, which must be registered before the app is ready.
  app.on('will-finish-launching', () => {
    app.on('open-url', (event, url) => {
      event.preventDefault();
      intake.push(url);
    });
  });
  app.on('second-instance', (_event, argv) => intake.pushArgv(argv));
  intake.pushArgv(process.argv);
  registerProtocolClient();
  start().catch((e: unknown) => {
    console.error(`Partner Console failed to start: ${e instanceof Error ? e.message : String(e)}`);
    app.exit(1);
  });
}
