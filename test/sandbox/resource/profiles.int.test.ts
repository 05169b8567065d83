// Profiles and balances over real HTTP: published shapes and filters, pagination, cursors, delegation isolation and scopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LISTED_ASSETS, buildSeed } from '../../../sandbox/seed';
import { ALL_SCOPES, expectProblem, IDLE, OPS, OPS2, scopeDetail, startHarness, type Harness } from './harness';

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
const idsOf = (res: { json: { items: { id: string }[] } }) => res.json.items.map((p) => p.id);

describe('GET /v2/profiles', () => {
  it('lists exactly the operator’s delegated profiles as published Profiles: id, nickname, type', async () => {
    const res = await h.call('GET', '/v2/profiles', { token: ops });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json.next_page_cursor).toBeUndefined();
    expect(res.json.items).toEqual(seedOf(h, OPS).map((s) => ({ id: s.id, nickname: s.nickname, type: s.type })));
  });

  it('each operator has exactly one DEFAULT profile, the first of its listing; the others are NORMAL', async () => {
    for (const operator of [OPS, OPS2]) {
      const res = await h.call('GET', '/v2/profiles', { token: await h.ops(operator) });
      const types = res.json.items.map((p: { type: string }) => p.type);
      expect(types[0]).toBe('DEFAULT');
      expect(types.slice(1).every((t: string) => t === 'NORMAL')).toBe(true);
    }
    expect(seedOf(h, OPS)[0]!.nickname).toBe('Acme Treasury');
    expect(seedOf(h, OPS2)[0]!.nickname).toBe('Delta Remit');
  });

  it('isolates operators: ops2 sees only its own, idle sees none', async () => {
    const two = await h.call('GET', '/v2/profiles', { token: await h.ops(OPS2) });
    expect(idsOf(two)).toEqual(seedOf(h, OPS2).map((p) => p.id));
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
      seen.push(...idsOf(res));
      cursor = res.json.next_page_cursor;
    } while (cursor !== undefined && sizes.length < 10);
    const expected = seedOf(big, OPS).map((p) => p.id);
    expect(expected.length).toBe(2503);
    expect(sizes).toEqual([1000, 1000, 503]);
    expect(seen).toEqual(expected);
  });

  it('defaults to 100 items; order=DESC and order_by=CREATED_AT are accepted', async () => {
    const token = await big.ops();
    const first = await big.call('GET', '/v2/profiles', { token });
    expect(first.json.items).toHaveLength(100);
    expect(typeof first.json.next_page_cursor).toBe('string');
    const all = seedOf(big, OPS);
    const desc = await big.call('GET', '/v2/profiles?order=DESC&order_by=CREATED_AT&limit=2', { token });
    expect(idsOf(desc)).toEqual([all[all.length - 1]!.id, all[all.length - 2]!.id]);
    expectProblem(await big.call('GET', '/v2/profiles?order_by=NICKNAME', { token }), 400);
  });

  it('filters by ids (repeated, exploded), nickname and created_at', async () => {
    const [acme, blue, cedar] = [seedOf(h, OPS)[0]!, seedOf(h, OPS)[1]!, seedOf(h, OPS)[2]!];
    const delta = seedOf(h, OPS2)[0]!;
    expect(idsOf(await h.call('GET', `/v2/profiles?ids=${cedar.id}&ids=${acme.id}`, { token: ops }))).toEqual([acme.id, cedar.id]);
    // Exploded: a comma-joined value is one id, which no profile has. Another operator's id matches nothing either.
    expect(idsOf(await h.call('GET', `/v2/profiles?ids=${acme.id},${cedar.id}`, { token: ops }))).toEqual([]);
    expect(idsOf(await h.call('GET', `/v2/profiles?ids=${delta.id}`, { token: ops }))).toEqual([]);
    expect(idsOf(await h.call('GET', '/v2/profiles?nickname=blue', { token: ops }))).toEqual([blue.id]);
    // Seeded profiles were created one minute apart from 2024-01-02T09:00:00Z, in seed order.
    const at = (minute: number) => encodeURIComponent(`2024-01-02T09:0${minute}:00Z`);
    expect(idsOf(await h.call('GET', `/v2/profiles?created_at.gte=${at(1)}`, { token: ops }))).toEqual([blue.id, cedar.id]);
    expect(idsOf(await h.call('GET', `/v2/profiles?created_at.gt=${at(1)}`, { token: ops }))).toEqual([cedar.id]);
    expect(idsOf(await h.call('GET', `/v2/profiles?created_at.lt=${at(1)}`, { token: ops }))).toEqual([acme.id]);
    expect(idsOf(await h.call('GET', `/v2/profiles?created_at.lte=${at(1)}`, { token: ops }))).toEqual([acme.id, blue.id]);
    expect(idsOf(await h.call('GET', `/v2/profiles?created_at.eq=${at(2)}`, { token: ops }))).toEqual([cedar.id]);
    expectProblem(await h.call('GET', '/v2/profiles?created_at.gt=yesterday', { token: ops }), 400);
  });

  it('rejects query parameters the spec does not declare', async () => {
    for (const qs of ['statuses=CREATED', 'identity_id=x', 'asset=USD']) {
      const problem = expectProblem(await h.call('GET', `/v2/profiles?${qs}`, { token: ops }), 400);
      expect(problem.detail).toContain(qs.split('=')[0]);
    }
  });

  it.each([['0'], ['1001'], ['abc'], ['-1'], ['1.5']])('rejects limit=%s with 400 about:blank', async (limit) => {
    expectProblem(await h.call('GET', `/v2/profiles?limit=${limit}`, { token: ops }), 400);
  });

  it('rejects tampered, foreign and garbage cursors with 400', async () => {
    const token = await big.ops();
    const first = await big.call('GET', '/v2/profiles?limit=10', { token });
    const cursor: string = first.json.next_page_cursor;
    expect((await big.call('GET', `/v2/profiles?limit=10&page_cursor=${encodeURIComponent(cursor)}`, { token })).status).toBe(200);
    const [data, mac] = cursor.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(data, 'base64url').toString()), a: 5 })).toString('base64url');
    const bad = [`${forged}.${mac}`, `${data.slice(0, -2)}${data.endsWith('A') ? 'B' : 'A'}${data.slice(-1)}.${mac}`, 'not-a-cursor', Buffer.from('{"a":5}').toString('base64url'), 'x'.repeat(600)];
    for (const c of bad) {
      expect(expectProblem(await big.call('GET', `/v2/profiles?page_cursor=${encodeURIComponent(c)}`, { token }), 400).detail).toMatch(/page_cursor/);
    }
    // Valid elsewhere is invalid here: another query (order), another operator, another server instance.
    expectProblem(await big.call('GET', `/v2/profiles?order=DESC&page_cursor=${encodeURIComponent(cursor)}`, { token }), 400);
    expectProblem(await big.call('GET', `/v2/profiles?page_cursor=${encodeURIComponent(cursor)}`, { token: await big.ops(OPS2) }), 400);
    expectProblem(await h.call('GET', `/v2/profiles?page_cursor=${encodeURIComponent(cursor)}`, { token: ops }), 400);
  });

  it('requires funding:read_profile (403 about:blank, published detail, no meta, no challenge header) and an operator', async () => {
    const granted = ['conversion:read_conversion_stablecoin', 'identity:read_account'];
    const res = await h.call('GET', '/v2/profiles', { token: await h.ops(OPS, granted) });
    expect(expectProblem(res, 403).detail).toBe(scopeDetail(granted, 'funding:read_profile'));
    expect(res.headers['www-authenticate']).toBeUndefined();
    for (const token of [
      await h.token({ sub: null, scopes: ['funding:read_profile'] }),
      await h.token({ sub: 'sandbox-tooling', clientId: 'sandbox-tooling', scopes: ['funding:read_profile'] }),
      await h.token({ sub: 'some-service', clientId: 'some-service', scopes: ['funding:read_profile'] }),
    ]) {
      expect(expectProblem(await h.call('GET', '/v2/profiles', { token }), 403).detail).not.toMatch(/insufficient scopes/);
    }
  });
});

