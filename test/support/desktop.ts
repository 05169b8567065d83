// The one desktop harness (e2e tests and the render benchmark): the renderer build in Chromium, the real electron/preload.ts
// in the page, the real electron/ipc/register.ts behind it, and the real core (and, if asked, the sandbox) behind that.
//
//   page ── window.partnerConsole (real preload, bundled) ── __pcInvoke ── registerIpc (real register.ts) ── core.handlers
//   core.events ── checked against the contract ── ipcRenderer.on listeners in the page (as main.ts's webContents.send)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Core, SaveFile } from '../../electron/core/app-core';
import type { SecretStore } from '../../electron/core/auth/secret-store';
import { loadEnvironments } from '../../electron/core/config';
import type { OperationsTuning } from '../../electron/core/operations';
import { EVENTS, events as EVENT_SCHEMAS, type ContractHandlers, type EventName } from '../../shared/ipc-contract';
import type { Sandbox, SandboxOptions } from '../../sandbox/start';
import { launchBrowser } from './browser';
import { makeCore, type ExternalBrowser } from './core-harness';
import { serveRenderer } from './renderer-server';
import { loadRegister, preloadForPage } from './shell-bundles';

export type { ExternalBrowser } from './core-harness';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const RENDERER_DIST = join(REPO_ROOT, 'dist', 'renderer');

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
  /** Retry, polling and fan-out knobs (default: production's). */
  readonly operationsTuning?: OperationsTuning;
  /** The renderer build to serve (default: dist/renderer, built first if missing). */
  readonly rendererDir?: string;
  /** Extra scripts served from the app's origin: URL path → file (e.g. axe-core for the e2e checks). */
  readonly extraFiles?: Readonly<Record<string, string>>;
}

export interface Desktop {
  readonly origin: string;
  readonly core: Core;
  /** core.handlers: call the core directly, without the page. */
  readonly handlers: ContractHandlers;
  readonly sandbox: Sandbox | undefined;
  readonly dataDir: string;
  readonly secretStore: SecretStore;
  readonly saves: SaveDialog;
  readonly browser: Browser;
  readonly context: BrowserContext;
  readonly page: Page;
  /** The system browser: every URL the core opened. */
  readonly external: ExternalBrowser;
  /** Core and IPC log lines (an IPC refusal names the check that refused). */
  readonly logs: string[];
  /** Console errors, uncaught page errors (a CSP violation shows up here) and events outside the contract. */
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

export async function startDesktop(options: DesktopOptions = {}): Promise<Desktop> {
  if (!options.rendererDir) ensureRendererBuilt();
  const cleanup: Array<() => Promise<unknown>> = [];
  const run = async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  };
  try {
    const [register, preload] = await Promise.all([loadRegister(), preloadForPage()]);
    let sandbox: Sandbox | undefined;
    if (options.sandbox) {
      const { startSandbox } = await import('../../sandbox/start');
      const started = await startSandbox(options.sandbox);
      sandbox = started;
      cleanup.push(() => started.close());
    }
    const saves = saveDialog(await mkdtemp(join(tmpdir(), 'pc-e2e-saves-')));
    cleanup.push(() => rm(saves.dir, { recursive: true, force: true }));
    const environments = await loadEnvironments(options.environmentsFile, sandbox ? { issuer: sandbox.issuer, api: sandbox.api, approvalThreshold: sandbox.approvalThreshold } : undefined);
    const h = await makeCore(null, {
      environments,
      saveFile: saves.saveFile,
      ...(options.secretStore ? { store: options.secretStore } : {}),
      ...(options.operationsTuning ? { operationsTuning: options.operationsTuning } : {}),
    });
    cleanup.push(() => h.close());
    await h.core.start();

    const browser = await launchBrowser();
    cleanup.push(() => browser.close());
    const server = await serveRenderer(options.rendererDir ?? RENDERER_DIST, options.extraFiles);
    cleanup.push(() => server.close());
    const { origin } = server;

    // Main side, as main.ts wires it: every channel registered by the real registerIpc, only the app's origin allowed.
    const unregister = register.registerIpc(h.core.handlers, register.originPolicy([origin]), { warn: (line) => h.logs.push(line) });
    cleanup.push(async () => unregister());

    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 }, reducedMotion: 'reduce' });
    await context.exposeBinding('__pcInvoke', async (source, channel: string, json: string) => {
      const senderFrame = { url: source.frame.url(), parent: source.frame.parentFrame() };
      return JSON.stringify(await register.invokeMain(channel, senderFrame, JSON.parse(json)));
    });
    await context.addInitScript({ content: preload });

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
    for (const event of EVENTS) {
      h.core.events.on(event, (payload: unknown) => {
        const checked = EVENT_SCHEMAS[event].safeParse(payload);
        if (!checked.success) {
          pageErrors.push(`core emitted ${event} outside the contract: ${checked.error.message}`);
          return;
        }
        if (outbox.length === 0) setImmediate(flush);
        outbox.push([event, checked.data]);
      });
    }

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
      core: h.core,
      handlers: h.core.handlers,
      sandbox,
      dataDir: h.dataDir,
      secretStore: h.store,
      saves,
      browser,
      context,
      page,
      external: h.external,
      logs: h.logs,
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
