// Authentication (401 + WWW-Authenticate), per-endpoint scope enforcement, and problem+json for every failure.
import { generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, expectProblem, OPS, startHarness, type Harness } from './harness';

let h: Harness;
const acme = 'a0000001-0000-4000-8000-000000000001';

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
  { method: 'POST', path: `/v2/sandbox/profiles/${acme}/deposit`, scope: 'funding:read_profile', body: { asset: 'USD', amount: '1' } },
  { method: 'GET', path: '/v2/conversion/stablecoins', scope: 'conversion:read_conversion_stablecoin' },
  { method: 'GET', path: '/v2/conversion/stablecoins/00000000-0000-4000-8000-000000000000', scope: 'conversion:read_conversion_stablecoin' },
  { method: 'POST', path: '/v2/conversion/stablecoins', scope: 'conversion:write_conversion_stablecoin', body: { profile_id: acme, amount: '1', source_asset: 'USD', target_asset: 'USDP' } },
  { method: 'DELETE', path: '/v2/conversion/stablecoins/00000000-0000-4000-8000-000000000000', scope: 'conversion:write_conversion_stablecoin' },
];

function expectInvalidToken(res: Awaited<ReturnType<Harness['call']>>): void {
  expectProblem(res, 401, 'invalid-token');
  expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="[^"]+", error="invalid_token"/);
}

describe('401 invalid_token', () => {
  it.each(ROUTES.map((r) => [r.method, r.path, r]))('%s %s without a token', async (_m, _p, route) => {
    expectInvalidToken(await h.call(route.method, route.path, { body: route.body }));
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
    for (const token of tokens) expectInvalidToken(await h.call('GET', '/v2/profiles', { token }));
    expectInvalidToken(await h.call('GET', '/v2/profiles', { headers: { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` } }));
    expectInvalidToken(await h.call('GET', '/v2/profiles', { headers: { authorization: 'Bearer' } }));
  });

  it('never echoes the token', async () => {
    const token = await h.token({ iatOffset: -7200, expOffset: -10 });
    const res = await h.call('GET', '/v2/profiles', { token });
    expect(res.text).not.toContain(token);
    expect(String(res.headers['www-authenticate'])).not.toContain(token);
  });
});

describe('403 insufficient_scope per endpoint', () => {
  it.each(ROUTES.map((r) => [r.method, r.path, r.scope, r]))('%s %s needs %s', async (_m, _p, scope, route) => {
    const token = await h.ops(OPS, ALL_SCOPES.filter((s) => s !== scope));
    const res = await h.call(route.method, route.path, { token, body: route.body });
    const body = expectProblem(res, 403, 'insufficient-scope');
    expect(body.meta).toEqual({ required_scope: scope });
    expect(res.headers['www-authenticate']).toBe(`Bearer realm="partner-console-sandbox", error="insufficient_scope", scope="${scope}"`);
    // With only that scope, the scope check passes (whatever the route answers next, it is not a scope problem).
    const only = await h.call(route.method, route.path, { token: await h.ops(OPS, [scope]), body: route.body });
    expect(only.json?.type ?? '').not.toMatch(/insufficient-scope$/);
    expect(only.status).not.toBe(401);
  });
});

describe('problem+json everywhere', () => {
  it('unknown routes and methods are 404 problems', async () => {
    expectProblem(await h.call('GET', '/v2/nope'), 404, 'not-found');
    expectProblem(await h.call('GET', '/'), 404, 'not-found');
    expectProblem(await h.call('PUT', '/v2/profiles', { token: await h.ops() }), 404, 'not-found');
  });

  it('undecodable URLs are 400 problems', async () => {
    const res = await h.app.inject({ method: 'GET', url: `/v2/profiles/%E0%A4%A/balances` });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json().type).toMatch(/invalid-request$/);
  });

  it('malformed JSON is 400 invalid-json, never 500', async () => {
    const token = await h.ops();
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody: '{"profile_id": ' }), 400, 'invalid-json');
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody: '' }), 400, 'invalid-json');
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody: '{"__proto__": {"x": 1}}' }), 400, 'invalid-json');
  });

  it('wrong content type is 415, oversized body is 413', async () => {
    const token = await h.ops();
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody: 'amount=1', contentType: 'text/plain' }), 415, 'unsupported-media-type');
    const huge = JSON.stringify({ profile_id: acme, metadata: { a: 'x'.repeat(100_000) } });
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, rawBody: huge }), 413, 'payload-too-large');
  });

  it('body schema violations are 400 with the failing path in meta', async () => {
    const token = await h.ops();
    const base = { profile_id: acme, amount: '1', source_asset: 'USD', target_asset: 'USDP' };
    const cases: [unknown, string][] = [
      [{ ...base, extra: 1 }, 'invalid-request'],
      [{ ...base, amount: 1 }, 'invalid-amount'],
      [{ ...base, source_asset: 'BTC' }, 'invalid-request'],
      [{ amount: '1', source_asset: 'USD', target_asset: 'USDP' }, 'invalid-request'],
      [{ ...base, metadata: { k: 1 } }, 'invalid-request'],
      [[base], 'invalid-request'],
      ['just a string', 'invalid-request'],
    ];
    for (const [body, kind] of cases) {
      const problem = expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token, body }), 400, kind);
      expect(Array.isArray(problem.meta?.['errors'])).toBe(true);
    }
  });
});
