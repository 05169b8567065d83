// Thin adapter over oauth4webapi (discovery, PKCE, code exchange, refresh, revocation) using undici as its fetch.
import * as oauth from 'oauth4webapi';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { familyOf } from '../api/rate-limits';
import type { RequestBudget } from '../api/request-budget';
import type { Environment } from '../config';

export interface TokenSet {
  readonly accessToken: string;
  readonly refreshToken: string | undefined;
  /** Epoch milliseconds. */
  readonly expiresAt: number;
  readonly scopes: string[];
  readonly claims: { sub?: string; email?: string; name?: string } | undefined;
}

export interface AuthorizationRequest {
  readonly url: string;
  readonly state: string;
  readonly nonce: string | undefined;
  readonly codeVerifier: string;
  readonly redirectUri: string;
  /** The issuer identifier as discovery returned it (an `iss` on the callback must equal it exactly, RFC 9207). */
  readonly issuer: string;
  /** Discovery says every callback carries `iss` (`authorization_response_iss_parameter_supported`). */
  readonly issRequired: boolean;
}

export interface OAuthClient {
  buildAuthorizationRequest(redirectUri: string): Promise<AuthorizationRequest>;
  /** Validates the callback (state, iss per RFC 9207, error) and exchanges the code. */
  exchangeCode(params: URLSearchParams, request: AuthorizationRequest, signal?: AbortSignal): Promise<TokenSet>;
  refresh(refreshToken: string, signal?: AbortSignal): Promise<TokenSet>;
  revoke(refreshToken: string): Promise<void>;
}

function isLoopbackHttp(url: string): boolean {
  const u = new URL(url);
  return u.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(u.hostname);
}

export interface OAuthClientOptions {
  readonly dispatcher?: Dispatcher;
  readonly now: () => number;
  /**
   * The environment's request budget: token-endpoint requests count against Paxos's 1/s limit, wait out a lockout, and a
   * 429 from the token endpoint starts one. Discovery and revocation are not limited by Paxos's published table.
   */
  readonly budget?: RequestBudget;
}

/** undici's fetch with the app's dispatcher, and the token endpoint's requests through the budget. */
function budgetedFetch(options: OAuthClientOptions): typeof fetch {
  const send = (input: string | URL | Request, init?: RequestInit) =>
    undiciFetch(input as never, { ...(init as object), ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}) } as never) as unknown as Promise<Response>;
  const budget = options.budget;
  if (!budget) return send as unknown as typeof fetch;
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (familyOf(new URL(url).pathname) !== 'token') return send(input, init);
    await budget.acquire({ family: 'token', priority: 'order', signal: init?.signal ?? undefined });
    const response = await send(input, init);
    if (response.status === 429) budget.lockout(null);
    return response;
  }) as unknown as typeof fetch;
}

