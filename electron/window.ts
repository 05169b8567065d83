// The hardened BrowserWindow and session policy: app:// content, strict CSP, no navigation, no popups, no permissions.
import { readFile } from 'node:fs/promises';
import { BrowserWindow, protocol, session, shell, type Session } from 'electron';
import { APP_ORIGIN, APP_SCHEME, CONTENT_SECURITY_POLICY, resolveRendererFile } from './core/renderer-files';

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

/** Links the app may hand to the system browser (never navigated to inside the window). */
const EXTERNAL_ALLOW = [/^https:\/\/([a-z0-9-]+\.)*paxos\.com(\/|$)/i, /^https:\/\/github\.com\/partner-console(\/|$)/i];

export function isAllowedExternal(url: string): boolean {
  return EXTERNAL_ALLOW.some((re) => re.test(url));
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
}

export function createMainWindow(options: WindowOptions): BrowserWindow {
  applySessionPolicy(session.defaultSession);
  const win = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 900,
    minHeight: 600,
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
    },
  });
  const startOrigin = new URL(options.startUrl).origin;
  win.webContents.on('will-navigate', (event, url) => {
    if (new URL(url).origin !== startOrigin) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event) => event.preventDefault());
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(options.startUrl);
  return win;
}

export { APP_ORIGIN };
