// Test-side OAuth client (oauth4webapi) for the sandbox authorization server: discovery, PKCE requests, grants.
import * as oauth from 'oauth4webapi';
import { API_SCOPES } from '../../support/api-tokens';

export { API_SCOPES };
export const CUSTOM_SCHEME_REDIRECT = 'com.partnerconsole.desktop:/oauth2/callback';
export const ALL_SCOPES = ['openid', 'offline_access', ...API_SCOPES].join(' ');

export const consoleClient: oauth.Client = { client_id: 'partner-console' };
export const noClientAuth = oauth.None();
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export function loopbackRedirect(port: number): string {
  return `http://127.0.0.1:${port}/oauth2/callback`;
}

export async function discover(issuer: string): Promise<oauth.AuthorizationServer> {
  const url = new URL(issuer);
  const response = await oauth.discoveryRequest(url, { algorithm: 'oidc', ...insecure });
  return oauth.processDiscoveryResponse(url, response);
}

export interface PkceRequest {
  url: string;
  verifier: string;
  state: string;
  redirectUri: string;
}

/** Builds an S256 authorization request for partner-console. `extra` overrides or adds parameters. */
export async function authorizationRequest(
  as: oauth.AuthorizationServer,
  options: { scope?: string; redirectUri?: string; extra?: Record<string, string> } = {},
): Promise<PkceRequest> {
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const redirectUri = options.redirectUri ?? CUSTOM_SCHEME_REDIRECT;
  const url = new URL(as.authorization_endpoint!);
  const params: Record<string, string> = {
    client_id: consoleClient.client_id,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: options.scope ?? ALL_SCOPES,
    state,
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    ...options.extra,
  };
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return { url: url.href, verifier, state, redirectUri };
}

/** Validates the redirect (state, iss) and exchanges the code; throws oauth4webapi errors on failure. */
export async function exchangeCode(
  as: oauth.AuthorizationServer,
  request: PkceRequest,
  redirectUrl: string,
): Promise<oauth.TokenEndpointResponse> {
  const params = oauth.validateAuthResponse(as, consoleClient, new URL(redirectUrl), request.state);
  const response = await oauth.authorizationCodeGrantRequest(
    as,
    consoleClient,
    noClientAuth,
    params,
    request.redirectUri,
    request.verifier,
    insecure,
  );
  return oauth.processAuthorizationCodeResponse(as, consoleClient, response);
}

export async function refresh(as: oauth.AuthorizationServer, refreshToken: string): Promise<oauth.TokenEndpointResponse> {
  const response = await oauth.refreshTokenGrantRequest(as, consoleClient, noClientAuth, refreshToken, insecure);
  return oauth.processRefreshTokenResponse(as, consoleClient, response);
}

export async function clientCredentials(
  as: oauth.AuthorizationServer,
  tooling: { client_id: string; client_secret: string },
  scope?: string,
): Promise<oauth.TokenEndpointResponse> {
  const client = { client_id: tooling.client_id };
  const params: Record<string, string> = scope ? { scope } : {};
  const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(tooling.client_secret), params, insecure);
  return oauth.processClientCredentialsResponse(as, client, response);
}

export async function introspect(
  as: oauth.AuthorizationServer,
  tooling: { client_id: string; client_secret: string },
  token: string,
): Promise<oauth.IntrospectionResponse> {
  const client = { client_id: tooling.client_id };
  // The sandbox serves introspection for its tooling but, like Paxos's Hydra, does not advertise it.
  const withIntrospection = { ...as, introspection_endpoint: new URL('oauth2/introspect', as.issuer).href };
  const response = await oauth.introspectionRequest(withIntrospection, client, oauth.ClientSecretBasic(tooling.client_secret), token, insecure);
  return oauth.processIntrospectionResponse(withIntrospection, client, response);
}

export async function revoke(as: oauth.AuthorizationServer, token: string): Promise<void> {
  const response = await oauth.revocationRequest(as, consoleClient, noClientAuth, token, insecure);
  await oauth.processRevocationResponse(response);
}

/** Raw form POST, for negative cases where the exact status and error body matter. */
export async function postForm(
  url: string,
  form: Record<string, string>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...headers },
    body: new URLSearchParams(form),
    signal: AbortSignal.timeout(10_000),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export function basicAuth(clientId: string, secret: string): Record<string, string> {
  const encode = (v: string) => encodeURIComponent(v);
  return { authorization: `Basic ${Buffer.from(`${encode(clientId)}:${encode(secret)}`).toString('base64')}` };
}

/** The OAuth error an oauth4webapi call failed with (ResponseBodyError, AuthorizationResponseError, challenges). */
export async function oauthError(promise: Promise<unknown>): Promise<{ error: string; description: string | undefined }> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof oauth.ResponseBodyError || error instanceof oauth.AuthorizationResponseError) {
      return { error: error.error, description: error.error_description };
    }
    if (error instanceof oauth.WWWAuthenticateChallengeError) {
      const parameters = error.cause[0]?.parameters;
      return { error: parameters?.error ?? 'unknown', description: parameters?.error_description };
    }
    throw error;
  }
  throw new Error('expected the call to fail');
}

/** The OAuth error code an oauth4webapi call failed with. */
export async function errorCode(promise: Promise<unknown>): Promise<string> {
  return (await oauthError(promise)).error;
}
