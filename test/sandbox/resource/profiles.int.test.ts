// Profiles and balances over real HTTP: shapes, pagination, cursors, delegation isolation and scopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSET_PRECISION, ASSETS, buildSeed } from '../../../sandbox/seed';
import { expectProblem, IDLE, OPS, OPS2, startHarness, type Harness } from './harness';

let h: Harness;
let big: Harness;
let ops: string;

beforeAll(async () => {
  [h, big] = await Promise.all([startHarness(), startHarness({ seed: buildSeed(2500) })]);
  ops = await h.ops();
});
afterAll(async () => {
  await Promise.all([h.close(), big.close()]);
});

const seedOf = (harness: Harness, operator: string) => harness.seed.profiles.filter((p) => p.operator === operator);

describe('GET /v2/profiles', () => {
  it('lists exactly the operator’s delegated profiles with the Paxos fields', async () => {
    const res = await h.call('GET', '/v2/profiles', { token: ops });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const expected = seedOf(h, OPS);
    expect(res.json.next_page_cursor).toBeUndefined();
    expect(res.json.items.map((p: { id: string }) => p.id)).toEqual(expected.map((p) => p.id));
    for (const [i, item] of res.json.items.entries()) {
      const s = expected[i]!;
      expect(Object.keys(item).sort()).toEqual(['account_id', 'created_at', 'id', 'identity_id', 'nickname', 'type']);
      expect(item).toMatchObject({ id: s.id, nickname: s.nickname, type: s.type, identity_id: s.identity_id, account_id: s.account_id });
      expect(Number.isNaN(Date.parse(item.created_at))).toBe(false);
    }
  });

  it('isolates operators: ops2 sees only its own, idle sees none', async () => {
    const two = await h.call('GET', '/v2/profiles', { token: await h.ops(OPS2) });
    expect(two.json.items.map((p: { id: string }) => p.id)).toEqual(seedOf(h, OPS2).map((p) => p.id));
    const mine = new Set(seedOf(h, OPS).map((p) => p.id));
    expect(two.json.items.some((p: { id: string }) => mine.has(p.id))).toBe(false);
    const idle = await h.call('GET', '/v2/profiles', { token: await h.ops(IDLE) });
    expect(idle.status).toBe(200);
    expect(idle.json.items).toEqual([]);
  });

  it('pages through 2,503 profiles with limit=1000 in 3 pages, none missing or repeated', async () => {
    const token = await big.ops();
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    do {
      const qs = new URLSearchParams({ limit: '1000', ...(cursor ? { page_cursor: cursor } : {}) });
      const res = await big.call('GET', `/v2/profiles?${qs}`, { token });
      expect(res.status).toBe(200);
      sizes.push(res.json.items.length);
      seen.push(...res.json.items.map((p: { id: string }) => p.id));
      cursor = res.json.next_page_cursor;
    } while (cursor !== undefined && sizes.length < 10);
    const expected = seedOf(big, OPS).map((p) => p.id);
    expect(expected.length).toBe(2503);
    expect(sizes).toEqual([1000, 1000, 503]);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expected);
  });

  it('defaults to 100 items and supports order=DESC', async () => {
    const token = await big.ops();
    const first = await big.call('GET', '/v2/profiles', { token });
    expect(first.json.items).toHaveLength(100);
    expect(typeof first.json.next_page_cursor).toBe('string');
    const desc = await big.call('GET', '/v2/profiles?order=DESC&limit=2', { token });
    const all = seedOf(big, OPS);
    expect(desc.json.items.map((p: { id: string }) => p.id)).toEqual([all[all.length - 1]!.id, all[all.length - 2]!.id]);
  });

  it.each([['0'], ['1001'], ['abc'], ['-1'], ['1.5']])('rejects limit=%s with 400', async (limit) => {
    expectProblem(await h.call('GET', `/v2/profiles?limit=${limit}`, { token: ops }), 400, 'invalid-request');
  });

  it('rejects tampered, foreign and garbage cursors with 400 invalid-cursor', async () => {
    const token = await big.ops();
    const first = await big.call('GET', '/v2/profiles?limit=10', { token });
    const cursor: string = first.json.next_page_cursor;
    const ok = await big.call('GET', `/v2/profiles?limit=10&page_cursor=${encodeURIComponent(cursor)}`, { token });
    expect(ok.status).toBe(200);
    const [data, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(data, 'base64url').toString()), a: 5 })).toString('base64url');
    const bad = [
      `${forged}.${mac}`,
      `${data.slice(0, -2)}${data.endsWith('A') ? 'B' : 'A'}${data.slice(-1)}.${mac}`,
      'not-a-cursor',
      Buffer.from('{"a":5}').toString('base64url'),
      'x'.repeat(600),
    ];
    for (const c of bad) {
      expectProblem(await big.call('GET', `/v2/profiles?page_cursor=${encodeURIComponent(c)}`, { token }), 400, 'invalid-cursor');
    }
    // Valid elsewhere is invalid here: another query (order), another operator, another server instance.
    expectProblem(await big.call('GET', `/v2/profiles?order=DESC&page_cursor=${encodeURIComponent(cursor)}`, { token }), 400, 'invalid-cursor');
    expectProblem(await big.call('GET', `/v2/profiles?page_cursor=${encodeURIComponent(cursor)}`, { token: await big.ops(OPS2) }), 400, 'invalid-cursor');
    expectProblem(await h.call('GET', `/v2/profiles?page_cursor=${encodeURIComponent(cursor)}`, { token: ops }), 400, 'invalid-cursor');
  });

  it('requires funding:read_profile and an operator subject', async () => {
    const res = await h.call('GET', '/v2/profiles', { token: await h.ops(OPS, ['conversion:read_conversion_stablecoin']) });
    expectProblem(res, 403, 'insufficient-scope');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer .*error="insufficient_scope".*scope="funding:read_profile"/);
    const noSub = await h.token({ sub: null, scopes: ['funding:read_profile'] });
    expectProblem(await h.call('GET', '/v2/profiles', { token: noSub }), 403, 'not-delegated');
    const tooling = await h.token({ sub: 'sandbox-tooling', clientId: 'sandbox-tooling', scopes: ['funding:read_profile'] });
    expectProblem(await h.call('GET', '/v2/profiles', { token: tooling }), 403, 'not-delegated');
    const otherClientCredentials = await h.token({ sub: 'some-service', clientId: 'some-service', scopes: ['funding:read_profile'] });
    expectProblem(await h.call('GET', '/v2/profiles', { token: otherClientCredentials }), 403, 'not-delegated');
  });
});

