// The one way tests and benchmarks build a real createCore: it records what the core opened, emitted and logged, from the start.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, type Core, type CoreOptions } from '../../electron/core/app-core';
import { createMemorySecretStore, type SecretStore } from '../../electron/core/auth/secret-store';
import { builtInEnvironments, parseEnvironmentsFile, type LoadedEnvironments } from '../../electron/core/config';
import type { AuthState, OrdersApi } from '../../shared/domain';
import { EVENTS, type EventName } from '../../shared/ipc-contract';
import type { Result } from '../../shared/result';
import type { Sandbox } from '../../sandbox/start';
import { authorizeOverHttp } from '../sandbox/auth/http-flow';

export const ENV = 'sandbox-local';
export const OPS = { email: 'ops@partner.test', password: 'sandbox' } as const;

/** The "system browser" behind CoreOptions.openExternal. */
export interface ExternalBrowser {
  /** Every URL the core asked the system browser to open, in order. */
  readonly urls: string[];
  /** The next URL opened (or one already opened and not yet taken). */
  next(timeoutMs?: number): Promise<string>;
}

export interface CoreHarness {
  readonly core: Core;
  readonly store: SecretStore;
  readonly dataDir: string;
  readonly external: ExternalBrowser;
  /** Same as external.urls. */
  readonly opened: string[];
  /** Every event the core emitted since it was built, in order. */
  readonly events: Array<[EventName, unknown]>;
  /** Every auth:changed state, in order. */
  readonly emitted: AuthState[];
  /** Every log line since the core was built. */
  readonly logs: string[];
  /** Closes the core; removes the data dir if the harness made it. */
  close(): Promise<void>;
}

export type CoreHarnessOptions = Partial<Pick<CoreOptions, 'signInTimeoutMs' | 'saveFile' | 'operationsTuning' | 'clock' | 'dispatcher'>> & {
  /** Default: the built-in environments, with "Local sandbox" pointing at the sandbox. */
  readonly environments?: LoadedEnvironments;
  /** Default: an in-memory keychain. */
  readonly store?: SecretStore;
  /** Default: a fresh temp dir (removed by close()). */
  readonly dataDir?: string;
};