describe('profile and balances', () => {
  const acme = () => seedOf(h, OPS)[0]!; // DEFAULT; USD 250000.00, USDP 1200.50000000, PYUSD 300.000000, BTC 1.23103715
  const blue = () => seedOf(h, OPS)[1]!; // USD 1520.75, USDG 88.123456, PAXG 0.25
  const delta = () => seedOf(h, OPS2)[0]!;

  it('GET /v2/profiles/{id} returns the published Profile; include_deactivated is accepted', async () => {
    const res = await h.call('GET', `/v2/profiles/${blue().id}`, { token: ops });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ id: blue().id, nickname: 'Blue Harbor LLC', type: 'NORMAL' });
    const withFlag = await h.call('GET', `/v2/profiles/${acme().id}?include_deactivated=true`, { token: ops });
    expect(withFlag.json).toEqual({ id: acme().id, nickname: 'Acme Treasury', type: 'DEFAULT' });
    expect((await h.call('GET', `/v2/profiles/${acme().id}?include_deactivated=false`, { token: ops })).status).toBe(200);
    expectProblem(await h.call('GET', `/v2/profiles/${acme().id}?include_deactivated=maybe`, { token: ops }), 400);
  });

  it('lists every asset, traded ones first, with published decimals: "0" for zero, no leading zero below 1', async () => {
    const res = await h.call('GET', `/v2/profiles/${acme().id}/balances`, { token: ops });
    expect(res.status).toBe(200);
    expect(res.json.items.map((b: { asset: string }) => b.asset)).toEqual([...LISTED_ASSETS]);
    const available = Object.fromEntries(res.json.items.map((b: { asset: string; available: string }) => [b.asset, b.available]));
    expect(available).toEqual({ USD: '250000.00', USDP: '1200.50000000', PYUSD: '300.000000', USDG: '0', EUR: '0', SGD: '0', BTC: '1.23103715', ETH: '0', PAXG: '0', BCH: '0', SOL: '0' });
    expect(res.json.items.every((b: { trading: string }) => b.trading === '0')).toBe(true);
    const other = await h.call('GET', `/v2/profiles/${blue().id}/balances/PAXG`, { token: ops });
    expect(other.json).toEqual({ asset: 'PAXG', available: '.25000000', trading: '0' });
    expect((await h.call('GET', `/v2/profiles/${blue().id}/balances/USDG`, { token: ops })).json.available).toBe('88.12345600');
  });

  it('filters with repeated assets (explode: true); a comma-joined value is one unknown asset (400)', async () => {
    const repeated = await h.call('GET', `/v2/profiles/${acme().id}/balances?assets=USDP&assets=USD&assets=BTC`, { token: ops });
    expect(repeated.json.items.map((b: { asset: string }) => b.asset)).toEqual(['USD', 'USDP', 'BTC']);
    const comma = expectProblem(await h.call('GET', `/v2/profiles/${acme().id}/balances?assets=USDP,USD`, { token: ops }), 400);
    expect(comma.detail).toContain('"USDP,USD"');
    expectProblem(await h.call('GET', `/v2/profiles/${acme().id}/balances?assets=DOGE`, { token: ops }), 400);
  });

  it('GET /balances/{asset} returns one balance; an unknown asset is 400', async () => {
    const res = await h.call('GET', `/v2/profiles/${acme().id}/balances/USDP`, { token: ops });
    expect(res.json).toEqual({ asset: 'USDP', available: '1200.50000000', trading: '0' });
    expectProblem(await h.call('GET', `/v2/profiles/${acme().id}/balances/usd`, { token: ops }), 400);
  });

  it('another operator’s profile is 404 about:blank on every profile route, worded exactly as an unknown one', async () => {
    const unknown = 'a0000001-0000-4000-8000-00000000ffff';
    for (const path of [`/v2/profiles/${delta().id}`, `/v2/profiles/${delta().id}/balances`, `/v2/profiles/${delta().id}/balances/USD`]) {
      const foreign = await h.call('GET', path, { token: ops });
      const missing = await h.call('GET', path.replace(delta().id, unknown), { token: ops });
      expect(foreign.text).not.toContain('99000');
      expect(expectProblem(foreign, 404).detail.replace(delta().id, '<id>')).toBe(expectProblem(missing, 404).detail.replace(unknown, '<id>'));
    }
  });

  it('balances need funding:read_profile', async () => {
    const granted = ALL_SCOPES.filter((s) => s !== 'funding:read_profile');
    const token = await h.ops(OPS, granted);
    for (const path of [`/v2/profiles/${acme().id}`, `/v2/profiles/${acme().id}/balances`, `/v2/profiles/${acme().id}/balances/USD`]) {
      expect(expectProblem(await h.call('GET', path, { token }), 403).detail).toBe(scopeDetail(granted, 'funding:read_profile'));
    }
  });
});
