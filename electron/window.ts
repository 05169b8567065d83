// The hardened BrowserWindow and session policy: app:// content, strict CSP, no navigation, no popups, no permissions.
import { readFile } from 'node:fs/promises';
import { BrowserWindow, protocol, session, shell, type Session } from 'electron';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, resolveRendererFile } from './core/renderer-files';
import { isAllowedExternal } from './external-links';
import { DEFAULT_SIZE, MIN_SIZE, type WindowState } from './window-state';

/** Must run before `app` is ready. */
export function registerAppSchemePrivileges(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves the built renderer from `rendererDir` at app://partner-console/, with the CSP on every response. */
export function serveRenderer(ses: Session, rendererDir: string): void {
  ses.protocol.handle(APP_SCHEME, async (request) => {
    const file = resolveRendererFile(request.url, rendererDir);
    if (!file) return new Response('Not found', { status: 404 });
    try {
      const body = await readFile(file.path);
      return new Response(body, {
        headers: { 'content-type': file.mime, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff' },
      });
    } catch {
      return new Response('Not found', { status: 404 });
    }
  });
}

function applySessionPolicy(ses: Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
  ses.on('will-download', (event) => event.preventDefault());
}

export interface WindowOptions {
  readonly preloadPath: string;
  /** app://partner-console/ in production; the Vite dev server only in dev mode. */
  readonly startUrl: string;
  /** Where and how big to open (already fitted to a display); Electron centres a default-sized window without it. */
  readonly state?: WindowState;
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  applySessionPolicy(session.defaultSession);
  const win = new BrowserWindow({
    ...(options.state?.bounds ?? DEFAULT_SIZE),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    show: false,
    title: 'Partner Console',
    webPreferences: {
      preload: options.preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      // Middle-click would otherwise open links as new windows before setWindowOpenHandler sees them (Electronegativity AUXCLICK).
      disableBlinkFeatures: 'Auxclick',
    },
  });
  // The renderer routes by hash (in-page, no will-navigate), so any real navigation is refused.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => {
    if (options.state?.maximized) win.maximize();
    win.show();
  });
  void win.loadURL(options.startUrl);
  return win;
}

export { APP_ORIGIN };
