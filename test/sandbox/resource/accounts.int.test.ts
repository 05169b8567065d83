// Identity accounts over real HTTP: the published Account shape, filters, paging, delegation and the identity:read_account scope.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed } from '../../../sandbox/seed';
import { ALL_SCOPES, expectProblem, IDLE, OPS, OPS2, scopeDetail, startHarness, type Harness } from './harness';

let h: Harness;
let big: Harness;
let ops: string;

beforeAll(async () => {
  [h, big] = await Promise.all([startHarness(), startHarness({ seed: buildSeed(1200) })]);
  ops = await h.ops();
});
afterAll(async () => {
  await Promise.all([h.close(), big.close()]);
});

const seedOf = (harness: Harness, operator: string) => harness.seed.profiles.filter((p) => p.operator === operator);
const idsOf = (res: { json: { items: { id: string }[] } }) => res.json.items.map((a) => a.id);

describe('GET /v2/identity/accounts', () => {
  it('lists the identity accounts of the operator’s NORMAL profiles (DEFAULT profiles have none)', async () => {
    const res = await h.call('GET', '/v2/identity/accounts', { token: ops });
    expect(res.status).toBe(200);
    expect(res.json.next_page_cursor).toBeUndefined();
    const normal = seedOf(h, OPS).filter((p) => p.type === 'NORMAL');
    expect(normal.map((p) => p.nickname)).toEqual(['Blue Harbor LLC', 'Cedar Payments']);
    expect(res.json.items).toEqual(normal.map((p, i) => ({
      id: p.account_id,
      identity_id: p.identity_id,
      profile_id: p.id,
      type: 'BROKERAGE',
      summary_status: 'APPROVED',
      members: [{ identity_id: p.identity_id, roles: ['BENEFICIAL_OWNER'] }],
      created_at: `2024-01-02T09:0${i + 1}:00.000Z`,
      updated_at: `2024-01-02T09:0${i + 1}:00.000Z`,
    })));
    // The seeded ids are the ones the sandbox always had.
    expect(res.json.items[0].id).toBe('c0000001-0000-4000-8000-000000000002');
    expect(res.json.items[0].identity_id).toBe('b0000001-0000-4000-8000-000000000002');
  });

  it('isolates operators', async () => {
    const two = await h.call('GET', '/v2/identity/accounts', { token: await h.ops(OPS2) });
    expect(two.json.items.map((a: { profile_id: string }) => a.profile_id)).toEqual([seedOf(h, OPS2)[1]!.id]);
    expect((await h.call('GET', '/v2/identity/accounts', { token: await h.ops(IDLE) })).json.items).toEqual([]);
  });

  it('filters by identity_id, created_at.* and updated_at.*; orders ASC/DESC', async () => {
    const [blue, cedar] = [seedOf(h, OPS)[1]!, seedOf(h, OPS)[2]!];
    expect(idsOf(await h.call('GET', `/v2/identity/accounts?identity_id=${cedar.identity_id}`, { token: ops }))).toEqual([cedar.account_id]);
    expect(idsOf(await h.call('GET', '/v2/identity/accounts?identity_id=nobody', { token: ops }))).toEqual([]);
    const at = (minute: number) => encodeURIComponent(`2024-01-02T09:0${minute}:00Z`);
    expect(idsOf(await h.call('GET', `/v2/identity/accounts?created_at.gt=${at(1)}`, { token: ops }))).toEqual([cedar.account_id]);
    expect(idsOf(await h.call('GET', `/v2/identity/accounts?created_at.lte=${at(1)}`, { token: ops }))).toEqual([blue.account_id]);
    expect(idsOf(await h.call('GET', `/v2/identity/accounts?updated_at.eq=${at(2)}`, { token: ops }))).toEqual([cedar.account_id]);
    expect(idsOf(await h.call('GET', `/v2/identity/accounts?updated_at.gte=${at(0)}&updated_at.lt=${at(2)}`, { token: ops }))).toEqual([blue.account_id]);
    expect(idsOf(await h.call('GET', '/v2/identity/accounts?order=DESC&order_by=CREATED_AT', { token: ops }))).toEqual([cedar.account_id, blue.account_id]);
  });

  it('pages with limit and page_cursor (default 100, max 1000)', async () => {
    const token = await big.ops();
    const first = await big.call('GET', '/v2/identity/accounts', { token });
    expect(first.json.items).toHaveLength(100);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await big.call('GET', `/v2/identity/accounts?limit=1000${cursor ? `&page_cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
      expect(res.status).toBe(200);
      seen.push(...idsOf(res));
      cursor = res.json.next_page_cursor;
      pages += 1;
    } while (cursor !== undefined && pages < 5);
    const expected = seedOf(big, OPS).filter((p) => p.account_id !== undefined).map((p) => p.account_id);
    expect(expected).toHaveLength(1202);
    expect(pages).toBe(2);
    expect(seen).toEqual(expected);
    expectProblem(await big.call('GET', '/v2/identity/accounts?limit=1001', { token }), 400);
    expectProblem(await big.call('GET', `/v2/identity/accounts?page_cursor=${encodeURIComponent(first.json.next_page_cursor)}&identity_id=x`, { token }), 400);
  });

  it('rejects undeclared parameters and bad values', async () => {
    for (const qs of ['profile_id=x', 'ids=x', 'limit=0', 'order=UP', 'created_at.begin=2024-01-02T09:00:00Z', 'updated_at.gt=soon']) {
      expectProblem(await h.call('GET', `/v2/identity/accounts?${qs}`, { token: ops }), 400);
    }
  });
});

describe('GET /v2/identity/accounts/{id}', () => {
  it('returns one account; another operator’s or an unknown one is 404', async () => {
    const blue = seedOf(h, OPS)[1]!;
    const res = await h.call('GET', `/v2/identity/accounts/${blue.account_id}`, { token: ops });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: blue.account_id, identity_id: blue.identity_id, profile_id: blue.id, type: 'BROKERAGE', summary_status: 'APPROVED' });
    const evergreen = seedOf(h, OPS2)[1]!;
    expectProblem(await h.call('GET', `/v2/identity/accounts/${evergreen.account_id}`, { token: ops }), 404);
    expectProblem(await h.call('GET', '/v2/identity/accounts/c0000001-0000-4000-8000-00000000ffff', { token: ops }), 404);
  });
});

describe('scope identity:read_account', () => {
  it.each(['/v2/identity/accounts', '/v2/identity/accounts/c0000001-0000-4000-8000-000000000002'])('%s needs it', async (path) => {
    const granted = ALL_SCOPES.filter((s) => s !== 'identity:read_account');
    expect(expectProblem(await h.call('GET', path, { token: await h.ops(OPS, granted) }), 403).detail).toBe(scopeDetail(granted, 'identity:read_account'));
    expect((await h.call('GET', path, { token: await h.ops(OPS, ['identity:read_account']) })).status).toBe(200);
  });
});
