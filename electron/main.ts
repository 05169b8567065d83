// Composition root: single-instance lock, protocol registration, deep-link intake, the core, the IPC bridge, the menu and the window.
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { app, BrowserWindow, dialog, Menu, screen, session, shell } from 'electron';
import { EVENTS } from '../shared/ipc-contract';
import { createCore, type Core } from './core/app-core';
import type { SecretStore } from './core/auth/secret-store';
import { createKeychainStore } from './core/auth/token-vault';
import { CUSTOM_SCHEME, loadEnvironments, localSandboxFromEnv } from './core/config';
import { APP_ORIGIN } from './core/renderer-files';
import { createDeepLinkIntake, type DeepLinkIntake } from './deep-links';
import { isAllowedExternal } from './external-links';
import { ensureAppImageDesktopEntry } from './linux-desktop-entry';
import { originPolicy, registerIpc } from './ipc/register';
import { buildMenuTemplate } from './menu';
import { createMainWindow, registerAppSchemePrivileges, serveRenderer } from './window';
import { createWindowStateStore, fitToDisplays } from './window-state';

/** What the composition root takes from the process it runs in (tests pass their own). */
export interface MainDeps {
  readonly argv: readonly string[];
  /** True when started as `electron <app path>` (development): the OS must then be told the app path too. */
  readonly defaultApp: boolean;
  readonly execPath: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  /** The directory of the built main bundle (dist/electron): preload.cjs sits next to it, the renderer in ../renderer. */
  readonly bundleDir: string;
  readonly log: (line: string) => void;
  /** The OS keychain unless given. */
  readonly secretStore?: SecretStore;
  /** `xdg-mime default` for the AppImage's own desktop entry unless given (tests must not touch the real user's MIME defaults). */
  readonly setXdgDefault?: (desktopFileName: string, mimeType: string) => Promise<void>;
}

export interface MainHandle {
  /** False when another instance holds the lock: this one quits and registers nothing. */
  readonly primary: boolean;
  /** Settles when start-up finished (or failed, which exits the app). */
  readonly started: Promise<void>;
  /** Saves the window state, removes the IPC handlers and closes the core. Idempotent. */
  shutdown(): Promise<void>;
}

/** How long quitting waits for the core to close (journal, keychain, timers) before giving up. */
const SHUTDOWN_TIMEOUT_MS = 3000;

function registerProtocolClient(deps: MainDeps): void {
  // In development the OS must start Electron with the app path (the first argument that is not a switch); packaged builds register themselves.
  const appPath = deps.argv.slice(1).find((arg) => !arg.startsWith('-'));
  if (deps.defaultApp && appPath) app.setAsDefaultProtocolClient(CUSTOM_SCHEME, deps.execPath, [resolve(appPath)]);
  else app.setAsDefaultProtocolClient(CUSTOM_SCHEME);
}

function buildCore(deps: MainDeps, dataDir: string, environments: Awaited<ReturnType<typeof loadEnvironments>>): Core {
  return createCore({
    environments,
    secretStore: deps.secretStore ?? createKeychainStore(),
    dataDir,
    openExternal: (url) => shell.openExternal(url),
    log: deps.log,
    saveFile: async (suggestedName, contents) => {
      const owner = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
      const options = { defaultPath: join(app.getPath('documents'), suggestedName), filters: [{ name: 'CSV', extensions: ['csv'] }] };
      const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
      if (choice.canceled || !choice.filePath) return null;
      await writeFile(choice.filePath, contents, { encoding: 'utf8', mode: 0o600 });
      return { path: choice.filePath };
    },
  });
}

