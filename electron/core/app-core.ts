// createCore: builds the Electron-free main-process core from injected parts and returns the IPC contract's handlers.
import { appError } from '../../shared/app-error';
import type { Settings } from '../../shared/domain';
import type { Channel, ContractHandlers, Response } from '../../shared/ipc-contract';
import { err, ok, type Result } from '../../shared/result';
import { summarize, type LoadedEnvironments } from './config';
import { CoreEvents } from './events';
import { createSettingsStore } from './settings-store';

export interface CoreOptions {
  readonly environments: LoadedEnvironments;
  /** Where the journal, audit log and settings live. */
  readonly dataDir: string;
  /** Opens a URL in the system browser. */
  readonly openExternal: (url: string) => Promise<void>;
  readonly clock?: () => Date;
}

export interface Core {
  readonly handlers: ContractHandlers;
  readonly events: CoreEvents;
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

  async function setEnvironment(id: string): Promise<Result<Settings>> {
    if (!environments.some((e) => e.id === id)) return err(appError('invalid_request', `Unknown environment "${id}".`));
    const stored = await settingsStore.read();
    await settingsStore.write({ ...stored, environment: id });
    return ok(await currentSettings());
  }

  const handlers: ContractHandlers = {
    'auth:getState': async () => ok({ status: 'signedOut' }),
    'auth:signIn': notYet(),
    'auth:cancelSignIn': async () => ok({ status: 'signedOut' }),
    'auth:signOut': async () => ok({ status: 'signedOut' }),
    'accounts:listProfiles': notYet(),
    'accounts:getBalances': notYet(),
    'orders:submit': notYet(),
    'orders:list': notYet(),
    'orders:get': notYet(),
    'orders:cancel': notYet(),
    'activity:list': notYet(),
    'activity:exportCsv': notYet(),
    'settings:get': async () => ok(await currentSettings()),
    'settings:setEnvironment': async ({ environment }) => setEnvironment(environment),
  };

  return {
    handlers,
    events,
    async close() {
      events.removeAllListeners();
    },
  };
}
