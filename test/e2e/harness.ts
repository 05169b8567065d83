// Desktop harness for e2e tests: the production renderer build in Debian Chromium, with a preload-equivalent bridge into the real core.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { vi } from 'vitest';
import { createCore, type Core, type SaveFile } from '../../electron/core/app-core';
import { createMemorySecretStore, type SecretStore } from '../../electron/core/auth/secret-store';
import { loadEnvironments } from '../../electron/core/config';
import type { OperationsTuning } from '../../electron/core/operations';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, resolveRendererFile } from '../../electron/core/renderer-files';
import { EVENTS, events as EVENT_SCHEMAS, type Channel, type ContractHandlers, type EventName, type EventPayload, type PartnerConsoleBridge } from '../../shared/ipc-contract';
import type { Sandbox, SandboxOptions } from '../../sandbox/start';
import { launchBrowser } from '../support/browser';
import { bridgeScript } from '../support/page-bridge';

// register.ts imports ipcMain; the real 'electron' package would try to fetch a binary in plain Node.
vi.mock('electron', () => ({ ipcMain: { handle() {}, removeHandler() {} } }));

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');
/** `npm run screenshots` (or UPDATE_SCREENSHOTS=1) refreshes docs/screenshots; plain test runs write to a temp folder, leaving the repo untouched. */
export const SCREENSHOT_DIR =
  process.env.npm_lifecycle_event === 'screenshots' || process.env.UPDATE_SCREENSHOTS === '1'
    ? join(REPO_ROOT, 'docs', 'screenshots')
    : join(tmpdir(), 'partner-console-screenshots');
/** axe-core, served from the app's own origin so the strict CSP (script-src 'self') can stay on while tests inject it. */
export const AXE_PATH = '/__e2e__/axe.min.js';
const AXE_FILE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

type InvokeMethod = Exclude<keyof PartnerConsoleBridge, `on${string}`>;
type EventMethod = Extract<keyof PartnerConsoleBridge, `on${string}`>;

/** The bridge's named functions and the channel each calls: the same mapping as electron/preload.ts. */
export const INVOKE_METHODS = {
  getAuthState: 'auth:getState',
  signIn: 'auth:signIn',
  cancelSignIn: 'auth:cancelSignIn',
  signOut: 'auth:signOut',
  listProfiles: 'accounts:listProfiles',
  getProfile: 'accounts:getProfile',
  getBalances: 'accounts:getBalances',
  submitOrder: 'orders:submit',
  listOrders: 'orders:list',
  getOrder: 'orders:get',
  cancelOrder: 'orders:cancel',
  listActivity: 'activity:list',
  exportActivityCsv: 'activity:exportCsv',
  getSettings: 'settings:get',
  setEnvironment: 'settings:setEnvironment',
} as const satisfies Record<InvokeMethod, Channel>;

export const EVENT_METHODS = {
  onAuthChanged: 'auth:changed',
  onOrdersChanged: 'orders:changed',
  onAccountsChanged: 'accounts:changed',
  onActivityChanged: 'activity:changed',
} as const satisfies Record<EventMethod, EventName>;

// Compile-time: every contract channel has a bridge function.
type Unmapped = Exclude<Channel, (typeof INVOKE_METHODS)[InvokeMethod]>;
const everyChannelMapped: [Unmapped] extends [never] ? true : Unmapped = true;
void everyChannelMapped;

const BRIDGE_SCRIPT = bridgeScript(INVOKE_METHODS, EVENT_METHODS);

/** Polling, retries and re-checks fast enough for tests; the schedules' shape is production's. */
export const E2E_TUNING: OperationsTuning = {
  poll: { initialMs: 100, maxMs: 400, factor: 1.5 },
  retry: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100, maxTotalMs: 5_000 },
  recheckDelaysMs: [250, 1_000],
};

/** The "save dialog" behind CoreOptions.saveFile: files land in a temp folder; a test can make the operator cancel. */
export interface SaveDialog {
  /** Where saved files go (removed on close). */
  readonly dir: string;
  /** Every file name the core suggested, in order, saved or not. */
  readonly suggested: string[];
  /** Paths of the files written, in order. */
  readonly saved: string[];
  /** The next save is cancelled, as if the operator closed the dialog. */
  cancelNext(): void;
}

function saveDialog(dir: string): SaveDialog & { saveFile: SaveFile } {
  let cancel = false;
  const dialog = {
    dir,
    suggested: [] as string[],
    saved: [] as string[],
    cancelNext() {
      cancel = true;
    },
    async saveFile(suggestedName: string, contents: string) {
      dialog.suggested.push(suggestedName);
      if (cancel) {
        cancel = false;
        return null;
      }
      const path = join(dir, basename(suggestedName));
      await writeFile(path, contents, { flag: 'wx' });
      dialog.saved.push(path);
      return { path };
    },
  };
  return dialog;
}

export interface DesktopOptions {
  /** Start the real sandbox (with these options) and point "Local sandbox" at it. */
  readonly sandbox?: SandboxOptions | false;
  /** A user environments file for loadEnvironments. */
  readonly environmentsFile?: string;
  /** The keychain the core uses (default: an in-memory store). */
  readonly secretStore?: SecretStore;
  readonly viewport?: { width: number; height: number };
}

export interface ExternalBrowser {
  /** Every URL the core asked the system browser to open. */
  readonly urls: string[];
  /** The next URL opened (or one already opened and not yet taken). */
  next(timeoutMs?: number): Promise<string>;
}

