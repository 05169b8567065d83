// Sign-in orchestration: one pending PKCE attempt at a time, redirect intake, timeout/cancel, restore from keychain, sign-out.
import type { Dispatcher } from 'undici';
import { appError } from '../../../shared/app-error';
import type { AuthState, RedirectMode } from '../../../shared/domain';
import { err, ok, type Result } from '../../../shared/result';
import { APP_ID, CUSTOM_SCHEME_REDIRECT, type Environment } from '../config';
import { startLoopbackListener, type LoopbackListener } from './loopback';
import { createOAuthClient, describeOAuthFailure, type AuthorizationRequest, type OAuthClient } from './oauth-client';
import { checkRedirect } from './redirect';
import { KeychainUnavailableError, type SecretStore } from './secret-store';
import { createSession, type Session } from './session';

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface AuthServiceOptions {
  readonly environments: readonly Environment[];
  readonly store: SecretStore;
  readonly openExternal: (url: string) => Promise<void>;
  readonly now: () => number;
  readonly dispatcher?: Dispatcher;
  readonly signInTimeoutMs?: number;
  /** Called on every state change (the core emits `auth:changed` and starts/stops operations). */
  readonly onChange: (state: AuthState, session: Session | null, environment: Environment | null) => void;
  readonly log: (line: string) => void;
}

interface Attempt {
  readonly environment: Environment;
  readonly request: AuthorizationRequest;
  readonly startedAt: number;
  readonly redirect: RedirectMode;
  readonly loopback: LoopbackListener | undefined;
  readonly finish: (outcome: Result<URLSearchParams>) => void;
  readonly outcome: Promise<Result<URLSearchParams>>;
}

type Internal =
  | { readonly kind: 'signedOut'; readonly reason?: string }
  | { readonly kind: 'signingIn'; readonly attempt: Attempt }
  | { readonly kind: 'signedIn'; readonly environment: Environment; readonly session: Session };

export const serviceName = (environment: string) => `${APP_ID}/${environment}`;

export interface AuthService {
  state(): AuthState;
  signIn(environmentId: string, redirect: RedirectMode): Promise<Result<AuthState>>;
  cancel(): AuthState;
  signOut(): Promise<AuthState>;
  /** Deep-link intake: true if the link completed the pending attempt; junk is dropped and logged by reason. */
  handleRedirect(url: string): boolean;
  /** Restores a session for `environmentId` from the keychain, if one is stored. */
  restore(environmentId: string): Promise<AuthState>;
  close(): Promise<void>;
}

