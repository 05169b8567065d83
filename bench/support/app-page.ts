// The production renderer in headless Chromium, wired to the real core (createCore) and sandbox: a bench-side stand-in for the
// Electron shell. The renderer is built fresh into a temporary directory with renderer/vite.config.ts (so a concurrent
// rebuild of dist/ cannot pull files away mid-run), served on 127.0.0.1 the way app:// serves it (same path mapping, MIME
// types, CSP), and given window.partnerConsole with the preload's own name → channel mapping, read from electron/preload.ts.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { createCore, type Core } from '../../electron/core/app-core';
import { createMemorySecretStore } from '../../electron/core/auth/secret-store';
import { loadEnvironments } from '../../electron/core/config';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, resolveRendererFile } from '../../electron/core/renderer-files';
import { CHANNELS, EVENTS, channels, events as EVENT_SCHEMAS, type Channel, type EventName } from '../../shared/ipc-contract';
import { appError } from '../../shared/app-error';
import { err } from '../../shared/result';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/start';
import { launchBrowser, loginAndConsent } from '../../test/support/browser';
import { bridgeScript } from '../../test/support/page-bridge';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLAIN_LIST_PATH = '/__bench__/plain-list.js';

/** Builds the renderer with the project's Vite config into `outDir` (production mode, as `npm run build:renderer`). */
export async function buildRenderer(outDir: string): Promise<number> {
  const { build } = await import('vite');
  const t0 = performance.now();
  await build({ configFile: join(REPO_ROOT, 'renderer', 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  return performance.now() - t0;
}

/** Bundles bench/support/plain-accounts-list.ts for the browser (React production build, minified). */
async function bundlePlainList(outfile: string): Promise<void> {
  const { build } = await import('esbuild');
  await build({
    entryPoints: [join(REPO_ROOT, 'bench', 'support', 'plain-accounts-list.ts')],
    outfile,
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome130',
    minify: true,
    jsx: 'automatic',
    define: { 'process.env.NODE_ENV': '"production"' },
    logLevel: 'warning',
  });
}

/** The preload's `name: (...) => ipcRenderer.invoke('<channel>'` and `name: (listener) => subscribe('<event>'` lines. */
async function preloadMapping(): Promise<{ invoke: Record<string, Channel>; events: Record<string, EventName> }> {
  const source = await readFile(join(REPO_ROOT, 'electron', 'preload.ts'), 'utf8');
  const invoke: Record<string, Channel> = {};
  const events: Record<string, EventName> = {};
  for (const m of source.matchAll(/(\w+): \([^)]*\) => ipcRenderer\.invoke\('([^']+)'/g)) invoke[m[1]!] = m[2] as Channel;
  for (const m of source.matchAll(/(\w+): \(listener\) => subscribe\('([^']+)'/g)) events[m[1]!] = m[2] as EventName;
  const unknown = [...Object.values(invoke).filter((c) => !CHANNELS.includes(c)), ...Object.values(events).filter((e) => !EVENTS.includes(e))];
  const missing = CHANNELS.filter((c) => !Object.values(invoke).includes(c));
  if (unknown.length > 0 || missing.length > 0 || Object.keys(events).length === 0) {
    throw new Error(`could not read the bridge mapping from electron/preload.ts (unknown: ${unknown.join(', ') || '-'}; missing: ${missing.join(', ') || '-'})`);
  }
  return { invoke, events };
}

async function serve(rendererDir: string, plainListFile: string): Promise<{ server: Server; origin: string }> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET') return res.writeHead(405).end();
      const pathname = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
      if (pathname === '/favicon.ico') return res.writeHead(204).end();
      const file = pathname === PLAIN_LIST_PATH ? { path: plainListFile, mime: 'text/javascript; charset=utf-8' } : resolveRendererFile(`${APP_ORIGIN}${pathname}`, rendererDir);
      if (!file) return res.writeHead(404).end();
      try {
        const body = await readFile(file.path);
        res.writeHead(200, { 'content-type': file.mime, 'content-security-policy': CONTENT_SECURITY_POLICY, 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' });
        res.end(body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/**
 * Polls `expression` (evaluated through CDP, which the page's CSP allows) until it is truthy; page.waitForFunction would
 * evaluate a string inside the page, which the app's CSP (no 'unsafe-eval') refuses.
 */
export async function pollPage(page: Page, expression: string, timeoutMs: number): Promise<unknown> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value: unknown = await page.evaluate(expression).catch(() => undefined);
    if (value) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${expression}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface AppPage {
  readonly core: Core;
  readonly sandbox: Sandbox;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  readonly cdp: CDPSession;
  readonly origin: string;
  readonly buildMs: number;
  /** Console errors and uncaught page errors. */
  readonly pageErrors: string[];
  /** Adds the plain (non-virtualized) list bundle to the page: window.__benchPlain. */
  loadPlainList(): Promise<void>;
  /** Opens index.html and signs in through the UI ("Continue in your browser") and the sandbox's pages in a second context. */
  openAndSignIn(email: string, password: string): Promise<void>;
  close(): Promise<void>;
}

export async function startAppPage(options: { sandbox: SandboxOptions; viewport?: { width: number; height: number } }): Promise<AppPage> {
  const cleanup: Array<() => Promise<unknown>> = [];
  const run = async (): Promise<void> => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    const work = await mkdtemp(join(tmpdir(), 'pc-bench-render-'));
    cleanup.push(() => rm(work, { recursive: true, force: true }));
    const rendererDir = join(work, 'renderer');
    const plainListFile = join(work, 'plain-list.js');
    const [buildMs, mapping] = await Promise.all([buildRenderer(rendererDir), preloadMapping(), bundlePlainList(plainListFile)]);

    const sandbox = await startSandbox(options.sandbox);
    cleanup.push(() => sandbox.close());
    const environments = await loadEnvironments(undefined, { issuer: sandbox.issuer, api: sandbox.api });
    const opened: string[] = [];
    const core = createCore({ environments, dataDir: join(work, 'data'), secretStore: createMemorySecretStore(), openExternal: async (url) => void opened.push(url) });
    cleanup.push(() => core.close());
    await core.start();

    const browser = await launchBrowser();
    cleanup.push(() => browser.close());
    const { server, origin } = await serve(rendererDir, plainListFile);
    cleanup.push(
      () =>
        new Promise((done) => {
          server.close(done);
          server.closeAllConnections();
        }),
    );
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    await context.exposeBinding('__pcInvoke', async (source, channel: Channel, json: string) => {
      if (!source.frame.url().startsWith(`${origin}/`) || !CHANNELS.includes(channel)) return JSON.stringify(err(appError('forbidden_sender', 'Not allowed.')));
      const parsed = channels[channel].request.safeParse(JSON.parse(json));
      if (!parsed.success) return JSON.stringify(err(appError('invalid_request', 'Invalid request.')));
      const handler = core.handlers[channel] as (request: unknown) => Promise<unknown>;
      return JSON.stringify(await handler(parsed.data));
    });
    await context.addInitScript({ content: bridgeScript(mapping.invoke, mapping.events) });

    // Main → renderer events, checked against the contract and delivered in batches (the fan-out emits thousands).
    let outbox: Array<[EventName, unknown]> = [];
    const flush = (): void => {
      const batch = JSON.stringify(outbox);
      outbox = [];
      for (const p of context.pages()) {
        if (!p.url().startsWith(`${origin}/`)) continue;
        void p.evaluate((json) => (window as unknown as { __pcDeliver?: (b: string) => void }).__pcDeliver?.(json), batch).catch(() => undefined);
      }
    };
    for (const event of EVENTS) {
      core.events.on(event, (payload: unknown) => {
        const checked = EVENT_SCHEMAS[event].safeParse(payload);
        if (!checked.success) return;
        if (outbox.length === 0) setImmediate(flush);
        outbox.push([event, checked.data]);
      });
    }

    const pageErrors: string[] = [];
    const page = await context.newPage();
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(msg.text());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const cdp = await context.newCDPSession(page);

    return {
      core,
      sandbox,
      browser,
      context,
      page,
      cdp,
      origin,
      buildMs,
      pageErrors,
      async loadPlainList() {
        await page.addScriptTag({ url: `${origin}${PLAIN_LIST_PATH}` });
        await pollPage(page, 'typeof window.__benchPlain === "object"', 10_000);
      },
      async openAndSignIn(email, password) {
        await page.goto(`${origin}/index.html`);
        await page.getByRole('button', { name: 'Continue in your browser' }).click({ timeout: 15_000 });
        for (let i = 0; opened.length === 0; i++) {
          if (i > 750) throw new Error('the core did not open the system browser within 15 s');
          await new Promise((r) => setTimeout(r, 20));
        }
        const systemBrowser = await browser.newContext();
        try {
          const redirect = await loginAndConsent(systemBrowser, opened[0]!, { email, password });
          if (!core.handleDeepLink(redirect)) throw new Error('the core refused the redirect');
        } finally {
          await systemBrowser.close();
        }
        await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor({ timeout: 15_000 });
      },
      close: run,
    };
  } catch (error) {
    await run();
    throw error;
  }
}