export function createOAuthClient(env: Environment, options: OAuthClientOptions): OAuthClient {
  const issuer = new URL(env.issuer);
  const client: oauth.Client = { client_id: env.clientId, token_endpoint_auth_method: 'none' };
  const auth = oauth.None();
  const insecure = isLoopbackHttp(env.issuer);
  const fetchImpl = budgetedFetch(options);
  const httpOptions = (signal?: AbortSignal) => ({
    [oauth.customFetch]: fetchImpl,
    ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
    ...(signal ? { signal } : {}),
  });
  const resourceParams = env.resource ? { resource: env.resource } : undefined;
  const wantsOpenId = env.scopes.includes('openid');

  let discovered: Promise<oauth.AuthorizationServer> | undefined;
  function server(): Promise<oauth.AuthorizationServer> {
    discovered ??= oauth
      .discoveryRequest(issuer, { algorithm: 'oidc', ...httpOptions(AbortSignal.timeout(15_000)) })
      .then((response) => oauth.processDiscoveryResponse(issuer, response))
      .catch((e: unknown) => {
        discovered = undefined;
        throw e;
      });
    return discovered;
  }

  function toTokenSet(result: oauth.TokenEndpointResponse): TokenSet {
    const claims = oauth.getValidatedIdTokenClaims(result);
    return {
      accessToken: result.access_token,
      refreshToken: result.refresh_token,
      expiresAt: options.now() + (result.expires_in ?? 3600) * 1000,
      scopes: (result.scope ?? '').split(' ').filter(Boolean),
      claims: claims
        ? { sub: claims.sub, email: typeof claims.email === 'string' ? claims.email : undefined, name: typeof claims.name === 'string' ? claims.name : undefined }
        : undefined,
    };
  }

  return {
    async buildAuthorizationRequest(redirectUri) {
      const as = await server();
      const codeVerifier = oauth.generateRandomCodeVerifier();
      const state = oauth.generateRandomState();
      const nonce = wantsOpenId ? oauth.generateRandomNonce() : undefined;
      const url = new URL(as.authorization_endpoint!);
      url.searchParams.set('client_id', env.clientId);
      url.searchParams.set('response_type', 'code');
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('scope', env.scopes.join(' '));
      url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(codeVerifier));
      url.searchParams.set('code_challenge_method', 'S256');
      url.searchParams.set('state', state);
      if (nonce) url.searchParams.set('nonce', nonce);
      // offline_access needs prompt=consent (OpenID Connect Core §11) to yield a refresh token.
      if (env.scopes.includes('offline_access')) url.searchParams.set('prompt', 'consent');
      if (env.resource) url.searchParams.set('resource', env.resource);
      return { url: url.href, state, nonce, codeVerifier, redirectUri, issuer: as.issuer, issRequired: as.authorization_response_iss_parameter_supported === true };
    },

    async exchangeCode(params, request, signal) {
      const as = await server();
      const callback = oauth.validateAuthResponse(as, client, params, request.state);
      const response = await oauth.authorizationCodeGrantRequest(as, client, auth, callback, request.redirectUri, request.codeVerifier, {
        ...httpOptions(signal),
        ...(resourceParams ? { additionalParameters: resourceParams } : {}),
      });
      const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
        ...(request.nonce ? { expectedNonce: request.nonce, requireIdToken: true } : {}),
      });
      return toTokenSet(result);
    },

    async refresh(refreshToken, signal) {
      const as = await server();
      const response = await oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, {
        ...httpOptions(signal),
        ...(resourceParams ? { additionalParameters: resourceParams } : {}),
      });
      return toTokenSet(await oauth.processRefreshTokenResponse(as, client, response));
    },

    async revoke(refreshToken) {
      const as = await server();
      const response = await oauth.revocationRequest(as, client, auth, refreshToken, {
        ...httpOptions(AbortSignal.timeout(10_000)),
        additionalParameters: { token_type_hint: 'refresh_token' },
      });
      await oauth.processRevocationResponse(response);
    },
  };
}

export type OAuthFailureCode = 'access_denied' | 'session_expired' | 'sign_in_failed' | 'unavailable' | 'network' | 'timeout';

/** The HTTP status of a failed response oauth4webapi refused, if it says (e.g. 500 from the token endpoint). */
function statusOf(e: unknown): number | undefined {
  if (e instanceof oauth.ResponseBodyError) return e.status;
  const cause = e instanceof Error ? (e as { cause?: unknown }).cause : undefined;
  return cause instanceof Response || (typeof cause === 'object' && cause !== null && typeof (cause as { status?: unknown }).status === 'number')
    ? (cause as { status: number }).status
    : undefined;
}

/** Maps an oauth4webapi / network failure to what the operator should be told (never includes tokens or raw bodies). */
export function describeOAuthFailure(e: unknown): { code: OAuthFailureCode; message: string } {
  const status = statusOf(e);
  if (status !== undefined && status >= 500) {
    return { code: 'unavailable', message: `The sign-in server is having trouble (HTTP ${status}). Try again in a moment.` };
  }
  if (e instanceof oauth.AuthorizationResponseError) {
    if (e.error === 'access_denied') return { code: 'access_denied', message: 'Access was denied in the browser, so you are not signed in.' };
    return { code: 'sign_in_failed', message: `The sign-in server refused the request (${safeCode(e.error)}).` };
  }
  if (e instanceof oauth.ResponseBodyError) {
    if (e.error === 'invalid_grant') return { code: 'session_expired', message: 'Your session expired or was revoked. Sign in again.' };
    return { code: 'sign_in_failed', message: `The sign-in server refused the request (${safeCode(e.error)}).` };
  }
  if (e instanceof oauth.OperationProcessingError) {
    return { code: 'sign_in_failed', message: 'The sign-in response could not be verified (issuer, state or token checks failed).' };
  }
  if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError')) return { code: 'timeout', message: 'The sign-in server did not answer in time.' };
  return { code: 'network', message: 'Could not reach the sign-in server. Check your connection and try again.' };
}

function safeCode(code: string): string {
  return /^[a-z_]{1,40}$/.test(code) ? code : 'error';
}
