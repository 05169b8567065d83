// Auth store: the session as main reports it (signedOut | signingIn | signedIn), plus sign-in, cancel and sign-out actions.
import { create } from 'zustand';
import type { AppError } from '../../../shared/app-error';
import type { AuthState } from '../../../shared/domain';
import type { Result } from '../../../shared/result';
import { call } from '../../ipc/client';
import { failed, idle, loading, ready, valueOf, type Async } from '../lib/async';

export type AuthAction = 'signIn' | 'cancel' | 'signOut';

export interface AuthStore {
  readonly state: Async<AuthState>;
  /** The action waiting for main's answer, if any. */
  readonly pending: AuthAction | null;
  /** Why the last action failed, in AppError form; cleared by the next action or a successful sign-in. */
  readonly error: AppError | null;
  load(): Promise<void>;
  signIn(environment: string): Promise<void>;
  cancelSignIn(): Promise<void>;
  signOut(): Promise<void>;
  /** Applies a state pushed by main (auth:changed). */
  apply(next: AuthState): void;
}

export const useAuth = create<AuthStore>()((set, get) => {
  async function act(action: AuthAction, run: () => Promise<Result<AuthState>>): Promise<void> {
    set({ pending: action, error: null });
    const r = await run();
    if (r.ok) get().apply(r.value);
    set({ pending: null, error: r.ok ? null : r.error });
  }

  return {
    state: idle,
    pending: null,
    error: null,

    async load() {
      set({ state: loading(valueOf(get().state)) });
      const r = await call((b) => b.getAuthState());
      set({ state: r.ok ? ready(r.value) : failed(r.error, valueOf(get().state)) });
    },

    signIn: (environment) => act('signIn', () => call((b) => b.signIn({ environment }))),
    cancelSignIn: () => act('cancel', () => call((b) => b.cancelSignIn())),
    signOut: () => act('signOut', () => call((b) => b.signOut())),

    apply(next) {
      set({ state: ready(next), ...(next.status === 'signedIn' ? { error: null } : {}) });
    },
  };
});

/** The signed-in session, or undefined. */
export function signedIn(state: Async<AuthState>): Extract<AuthState, { status: 'signedIn' }> | undefined {
  const value = valueOf(state);
  return value?.status === 'signedIn' ? value : undefined;
}
