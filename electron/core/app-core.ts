// createCore: builds the Electron-free main-process core from injected parts and returns the IPC contract's handlers.
import type { Dispatcher } from 'undici';
import { appError } from '../../shared/app-error';
import type { LimitsState, RedirectMode, Settings } from '../../shared/domain';
import type { ContractHandlers } from '../../shared/ipc-contract';
import { err, ok, type Result } from '../../shared/result';
import { createBudgets } from './api/budgets';
import { realScheduler, type BudgetState } from './api/request-budget';
import { createAuthService, type AuthService } from './auth/auth-service';
import type { SecretStore } from './auth/secret-store';
import { summarize, type Environment, type LoadedEnvironments } from './config';
import { CoreEvents } from './events';
import { OPERATIONS_CHANNELS, type Operations, type OperationsHandlers, type OperationsTuning } from './operations';
import { createOperationsHost } from './operations-host';
import { createSettingsStore } from './settings-store';

/** Where the operator chose to save an export; `null` when they cancelled the dialog. */
export type SaveFile = (suggestedName: string, contents: string) => Promise<{ path: string } | null>;

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
  /** Asks the operator where to save a file and writes it there (a save dialog in the app). */
  readonly saveFile?: SaveFile;
  /** Retry, polling and fan-out knobs for tests and benchmarks; production uses the defaults. */
  readonly operationsTuning?: OperationsTuning;
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

export function createCore(options: CoreOptions): Core {
  const events = new CoreEvents();
  const settingsStore = createSettingsStore(options.dataDir);
  const { environments, issue } = options.environments;
  const now = options.clock ?? Date.now;
  const log = options.log ?? (() => undefined);
  const limitsState = (environment: string, state: BudgetState): LimitsState =>
    state.status === 'lockedOut'
      ? { status: 'lockedOut', environment, since: new Date(state.since).toISOString(), until: new Date(state.until).toISOString() }
      : { status: 'open', environment };
  // One request budget per environment, shared by its API calls and its token requests; a lockout is the operator's to know.
  const budgets = createBudgets({
    scheduler: { now, setTimeout: realScheduler.setTimeout },
    onChange: (environment, state) => {
      if (state.status === 'lockedOut') log(`limits: ${environment} locked out after HTTP 429 until ${new Date(state.until).toISOString()}`);
      events.emit('limits:changed', limitsState(environment, state));
    },
  });
  const host = createOperationsHost({
    dataDir: options.dataDir,
    events,
    now,
    log,
    budgetFor: budgets.forEnvironment,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.operationsTuning ? { tuning: options.operationsTuning } : {}),
  });

  const auth: AuthService = createAuthService({
    environments,
    store: options.secretStore,
    openExternal: options.openExternal,
    now,
    budgetFor: budgets.forEnvironment,
    ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
    ...(options.signInTimeoutMs ? { signInTimeoutMs: options.signInTimeoutMs } : {}),
    log,
    onChange: (state, session, environment) => {
      host.onAuthChange(state, session, environment);
      events.emit('auth:changed', state);
    },
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

  async function writeSelected(id: string, redirect: RedirectMode | undefined): Promise<void> {
    await settingsStore.update({ environment: id, ...(redirect ? { redirect } : {}) });
  }

  /** Chooses the environment (and redirect mode). Switching environments is refused while signed in or signing in elsewhere. */
  async function setEnvironment(id: string, redirect: RedirectMode | undefined): Promise<Result<Settings>> {
    if (!environments.some((e) => e.id === id)) return err(appError('invalid_request', `Unknown environment "${id}".`));
    const state = auth.state();
    if ((state.status === 'signedIn' || state.status === 'signingIn') && state.environment !== id) {
      const what = state.status === 'signedIn' ? 'You are signed in to another environment. Sign out first to switch.' : 'A sign-in to another environment is waiting. Cancel it first.';
      return err(appError('conflict', what));
    }
    await writeSelected(id, redirect);
    return ok(await currentSettings());
  }

  /** The signed-in environment's operations, else the selected environment's (whose calls then answer `signed_out`). */
  async function operations(): Promise<Operations> {
    const selected = (await currentSettings()).environment;
    const env: Environment = host.signedInEnvironment() ?? environments.find((e) => e.id === selected) ?? environments[0]!;
    return host.activate(env);
  }

  async function exportActivity(): Promise<Result<{ status: 'saved'; path: string; rows: number } | { status: 'cancelled' }>> {
    if (!options.saveFile) return err(appError('unavailable', 'Saving files is not available here.'));
    const { text, rows } = await (await operations()).exportCsv();
    const stamp = new Date(now()).toISOString().slice(0, 10);
    try {
      const saved = await options.saveFile(`partner-console-activity-${stamp}.csv`, text);
      return ok(saved ? { status: 'saved', path: saved.path, rows } : { status: 'cancelled' });
    } catch (e) {
      const reason = e instanceof Error && 'code' in e ? ` (${String(e.code)})` : '';
      return err(appError('storage', `The activity log could not be saved${reason}. Choose another folder and try again.`));
    }
  }

  /** Accounts, orders and the activity log: each call goes to the operations of the environment in use at that moment. */
  const forwardedToOperations = Object.fromEntries(
    OPERATIONS_CHANNELS.map((channel) => [channel, async (request: unknown) => ((await operations()).handlers[channel] as (r: unknown) => Promise<unknown>)(request)]),
  ) as OperationsHandlers;

  const handlers: ContractHandlers = {
    'auth:getState': async () => ok(auth.state()),
    'auth:signIn': async ({ environment }) => {
      const now = auth.state();
      // While an attempt is pending (or signed in) the call joins or is refused at once, with nothing read or changed first.
      const settings = now.status === 'signedOut' ? await currentSettings() : null;
      const redirect = now.status === 'signingIn' ? now.redirect : (settings?.redirect ?? 'custom-scheme');
      let started = false;
      const result = await auth.signIn(environment, redirect, {
        prepare: async () => {
          started = true; // only a started attempt selects its environment
          const selected = settings ?? (await currentSettings());
          if (environment !== selected.environment) await writeSelected(environment, undefined);
        },
      });
      if (started && !result.ok && result.error.code !== 'cancelled') {
        const env = environments.find((e) => e.id === environment);
        if (env) void host.activate(env).recordAudit({ action: 'sign_in', outcome: 'error', summary: result.error.message, environment });
      }
      return result;
    },
    'auth:cancelSignIn': async () => ok(auth.cancel()),
    'auth:signOut': async () => ok(await auth.signOut()),
    ...forwardedToOperations,
    'activity:exportCsv': exportActivity,
    'limits:get': async () => {
      const environment = host.signedInEnvironment()?.id ?? (await currentSettings()).environment;
      return ok(limitsState(environment, budgets.stateOf(environment)));
    },
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
      await host.close();
      budgets.close();
      events.removeAllListeners();
    },
  };
}