export interface Desktop {
  readonly origin: string;
  readonly core: Core;
  readonly handlers: ContractHandlers;
  readonly sandbox: Sandbox | undefined;
  readonly dataDir: string;
  readonly secretStore: SecretStore;
  readonly saves: SaveDialog;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly external: ExternalBrowser;
  /** console errors and uncaught page errors (a CSP violation shows up here). */
  readonly pageErrors: string[];
  /** Opens the app (index.html) in `page` and waits for React to render. */
  open(page?: Page): Promise<void>;
  close(): Promise<void>;
}

/** Builds the renderer once if dist/renderer is missing (npm test builds it beforehand). */
export function ensureRendererBuilt(): void {
  if (existsSync(join(RENDERER_DIST, 'index.html'))) return;
  execFileSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 120_000 });
}

/** Serves dist/renderer on 127.0.0.1 exactly as app:// does: same path mapping, MIME types and CSP header. */
async function serveRenderer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405).end();
      const pathname = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
      // Chromium asks for a favicon on http:; the app:// window never does, and the build has none.
      if (pathname === '/favicon.ico') return res.writeHead(204).end();
      const file = pathname === AXE_PATH ? { path: AXE_FILE, mime: 'text/javascript; charset=utf-8' } : resolveRendererFile(`${APP_ORIGIN}${pathname}`, RENDERER_DIST);
      if (!file) return res.writeHead(404).end();
      try {
        const body = await readFile(file.path);
        res.writeHead(200, {
          'content-type': file.mime,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function externalBrowser(): ExternalBrowser & { open(url: string): Promise<void> } {
  const urls: string[] = [];
  const queue: string[] = [];
  const waiters: Array<(url: string) => void> = [];
  return {
    urls,
    async open(url) {
      urls.push(url);
      const waiter = waiters.shift();
      if (waiter) waiter(url);
      else queue.push(url);
    },
    next(timeoutMs = 10_000) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(queued);
      return new Promise((resolveUrl, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL was opened in the system browser within ${timeoutMs} ms`)), timeoutMs);
        waiters.push((url) => {
          clearTimeout(timer);
          resolveUrl(url);
        });
      });
    },
  };
}

export async function startDesktop(options: DesktopOptions = {}): Promise<Desktop> {
  ensureRendererBuilt();
  const { dispatch, originPolicy } = await import('../../electron/ipc/register');
  const cleanup: Array<() => Promise<unknown>> = [];
  const run = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    let sandbox: Sandbox | undefined;
    if (options.sandbox) {
      const { startSandbox } = await import('../../sandbox/start');
      const started = await startSandbox(options.sandbox);
      sandbox = started;
      cleanup.push(() => started.close());
    }
    const dataDir = await mkdtemp(join(tmpdir(), 'pc-e2e-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const saves = saveDialog(await mkdtemp(join(tmpdir(), 'pc-e2e-saves-')));
    cleanup.push(() => rm(saves.dir, { recursive: true, force: true }));
    const environments = await loadEnvironments(options.environmentsFile, sandbox ? { issuer: sandbox.issuer, api: sandbox.api } : undefined);
    const external = externalBrowser();
    const secretStore = options.secretStore ?? createMemorySecretStore();
    const core = createCore({ environments, dataDir, secretStore, openExternal: external.open, saveFile: saves.saveFile, operationsTuning: E2E_TUNING });
    cleanup.push(() => core.close());
    await core.start();

    const browser = await launchBrowser();
    cleanup.push(() => browser.close());
    const handlers: ContractHandlers = core.handlers;

    const { server, origin } = await serveRenderer();
    cleanup.push(
      () =>
        new Promise((done) => {
          server.close(done);
          server.closeAllConnections(); // Chromium's keep-alive sockets would hold close() open
        }),
    );
    const policy = originPolicy([origin]);
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    await context.exposeBinding('__pcInvoke', async (source, channel: Channel, json: string) => {
      const sender = { url: source.frame.url(), isTopFrame: source.frame.parentFrame() === null };
      return JSON.stringify(await dispatch(handlers, policy, channel, sender, JSON.parse(json)));
    });
    await context.addInitScript({ content: BRIDGE_SCRIPT });

    // Main → renderer events: checked against the contract (as the shell would send them) and delivered, in order, to
    // every app page; events emitted in one tick travel in one evaluate (the accounts fan-out emits thousands).
    const pageErrors: string[] = [];
    let outbox: Array<[EventName, unknown]> = [];
    const flush = () => {
      const batch = JSON.stringify(outbox);
      outbox = [];
      for (const p of context.pages()) {
        if (!p.url().startsWith(`${origin}/`)) continue;
        void p.evaluate((json) => (window as unknown as { __pcDeliver?: (batch: string) => void }).__pcDeliver?.(json), batch).catch(() => undefined);
      }
    };
    const forward = <E extends EventName>(event: E) => (payload: EventPayload<E>) => {
      const checked = EVENT_SCHEMAS[event].safeParse(payload);
      if (!checked.success) {
        pageErrors.push(`core emitted ${event} outside the contract: ${checked.error.message}`);
        return;
      }
      if (outbox.length === 0) setImmediate(flush);
      outbox.push([event, checked.data]);
    };
    for (const event of EVENTS) core.events.on(event, forward(event) as never);

    const watch = (p: Page) => {
      p.on('console', (msg) => {
        if (msg.type() === 'error') pageErrors.push(msg.text());
      });
      p.on('pageerror', (e) => pageErrors.push(e.message));
    };
    context.on('page', watch);
    const page = await context.newPage();

    return {
      origin,
      core,
      handlers,
      sandbox,
      dataDir,
      secretStore,
      saves,
      browser,
      context,
      page,
      external,
      pageErrors,
      async open(target = page) {
        await target.goto(`${origin}/index.html`);
        await target.locator('#root > *').first().waitFor({ timeout: 10_000 });
      },
      close: run,
    };
  } catch (error) {
    await run();
    throw error;
  }
}
