// A real createCore against a running sandbox for integration tests, recording what it opened, emitted and logged.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app-core';
import { createMemorySecretStore, type SecretStore } from '../../electron/core/auth/secret-store';
import { builtInEnvironments } from '../../electron/core/config';
import type { AuthState } from '../../shared/domain';
import type { Result } from '../../shared/result';
import type { Sandbox } from '../../sandbox/start';
import { loginAndConsent } from './browser';

export const ENV = 'sandbox-local';

export interface CoreHarness {
  readonly core: Core;
  readonly store: SecretStore;
  readonly dataDir: string;
  /** Authorize URLs the core asked the "system browser" to open. */
  readonly opened: string[];
  /** Every auth:changed state, in order. */
  readonly emitted: AuthState[];
  readonly logs: string[];
}

export type CoreHarnessOptions = Partial<Pick<CoreOptions, 'signInTimeoutMs' | 'saveFile' | 'operationsTuning' | 'dispatcher' | 'clock'>> & {
  readonly store?: SecretStore;
  readonly dataDir?: string;
};

export async function makeCore(sandbox: Pick<Sandbox, 'issuer' | 'api'>, options: CoreHarnessOptions = {}): Promise<CoreHarness> {
  const { store = createMemorySecretStore(), dataDir = await mkdtemp(join(tmpdir(), 'pc-core-')), ...extra } = options;
  const opened: string[] = [];
  const emitted: AuthState[] = [];
  const logs: string[] = [];
  const core = createCore({
    environments: { environments: builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api }) },
    secretStore: store,
    dataDir,
    openExternal: async (url) => void opened.push(url),
    log: (line) => logs.push(line),
    ...extra,
  });
  core.events.on('auth:changed', (s) => emitted.push(s));
  return { core, store, dataDir, opened, emitted, logs };
}

/** Polls `fn` every 20 ms until it returns something other than undefined. */
export async function until<T>(fn: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a sign-in and returns the pending promise plus the authorize URL handed to the browser. */
export async function beginSignIn(h: CoreHarness): Promise<{ pending: Promise<Result<AuthState>>; url: string }> {
  const before = h.opened.length;
  const pending = h.core.handlers['auth:signIn']({ environment: ENV });
  const url = await until(() => h.opened[before]);
  return { pending, url };
}

/** A whole sign-in as ops@partner.test: the browser logs in and consents, and its redirect is handed to the intake like the OS would. */
export async function signInThroughBrowser(h: CoreHarness, context: BrowserContext, opts: { scopes?: string[]; deny?: boolean } = {}): Promise<Result<AuthState>> {
  const { pending, url } = await beginSignIn(h);
  const redirect = await loginAndConsent(context, url, { email: 'ops@partner.test', password: 'sandbox', ...opts });
  h.core.handleDeepLink(redirect);
  return pending;
}
