// Discovery (Hydra's field set), JWKS and authorization-endpoint checks that need no browser: PKCE rules, redirect URI and client rules.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../../sandbox/auth/server';
import { OPERATORS, SANDBOX_PASSWORD } from '../../../sandbox/seed';
import { authorizeOverHttp, CookieJar } from './http-flow';
import { authorizationRequest, discover, loopbackRedirect, CUSTOM_SCHEME_REDIRECT } from './oauth';
import type { AuthorizationServer } from 'oauth4webapi';

const API_URL = 'http://127.0.0.1:9/v2';

let server: AuthServer;
let as: AuthorizationServer;

beforeAll(async () => {
  server = await startAuthServer({ apiUrl: API_URL, operators: OPERATORS });
  as = await discover(server.issuer);
});

afterAll(async () => {
  await server?.close();
});

/** GET without following redirects. */
async function get(url: string): Promise<{ status: number; location: string | null; body: string; headers: Headers }> {
  const response = await fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(10_000) });
  return { status: response.status, location: response.headers.get('location'), body: await response.text(), headers: response.headers };
}

function withParams(url: string, changes: Record<string, string | null>): string {
  const next = new URL(url);
  for (const [key, value] of Object.entries(changes)) {
    if (value === null) next.searchParams.delete(key);
    else next.searchParams.set(key, value);
  }
  return next.href;
}

/** The field set of Paxos's production discovery document (the vendored copy of ../shared/paxos-v2). */
const HYDRA_FIELDS = Object.keys(JSON.parse(readFileSync(new URL('../../contract/paxos-v2/oauth-discovery.production.json', import.meta.url), 'utf8')) as object);

async function discoveryDocument(issuer: string): Promise<Record<string, unknown>> {
  return (await (await fetch(new URL('.well-known/openid-configuration', issuer))).json()) as Record<string, unknown>;
}

