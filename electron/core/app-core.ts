// createCore: builds the Electron-free main-process core from injected parts and returns the IPC contract's handlers.
import type { Dispatcher } from 'undici';
import { appError } from '../../shared/app-error';
import type { RedirectMode, Settings } from '../../shared/domain';
import type { Channel, ContractHandlers, Response } from '../../shared/ipc-contract';
import { err, ok, type Result } from '../../shared/result';
import { createAuthService, type AuthService } from './auth/auth-service';
import type { SecretStore } from './auth/secret-store';
import { summarize, type LoadedEnvironments } from './config';
import { CoreEvents } from './events';
import { createSettingsStore } from './settings-store';

export interface CoreOptions {
  readonly environments: LoadedEnvironments;
  /** The OS keychain (token-vault.ts) in the app; an in-memory store in unit tests. */
  readonly secretStore: SecretStore;
  /** Where the journal, audit log and settings live. */
  readonly dataDir: string;
  /** Opens a URL in the system browser. */
  readonly openExternal: (url: string) => Promise<void>;
  /** Milliseconds since the epoch. */
  readonly clock?: () => number;
  /** undici dispatcher for every HTTP request the core makes (proxy, pools, tests). */
  readonly dispatcher?: Dispatcher;
  readonly signInTimeoutMs?: number;
  /** Log sink: lines never contain tokens or raw links. */
  readonly log?: (line: string) => void;
}

export interface Core {
  readonly handlers: ContractHandlers;
  readonly events: CoreEvents;
  /** Deep-link intake (argv on Windows/Linux, open-url on macOS, the loopback listener). */
  handleDeepLink(url: string): boolean;
  /** Restores the session saved for the selected environment, if any. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Channels whose capability is not built yet answer with a clear, typed error instead of pretending. */
function notYet<C extends Channel>(): () => Promise<Response<C>> {
  return async () => err(appError('unavailable', 'This part of Partner Console is not available in this build yet.'));
}

export function createCore(options: CoreOptions): Core {
  const events = new CoreEvents();
  const settingsStore = createSettingsStore(options.dataDir);
  const { environments, issue } = options.environments;
  const now = options.clock ?? Date.now;
  const log = options.log ?? (() => undefined);

  const auth: AuthService = createAuthService({
    environments,
    store: options.secretStore,
    openExternal: options.openExternal,
    now,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.signInTimeoutMs ? { signInTimeoutMs: options.signInTimeoutMs } : {}),
    log,
    onChange: (state) => events.emit('auth:changed', state),
  });

  async function currentSettings(): Promise<Settings> {
    const stored = await settingsStore.read();
    const environment = environments.some((e) => e.id === stored.environment) ? stored.environment! : environments[0]!.id;
    return {
      environment,
      environments: environments.map(summarize),
      redirect: stored.redirect ?? 'custom-scheme',
      ...(issue ? { configIssue: issue } : {}),
    };
  }

  async function setEnvironment(id: string, redirect: RedirectMode | undefined): Promise<Result<Settings>> {
    if (!environments.some((e) => e.id === id)) return err(appError('invalid_request', `Unknown environment "${id}".`));
    const stored = await settingsStore.read();
    await settingsStore.write({ ...stored, environment: id, ...(redirect ? { redirect } : {}) });
    return ok(await currentSettings());
  }

  const handlers: ContractHandlers = {
    'auth:getState': async () => ok(auth.state()),
    'auth:signIn': async ({ environment }) => {
      const settings = await currentSettings();
      if (environment !== settings.environment) {
        const changed = await setEnvironment(environment, undefined);
        if (!changed.ok) return changed;
      }
      return auth.signIn(environment, settings.redirect);
    },
    'auth:cancelSignIn': async () => ok(auth.cancel()),
    'auth:signOut': async () => ok(await auth.signOut()),
    'accounts:listProfiles': notYet(),
    'accounts:getBalances': notYet(),
    'orders:submit': notYet(),
    'orders:list': notYet(),
    'orders:get': notYet(),
    'orders:cancel': notYet(),
    'activity:list': notYet(),
    'activity:exportCsv': notYet(),
    'settings:get': async () => ok(await currentSettings()),
    'settings:setEnvironment': async ({ environment, redirect }) => setEnvironment(environment, redirect),
  };

  return {
    handlers,
    events,
    handleDeepLink: (url) => auth.handleRedirect(url),
    async start() {
      await auth.restore((await currentSettings()).environment);
    },
    async close() {
      await auth.close();
      events.removeAllListeners();
    },
  };
}
