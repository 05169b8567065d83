// Token endpoint behaviour over loopback HTTP: code exchange negatives, refresh rotation and reuse detection,
// revocation and introspection, client_credentials, userinfo, and the offline_access policy. Codes come from
// the real sign-in and consent pages driven over HTTP (the Chromium run lives in browser-flow.int.test.ts).
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../../sandbox/auth/server';
import { createTokenVerifier, type VerifiedToken } from '../../../sandbox/auth/verify-token';
import { OPERATORS, SANDBOX_PASSWORD } from '../../../sandbox/seed';
import { authorizeOverHttp, CookieJar } from './http-flow';
import {
  API_SCOPES,
  authorizationRequest,
  basicAuth,
  clientCredentials,
  consoleClient,
  discover,
  errorCode,
  exchangeCode,
  insecure,
  introspect,
  loopbackRedirect,
  postForm,
  refresh,
  revoke,
  type PkceRequest,
} from './oauth';

const API_URL = 'http://127.0.0.1:9/v2';
const ops = OPERATORS[0]!;

let server: AuthServer;
let as: oauth.AuthorizationServer;
/** One sign-in session for the file: the first flow signs in, later ones only answer the consent page. */
const jar = new CookieJar();
let verify: (token: string) => Promise<VerifiedToken>;

beforeAll(async () => {
  server = await startAuthServer({ apiUrl: API_URL, operators: OPERATORS });
  as = await discover(server.issuer);
  verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
});

afterAll(async () => {
  await server?.close();
});

/** Introspection is served but not advertised (Paxos's discovery has no introspection_endpoint). */
const introspectionEndpoint = (): string => new URL('oauth2/introspect', server.issuer).href;

/** Signs in and consents over HTTP; returns the request and the redirect URL carrying the code. */
async function authorize(options: Parameters<typeof authorizationRequest>[1] = {}): Promise<{ request: PkceRequest; redirect: string }> {
  const request = await authorizationRequest(as, options);
  const redirect = await authorizeOverHttp(request.url, { email: ops.email, password: SANDBOX_PASSWORD, jar });
  return { request, redirect };
}

async function tokensFor(options: Parameters<typeof authorizationRequest>[1] = {}): Promise<oauth.TokenEndpointResponse> {
  const { request, redirect } = await authorize(options);
  return exchangeCode(as, request, redirect);
}

function codeForm(request: PkceRequest, redirect: string, changes: Record<string, string | null> = {}): Record<string, string> {
  const form: Record<string, string | null> = {
    grant_type: 'authorization_code',
    client_id: consoleClient.client_id,
    code: new URL(redirect).searchParams.get('code'),
    redirect_uri: request.redirectUri,
    code_verifier: request.verifier,
    ...changes,
  };
  return Object.fromEntries(Object.entries(form).filter((entry): entry is [string, string] => entry[1] !== null));
}

describe('authorization code exchange', () => {
  it('rejects a wrong or missing verifier, another redirect_uri and other clients; then the right request works once', async () => {
    const { request, redirect } = await authorize();
    const token = as.token_endpoint!;
    const cases: [string, Record<string, string>, Record<string, string>, number, string][] = [
      ['wrong verifier', codeForm(request, redirect, { code_verifier: oauth.generateRandomCodeVerifier() }), {}, 400, 'invalid_grant'],
      ['missing verifier', codeForm(request, redirect, { code_verifier: null }), {}, 400, 'invalid_grant'],
      ['other redirect_uri', codeForm(request, redirect, { redirect_uri: loopbackRedirect(5555) }), {}, 400, 'invalid_grant'],
      ['unknown client', codeForm(request, redirect, { client_id: 'someone-else' }), {}, 401, 'invalid_client'],
      [
        'tooling client',
        codeForm(request, redirect, { client_id: null }),
        basicAuth(server.tooling.client_id, server.tooling.client_secret),
        400,
        'invalid_request', // oidc-provider: "requested grant type is not allowed for this client"
      ],
    ];
    for (const [label, form, headers, status, error] of cases) {
      const response = await postForm(token, form, headers);
      expect({ label, status: response.status, error: response.body['error'] }).toEqual({ label, status, error });
      expect(response.body).not.toHaveProperty('access_token');
    }
    const first = await postForm(token, codeForm(request, redirect));
    expect(first.status).toBe(200);
    expect(typeof first.body['access_token']).toBe('string');
  });

  it('accepts a code once; reusing it fails and revokes what the first exchange issued', async () => {
    const { request, redirect } = await authorize();
    const tokens = await exchangeCode(as, request, redirect);
    expect(await errorCode(exchangeCode(as, request, redirect))).toBe('invalid_grant');
    expect((await introspect(as, server.tooling, tokens.refresh_token!)).active).toBe(false);
    expect(await errorCode(refresh(as, tokens.refresh_token!))).toBe('invalid_grant');
  });
});

describe('consent', () => {
  it('asks on every authorization; a later consent may grant more than an earlier one', async () => {
    const narrow = await authorize();
    const first = await authorizationRequest(as);
    const firstRedirect = await authorizeOverHttp(first.url, { email: ops.email, password: SANDBOX_PASSWORD, jar, scopes: ['conversion:read_conversion_stablecoin'] });
    expect((await verify((await exchangeCode(as, first, firstRedirect)).access_token)).scopes).toEqual(['conversion:read_conversion_stablecoin']);
    const wide = await exchangeCode(as, narrow.request, narrow.redirect);
    expect((await verify(wide.access_token)).scopes.sort()).toEqual([...API_SCOPES].sort());
    const again = await tokensFor();
    expect((await verify(again.access_token)).scopes.sort()).toEqual([...API_SCOPES].sort());
  });
});

