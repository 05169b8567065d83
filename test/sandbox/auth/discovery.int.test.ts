// Discovery, JWKS and authorization-endpoint checks that need no browser: PKCE rules, redirect URI and client rules.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../../sandbox/auth/server';
import { OPERATORS } from '../../../sandbox/seed';
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

describe('discovery', () => {
  it('publishes the sandbox endpoints on the loopback issuer', () => {
    expect(server.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(as.issuer).toBe(server.issuer);
    expect(as.authorization_endpoint).toBe(`${server.issuer}/oauth2/authorize`);
    expect(as.token_endpoint).toBe(`${server.issuer}/oauth2/token`);
    expect(as.userinfo_endpoint).toBe(`${server.issuer}/oauth2/userinfo`);
    expect(as.revocation_endpoint).toBe(`${server.issuer}/oauth2/revoke`);
    expect(as.introspection_endpoint).toBe(`${server.issuer}/oauth2/introspect`);
    expect(as.jwks_uri).toBe(`${server.issuer}/oauth2/jwks`);
  });

  it('advertises RFC 9207 iss, S256 only, code flow and the three grants', () => {
    expect(as.authorization_response_iss_parameter_supported).toBe(true);
    expect(as.code_challenge_methods_supported).toEqual(['S256']);
    expect(as.response_types_supported).toEqual(['code']);
    expect(as.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token', 'client_credentials']));
    expect(as.grant_types_supported).not.toContain('implicit');
    expect(as.scopes_supported).toEqual(expect.arrayContaining(['openid', 'offline_access']));
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
      const keyOf = async (issuer: string) => ((await (await fetch(`${issuer}/oauth2/jwks`)).json()) as { keys: { x: string }[] }).keys[0]?.x;
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

  it('rejects a request without PKCE, redirecting with invalid_request and iss', async () => {
    const { url, state } = await authorizationRequest(as);
    const response = await get(withParams(url, { code_challenge: null, code_challenge_method: null }));
    expect(response.status).toBe(303);
    const location = new URL(response.location!);
    expect(`${location.protocol}${location.pathname}`).toBe(CUSTOM_SCHEME_REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.get('state')).toBe(state);
    expect(location.searchParams.get('iss')).toBe(server.issuer);
    expect(location.searchParams.has('code')).toBe(false);
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

  it('answers unknown interaction URLs with an accessible error page', async () => {
    const response = await get(`${server.issuer}/interaction/doesnotexist`);
    expect(response.status).toBe(400);
    expect(response.body).toContain('<title>');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
  });
});