export function createAuthService(options: AuthServiceOptions): AuthService {
  const clients = new Map<string, OAuthClient>();
  let current: Internal = { kind: 'signedOut' };
  const timeoutMs = options.signInTimeoutMs ?? SIGN_IN_TIMEOUT_MS;

  const client = (env: Environment) => {
    let c = clients.get(env.id);
    if (!c) {
      c = createOAuthClient(env, { now: options.now, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) });
      clients.set(env.id, c);
    }
    return c;
  };

  function publicState(): AuthState {
    switch (current.kind) {
      case 'signedOut':
        return current.reason ? { status: 'signedOut', reason: current.reason } : { status: 'signedOut' };
      case 'signingIn':
        return { status: 'signingIn', environment: current.attempt.environment.id, startedAt: new Date(current.attempt.startedAt).toISOString(), redirect: current.attempt.redirect };
      case 'signedIn': {
        const { session, environment } = current;
        const persisted = session.persisted();
        return {
          status: 'signedIn',
          subject: session.identity.subject,
          name: session.identity.name,
          email: session.identity.email,
          scopes: [...session.scopes()],
          environment: environment.id,
          expiresAt: new Date(session.expiresAt()).toISOString(),
          persisted: persisted.ok,
          ...(persisted.ok ? {} : { persistenceIssue: persisted.reason }),
        };
      }
    }
  }

  function set(next: Internal): AuthState {
    current = next;
    const state = publicState();
    options.onChange(state, next.kind === 'signedIn' ? next.session : null, next.kind === 'signedIn' ? next.environment : null);
    return state;
  }

  function endAttempt(attempt: Attempt, outcome: Result<URLSearchParams>) {
    attempt.finish(outcome);
    void attempt.loopback?.close();
  }

  function newSession(env: Environment, identity: { subject: string; email: string; name: string }): Session {
    const session: Session = createSession({
      oauth: client(env),
      store: options.store,
      service: serviceName(env.id),
      identity,
      now: options.now,
      onExpired: (reason) => {
        if (current.kind === 'signedIn' && current.session === session) set({ kind: 'signedOut', reason });
      },
      onChanged: () => {
        if (current.kind === 'signedIn' && current.session === session) set(current);
      },
    });
    return session;
  }

  async function signIn(environmentId: string, redirect: RedirectMode): Promise<Result<AuthState>> {
    const env = options.environments.find((e) => e.id === environmentId);
    if (!env) return err(appError('invalid_request', `Unknown environment "${environmentId}".`));
    if (current.kind === 'signedIn') return err(appError('conflict', 'You are already signed in. Sign out first.'));
    if (current.kind === 'signingIn') endAttempt(current.attempt, err(appError('cancelled', 'A newer sign-in replaced this one.')));

    let loopback: LoopbackListener | undefined;
    let request: AuthorizationRequest;
    try {
      loopback = redirect === 'loopback' ? await startLoopbackListener() : undefined;
      request = await client(env).buildAuthorizationRequest(loopback?.redirectUri ?? CUSTOM_SCHEME_REDIRECT);
    } catch (e) {
      void loopback?.close();
      const failure = describeOAuthFailure(e);
      set({ kind: 'signedOut', reason: failure.message });
      return err(appError(failure.code === 'timeout' ? 'timeout' : 'network', failure.message, { retryable: true }));
    }
    let finish!: (o: Result<URLSearchParams>) => void;
    const outcome = new Promise<Result<URLSearchParams>>((resolve) => {
      finish = resolve;
    });
    const attempt: Attempt = { environment: env, request, startedAt: options.now(), redirect, loopback, finish, outcome };
    set({ kind: 'signingIn', attempt });
    const timer = setTimeout(() => endAttempt(attempt, err(appError('timeout', 'Sign-in timed out: nothing came back from the browser within 5 minutes.'))), timeoutMs);
    timer.unref?.();
    loopback?.callback.then((url) => handleRedirect(url));
    try {
      await options.openExternal(request.url);
    } catch {
      endAttempt(attempt, err(appError('sign_in_failed', 'Could not open the system browser.')));
    }

    const result = await outcome;
    clearTimeout(timer);
    if (!(current.kind === 'signingIn' && current.attempt === attempt)) {
      return result.ok ? ok(publicState()) : err(result.error); // superseded or cancelled: state already moved on
    }
    if (!result.ok) {
      set({ kind: 'signedOut', reason: result.error.message });
      return err(result.error);
    }
    try {
      const tokens = await client(env).exchangeCode(result.value, request, AbortSignal.timeout(30_000));
      const identity = { subject: tokens.claims?.sub ?? 'unknown', email: tokens.claims?.email ?? '', name: tokens.claims?.name ?? tokens.claims?.email ?? '' };
      const session = newSession(env, identity);
      await session.adopt(tokens);
      if (!tokens.refreshToken) options.log('auth: no refresh token was issued; the session ends when the access token expires');
      return ok(set({ kind: 'signedIn', environment: env, session }));
    } catch (e) {
      const failure = describeOAuthFailure(e);
      options.log(`auth: sign-in failed (${failure.code})`);
      set({ kind: 'signedOut', reason: failure.message });
      return err(appError(failure.code === 'session_expired' ? 'sign_in_failed' : failure.code, failure.message));
    }
  }

  function handleRedirect(url: string): boolean {
    const pending = current.kind === 'signingIn' ? current.attempt : null;
    const check = checkRedirect(url, pending ? { redirectUri: pending.request.redirectUri, state: pending.request.state } : null);
    if (check.kind === 'ignored' || !pending) {
      options.log(`auth: dropped a redirect link (${check.kind === 'ignored' ? check.reason : 'no attempt'})`);
      return false;
    }
    const error = check.params.get('error');
    if (error === 'access_denied') endAttempt(pending, err(appError('access_denied', 'Access was denied in the browser, so you are not signed in.')));
    else endAttempt(pending, ok(check.params)); // other errors and iss/code checks happen in exchangeCode (oauth4webapi)
    return true;
  }

  return {
    state: publicState,
    signIn,
    handleRedirect,
    cancel() {
      if (current.kind !== 'signingIn') return publicState();
      const attempt = current.attempt;
      const state = set({ kind: 'signedOut', reason: 'Sign-in was cancelled.' });
      endAttempt(attempt, err(appError('cancelled', 'Sign-in was cancelled.')));
      return state;
    },
    async signOut() {
      if (current.kind === 'signingIn') endAttempt(current.attempt, err(appError('cancelled', 'Signed out.')));
      if (current.kind === 'signedIn') {
        const { session } = current;
        set({ kind: 'signedOut' });
        await session.signOut();
        return publicState();
      }
      return set({ kind: 'signedOut' });
    },
    async restore(environmentId) {
      const env = options.environments.find((e) => e.id === environmentId);
      if (!env || current.kind !== 'signedOut') return publicState();
      const service = serviceName(env.id);
      let subject: string | undefined;
      let token: string | null;
      try {
        subject = (await options.store.accounts(service))[0];
        token = subject ? await options.store.get(service, subject) : null;
      } catch (e) {
        options.log(`auth: keychain unavailable on restore (${e instanceof KeychainUnavailableError ? 'unavailable' : 'error'})`);
        return publicState();
      }
      if (!subject || !token) return publicState();
      try {
        const tokens = await client(env).refresh(token, AbortSignal.timeout(30_000));
        const identity = { subject, email: tokens.claims?.email ?? '', name: tokens.claims?.name ?? tokens.claims?.email ?? '' };
        const session = newSession(env, identity);
        await session.adopt({ ...tokens, refreshToken: tokens.refreshToken ?? token });
        return set({ kind: 'signedIn', environment: env, session });
      } catch (e) {
        const failure = describeOAuthFailure(e);
        if (failure.code === 'session_expired') {
          await options.store.delete(service, subject).catch(() => false);
          return set({ kind: 'signedOut', reason: 'Your saved session expired or was revoked. Sign in again.' });
        }
        return set({ kind: 'signedOut', reason: failure.message });
      }
    },
    async close() {
      if (current.kind === 'signingIn') endAttempt(current.attempt, err(appError('cancelled', 'Partner Console is closing.')));
    },
  };
}

