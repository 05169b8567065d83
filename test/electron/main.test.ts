// main.ts wiring against a recording fake of 'electron' and the real core: lock, protocol, deep links, IPC, window hardening, menu, state.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemorySecretStore } from '../../electron/core/auth/secret-store';
import { CHANNELS } from '../../shared/ipc-contract';
import { app, BrowserWindow, calls, ipcMain, Menu, resetFakeElectron, screen, session, shell } from './fake-electron';
import { startOAuthStub, type OAuthStub } from './oauth-stub';

vi.mock('electron', () => import('./fake-electron'));
const { main } = await import('../../electron/main');
type MainDeps = Parameters<typeof main>[0];
type MainHandle = ReturnType<typeof main>;

const SCHEME = 'com.partnerconsole.desktop';
const APP_PAGE = 'app://partner-console/index.html';
const appFrame = { url: APP_PAGE, parent: null };

let dir: string;
let stub: OAuthStub;
let logs: string[];
let handle: MainHandle | undefined;

function deps(overrides: Partial<MainDeps> = {}): MainDeps {
  return {
    argv: ['/opt/Partner Console/partner-console'],
    defaultApp: false,
    execPath: '/opt/Partner Console/partner-console',
    env: { PARTNER_CONSOLE_SANDBOX_ISSUER: stub.issuer, PARTNER_CONSOLE_SANDBOX_API: `${stub.issuer}/v2` },
    platform: 'linux',
    bundleDir: join(dir, 'dist', 'electron'),
    log: (line) => logs.push(line),
    secretStore: createMemorySecretStore(),
    ...overrides,
  };
}

/** Starts main() the way Electron would: will-finish-launching, then ready. */
async function launch(overrides: Partial<MainDeps> = {}): Promise<MainHandle> {
  handle = main(deps(overrides));
  app.emit('will-finish-launching');
  app.becomeReady();
  await handle.started;
  return handle;
}

async function invoke(channel: string, payload: unknown, frame: { url: string; parent: unknown } = appFrame): Promise<{ ok: boolean; value?: unknown; error?: { code: string } }> {
  const handler = ipcMain.handlers.get(channel);
  if (!handler) throw new Error(`${channel} is not registered`);
  return (await handler({ senderFrame: frame }, payload)) as { ok: boolean; value?: unknown; error?: { code: string } };
}

const mainWindow = () => BrowserWindow.instances[0]!;
const dropped = () => logs.filter((l) => l.startsWith('auth: dropped a redirect link'));

/** Starts a sign-in over IPC and returns its pending result and the `state` the system browser was sent. */
async function beginSignIn() {
  const result = invoke('auth:signIn', { environment: 'sandbox-local' });
  await vi.waitFor(() => expect(shell.opened).toHaveLength(1));
  const state = new URL(shell.opened[0]!).searchParams.get('state')!;
  return { result, state };
}

beforeEach(async () => {
  resetFakeElectron();
  dir = mkdtempSync(join(tmpdir(), 'pc-main-'));
  app.userData = join(dir, 'userData');
  mkdirSync(join(dir, 'dist', 'renderer'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'renderer', 'index.html'), '<!doctype html><title>Partner Console</title>');
  stub = await startOAuthStub();
  logs = [];
});

