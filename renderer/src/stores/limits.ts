// Request limits store: whether Paxos has locked this computer out (after a 429) and until when, per environment.
import { create } from 'zustand';
import type { LimitsState } from '../../../shared/domain';
import { call } from '../../ipc/client';

export interface LimitsStore {
  /** The latest state main reported, by environment id. */
  readonly byEnvironment: Readonly<Record<string, LimitsState>>;
  /** Asks main for the state of the environment in use (a window opened during a lockout learns of it). */
  load(): Promise<void>;
  apply(state: LimitsState): void;
  reset(): void;
}

export const useLimits = create<LimitsStore>()((set, get) => ({
  byEnvironment: {},
  async load() {
    const r = await call((b) => b.getLimits());
    if (r.ok) get().apply(r.value);
  },
  apply(state) {
    set({ byEnvironment: { ...get().byEnvironment, [state.environment]: state } });
  },
  reset() {
    set({ byEnvironment: {} });
  },
}));

/** The lockout of `environment` still running at `now`, if any. */
export function activeLockout(store: Pick<LimitsStore, 'byEnvironment'>, environment: string, now: number): Extract<LimitsState, { status: 'lockedOut' }> | null {
  const state = store.byEnvironment[environment];
  return state?.status === 'lockedOut' && Date.parse(state.until) > now ? state : null;
}