/** Resolves when `work` settles or after `ms` (then `onTimeout` runs); never rejects. */
async function boundedBy(ms: number, work: Promise<unknown>, onTimeout: () => void): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((done) => {
    timer = setTimeout(() => {
      onTimeout();
      done();
    }, ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything that needs a ready app: core, IPC, menu, renderer protocol, window. Hands out the window and its clean-up once wired. */
async function start(deps: MainDeps, intake: DeepLinkIntake, onWired: (win: BrowserWindow, cleanUp: () => Promise<void>) => void): Promise<void> {
  await app.whenReady();
  // Dev mode may load the Vite dev server; a packaged app never does.
  const devServer = !app.isPackaged ? deps.env.PARTNER_CONSOLE_DEV_SERVER : undefined;
  const dataDir = app.getPath('userData');
  // A packaged build ignores PARTNER_CONSOLE_SANDBOX_* and lists no local sandbox (nothing squatting its port is ever the default).
  const build = { packaged: app.isPackaged };
  const core = buildCore(deps, dataDir, await loadEnvironments(join(dataDir, 'environments.json'), localSandboxFromEnv(deps.env, build), build));
  const unregisterIpc = registerIpc(core.handlers, originPolicy(devServer ? [APP_ORIGIN, new URL(devServer).origin] : [APP_ORIGIN]), { warn: deps.log });

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: deps.platform,
        appName: app.getName(),
        dev: devServer !== undefined,
        packaged: app.isPackaged,
        openExternal: (url) => void shell.openExternal(url),
        isAllowed: isAllowedExternal,
      }),
    ),
  );

  app.on('web-contents-created', (_e, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternal(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });

  serveRenderer(session.defaultSession, join(deps.bundleDir, '..', 'renderer'));
  const windowState = createWindowStateStore({ file: join(dataDir, 'window-state.json'), log: deps.log });
  const primaryId = screen.getPrimaryDisplay().id;
  const displays = screen.getAllDisplays().sort((a, b) => Number(b.id === primaryId) - Number(a.id === primaryId));
  const win = createMainWindow({
    preloadPath: join(deps.bundleDir, 'preload.cjs'),
    startUrl: devServer ?? `${APP_ORIGIN}/index.html`,
    state: fitToDisplays(windowState.load(), displays.map((d) => d.workArea)),
  });
  windowState.track(win);
  onWired(win, async () => {
    windowState.flush();
    unregisterIpc();
    await core.close();
  });
  for (const name of EVENTS) {
    core.events.on(name, (payload: unknown) => {
      if (!win.isDestroyed()) win.webContents.send(name, payload);
    });
  }
  intake.attach((url) => {
    if (core.handleDeepLink(url) && !win.isDestroyed()) {
      if (win.isMinimized()) win.restore();
      win.focus();
    }
  });
  await core.start();
}

/** Wires the app. Call once, synchronously at start-up (open-url and scheme privileges must be registered before `ready`). */
export function main(deps: MainDeps): MainHandle {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { primary: false, started: Promise.resolve(), shutdown: async () => undefined };
  }
  registerAppSchemePrivileges();
  const intake = createDeepLinkIntake();
  let mainWindow: BrowserWindow | undefined;
  const focus = () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  };

  // macOS delivers links through open-url, which must be registered before the app is ready.
  app.on('will-finish-launching', () => {
    app.on('open-url', (event, url) => {
      event.preventDefault();
      intake.push(url);
    });
  });
  // Windows/Linux start a second instance with the link in argv; it quits and we get its argv here.
  app.on('second-instance', (_event, argv) => {
    intake.pushArgv(argv);
    focus();
  });
  intake.pushArgv(deps.argv);
  registerProtocolClient(deps);
  // An AppImage is invisible to setAsDefaultProtocolClient: it writes its own ~/.local/share/applications entry.
  ensureAppImageDesktopEntry(CUSTOM_SCHEME, app.getName(), { env: deps.env, platform: deps.platform, ...(deps.setXdgDefault ? { setDefault: deps.setXdgDefault } : {}) }).catch(
    (e: unknown) => deps.log(`desktop entry: not written (${e instanceof Error ? e.message : String(e)})`),
  );

  let cleanUp: (() => Promise<void>) | undefined;
  const started = start(deps, intake, (win, done) => {
    mainWindow = win;
    cleanUp = done;
  }).catch((e: unknown) => {
    deps.log(`Partner Console failed to start: ${e instanceof Error ? e.message : String(e)}`);
    app.exit(1);
  });

  let closing: Promise<void> | undefined;
  const shutdown = () =>
    (closing ??= boundedBy(
      SHUTDOWN_TIMEOUT_MS,
      started.then(() => cleanUp?.()).catch((e: unknown) => deps.log(`Partner Console: shutdown failed (${e instanceof Error ? e.name : typeof e})`)),
      () => deps.log('Partner Console: shutdown timed out'),
    ));

  let closed = false;
  app.on('before-quit', (event) => {
    if (closed) return;
    // Hold the quit until the core has closed (journal flushed, timers stopped), then quit for real.
    event.preventDefault();
    void shutdown().finally(() => {
      closed = true;
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());
  app.on('activate', focus);
  return { primary: true, started, shutdown };
}

/** The real process: argv, dev/packaged mode, environment, platform. */
export function processDeps(): MainDeps {
  return {
    argv: process.argv,
    defaultApp: Boolean(process.defaultApp),
    execPath: process.execPath,
    env: process.env,
    platform: process.platform,
    bundleDir: __dirname,
    log: (line) => console.warn(line),
  };
}

// Entry point: Electron runs the bundle as its main script. Under plain Node (unit tests) importing this module starts nothing.
if (process.versions.electron) main(processDeps());