describe('profile and balances', () => {
  const acme = () => seedOf(h, OPS)[0]!;
  const delta = () => seedOf(h, OPS2)[0]!;

  it('GET /v2/profiles/{id} returns the profile', async () => {
    const res = await h.call('GET', `/v2/profiles/${acme().id}`, { token: ops });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: acme().id, identity_id: acme().identity_id, account_id: acme().account_id });
  });

  it('lists every asset at its precision, available and trading', async () => {
    const res = await h.call('GET', `/v2/profiles/${acme().id}/balances`, { token: ops });
    expect(res.status).toBe(200);
    expect(res.json.items.map((b: { asset: string }) => b.asset)).toEqual([...ASSETS]);
    for (const b of res.json.items as { asset: keyof typeof ASSET_PRECISION; available: string; trading: string }[]) {
      const seeded = acme().balances[b.asset] ?? '0';
      expect(b.available).toBe(Number(seeded) === 0 ? (0).toFixed(ASSET_PRECISION[b.asset]) : seeded);
      expect(b.available.split('.')[1]).toHaveLength(ASSET_PRECISION[b.asset]);
      expect(b.trading).toBe((0).toFixed(ASSET_PRECISION[b.asset]));
    }
  });

  it('filters with assets=comma,list and repeated assets, and rejects unknown assets', async () => {
    const comma = await h.call('GET', `/v2/profiles/${acme().id}/balances?assets=USDP,USD`, { token: ops });
    expect(comma.json.items.map((b: { asset: string }) => b.asset)).toEqual(['USD', 'USDP']);
    const repeated = await h.call('GET', `/v2/profiles/${acme().id}/balances?assets=PYUSD&assets=USDG`, { token: ops });
    expect(repeated.json.items.map((b: { asset: string }) => b.asset)).toEqual(['PYUSD', 'USDG']);
    expectProblem(await h.call('GET', `/v2/profiles/${acme().id}/balances?assets=USD,BTC`, { token: ops }), 400, 'invalid-asset');
  });

  it('GET /balances/{asset} returns one balance; unknown asset is 400', async () => {
    const res = await h.call('GET', `/v2/profiles/${acme().id}/balances/USDP`, { token: ops });
    expect(res.json).toEqual({ asset: 'USDP', available: '1200.50000000', trading: '0.00000000' });
    expectProblem(await h.call('GET', `/v2/profiles/${acme().id}/balances/usd`, { token: ops }), 400, 'invalid-asset');
  });

  it('another operator’s profile is 403 not-delegated on every profile route; unknown is 404', async () => {
    for (const path of [`/v2/profiles/${delta().id}`, `/v2/profiles/${delta().id}/balances`, `/v2/profiles/${delta().id}/balances/USD`]) {
      const res = expectProblem(await h.call('GET', path, { token: ops }), 403, 'not-delegated');
      expect(JSON.stringify(res)).not.toContain('99000');
      expectProblem(await h.call('GET', path.replace(delta().id, 'a0000001-0000-4000-8000-00000000ffff'), { token: ops }), 404, 'not-found');
    }
  });

  it('balances need funding:read_profile', async () => {
    const token = await h.ops(OPS, ['conversion:write_conversion_stablecoin', 'conversion:read_conversion_stablecoin']);
    for (const path of [`/v2/profiles/${acme().id}`, `/v2/profiles/${acme().id}/balances`, `/v2/profiles/${acme().id}/balances/USD`]) {
      expectProblem(await h.call('GET', path, { token }), 403, 'insufficient-scope');
    }
  });
});
