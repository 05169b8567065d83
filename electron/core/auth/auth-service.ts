// Sign-in state machine: one attempt at a time (joined, never doubled), redirect intake, cancel/timeout, restore superseded by sign-in, sign-out.
import type { Dispatcher } from 'undici';
import type { RequestBudget } from '../api/request-budget';
import { appError, type AppError } from '../../../shared/app-error';
import type { AuthState, RedirectMode } from '../../../shared/domain';
import { err, ok, type Result } from '../../../shared/result';
import { APP_ID, CUSTOM_SCHEME_REDIRECT, type Environment } from '../config';
import { createAttempt, expectedRedirect, releaseAttempt, stopAttempt, type Attempt } from './attempt';
import { checkAuthorizationUrl } from './authorize-url';
import { startLoopbackListener } from './loopback';
import { createOAuthClient, describeOAuthFailure, type OAuthClient, type TokenSet } from './oauth-client';
import { checkRedirect } from './redirect';
import { restoreSaved, type RestoreRun, type Supersession } from './restore';
import type { SecretStore } from './secret-store';
import { createSession, type Session, type SessionIdentity } from './session';

export const SIGN_IN_TIMEOUT_MS = 5 * 60_000;

export interface AuthServiceOptions {
  readonly environments: readonly Environment[];
  readonly store: SecretStore;
  readonly openExternal: (url: string) => Promise<void>;
  readonly now: () => number;
  readonly dispatcher?: Dispatcher;
  /** The request budget of each environment (token requests count against it); none: token requests are not budgeted. */
  readonly budgetFor?: (environment: Environment) => RequestBudget;
  readonly signInTimeoutMs?: number;
  /** Called on every state change (the core emits `auth:changed` and starts/stops operations). */
  readonly onChange: (state: AuthState, session: Session | null, environment: Environment | null) => void;
  /** Log sink: fixed texts and reason codes only, never a link, a URL from a server or a token. */
  readonly log: (line: string) => void;
}

export interface SignInHooks {
  /** Runs once this call has started a new attempt (not when it joined one or was refused), before the browser opens. */
  readonly prepare?: () => Promise<void>;
}

type Internal =
  | { readonly kind: 'signedOut'; readonly reason?: string }
  | { readonly kind: 'signingIn'; readonly attempt: Attempt }
  | { readonly kind: 'signedIn'; readonly environment: Environment; readonly session: Session };

export const serviceName = (environment: string) => `${APP_ID}/${environment}`;

export interface AuthService {
  state(): AuthState;
  /**
   * Signs in through the system browser. While an attempt for the same environment and redirect is pending, the call
   * joins it (one browser tab, one outcome); any other sign-in while one is pending or signed in is refused (`conflict`).
   */
  signIn(environmentId: string, redirect: RedirectMode, hooks?: SignInHooks): Promise<Result<AuthState>>;
  cancel(): AuthState;
  signOut(): Promise<AuthState>;
  /** Deep-link intake: true if the link completed the pending attempt; anything else is dropped and logged by reason code. */
  handleRedirect(url: string): boolean;
  /** Restores a session for `environmentId` from the keychain, if one is stored; a sign-in or sign-out meanwhile supersedes it. */
  restore(environmentId: string): Promise<AuthState>;
  close(): Promise<void>;
}