afterEach(async () => {
  app.becomeReady(); // a test that stopped before ready still gets a full start, so shutdown has something to close
  await handle?.shutdown();
  handle = undefined;
  await stub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('single-instance lock', () => {
  it('quits and registers nothing when another instance holds the lock', async () => {
    app.lockGranted = false;
    handle = main(deps({ argv: ['/opt/pc', `${SCHEME}:/oauth2/callback?code=c&state=s`] }));
    expect(handle.primary).toBe(false);
    app.emit('will-finish-launching');
    app.becomeReady();
    await handle.started;
    expect(calls).toEqual([['app.requestSingleInstanceLock'], ['app.quit']]);
    expect(app.eventNames()).toEqual([]);
    expect(ipcMain.registrations).toEqual([]);
    expect(BrowserWindow.instances).toEqual([]);
    expect(Menu.applied).toEqual([]);
  });

  it('takes the lock first, then registers the app scheme and the protocol client before ready', () => {
    handle = main(deps());
    expect(handle.primary).toBe(true);
    expect(calls[0]).toEqual(['app.requestSingleInstanceLock']);
    const privileged = calls.find(([what]) => what === 'protocol.registerSchemesAsPrivileged');
    expect(privileged?.[1]).toEqual([expect.objectContaining({ scheme: 'app', privileges: expect.objectContaining({ standard: true, secure: true }) })]);
    expect(calls.filter(([what]) => what === 'app.setAsDefaultProtocolClient')).toEqual([['app.setAsDefaultProtocolClient', SCHEME]]);
    expect(calls.some(([what]) => what === 'app.quit')).toBe(false);
    expect(ipcMain.registrations).toEqual([]); // nothing that needs a ready app yet
    expect(BrowserWindow.instances).toEqual([]);
  });

  it('registers the development form (execPath + app path) when run as electron <app>', () => {
    handle = main(deps({ defaultApp: true, argv: ['/usr/lib/electron/electron', '--no-sandbox', 'relative/app'], execPath: '/usr/lib/electron/electron' }));
    expect(calls.filter(([what]) => what === 'app.setAsDefaultProtocolClient')).toEqual([
      ['app.setAsDefaultProtocolClient', SCHEME, '/usr/lib/electron/electron', [resolve('relative/app')]],
    ]);
  });

  it('registers open-url only inside will-finish-launching, before ready', () => {
    handle = main(deps());
    expect(app.listenerCount('open-url')).toBe(0);
    app.emit('will-finish-launching');
    expect(app.listenerCount('open-url')).toBe(1);
    expect(app.listenerCount('ready')).toBe(0); // not waiting on 'ready' to register it
  });
});

describe('AppImage desktop entry', () => {
  it('writes the AppImage’s own scheme handler entry and makes it the default', async () => {
    const defaults: string[][] = [];
    const appImage = join(dir, 'Partner Console-0.1.0.AppImage');
    const env = { ...deps().env, APPIMAGE: appImage, XDG_DATA_HOME: join(dir, 'share') };
    await launch({ env, setXdgDefault: async (file, mime) => void defaults.push([file, mime]) });
    await vi.waitFor(() => expect(defaults).toHaveLength(1));
    const [[file, mime]] = defaults as [[string, string]];
    expect(mime).toBe(`x-scheme-handler/${SCHEME}`);
    const entry = readFileSync(join(dir, 'share', 'applications', file), 'utf8');
    expect(entry).toContain(`MimeType=x-scheme-handler/${SCHEME};`);
    expect(entry).toContain('Partner Console-0.1.0.AppImage');
  });

  it('writes nothing when not running from an AppImage', async () => {
    const setXdgDefault = vi.fn(async () => undefined);
    await launch({ env: { ...deps().env, XDG_DATA_HOME: join(dir, 'share') }, setXdgDefault });
    expect(existsSync(join(dir, 'share'))).toBe(false);
    expect(setXdgDefault).not.toHaveBeenCalled();
  });
});

describe('deep-link intake reaches the core', () => {
  it('a second-instance argv link completes the pending sign-in and focuses the window', async () => {
    await launch();
    const { result, state } = await beginSignIn();
    const focusBefore = mainWindow().focusCount;
    app.emit('second-instance', {}, ['/opt/pc', '--flag', `${SCHEME}:/oauth2/callback?code=argv-code&state=${state}`], '/home');
    const outcome = await result;
    expect(stub.codes).toEqual(['argv-code']); // the core accepted the link and exchanged its code
    expect(outcome.ok).toBe(false); // the stub answers invalid_grant
    expect(outcome.error?.code).toBe('sign_in_failed');
    expect(mainWindow().focusCount).toBeGreaterThan(focusBefore);
    expect(dropped()).toEqual([]);
  });

  it('a macOS open-url link is accepted by the core (and the event default is prevented)', async () => {
    await launch({ platform: 'darwin' });
    const { result, state } = await beginSignIn();
    const preventDefault = vi.fn();
    app.emit('open-url', { preventDefault }, `${SCHEME}:/oauth2/callback?code=mac-code&state=${state}`);
    await result;
    expect(preventDefault).toHaveBeenCalled();
    expect(stub.codes).toEqual(['mac-code']);
    expect(mainWindow().focusCount).toBe(1); // focused because the core accepted the link
  });

  it('drops a link whose state does not match, leaves the attempt waiting and does not focus', async () => {
    await launch({ platform: 'darwin' });
    const { result, state } = await beginSignIn();
    app.emit('open-url', { preventDefault: () => undefined }, `${SCHEME}:/oauth2/callback?code=x&state=${state}-forged`);
    expect(dropped()).toEqual(['auth: dropped a redirect link (state_mismatch)']);
    expect((await invoke('auth:getState', {})).value).toMatchObject({ status: 'signingIn' });
    expect(mainWindow().focusCount).toBe(0);
    expect(logs.join('\n')).not.toContain(`${state}-forged`); // never logged raw
    await invoke('auth:cancelSignIn', {});
    expect((await result).error?.code).toBe('cancelled');
    expect(stub.codes).toEqual([]);
  });

  it('queues links that arrive before ready (startup argv, early open-url) and hands them over once the core exists', async () => {
    handle = main(deps({ argv: ['/opt/pc', `${SCHEME}:/oauth2/callback?code=a&state=early`] }));
    app.emit('will-finish-launching');
    app.emit('open-url', { preventDefault: () => undefined }, 'not a url at all');
    expect(logs).toEqual([]); // nothing reached a core yet
    app.becomeReady();
    await handle.started;
    expect(dropped()).toEqual(['auth: dropped a redirect link (no_pending_sign_in)', 'auth: dropped a redirect link (control_or_space)']);
  });
});

describe('environments by build', () => {
  it('in development lists the sandbox npm start launched (from PARTNER_CONSOLE_SANDBOX_*), selected by default', async () => {
    await launch();
    const settings = (await invoke('settings:get', {})).value as { environment: string; environments: Array<{ id: string; issuer: string }> };
    expect(settings.environment).toBe('sandbox-local');
    expect(settings.environments.find((e) => e.id === 'sandbox-local')?.issuer).toBe(stub.issuer);
  });

  it('when packaged ignores PARTNER_CONSOLE_SANDBOX_* and lists no local sandbox: a fresh install defaults to Paxos sandbox', async () => {
    app.isPackaged = true;
    await launch();
    const settings = (await invoke('settings:get', {})).value as { environment: string; environments: Array<{ id: string }> };
    expect(settings.environments.map((e) => e.id)).toEqual(['paxos-sandbox', 'paxos-production']);
    expect(settings.environment).toBe('paxos-sandbox');
    expect(await invoke('auth:signIn', { environment: 'sandbox-local' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(shell.opened).toEqual([]);
  });
});

describe('IPC bridge', () => {
  it('registers every contract channel with ipcMain.handle exactly once', async () => {
    await launch();
    expect([...ipcMain.registrations].sort()).toEqual([...CHANNELS].sort());
    expect(new Set(ipcMain.registrations).size).toBe(ipcMain.registrations.length);
  });

  it.each([
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a sub-frame of the app', { url: APP_PAGE, parent: {} }],
  ])('refuses a call from %s with forbidden_sender and leaves the core untouched', async (_name, frame) => {
    await launch();
    const refused = await invoke('settings:setEnvironment', { environment: 'paxos-sandbox' }, frame);
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
    expect((await invoke('settings:get', {})).value).toMatchObject({ environment: 'sandbox-local' });
    // The same call from the app's own top frame does reach the core.
    expect((await invoke('settings:setEnvironment', { environment: 'paxos-sandbox' })).value).toMatchObject({ environment: 'paxos-sandbox' });
  });

  it('forwards core events to the window', async () => {
    await launch();
    await beginSignIn();
    expect(mainWindow().webContents.sent).toContainEqual(['auth:changed', expect.objectContaining({ status: 'signingIn' })]);
    await invoke('auth:cancelSignIn', {});
  });
});

describe('window and session', () => {
  it('creates one hardened window loading the app origin', async () => {
    await launch();
    expect(BrowserWindow.instances).toHaveLength(1);
    const prefs = mainWindow().options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, disableBlinkFeatures: 'Auxclick' });
    expect(prefs.preload).toBe(join(dir, 'dist', 'electron', 'preload.cjs'));
    expect(mainWindow().loadedUrl).toBe(APP_PAGE);
  });

  it('serves the built renderer over app:// with the CSP', async () => {
    await launch();
    const serve = session.defaultSession.protocolHandlers.get('app')!;
    const page = await serve(new Request(APP_PAGE));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Partner Console</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('refuses a path that climbs out of the renderer folder, even to a file it would otherwise serve', async () => {
    await launch();
    const serve = session.defaultSession.protocolHandlers.get('app')!;
    // Same type, one inside the renderer folder and one beside it: only the containment check tells them apart.
    writeFileSync(join(dir, 'dist', 'renderer', 'inside.json'), '{"inside":true}');
    writeFileSync(join(dir, 'dist', 'outside.json'), '{"outside":true}');
    const inside = await serve(new Request('app://partner-console/inside.json'));
    expect(inside.status).toBe(200);
    expect(await inside.text()).toBe('{"inside":true}');
    for (const climb of ['..%2foutside.json', '%2e%2e%2foutside.json', 'assets/..%2f..%2foutside.json']) {
      const res = await serve(new Request(`app://partner-console/${climb}`));
      expect(res.status, climb).toBe(404);
      expect(await res.text(), climb).not.toContain('outside');
    }
  });

  it('blocks navigation and redirects, denies new windows and sends only allow-listed links out', async () => {
    await launch();
    const wc = mainWindow().webContents;
    for (const [event, url] of [
      ['will-navigate', 'https://evil.example/'],
      ['will-navigate', 'app://partner-console/other.html'],
      ['will-redirect', 'https://evil.example/'],
    ] as const) {
      const preventDefault = vi.fn();
      wc.emit(event, { preventDefault }, url);
      expect(preventDefault, `${event} ${url}`).toHaveBeenCalled();
    }
    expect(wc.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler!({ url: 'https://docs.paxos.com/guides' })).toEqual({ action: 'deny' });
    expect(shell.opened).toEqual(['https://docs.paxos.com/guides']);
  });

  it('denies every permission request and check', async () => {
    await launch();
    const ses = session.defaultSession;
    const granted = vi.fn();
    ses.permissionRequestHandler!({}, 'media', granted);
    ses.permissionRequestHandler!({}, 'notifications', granted);
    expect(granted.mock.calls).toEqual([[false], [false]]);
    expect(ses.permissionCheckHandler!({}, 'clipboard-read', 'app://partner-console', {})).toBe(false);
  });

  it('sets the application menu, without developer tools when packaged', async () => {
    app.isPackaged = true;
    await launch();
    expect(Menu.applied).toHaveLength(1);
    const roles = JSON.stringify(Menu.applied[0]!.template);
    expect(roles).toContain('"role":"copy"');
    expect(roles).not.toContain('toggleDevTools');
    expect(roles).not.toContain('"reload"');
  });
});

describe('window state', () => {
  const stateFile = () => join(app.userData, 'window-state.json');

  it('reopens where it was (clamped to the display) and saves the new place on close', async () => {
    mkdirSync(app.userData, { recursive: true });
    writeFileSync(stateFile(), JSON.stringify({ x: 1500, y: 100, width: 1000, height: 700, maximized: true }));
    await launch();
    expect(mainWindow().options).toMatchObject({ x: 920, y: 100, width: 1000, height: 700 });
    mainWindow().emit('ready-to-show');
    expect(mainWindow().maximized).toBe(true);
    mainWindow().bounds = { x: 10, y: 20, width: 1100, height: 750 };
    mainWindow().maximized = false;
    mainWindow().emit('resize');
    mainWindow().emit('close');
    expect(JSON.parse(readFileSync(stateFile(), 'utf8'))).toEqual({ x: 10, y: 20, width: 1100, height: 750, maximized: false });
  });

  it('falls back to the centred default for a corrupt file', async () => {
    mkdirSync(app.userData, { recursive: true });
    writeFileSync(stateFile(), '{"x": "left", ');
    screen.displays = [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
    await launch();
    expect(mainWindow().options).toMatchObject({ x: 320, y: 110, width: 1280, height: 820 });
  });
});

describe('quitting', () => {
  it('holds before-quit until the core is closed, then quits; IPC handlers are removed', async () => {
    await launch();
    const preventDefault = vi.fn();
    app.emit('before-quit', { preventDefault });
    expect(preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(calls.filter(([what]) => what === 'app.quit')).toHaveLength(1));
    expect(ipcMain.handlers.size).toBe(0);
    const again = vi.fn();
    app.emit('before-quit', { preventDefault: again }); // the real quit goes through
    expect(again).not.toHaveBeenCalled();
  });
});
