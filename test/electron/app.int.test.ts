// Launches the real app with Playwright's _electron when an Electron binary exists; otherwise the tests report themselves skipped with the reason.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface BinaryProbe {
  findElectronBinary(root?: string): { found: true; path: string } | { found: false; reason: string };
}
// scripts/electron-binary.mjs never require()s electron (which would try to download the binary).
const { findElectronBinary } = (await import(new URL('../../scripts/electron-binary.mjs', import.meta.url).href)) as BinaryProbe;

/** Why the real app cannot be launched here, or undefined if it can. */
function skipReason(): string | undefined {
  const binary = findElectronBinary(ROOT);
  if (!binary.found) return `no Electron binary (${binary.reason}); install it with ELECTRON_SKIP_BINARY_DOWNLOAD= npm rebuild electron`;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display for Electron; run under xvfb-run';
  return undefined;
}

const reason = skipReason();
const APP_PAGE = 'app://partner-console/index.html';

describe('the app in real Electron', () => {
  let electronApp: ElectronApplication | undefined;
  let page: Page | undefined;
  let home: string | undefined;

  beforeAll(async () => {
    if (reason) return;
    const binary = findElectronBinary(ROOT);
    if (!binary.found) return;
    const build = spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stderr}`);
    // userData, the protocol-handler registration (xdg) and everything else the app writes go to a throw-away home.
    home = mkdtempSync(join(tmpdir(), 'pc-electron-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('PARTNER_CONSOLE_')) env[k] = v;
    Object.assign(env, { HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_DATA_HOME: join(home, '.local/share'), APPDATA: join(home, 'AppData') });
    const root = process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : []; // Chromium refuses root without it
    electronApp = await _electron.launch({ executablePath: binary.path, args: [...root, ROOT], cwd: ROOT, env, timeout: 60_000 });
    page = await electronApp.firstWindow();
    await page.waitForLoadState('domcontentloaded');
  });

  afterAll(async () => {
    await electronApp?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('loads app://partner-console/index.html', (ctx) => {
    if (reason) ctx.skip(reason);
    expect(page!.url()).toBe(APP_PAGE);
  });

  it('exposes window.partnerConsole and no Node globals to the renderer', async (ctx) => {
    if (reason) ctx.skip(reason);
    const probe = await page!.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      const bridge = g.partnerConsole as Record<string, unknown> | undefined;
      return {
        bridge: typeof bridge,
        methods: bridge ? Object.keys(bridge).filter((k) => typeof bridge[k] === 'function') : [],
        require: typeof g.require,
        process: typeof g.process,
        module: typeof g.module,
        buffer: typeof g.Buffer,
      };
    });
    expect(probe).toMatchObject({ bridge: 'object', require: 'undefined', process: 'undefined', module: 'undefined', buffer: 'undefined' });
    expect(probe.methods).toEqual(expect.arrayContaining(['getAuthState', 'signIn', 'getSettings', 'onAuthChanged']));
    expect(probe.methods.filter((m) => /^(invoke|send|on)$/.test(m))).toEqual([]); // no generic IPC
  });

  it('reaches the core through the preload bridge', async (ctx) => {
    if (reason) ctx.skip(reason);
    const settings = (await page!.evaluate(() => (globalThis as unknown as { partnerConsole: { getSettings(): Promise<unknown> } }).partnerConsole.getSettings())) as {
      ok: boolean;
      value?: { environment: string };
    };
    expect(settings.ok).toBe(true);
    expect(settings.value?.environment).toBe('sandbox-local');
  });

  it('opened exactly one window, on the app origin', async (ctx) => {
    if (reason) ctx.skip(reason);
    const urls = await electronApp!.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.webContents.getURL()));
    expect(urls).toEqual([APP_PAGE]);
  });
});
