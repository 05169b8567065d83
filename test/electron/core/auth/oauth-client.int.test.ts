// oauth-client against the exact shape of Paxos's authorization server (ORY Hydra): trailing-slash issuer, /oauth2/auth,
// no code_challenge_methods_supported, no RFC 9207 `iss`, only `sub` as a claim.
import { afterEach, describe, expect, it } from 'vitest';
import { PUBLISHED_RATE_LIMITS } from '../../../../electron/core/api/rate-limits';
import { createRequestBudget } from '../../../../electron/core/api/request-budget';
import { createOAuthClient } from '../../../../electron/core/auth/oauth-client';
import { builtInEnvironments, CUSTOM_SCHEME_REDIRECT, type Environment } from '../../../../electron/core/config';
import { startSandbox } from '../../../../sandbox/start';
import { manualClock } from '../../../support/manual-clock';
import { startHydraStub, type HydraStub } from './hydra-stub';

let stub: HydraStub | undefined;
afterEach(async () => {
  await stub?.close();
  stub = undefined;
});

/** The production environment's definition, pointed at the stub (same client id and scopes, no `resource`). */
function productionLike(issuer: string): Environment {
  const production = builtInEnvironments().find((e) => e.id === 'paxos-production')!;
  return { ...production, issuer, apiBase: 'http://127.0.0.1:9/v2' };
}

async function signIn(s: HydraStub, callback: (p: { code: string; state: string }) => Record<string, string>) {
  const client = createOAuthClient(productionLike(s.issuer), { now: Date.now });
  const request = await client.buildAuthorizationRequest(CUSTOM_SCHEME_REDIRECT);
  const { state, code } = s.authorize(request.url);
  return { request, result: client.exchangeCode(new URLSearchParams(callback({ code, state })), request) };
}

describe('oauth-client against the published Hydra discovery document', () => {
  it('the stub serves the published field set, issuer with a trailing slash, nothing advertised about PKCE or iss', async () => {
    stub = await startHydraStub();
    expect(stub.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(stub.discovery).toMatchObject({ issuer: stub.issuer, authorization_endpoint: `${stub.issuer}oauth2/auth`, claims_supported: ['sub'] });
    expect(stub.discovery).not.toHaveProperty('code_challenge_methods_supported');
    expect(stub.discovery).not.toHaveProperty('authorization_response_iss_parameter_supported');
  });

  it('sends PKCE S256 anyway, accepts a callback without iss, and assumes no name or email', async () => {
    stub = await startHydraStub({ subject: 'operator-7f3a' });
    const { request, result } = await signIn(stub, ({ code, state }) => ({ code, state }));
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${stub.issuer}oauth2/auth`);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access', 'funding:read_profile']));
    expect(url.searchParams.has('resource')).toBe(false);
    const tokens = await result;
    expect(tokens.claims).toEqual({ sub: 'operator-7f3a', email: undefined, name: undefined });
    expect(stub.tokenRequests[0]?.get('code_verifier')).toBe(request.codeVerifier);
  });

  it('rejects a callback whose iss names another issuer, even though the server does not advertise iss', async () => {
    stub = await startHydraStub();
    const { result } = await signIn(stub, ({ code, state }) => ({ code, state, iss: 'https://evil.example/' }));
    await expect(result).rejects.toThrow(/iss/);
    expect(stub.tokenRequests).toHaveLength(0);
  });

  it('requires iss when the server does advertise RFC 9207', async () => {
    stub = await startHydraStub({ extraDiscovery: { authorization_response_iss_parameter_supported: true } });
    const { result } = await signIn(stub, ({ code, state }) => ({ code, state }));
    await expect(result).rejects.toThrow(/iss/);
    expect(stub.tokenRequests).toHaveLength(0);
  });
});

describe('oauth-client and the request budget', () => {
  it('counts token requests against the 1/s family; a 429 from the token endpoint locks the environment out', async () => {
    const sandbox = await startSandbox({ rateLimitScale: 0.005 }); // the token endpoint allows one request per 1.5 s
    const clock = manualClock();
    const budget = createRequestBudget(PUBLISHED_RATE_LIMITS, clock.scheduler);
    try {
      const env = builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api }).find((e) => e.id === 'sandbox-local')!;
      const client = createOAuthClient(env, { now: Date.now, budget });
      await expect(client.refresh('not-a-refresh-token')).rejects.toBeDefined(); // 400 invalid_grant
      await expect(client.refresh('not-a-refresh-token')).rejects.toBeDefined(); // 429: over 1/s
      expect(budget.snapshot().sent.token).toBe(2);
      expect(budget.state()).toMatchObject({ status: 'lockedOut', until: clock.now() + PUBLISHED_RATE_LIMITS.lockoutMs });
      // During the lockout a token request waits: nothing reaches the server.
      let settled = false;
      void client.refresh('not-a-refresh-token').catch(() => undefined).finally(() => (settled = true));
      await new Promise((r) => setTimeout(r, 200));
      expect(settled).toBe(false);
      expect(budget.snapshot().sent.token).toBe(2);
      expect(sandbox.rateLimits.rejected()).toBe(1);
    } finally {
      budget.close();
      await sandbox.close();
    }
  });
});
