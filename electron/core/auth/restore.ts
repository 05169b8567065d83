// Restores the session saved in the keychain, re-checking after every await whether a sign-in, sign-out or close superseded it.
import { describeOAuthFailure, type OAuthClient, type TokenSet } from './oauth-client';
import { deleteIfUnchanged, KeychainUnavailableError, replaceIfUnchanged, type SecretStore } from './secret-store';
import type { Session, SessionIdentity } from './session';

/** What ended a restore before it could take effect. */
export type Supersession = 'sign-in' | 'sign-out' | 'close';

export interface RestoreRun {
  /** Set (once) by the auth service when something else took over; the restore then changes no state. */
  superseded: Supersession | null;
}

export interface RestoreDeps {
  readonly store: SecretStore;
  readonly client: OAuthClient;
  /** Keychain service of the environment. */
  readonly service: string;
  readonly log: (line: string) => void;
  /** A session object for the restored identity (it becomes live only if the auth service adopts it). */
  newSession(identity: SessionIdentity): Session;
}

export type RestoreOutcome =
  /** Nothing saved, or the keychain could not be read: the state stays as it is. */
  | { readonly kind: 'nothing' }
  | { readonly kind: 'signedIn'; readonly session: Session }
  | { readonly kind: 'signedOut'; readonly reason: string }
  /** Something else took over; the saved session was kept (sign-in, close) or revoked and removed (sign-out). */
  | { readonly kind: 'superseded' };

const EXPIRED = 'Your saved session expired or was revoked. Sign in again.';

/**
 * A restore that lost to a sign-in or a close keeps the saved session (with its rotated token) for next time, unless the
 * keychain entry changed meanwhile (then the rotated token, which nobody holds, is revoked). One that lost to a sign-out
 * revokes the token and removes the entry. `stored` is what the keychain holds if nobody else wrote, `live` the valid token.
 */
async function abandon(by: Supersession, deps: RestoreDeps, subject: string, stored: string, live: string): Promise<RestoreOutcome> {
  const { store, client, service } = deps;
  if (by === 'sign-out') {
    await client.revoke(live).catch(() => undefined);
    await deleteIfUnchanged(store, service, subject, stored);
  } else if (stored !== live && !(await replaceIfUnchanged(store, service, subject, stored, live))) {
    await client.revoke(live).catch(() => undefined);
  }
  return { kind: 'superseded' };
}

export async function restoreSaved(run: RestoreRun, deps: RestoreDeps): Promise<RestoreOutcome> {
  const { store, client, service, log } = deps;
  let subject: string | undefined;
  let saved: string | null;
  try {
    subject = (await store.accounts(service))[0];
    saved = subject ? await store.get(service, subject) : null;
  } catch (e) {
    log(`auth: keychain unavailable on restore (${e instanceof KeychainUnavailableError ? 'unavailable' : 'error'})`);
    return { kind: 'nothing' };
  }
  if (!subject || !saved) return { kind: 'nothing' };
  if (run.superseded) return abandon(run.superseded, deps, subject, saved, saved);

  let tokens: TokenSet;
  try {
    tokens = await client.refresh(saved, AbortSignal.timeout(30_000));
  } catch (e) {
    const failure = describeOAuthFailure(e);
    if (failure.code === 'session_expired') {
      await deleteIfUnchanged(store, service, subject, saved); // never the token of a session created meanwhile
      return run.superseded ? { kind: 'superseded' } : { kind: 'signedOut', reason: EXPIRED };
    }
    if (run.superseded) return abandon(run.superseded, deps, subject, saved, saved);
    return { kind: 'signedOut', reason: failure.message }; // kept: the next start tries again
  }
  const live = tokens.refreshToken ?? saved;
  if (run.superseded) return abandon(run.superseded, deps, subject, saved, live);
  if (tokens.claims?.sub !== undefined && tokens.claims.sub !== subject) {
    // The keychain entry names another operator than the grant: never switch identity on its word.
    await client.revoke(live).catch(() => undefined);
    await deleteIfUnchanged(store, service, subject, saved);
    return { kind: 'signedOut', reason: EXPIRED };
  }
  const session = deps.newSession({ subject, email: tokens.claims?.email ?? '', name: tokens.claims?.name ?? tokens.claims?.email ?? '' });
  await session.adopt({ ...tokens, refreshToken: live }); // the rotated token replaces the saved one before it is used
  if (run.superseded) return abandon(run.superseded, deps, subject, live, live);
  return { kind: 'signedIn', session };
}