function externalBrowser(): ExternalBrowser & { open(url: string): Promise<void> } {
  const urls: string[] = [];
  let taken = 0;
  const waiters: Array<() => void> = [];
  return {
    urls,
    async open(url) {
      urls.push(url);
      for (const wake of waiters.splice(0)) wake();
    },
    async next(timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (taken >= urls.length) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no URL was opened in the system browser within ${timeoutMs} ms`);
        await new Promise<void>((wake) => {
          const timer = setTimeout(wake, left);
          waiters.push(() => {
            clearTimeout(timer);
            wake();
          });
        });
      }
      return urls[taken++]!;
    },
  };
}

/** The sandbox as the app's "Local sandbox" sees it: its URLs, and the approval threshold its ready line reports. */
export type LocalSandboxOf = Pick<Sandbox, 'issuer' | 'api'> & Partial<Pick<Sandbox, 'approvalThreshold'>>;

function localOf(sandbox: LocalSandboxOf) {
  return { issuer: sandbox.issuer, api: sandbox.api, ...(sandbox.approvalThreshold !== undefined ? { approvalThreshold: sandbox.approvalThreshold } : {}) };
}

/**
 * The built-in environments with "Local sandbox" on `sandbox` and its orders going through `ordersApi`, set the way an
 * operator sets it: an environments.json `builtIns` entry (parsed by the real parser).
 */
export function sandboxEnvironments(sandbox: LocalSandboxOf, ordersApi: OrdersApi): LoadedEnvironments {
  const loaded = parseEnvironmentsFile(JSON.stringify({ environments: [], builtIns: { [ENV]: { ordersApi } } }), builtInEnvironments(localOf(sandbox)));
  if (loaded.issue) throw new Error(loaded.issue);
  return loaded;
}

export async function makeCore(sandbox: LocalSandboxOf | null, options: CoreHarnessOptions = {}): Promise<CoreHarness> {
  const { store = createMemorySecretStore(), dataDir: given, environments, ...extra } = options;
  const dataDir = given ?? (await mkdtemp(join(tmpdir(), 'pc-core-')));
  const external = externalBrowser();
  const events: Array<[EventName, unknown]> = [];
  const emitted: AuthState[] = [];
  const logs: string[] = [];
  const core = createCore({
    environments: environments ?? { environments: builtInEnvironments(sandbox ? localOf(sandbox) : undefined) },
    secretStore: store,
    dataDir,
    openExternal: external.open,
    log: (line) => logs.push(line),
    ...extra,
  });
  for (const name of EVENTS) core.events.on(name, (payload: unknown) => void events.push([name, payload]));
  core.events.on('auth:changed', (s) => emitted.push(s));
  return {
    core,
    store,
    dataDir,
    external,
    opened: external.urls,
    events,
    emitted,
    logs,
    async close() {
      await core.close();
      if (!given) await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A clock for CoreOptions.clock that runs with real time but can be moved ahead (token expiry without waiting for it). */
export interface TestClock {
  readonly now: () => number;
  advance(ms: number): void;
}

export function testClock(): TestClock {
  let offset = 0;
  return {
    now: () => Date.now() + offset,
    advance(ms) {
      offset += ms;
    },
  };
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
  const pending = h.core.handlers['auth:signIn']({ environment: ENV });
  const url = await h.external.next(15_000);
  return { pending, url };
}

export interface LoginOptions {
  readonly email?: string;
  readonly password?: string;
  /** Scopes to leave ticked on the consent page; default: all. */
  readonly scopes?: readonly string[];
  readonly deny?: boolean;
}

/**
 * The system browser's part of a sign-in, over plain HTTP: the sandbox's real sign-in and consent pages, answered as a
 * browser would (test/sandbox/auth/browser-flow.int.test.ts covers the same pages in Chromium). Returns the redirect.
 */
export function loginOverHttp(authorizeUrl: string, options: LoginOptions = {}): Promise<string> {
  return authorizeOverHttp(authorizeUrl, { email: options.email ?? OPS.email, password: options.password ?? OPS.password, ...(options.scopes ? { scopes: options.scopes } : {}), ...(options.deny ? { deny: true } : {}) });
}

/** A whole sign-in as ops@partner.test: log in and consent over HTTP, and hand the redirect to the intake as the OS would. */
export async function signIn(h: CoreHarness, options: LoginOptions = {}): Promise<Result<AuthState>> {
  const { pending, url } = await beginSignIn(h);
  h.core.handleDeepLink(await loginOverHttp(url, options));
  return pending;
}

/** The core's auth state as the renderer would read it. */
export async function authState(h: CoreHarness): Promise<AuthState> {
  const r = await h.core.handlers['auth:getState']({});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** One API call that needs a token (fresh balances of `profileId`): 'ok', or the error the operator would see. */
export async function freshBalances(h: CoreHarness, profileId: string): Promise<string> {
  const r = await h.core.handlers['accounts:getBalances']({ profileId, refresh: true });
  if (!r.ok) return `error:${r.error.code}`;
  // Our fetch succeeded unless it says error ('loading' = a newer background fetch of the same profile is under way).
  return r.value.status === 'error' ? `error:${r.value.message}` : 'ok';
}

/** Cores a test file makes, all closed by `closeAll()` (call it in afterEach). */
export function coreTracker(): { track(h: CoreHarness): CoreHarness; closeAll(): Promise<void> } {
  const cores: CoreHarness[] = [];
  return {
    track: (h) => (cores.push(h), h),
    closeAll: async () => void (await Promise.allSettled(cores.splice(0).map((h) => h.close()))),
  };
}