export function createAuthService(options: AuthServiceOptions): AuthService {
  const clients = new Map<string, OAuthClient>();
  let current: Internal = { kind: 'signedOut' };
  let restoring: (RestoreRun & { readonly done: Promise<AuthState> }) | null = null;
  let closed = false;
  const timeoutMs = options.signInTimeoutMs ?? SIGN_IN_TIMEOUT_MS;

  const client = (env: Environment) => {
    let c = clients.get(env.id);
    if (!c) {
      c = createOAuthClient(env, { now: options.now, ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}), ...(options.budgetFor ? { budget: options.budgetFor(env) } : {}) });
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

  const isCurrent = (attempt: Attempt) => current.kind === 'signingIn' && current.attempt === attempt;

  function supersedeRestore(by: Supersession): void {
    if (restoring) restoring.superseded ??= by;
    restoring = null;
  }

  function newSession(env: Environment, identity: SessionIdentity): Session {
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

  /** One saved session per environment: once an operator signed in, other operators' saved sessions there are revoked and removed. */
  async function forgetOtherAccounts(env: Environment, keep: string): Promise<void> {
    const service = serviceName(env.id);
    try {
      for (const account of await options.store.accounts(service)) {
        if (account === keep) continue;
        const token = await options.store.get(service, account);
        await options.store.delete(service, account);
        if (token) void client(env).revoke(token).catch(() => undefined);
      }
    } catch {
      options.log('auth: could not tidy other saved sessions (keychain unavailable)');
    }
  }

  /** Ends an attempt that failed on its own (not stopped from outside): signed out with the reason. */
  function failed(attempt: Attempt, error: AppError): Result<AuthState> {
    if (isCurrent(attempt)) set({ kind: 'signedOut', reason: error.message });
    return err(error);
  }

  const stoppedResult = (attempt: Attempt): Result<AuthState> => err(attempt.stopped ?? appError('cancelled', 'Sign-in was cancelled.'));

  async function runAttempt(attempt: Attempt, hooks: SignInHooks): Promise<Result<AuthState>> {
    const env = attempt.environment;
    await hooks.prepare?.();
    if (!isCurrent(attempt)) return stoppedResult(attempt);
    try {
      if (attempt.redirect === 'loopback') {
        attempt.loopback = await startLoopbackListener({
          accept: (url) => {
            const check = checkRedirect(url, expectedRedirect(attempt));
            if (check.kind === 'ignored') options.log(`auth: refused a loopback callback (${check.reason})`);
            return check.kind === 'match';
          },
        });
        if (!isCurrent(attempt)) return stoppedResult(attempt); // the listener is closed by releaseAttempt
      }
      attempt.request = await client(env).buildAuthorizationRequest(attempt.loopback?.redirectUri ?? CUSTOM_SCHEME_REDIRECT);
    } catch (e) {
      if (!isCurrent(attempt)) return stoppedResult(attempt);
      const failure = describeOAuthFailure(e);
      return failed(attempt, appError(failure.code === 'timeout' ? 'timeout' : failure.code === 'unavailable' ? 'unavailable' : 'network', failure.message, { retryable: true }));
    }
    if (!isCurrent(attempt)) return stoppedResult(attempt);
    const url = checkAuthorizationUrl(attempt.request.url, env);
    if (!url.ok) {
      options.log(`auth: refused to open the authorization URL (${url.reason})`);
      return failed(attempt, appError('config', `The sign-in server of ${env.label} gave an address Partner Console will not open (it must be https on the sign-in server itself). Check the environment's settings.`));
    }

    attempt.phase = 'browser';
    attempt.timer = setTimeout(() => {
      if (attempt.phase === 'browser') attempt.finish(err(appError('timeout', 'Sign-in timed out: nothing came back from the browser within 5 minutes.')));
    }, timeoutMs);
    attempt.timer.unref?.();
    void attempt.loopback?.callback.then((link) => handleRedirect(link));
    try {
      await options.openExternal(attempt.request.url);
    } catch {
      attempt.finish(err(appError('sign_in_failed', 'Could not open the system browser.')));
    }
    const outcome = await attempt.callback;
    releaseAttempt(attempt);
    if (!isCurrent(attempt)) return attempt.stopped || outcome.ok ? stoppedResult(attempt) : err(outcome.error);
    if (!outcome.ok) return failed(attempt, outcome.error);

    let tokens: TokenSet;
    try {
      const signal = AbortSignal.any([attempt.controller.signal, AbortSignal.timeout(30_000)]);
      tokens = await client(env).exchangeCode(outcome.value, attempt.request, signal);
    } catch (e) {
      if (!isCurrent(attempt)) return stoppedResult(attempt);
      const failure = describeOAuthFailure(e);
      options.log(`auth: sign-in failed (${failure.code})`);
      const code = failure.code === 'session_expired' ? 'sign_in_failed' : failure.code;
      return failed(attempt, appError(code, failure.message, code === 'unavailable' || code === 'network' || code === 'timeout' ? { retryable: true } : {}));
    }
    if (!isCurrent(attempt)) {
      // Cancelled while the code was being exchanged: the grant it produced is revoked, never used.
      if (tokens.refreshToken) await client(env).revoke(tokens.refreshToken).catch(() => undefined);
      return stoppedResult(attempt);
    }
    const identity = { subject: tokens.claims?.sub ?? 'unknown', email: tokens.claims?.email ?? '', name: tokens.claims?.name ?? tokens.claims?.email ?? '' };
    const session = newSession(env, identity);
    await session.adopt(tokens);
    if (!isCurrent(attempt)) {
      await session.signOut(); // revokes and removes exactly what it stored
      return stoppedResult(attempt);
    }
    if (!tokens.refreshToken) options.log('auth: no refresh token was issued; the session ends when the access token expires');
    if (session.persisted().ok) await forgetOtherAccounts(env, identity.subject); // a keychain that failed just now is not asked again
    if (!isCurrent(attempt)) {
      await session.signOut();
      return stoppedResult(attempt);
    }
    return ok(set({ kind: 'signedIn', environment: env, session }));
  }

  function signIn(environmentId: string, redirect: RedirectMode, hooks: SignInHooks = {}): Promise<Result<AuthState>> {
    const env = options.environments.find((e) => e.id === environmentId);
    if (!env) return Promise.resolve(err(appError('invalid_request', `Unknown environment "${environmentId}".`)));
    if (closed) return Promise.resolve(err(appError('cancelled', 'Partner Console is closing.')));
    if (current.kind === 'signedIn') {
      const here = current.environment;
      const message = here.id === env.id ? 'You are already signed in. Sign out first.' : `You are signed in to ${here.label}. Sign out first to switch environments.`;
      return Promise.resolve(err(appError('conflict', message)));
    }
    if (current.kind === 'signingIn') {
      const pending = current.attempt;
      if (pending.environment.id === env.id && pending.redirect === redirect) return pending.result; // joined: one browser tab
      return Promise.resolve(err(appError('conflict', `A sign-in to ${pending.environment.label} is already waiting for the browser. Cancel it first.`)));
    }
    supersedeRestore('sign-in');
    const attempt = createAttempt(env, redirect, options.now());
    set({ kind: 'signingIn', attempt });
    runAttempt(attempt, hooks)
      .catch((e: unknown) => {
        options.log(`auth: sign-in failed unexpectedly (${e instanceof Error ? e.name : 'error'})`);
        return failed(attempt, appError('sign_in_failed', 'Sign-in failed unexpectedly. Try again.'));
      })
      .then((result) => {
        releaseAttempt(attempt);
        attempt.settle(result);
      });
    return attempt.result;
  }

  function handleRedirect(url: string): boolean {
    const attempt = current.kind === 'signingIn' ? current.attempt : null;
    const check = checkRedirect(url, attempt ? expectedRedirect(attempt) : null);
    if (check.kind === 'ignored' || !attempt) {
      options.log(`auth: dropped a redirect link (${check.kind === 'ignored' ? check.reason : 'no_pending_sign_in'})`);
      return false;
    }
    attempt.phase = 'exchanging'; // the one link is taken: a replay of it, or any other, is dropped from now on
    if (check.params.get('error') === 'access_denied') attempt.finish(err(appError('access_denied', 'Access was denied in the browser, so you are not signed in.')));
    else attempt.finish(ok(check.params)); // other errors and the code are checked by oauth4webapi in exchangeCode
    return true;
  }

  function stopPending(reason: AppError): void {
    if (current.kind === 'signingIn') stopAttempt(current.attempt, reason);
  }

  async function restore(environmentId: string): Promise<AuthState> {
    if (restoring) return restoring.done;
    const env = options.environments.find((e) => e.id === environmentId);
    if (closed || !env || current.kind !== 'signedOut') return publicState();
    const run: RestoreRun = { superseded: null };
    const done = restoreSaved(run, {
      store: options.store,
      client: client(env),
      service: serviceName(env.id),
      log: options.log,
      newSession: (identity) => newSession(env, identity),
    }).then((outcome) => {
      if (run.superseded || current.kind !== 'signedOut') return publicState();
      if (outcome.kind === 'signedIn') return set({ kind: 'signedIn', environment: env, session: outcome.session });
      if (outcome.kind === 'signedOut') return set({ kind: 'signedOut', reason: outcome.reason });
      return publicState();
    });
    const entry = Object.assign(run, { done });
    restoring = entry;
    void done.finally(() => {
      if (restoring === entry) restoring = null;
    });
    return done;
  }

  return {
    state: publicState,
    signIn,
    handleRedirect,
    restore,
    cancel() {
      if (current.kind !== 'signingIn') return publicState();
      const attempt = current.attempt;
      const state = set({ kind: 'signedOut', reason: 'Sign-in was cancelled.' });
      stopAttempt(attempt, appError('cancelled', 'Sign-in was cancelled.'));
      return state;
    },
    async signOut() {
      supersedeRestore('sign-out');
      if (current.kind === 'signingIn') {
        const attempt = current.attempt;
        set({ kind: 'signedOut' });
        stopAttempt(attempt, appError('cancelled', 'Signed out.'));
        return publicState();
      }
      if (current.kind === 'signedIn') {
        const { session } = current;
        set({ kind: 'signedOut' });
        await session.signOut();
        return publicState();
      }
      return set({ kind: 'signedOut' });
    },
    async close() {
      closed = true;
      supersedeRestore('close');
      stopPending(appError('cancelled', 'Partner Console is closing.'));
    },
  };
}
