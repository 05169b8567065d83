// Who owns each delegated profile (identity and account, from GET /identity/accounts), loaded once per session and shared.
import type { AppError } from '../../../shared/app-error';
import { err, ok, type Result } from '../../../shared/result';
import type { PaxosApi } from '../api/paxos-api';
import type { ProfileOwner } from '../api/wire';

export const READ_ACCOUNT_SCOPE = 'identity:read_account';

export type Owner = Pick<ProfileOwner, 'identityId' | 'accountId'>;

type OwnersState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly done: Promise<void> }
  | { readonly status: 'ready'; readonly byProfile: ReadonlyMap<string, Owner> }
  /** The operator did not grant `identity:read_account`: orders go without identity and account. */
  | { readonly status: 'not_granted' }
  | { readonly status: 'failed'; readonly error: AppError };

export interface ProfileOwners {
  /** Starts loading (once) unless the session's scopes show it is not granted. `onLoaded` runs when owners arrive. */
  load(signal: AbortSignal): Promise<void>;
  /** The owner if already known (for display); never starts a request. */
  known(profileId: string): Owner | undefined;
  /**
   * For an order: the owner (null when the scope is not granted or the profile has no identity account), loading first
   * if needed (once more if the listing it joined failed). A listing that failed for another reason is an error: the
   * order must not go out without its owner.
   */
  forOrder(profileId: string, signal: AbortSignal): Promise<Result<Owner | null, AppError>>;
  reset(): void;
}

export interface ProfileOwnersOptions {
  readonly api: PaxosApi;
  /** Scopes granted to the session (empty when unknown: then the server decides). */
  readonly scopes: () => readonly string[];
  readonly onLoaded: () => void;
}

export function createProfileOwners(options: ProfileOwnersOptions): ProfileOwners {
  let state: OwnersState = { status: 'idle' };
  let generation = 0;

  const granted = (): boolean => {
    const scopes = options.scopes();
    return scopes.length === 0 || scopes.includes(READ_ACCOUNT_SCOPE);
  };

  function load(signal: AbortSignal): Promise<void> {
    if (!granted()) {
      state = { status: 'not_granted' };
      return Promise.resolve();
    }
    if (state.status === 'loading') return state.done;
    if (state.status === 'ready') return Promise.resolve();
    const gen = generation;
    const done = (async () => {
      const res = await options.api.listProfileOwners(signal);
      if (gen !== generation) return;
      if (res.ok) {
        state = { status: 'ready', byProfile: new Map(res.value.map((o) => [o.profileId, { identityId: o.identityId, accountId: o.accountId }])) };
        options.onLoaded();
      } else if (res.error.error.code === 'forbidden_scope') {
        state = { status: 'not_granted' };
      } else {
        state = { status: 'failed', error: res.error.error };
      }
    })();
    state = { status: 'loading', done };
    return done;
  }

  return {
    load,
    known: (profileId) => (state.status === 'ready' ? state.byProfile.get(profileId) : undefined),
    async forOrder(profileId, signal) {
      if (state.status !== 'ready' && state.status !== 'not_granted') {
        const joined = state.status === 'loading';
        await load(signal);
        // A listing that was already under way may have failed for a reason that no longer holds (a token refused while
        // it was in flight): this order lists once more for itself before it is refused.
        if (joined && (state as OwnersState).status === 'failed' && !signal.aborted) await load(signal);
      }
      const now = state as OwnersState;
      if (now.status === 'ready') return ok(now.byProfile.get(profileId) ?? null);
      if (now.status === 'not_granted') return ok(null);
      if (now.status === 'failed') return err(now.error);
      return err({ code: 'cancelled', message: 'Loading who owns this profile was interrupted.' });
    },
    reset() {
      generation += 1;
      state = { status: 'idle' };
    },
  };
}
