// The render benchmark's app: the one desktop harness (test/support/desktop.ts: real preload, real register.ts, real core and
// sandbox) over a renderer built fresh into a temporary directory with renderer/vite.config.ts (so a concurrent rebuild of
// dist/ cannot pull files away mid-run), plus the plain (non-virtualized) list bundle served from the same origin.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import type { SandboxOptions } from '../../sandbox/start';
import { loginOverHttp } from '../../test/support/core-harness';
import { REPO_ROOT, startDesktop, type Desktop } from '../../test/support/desktop';

export { REPO_ROOT };
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

export interface AppPage extends Desktop {
  readonly cdp: CDPSession;
  readonly buildMs: number;
  /** The renderer build this page serves (another page may reuse it: `startAppPage({ rendererDir })`). */
  readonly rendererDir: string;
  /** Adds the plain (non-virtualized) list bundle to the page: window.__benchPlain. */
  loadPlainList(): Promise<void>;
  /** Opens index.html and signs in through the UI ("Continue in your browser"); the system browser's part runs over HTTP. */
  openAndSignIn(email: string, password: string): Promise<void>;
}

export async function startAppPage(options: { sandbox: SandboxOptions; viewport?: { width: number; height: number }; rendererDir?: string }): Promise<AppPage> {
  const work = await mkdtemp(join(tmpdir(), 'pc-bench-render-'));
  try {
    const rendererDir = options.rendererDir ?? join(work, 'renderer');
    const plainListFile = join(work, 'plain-list.js');
    const [buildMs] = await Promise.all([options.rendererDir ? Promise.resolve(0) : buildRenderer(rendererDir), bundlePlainList(plainListFile)]);
    const desktop = await startDesktop({ sandbox: options.sandbox, rendererDir, extraFiles: { [PLAIN_LIST_PATH]: plainListFile }, ...(options.viewport ? { viewport: options.viewport } : {}) });
    const { page } = desktop;
    const cdp = await desktop.context.newCDPSession(page);
    return {
      ...desktop,
      cdp,
      buildMs,
      rendererDir,
      async loadPlainList() {
        await page.addScriptTag({ url: `${desktop.origin}${PLAIN_LIST_PATH}` });
        await pollPage(page, 'typeof window.__benchPlain === "object"', 10_000);
      },
      async openAndSignIn(email, password) {
        await page.goto(`${desktop.origin}/index.html`);
        await page.getByRole('button', { name: 'Continue in your browser' }).click({ timeout: 15_000 });
        const redirect = await loginOverHttp(await desktop.external.next(15_000), { email, password });
        if (!desktop.core.handleDeepLink(redirect)) throw new Error('the core refused the redirect');
        await page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor({ timeout: 15_000 });
      },
      async close() {
        await desktop.close();
        await rm(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(work, { recursive: true, force: true });
    throw error;
  }
}