describe('discovery, shaped like Paxos’s ORY Hydra', () => {
  it('has a trailing-slash issuer and Hydra’s endpoint paths on loopback', () => {
    expect(server.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(as.issuer).toBe(server.issuer);
    expect(as.authorization_endpoint).toBe(`${server.issuer}oauth2/auth`);
    expect(as.token_endpoint).toBe(`${server.issuer}oauth2/token`);
    expect(as.userinfo_endpoint).toBe(`${server.issuer}userinfo`);
    expect(as.revocation_endpoint).toBe(`${server.issuer}oauth2/revoke`);
    expect(as.jwks_uri).toBe(`${server.issuer}.well-known/jwks.json`);
    expect(as.end_session_endpoint).toBe(`${server.issuer}oauth2/sessions/logout`);
  });

  it('advertises exactly Hydra’s fields: no PKCE methods, no RFC 9207, no introspection, only `sub`', async () => {
    const document = await discoveryDocument(server.issuer);
    expect(Object.keys(document).sort()).toEqual([...HYDRA_FIELDS].sort());
    expect(document).not.toHaveProperty('code_challenge_methods_supported');
    expect(document).not.toHaveProperty('authorization_response_iss_parameter_supported');
    expect(document).not.toHaveProperty('introspection_endpoint');
    expect(document['claims_supported']).toEqual(['sub']);
    expect(document['response_types_supported']).toEqual(['code']);
    expect(document['grant_types_supported']).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(document['grant_types_supported']).not.toContain('implicit');
    expect(document['scopes_supported']).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    expect(document['id_token_signing_alg_values_supported']).toEqual(['ES256']);
  });

  it('with rfc9207Iss, adds authorization_response_iss_parameter_supported and nothing else', async () => {
    const rfc = await startAuthServer({ apiUrl: API_URL, operators: OPERATORS, rfc9207Iss: true });
    try {
      const document = await discoveryDocument(rfc.issuer);
      expect(Object.keys(document).sort()).toEqual([...HYDRA_FIELDS, 'authorization_response_iss_parameter_supported'].sort());
      expect(document['authorization_response_iss_parameter_supported']).toBe(true);
    } finally {
      await rfc.close();
    }
  });

  it('still serves introspection (unadvertised) for the sandbox tooling', async () => {
    const response = await fetch(new URL('oauth2/introspect', server.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${server.tooling.client_id}:${server.tooling.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ token: 'not-a-token' }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ active: false });
  });

  it('serves one public ES256 signing key', async () => {
    const jwks = (await (await fetch(as.jwks_uri!)).json()) as { keys: Record<string, unknown>[] };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('generates fresh keys and tooling secrets per start', async () => {
    const other = await startAuthServer({ apiUrl: API_URL, operators: OPERATORS });
    try {
      expect(other.issuer).not.toBe(server.issuer);
      expect(other.tooling.client_secret).not.toBe(server.tooling.client_secret);
      const keyOf = async (issuer: string) => ((await (await fetch(new URL('.well-known/jwks.json', issuer))).json()) as { keys: { x: string }[] }).keys[0]?.x;
      expect(await keyOf(other.issuer)).not.toBe(await keyOf(server.issuer));
    } finally {
      await other.close();
    }
  });
});

describe('authorization endpoint', () => {
  it('starts an interaction for a valid S256 request (custom scheme)', async () => {
    const { url } = await authorizationRequest(as);
    const response = await get(url);
    expect(response.status).toBe(303);
    expect(response.location).toMatch(/^\/interaction\/[\w-]+$/);
  });

  it('accepts the loopback redirect URI on any port (RFC 8252 §7.3)', async () => {
    for (const port of [1024, 54321]) {
      const { url } = await authorizationRequest(as, { redirectUri: loopbackRedirect(port) });
      const response = await get(url);
      expect(response.status).toBe(303);
      expect(response.location).toMatch(/^\/interaction\//);
    }
  });

  it('still requires PKCE (not advertised): a request without it is redirected with invalid_request and no iss', async () => {
    const { url, state } = await authorizationRequest(as);
    const response = await get(withParams(url, { code_challenge: null, code_challenge_method: null }));
    expect(response.status).toBe(303);
    const location = new URL(response.location!);
    expect(`${location.protocol}${location.pathname}`).toBe(CUSTOM_SCHEME_REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.has('iss')).toBe(false);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('with rfc9207Iss, error redirects carry iss', async () => {
    const rfc = await startAuthServer({ apiUrl: API_URL, operators: OPERATORS, rfc9207Iss: true });
    try {
      const { url } = await authorizationRequest(await discover(rfc.issuer));
      const response = await get(withParams(url, { code_challenge: null, code_challenge_method: null }));
      const location = new URL(response.location!);
      expect(location.searchParams.get('error')).toBe('invalid_request');
      expect(location.searchParams.get('iss')).toBe(rfc.issuer);
    } finally {
      await rfc.close();
    }
  });

  it('rejects the plain PKCE method', async () => {
    const { url, verifier } = await authorizationRequest(as);
    const response = await get(withParams(url, { code_challenge: verifier, code_challenge_method: 'plain' }));
    expect(response.status).toBe(303);
    const location = new URL(response.location!);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/code_challenge_method/);
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('rejects a resource indicator other than the API', async () => {
    const { url } = await authorizationRequest(as, { extra: { resource: 'http://127.0.0.1:9/other' } });
    const response = await get(url);
    expect(response.status).toBe(303);
    expect(new URL(response.location!).searchParams.get('error')).toBe('invalid_target');
  });

  it.each([
    ['an unregistered URI', 'https://attacker.test/oauth2/callback'],
    ['another path on loopback', 'http://127.0.0.1:8080/elsewhere'],
    ['localhost instead of 127.0.0.1', 'http://localhost:8080/oauth2/callback'],
    ['another custom-scheme path', 'com.partnerconsole.desktop:/other'],
    ['https loopback', 'https://127.0.0.1:8080/oauth2/callback'],
  ])('rejects %s without redirecting to it', async (_label, redirectUri) => {
    const { url } = await authorizationRequest(as, { redirectUri });
    const response = await get(url);
    expect(response.status).toBe(400);
    expect(response.location).toBeNull();
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.body).toContain('invalid_redirect_uri');
    expect(response.body).toContain('<html lang="en">');
    expect(response.body).not.toContain(redirectUri);
  });

  it('rejects an unknown client with an error page and no redirect', async () => {
    const { url } = await authorizationRequest(as);
    const response = await get(withParams(url, { client_id: 'not-a-client' }));
    expect(response.status).toBe(400);
    expect(response.location).toBeNull();
    expect(response.body).toContain('invalid_client');
  });

  it('rejects the tooling client, which has no authorization-code grant', async () => {
    const { url } = await authorizationRequest(as);
    const response = await get(withParams(url, { client_id: server.tooling.client_id }));
    expect(response.status).toBe(400);
    expect(response.location).toBeNull();
  });

  it('serves the advertised end-session endpoint: a signed-in browser gets the sandbox’s own sign-out page', async () => {
    const jar = new CookieJar();
    const { url } = await authorizationRequest(as);
    await authorizeOverHttp(url, { email: OPERATORS[0]!.email, password: SANDBOX_PASSWORD, jar });
    const response = await fetch(as.end_session_endpoint!, { headers: { cookie: jar.header(as.end_session_endpoint!) }, redirect: 'manual' });
    const body = await response.text();
    expect(response.status).toBe(200);
    expect(body).toContain('Sign out of the sandbox?');
    expect(body).toContain('<form id="op.logoutForm" method="post"');
    expect(body).not.toContain('fonts.googleapis.com');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });

  it('answers unknown interaction URLs with an accessible error page', async () => {
    const response = await get(`${server.issuer}interaction/doesnotexist`);
    expect(response.status).toBe(400);
    expect(response.body).toContain('<title>');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});