describe('refresh tokens', () => {
  it('issues a refresh token for offline_access without prompt=consent, but not with another prompt', async () => {
    expect((await tokensFor()).refresh_token).toBeTypeOf('string');
    expect((await tokensFor({ extra: { prompt: 'login' } })).refresh_token).toBeUndefined();
  });

  it('rotates on every use; a rotated-out token is dead and presenting it revokes the whole grant', async () => {
    const initial = await tokensFor();
    const first = initial.refresh_token!;
    const second = await refresh(as, first);
    expect(second.refresh_token).toBeTypeOf('string');
    expect(second.refresh_token).not.toBe(first);
    const access = await verify(second.access_token);
    expect(access.sub).toBe(ops.sub);
    expect(access.scopes.sort()).toEqual([...API_SCOPES].sort());
    const third = await refresh(as, second.refresh_token!);
    expect(third.refresh_token).not.toBe(second.refresh_token);
    const newest = third.refresh_token!;

    expect((await introspect(as, server.tooling, first)).active).toBe(false);
    expect((await introspect(as, server.tooling, newest)).active).toBe(true);

    // Reuse detection: presenting the rotated-out token kills the grant, so the newest one dies too.
    expect(await errorCode(refresh(as, second.refresh_token!))).toBe('invalid_grant');
    expect((await introspect(as, server.tooling, newest)).active).toBe(false);
    expect(await errorCode(refresh(as, newest))).toBe('invalid_grant');
  });
});

describe('API access without a resource parameter', () => {
  it('binds the code and refresh grants to the API when the request names API scopes (Paxos clients send no resource)', async () => {
    const { request, redirect } = await authorize();
    expect(new URL(request.url).searchParams.has('resource')).toBe(false);
    const tokens = await exchangeCode(as, request, redirect);
    // verify() checks aud = the API URL.
    expect((await verify(tokens.access_token)).scopes.sort()).toEqual([...API_SCOPES].sort());
    const refreshed = await refresh(as, tokens.refresh_token!);
    expect((await verify(refreshed.access_token)).scopes.sort()).toEqual([...API_SCOPES].sort());
  });
});

describe('revocation and introspection', () => {
  it('shows a live refresh token as active, then inactive after the app revokes it', async () => {
    const tokens = await tokensFor();
    const refreshToken = tokens.refresh_token!;
    const before = await introspect(as, server.tooling, refreshToken);
    expect(before).toMatchObject({ active: true, client_id: consoleClient.client_id, sub: ops.sub, iss: server.issuer });
    expect(before.scope?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access', ...API_SCOPES]));

    await revoke(as, refreshToken);
    expect((await introspect(as, server.tooling, refreshToken)).active).toBe(false);
    expect(await errorCode(refresh(as, refreshToken))).toBe('invalid_grant');
  });

  it('refuses to introspect JWT access tokens (they are checked locally against the JWKS)', async () => {
    const { access_token: accessToken } = await clientCredentials(as, server.tooling);
    const response = await postForm(introspectionEndpoint(), { token: accessToken }, basicAuth(server.tooling.client_id, server.tooling.client_secret));
    expect(response.status).toBe(400);
    expect(response.body['error']).toBe('unsupported_token_type');
  });

  it('requires client authentication for introspection', async () => {
    const response = await postForm(introspectionEndpoint(), { token: 'x' }, basicAuth(server.tooling.client_id, 'wrong-secret'));
    expect(response.status).toBe(401);
    expect(response.body['error']).toBe('invalid_client');
  });
});

describe('client_credentials (sandbox tooling)', () => {
  it('issues a JWT for the API with no subject', async () => {
    const tokens = await clientCredentials(as, server.tooling);
    expect(tokens.expires_in).toBe(3600);
    expect(tokens.refresh_token).toBeUndefined();
    const access = await verify(tokens.access_token);
    expect(access.clientId).toBe(server.tooling.client_id);
    expect(access.sub).toBeUndefined();
    expect(access.scopes).toEqual([]);
  });

  it('grants requested API scopes', async () => {
    const tokens = await clientCredentials(as, server.tooling, 'funding:read_profile');
    expect((await verify(tokens.access_token)).scopes).toEqual(['funding:read_profile']);
  });

  it('rejects a wrong secret and the public client', async () => {
    expect(await errorCode(clientCredentials(as, { ...server.tooling, client_secret: 'nope' }))).toBe('invalid_client');
    const response = await postForm(as.token_endpoint!, { grant_type: 'client_credentials', client_id: consoleClient.client_id });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_request', error_description: 'requested grant type is not allowed for this client' });
  });
});

describe('userinfo', () => {
  it('answers for an OpenID-only token and refuses API-bound JWTs', async () => {
    const openidOnly = await tokensFor({ scope: 'openid' });
    const response = await oauth.userInfoRequest(as, consoleClient, openidOnly.access_token, insecure);
    const claims = await oauth.processUserInfoResponse(as, consoleClient, ops.sub, response);
    // Only `sub`, as Paxos's server (claims_supported: ["sub"]).
    expect(claims).toEqual({ sub: ops.sub });

    const api = await tokensFor();
    const refused = await fetch(as.userinfo_endpoint!, { headers: { authorization: `Bearer ${api.access_token}` } });
    expect(refused.status).toBe(401);
  });
});
