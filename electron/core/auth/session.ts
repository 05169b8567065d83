// A signed-in session: access token in memory, refresh token in the vault, single-flight refresh ahead of expiry.
import { appError } from '../../../shared/app-error';
import { AuthUnavailableError, type AccessTokenSource } from './access-token';
import { describeOAuthFailure, type OAuthClient, type TokenSet } from './oauth-client';
import { deleteIfUnchanged, KeychainUnavailableError, type SecretStore } from './secret-store';

export interface SessionIdentity {
  readonly subject: string;
  readonly email: string;
  readonly name: string;
}

export interface SessionOptions {
  readonly oauth: OAuthClient;
  readonly store: SecretStore;
  /** Keychain service name: `com.partnerconsole.desktop/<environment>`. */
  readonly service: string;
  readonly identity: SessionIdentity;
  readonly now: () => number;
  /** Called once when the session ends on its own (refresh refused); not called on sign-out. */
  readonly onExpired: (reason: string) => void;
  /** Called when persistence changes (keychain became unavailable or a token was stored). */
  readonly onChanged: () => void;
}

export interface Session extends AccessTokenSource {
  readonly identity: SessionIdentity;
  expiresAt(): number;
  persisted(): { ok: true } | { ok: false; reason: string };
  /** Ends the session: aborts requests in flight, revokes the refresh token (RFC 7009) and removes it from the keychain. */
  signOut(): Promise<void>;
  /** Stores `tokens` (the refresh token first, then the access token goes live). */
  adopt(tokens: TokenSet): Promise<void>;
}

const MAX_MARGIN_MS = 60_000;

export function createSession(options: SessionOptions): Session {
  const { oauth, store, service, identity, now } = options;
  const controller = new AbortController();
  let accessToken = '';
  let expiresAt = 0;
  let lifetime = 0;
  let refreshToken: string | undefined;
  let scopes: string[] = [];
  let persistence: { ok: true } | { ok: false; reason: string } = { ok: false, reason: 'Not stored yet.' };
  let inflight: Promise<string> | null = null;
  let ended = false;

  const unavailable = (code: 'signed_out' | 'session_expired', message: string) => new AuthUnavailableError(appError(code, message));

  async function persist(token: string): Promise<void> {
    try {
      await store.set(service, identity.subject, token);
      persistence = { ok: true };
    } catch (e) {
      persistence = { ok: false, reason: e instanceof KeychainUnavailableError ? e.reason : 'The system keychain could not store the session.' };
    }
  }

  async function adopt(tokens: TokenSet): Promise<void> {
    if (tokens.refreshToken && tokens.refreshToken !== refreshToken) {
      refreshToken = tokens.refreshToken;
      await persist(tokens.refreshToken); // stored before the new access token is used
    }
    accessToken = tokens.accessToken;
    expiresAt = tokens.expiresAt;
    lifetime = Math.max(0, tokens.expiresAt - now());
    if (tokens.scopes.length) scopes = tokens.scopes;
    options.onChanged();
  }

  async function doRefresh(): Promise<string> {
    if (ended) throw unavailable('signed_out', 'You are signed out.');
    if (!refreshToken) throw unavailable('session_expired', 'Your session expired. Sign in again.');
    let tokens: TokenSet;
    try {
      tokens = await oauth.refresh(refreshToken, controller.signal);
    } catch (e) {
      if (ended) throw unavailable('signed_out', 'You are signed out.');
      const failure = describeOAuthFailure(e);
      if (failure.code === 'session_expired') {
        ended = true;
        controller.abort();
        const dead = refreshToken;
        refreshToken = undefined;
        if (dead) await deleteIfUnchanged(store, service, identity.subject, dead);
        options.onExpired('Your session expired or was revoked. Sign in again.');
        throw unavailable('session_expired', 'Your session expired or was revoked. Sign in again.');
      }
      throw new AuthUnavailableError(appError(failure.code === 'timeout' || failure.code === 'unavailable' ? failure.code : 'network', failure.message, { retryable: true }));
    }
    if (ended) throw unavailable('signed_out', 'You are signed out.');
    await adopt(tokens);
    return accessToken;
  }

  function refreshOnce(): Promise<string> {
    inflight ??= doRefresh().finally(() => {
      inflight = null;
    });
    return inflight;
  }

  const margin = () => Math.min(MAX_MARGIN_MS, lifetime / 4);

  return {
    identity,
    signal: controller.signal,
    scopes: () => scopes,
    operator: () => (ended ? null : { subject: identity.subject, email: identity.email }),
    expiresAt: () => expiresAt,
    persisted: () => persistence,
    adopt,
    async getAccessToken() {
      if (ended) throw unavailable('signed_out', 'You are signed out.');
      if (accessToken && expiresAt - now() > margin()) return accessToken;
      return refreshOnce();
    },
    async refreshAfterUnauthorized(staleToken) {
      if (ended) throw unavailable('signed_out', 'You are signed out.');
      if (accessToken && accessToken !== staleToken && expiresAt - now() > margin()) return accessToken;
      return refreshOnce();
    },
    async signOut() {
      if (ended) return;
      ended = true;
      controller.abort();
      const token = refreshToken;
      refreshToken = undefined;
      accessToken = '';
      if (token) {
        await oauth.revoke(token).catch(() => undefined);
        await deleteIfUnchanged(store, service, identity.subject, token); // never a token a newer session stored there
      }
    },
  };
}
