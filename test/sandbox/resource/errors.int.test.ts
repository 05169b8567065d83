// Authentication (401 + WWW-Authenticate), per-endpoint scope enforcement, and problem+json for every failure.
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, expectProblem, OPS, scopeDetail, startHarness, type Harness } from './harness';

let h: Harness;
const acme = 'a0000001-0000-4000-8000-000000000001';
const blueAccount = 'c0000001-0000-4000-8000-000000000002';

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

const ROUTES: { method: string; path: string; scope: string; body?: unknown }[] = [
  { method: 'GET', path: '/v2/profiles', scope: 'funding:read_profile' },
  { method: 'GET', path: `/v2/profiles/${acme}`, scope: 'funding:read_profile' },
  { method: 'GET', path: `/v2/profiles/${acme}/balances`, scope: 'funding:read_profile' },
  { method: 'GET', path: `/v2/profiles/${acme}/balances/USD`, scope: 'funding:read_profile' },
  { method: 'GET', path: '/v2/identity/accounts', scope: 'identity:read_account' },
  { method: 'GET', path: `/v2/identity/accounts/${blueAccount}`, scope: 'identity:read_account' },
  { method: 'POST', path: `/v2/sandbox/profiles/${acme}/deposit`, scope: 'funding:read_profile', body: { asset: 'USD', amount: '1' } },
  { method: 'GET', path: '/v2/conversion/stablecoins', scope: 'conversion:read_conversion_stablecoin' },
  { method: 'GET', path: '/v2/conversion/stablecoins/00000000-0000-4000-8000-000000000000', scope: 'conversion:read_conversion_stablecoin' },
  { method: 'POST', path: '/v2/conversion/stablecoins', scope: 'conversion:write_conversion_stablecoin', body: { profile_id: acme, amount: '1', source_asset: 'USD', target_asset: 'USDP' } },
  { method: 'DELETE', path: '/v2/conversion/stablecoins/00000000-0000-4000-8000-000000000000', scope: 'conversion:write_conversion_stablecoin' },
];

/** 401 about:blank "Unauthorized"; the RFC 6750 challenge names invalid_token only when a token was presented. */
function expectUnauthorized(res: Awaited<ReturnType<Harness['call']>>, presented = true): void {
  expectProblem(res, 401);
  expect(res.headers['www-authenticate']).toBe(presented ? 'Bearer error="invalid_token"' : 'Bearer');
}

describe('401 Unauthorized', () => {
  it.each(ROUTES.map((r) => [r.method, r.path, r]))('%s %s without a token', async (_m, _p, route) => {
    expectUnauthorized(await h.call(route.method, route.path, { body: route.body }), false);
  });

  it('rejects expired, bad-signature, wrong-audience and malformed tokens', async () => {
    const other = await generateKeyPair('ES256');
    const tokens = [
      await h.token({ iatOffset: -7200, expOffset: -10 }),
      await h.token({ key: other.privateKey }),
      await h.token({ audience: 'https://elsewhere.test' }),
      (await h.token()).slice(0, -4) + 'AAAA',
      'not.a.jwt',
    ];
    for (const token of tokens) expectUnauthorized(await h.call('GET', '/v2/profiles', { token }));
    expectUnauthorized(await h.call('GET', '/v2/profiles', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }), false);
    expectUnauthorized(await h.call('GET', '/v2/profiles', { headers: { authorization: 'Bearer' } }), false);
  });

  it('never echoes the token', async () => {
    const token = await h.token({ iatOffset: -7200, expOffset: -10 });
    const res = await h.call('GET', '/v2/profiles', { token });
    expect(res.text).not.toContain(token);
    expect(String(res.headers['www-authenticate'])).not.toContain(token);
  });
});

describe('403 missing scope per endpoint, as Paxos publishes it', () => {
  it.each(ROUTES.map((r) => [r.method, r.path, r.scope, r]))('%s %s needs %s', async (_m, _p, scope, route) => {
    const granted = ALL_SCOPES.filter((s) => s !== scope);
    const res = await h.call(route.method, route.path, { token: await h.ops(OPS, granted), body: route.body });
    const body = expectProblem(res, 403);
    expect(body).toEqual({ type: 'about:blank', title: 'Forbidden', status: 403, detail: scopeDetail(granted, scope) });
    expect(res.headers['www-authenticate']).toBeUndefined();
    // With only that scope, the scope check passes (whatever the route answers next, it is not a scope problem).
    const only = await h.call(route.method, route.path, { token: await h.ops(OPS, [scope]), body: route.body });
    expect(only.json?.detail ?? '').not.toMatch(/insufficient scopes/);
    expect(only.status).not.toBe(401);
  });

  it('names every granted scope, space separated, and an empty list when none was granted', async () => {
    const none = await h.call('GET', '/v2/profiles', { token: await h.ops(OPS, []) });
    expect(expectProblem(none, 403).detail).toBe("insufficient scopes: found '', required one of '[funding:read_profile]'");
  });
});

describe('problem+json everywhere, about:blank with the standard title', () => {
  it('unknown routes and methods are 404 problems', async () => {
    expectProblem(await h.call('GET', '/v2/nope'), 404);
    expectProblem(await h.call('GET', '/'), 404);
    expectProblem(await h.call('PUT', '/v2/profiles', { token: await h.ops() }), 404);
  });

  it('undecodable URLs are 400 problems', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v2/profiles/%E0%A4%A/balances` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ type: 'about:blank', title: 'Bad Request', status: 400 });
  });

  it('malformed JSON is 400, never 500', async () => {
    const token = await h.ops();
    for (const rawBody of ['{"profile_id": ', '', '{"__proto__": {"x": 1}}']) {
      expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody }), 400);
    }
  });

  it('wrong content type is 415, oversized body is 413', async () => {
    const token = await h.ops();
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody: 'amount=1', contentType: 'text/plain' }), 415);
    const huge = JSON.stringify({ profile_id: acme, metadata: { a: 'x'.repeat(100_000) } });
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody: huge }), 413);
  });

  it('body schema violations are 400 naming the failing field in the detail', async () => {
    const token = await h.ops();
    const base = { profile_id: acme, amount: '1', source_asset: 'USD', target_asset: 'USDP' };
    const cases: [unknown, RegExp][] = [
      [{ ...base, extra: 1 }, /extra/],
      [{ ...base, amount: 1 }, /amount/],
      [{ ...base, source_asset: 'BTC' }, /source_asset/],
      [{ amount: '1', source_asset: 'USD', target_asset: 'USDP' }, /profile_id/],
      [{ ...base, metadata: { k: 1 } }, /metadata/],
      [[base], /object/],
      ['just a string', /object/],
    ];
    for (const [body, detail] of cases) {
      expect(expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, body }), 400).detail).toMatch(detail);
    }
  });
});
