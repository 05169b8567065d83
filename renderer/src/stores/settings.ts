// Settings store: the environments the core knows, the chosen one, and saving a new choice through settings:setEnvironment.
import { create } from 'zustand';
import type { AppError } from '../../../shared/app-error';
import type { EnvironmentSummary, RedirectMode, Settings } from '../../../shared/domain';
import { call } from '../../ipc/client';
import { failed, idle, loading, ready, valueOf, type Async } from '../lib/async';
import { signedIn, useAuth } from './auth';

export interface SettingsStore {
  readonly settings: Async<Settings>;
  /** Environment id being saved, if any. */
  readonly saving: string | null;
  readonly saveError: AppError | null;
  /** Redirect mode being saved, shown at once so the control does not lag behind the click. */
  readonly savingRedirect: RedirectMode | null;
  load(): Promise<void>;
  setEnvironment(environment: string): Promise<void>;
  /** How the browser hands the sign-in back: the app's link (default) or a one-time local address (127.0.0.1). */
  setRedirect(redirect: RedirectMode): Promise<void>;
}

export const useSettings = create<SettingsStore>()((set, get) => ({
  settings: idle,
  saving: null,
  saveError: null,
  savingRedirect: null,

  async load() {
    set({ settings: loading(valueOf(get().settings)) });
    const r = await call((b) => b.getSettings());
    set({ settings: r.ok ? ready(r.value) : failed(r.error, valueOf(get().settings)) });
  },

  async setEnvironment(environment) {
    set({ saving: environment, saveError: null });
    const r = await call((b) => b.setEnvironment({ environment }));
    if (r.ok) set({ settings: ready(r.value), saving: null });
    else set({ saving: null, saveError: r.error });
  },

  async setRedirect(redirect) {
    const current = valueOf(get().settings);
    if (!current) return;
    set({ saving: current.environment, savingRedirect: redirect, saveError: null });
    const r = await call((b) => b.setEnvironment({ environment: current.environment, redirect }));
    if (r.ok) set({ settings: ready(r.value), saving: null, savingRedirect: null });
    else set({ saving: null, savingRedirect: null, saveError: r.error });
  },
}));

/** Label of an environment id, falling back to the id itself. */
export function environmentLabel(settings: Settings | undefined, id: string): string {
  return settings?.environments.find((e) => e.id === id)?.label ?? id;
}

/** The environment in use: the signed-in one, else the one selected (undefined until the settings have loaded). */
export function useEnvironment(): EnvironmentSummary | undefined {
  const settings = valueOf(useSettings((s) => s.settings));
  const session = signedIn(useAuth((s) => s.state));
  const id = session?.environment ?? settings?.environment;
  return settings?.environments.find((e) => e.id === id);
}
