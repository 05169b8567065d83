// SessionTokens: one AccessTokenSource that forwards to whichever session is signed in now, so the API client outlives sign-in and sign-out.
import { appError } from '../../../shared/app-error';
import { AuthUnavailableError, type AccessTokenSource } from './access-token';
import type { Session } from './session';

export interface SessionTokens extends AccessTokenSource {
  /** Points the source at the new session (null when signed out). */
  use(session: Session | null): void;
}

export function createSessionTokens(): SessionTokens {
  let current: Session | null = null;
  // While signed out nothing is in flight to cancel; a call made now fails fast with `signed_out` from getAccessToken.
  const idle = new AbortController().signal;
  const signedOut = () => new AuthUnavailableError(appError('signed_out', 'You are signed out. Sign in to continue.'));

  return {
    use(session) {
      current = session;
    },
    async getAccessToken() {
      if (!current) throw signedOut();
      return current.getAccessToken();
    },
    async refreshAfterUnauthorized(staleToken) {
      if (!current) throw signedOut();
      return current.refreshAfterUnauthorized(staleToken);
    },
    get signal() {
      return current?.signal ?? idle;
    },
    scopes: () => current?.scopes() ?? [],
    operator: () => current?.operator() ?? null,
  };
}
