// What the API client needs from the session: a current access token, a single-flight refresh after a 401, and sign-out cancellation.
import type { AppError } from '../../../shared/app-error';

export interface AccessTokenSource {
  /** A valid access token, refreshed first if it expires within the refresh margin. Throws AuthUnavailableError when signed out. */
  getAccessToken(): Promise<string>;
  /**
   * Called after the server answered 401 to `staleToken`. Refreshes once for all concurrent callers (single-flight);
   * if a newer token already exists, returns it without another refresh. Throws AuthUnavailableError if refresh fails.
   */
  refreshAfterUnauthorized(staleToken: string): Promise<string>;
  /** Aborted when the operator signs out (or the session ends): every request in flight must stop. */
  readonly signal: AbortSignal;
  /** Scopes granted to the current session. */
  scopes(): readonly string[];
  /** The signed-in operator (subject and e-mail), for the audit log. */
  operator(): { subject: string; email: string } | null;
}

/** Thrown by an AccessTokenSource when there is no usable session; carries the AppError to report. */
export class AuthUnavailableError extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'AuthUnavailableError';
  }
}
