// Stablecoin conversions and sandbox deposits over real HTTP: validation, funds, idempotency, settlement, cancel, listing.
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASSET_PRECISION } from '../../../sandbox/seed';
import { expectProblem, OPS, OPS2, paxosDecimal, startHarness, waitFor, type Harness } from './harness';

const SETTLE_MS = 200;
let h: Harness; // settles quickly
let slow: Harness; // never settles during the test (cancel, listing)
let ops: string;
let slowOps: string;

beforeAll(async () => {
  [h, slow] = await Promise.all([startHarness({ settleMs: SETTLE_MS }), startHarness({ settleMs: 600_000 })]);
  ops = await h.ops();
  slowOps = await slow.ops();
});
afterAll(async () => {
  await Promise.all([h.close(), slow.close()]);
});

const profile = (harness: Harness, operator: string, i: number) => harness.seed.profiles.filter((p) => p.operator === operator)[i]!;
const acme = (harness: Harness) => profile(harness, OPS, 0); // DEFAULT (no identity account); USD 250000.00, USDP 1200.5, PYUSD 300
const blue = (harness: Harness) => profile(harness, OPS, 1); // NORMAL; USD 1520.75, USDG 88.123456
const cedar = (harness: Harness) => profile(harness, OPS, 2); // NORMAL; USD 0.00, PYUSD 5000
const delta = (harness: Harness) => profile(harness, OPS2, 0);
const evergreenLike = (harness: Harness) => profile(harness, OPS2, 1); // NORMAL; USD 42.10, USDG 1000, no USDP
/** What Paxos returns for identity_id/account_id of a conversion created without them (published examples). */
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

async function balance(harness: Harness, profileId: string, asset: string, token?: string): Promise<string> {
  const res = await harness.call('GET', `/v2/profiles/${profileId}/balances/${asset}`, { token: token ?? (await harness.ops()) });
  expect(res.status).toBe(200);
  return res.json.available;
}

let refCounter = 0;
const ref = (): string => `ref-${Date.now()}-${++refCounter}`;

describe('POST /v2/conversion/stablecoins', () => {
  it('creates a conversion, debits the source at once and credits the target on settlement, to the unit', async () => {
    const p = blue(h);
    await h.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: await h.tooling(), body: { asset: 'USD', amount: '1000' } });
    const [usd0, usdp0] = [await balance(h, p.id, 'USD'), await balance(h, p.id, 'USDP')];
    const body = { profile_id: p.id, amount: '123.45', source_asset: 'USD', target_asset: 'USDP', ref_id: ref(), identity_id: p.identity_id, account_id: p.account_id, metadata: { invoice: 'A-1' } };
    // This one settles after 1.5 s, so the CREATED-state checks below do not race the settlement on a loaded machine.
    h.settlement.setDelayMs(1500);
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body });
    h.settlement.setDelayMs(SETTLE_MS);
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ profile_id: p.id, amount: '123.45', source_asset: 'USD', target_asset: 'USDP', ref_id: body.ref_id, status: 'CREATED', identity_id: p.identity_id, account_id: p.account_id, metadata: { invoice: 'A-1' } });
    expect(res.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.json.created_at).toBe(res.json.updated_at);
    expect(await balance(h, p.id, 'USD')).toBe(paxosDecimal(new Big(usd0).minus('123.45'), 2));
    expect(await balance(h, p.id, 'USDP')).toBe(usdp0);
    // Read after the balance: still CREATED here means the balance above was read before settlement.
    expect((await h.call('GET', `/v2/conversion/stablecoins/${res.json.id}`, { token: ops })).json.status).toBe('CREATED');

    const settled = await waitFor(async () => {
      const r = await h.call('GET', `/v2/conversion/stablecoins/${res.json.id}`, { token: ops });
      return r.json.status === 'SETTLED' ? r.json : undefined;
    }, 15_000);
    expect(Date.parse(settled.settled_at) - Date.parse(settled.created_at)).toBeGreaterThanOrEqual(1500 - 5);
    expect(settled.updated_at).toBe(settled.settled_at);
    expect(await balance(h, p.id, 'USDP')).toBe(paxosDecimal(new Big(usdp0).plus('123.45'), 8));
    expect(await balance(h, p.id, 'USD')).toBe(paxosDecimal(new Big(usd0).minus('123.45'), 2));
  });

  it('without identity_id/account_id the conversion carries the nil UUID for both, as the published examples show', async () => {
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: acme(h).id, amount: '1', source_asset: 'USD', target_asset: 'USDP' } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ identity_id: NIL_UUID, account_id: NIL_UUID });
  });

  it('recipient_profile_id: the target is credited to that profile of the same operator', async () => {
    const [from, to] = [acme(h), cedar(h)];
    const usdg0 = await balance(h, to.id, 'USDG');
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: from.id, amount: '2.5', source_asset: 'USD', target_asset: 'USDG', recipient_profile_id: to.id } });
    expect(res.status).toBe(200);
    expect(res.json.recipient_profile_id).toBe(to.id);
    await waitFor(async () => ((await balance(h, to.id, 'USDG')) === paxosDecimal(new Big(usdg0).plus('2.5'), 8) ? true : undefined));
    expect(await balance(h, from.id, 'USDG')).toBe('0');
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: from.id, amount: '1', source_asset: 'USD', target_asset: 'USDG', recipient_profile_id: delta(h).id } }), 404);
  });

  it('redeems stablecoin to USD (PYUSD → USD) and omits optional fields not given', async () => {
    const p = cedar(h);
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount: '.5', source_asset: 'PYUSD', target_asset: 'USD' } });
    expect(res.status).toBe(200);
    expect(res.json.amount).toBe('.5');
    expect(res.json).not.toHaveProperty('ref_id');
    expect(res.json).not.toHaveProperty('metadata');
    expect(await balance(h, p.id, 'PYUSD')).toBe('4999.500000');
    await waitFor(async () => ((await balance(h, p.id, 'USD')) === '.50' ? true : undefined));
  });

  it('moves an entire balance exactly (no float drift)', async () => {
    const p = blue(h);
    const [usd, usdg] = [await balance(h, p.id, 'USD'), await balance(h, p.id, 'USDG')];
    expect(usdg).toBe('88.12345600');
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount: usd, source_asset: 'USD', target_asset: 'USDG' } });
    expect(res.status).toBe(200);
    expect(await balance(h, p.id, 'USD')).toBe('0');
    await waitFor(async () => ((await balance(h, p.id, 'USDG')) === paxosDecimal(new Big(usd).plus('88.123456'), 8) ? true : undefined));
  });

  it.each([
    ['USD', 'USD'], ['USDP', 'PYUSD'], ['USDG', 'USDG'],
  ])('rejects %s → %s with 400 about:blank', async (source, target) => {
    const problem = expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: acme(h).id, amount: '1', source_asset: source, target_asset: target } }), 400);
    expect(problem.detail).toContain(`cannot convert ${source} to ${target}`);
  });

  it.each(['abc', '-1', '1e5', '1.', '0', '0.00', '', ' 1'])('rejects amount %j with 400 about:blank', async (amount) => {
    expect(expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: acme(h).id, amount, source_asset: 'USD', target_asset: 'USDP' } }), 400).detail).toMatch(/amount/);
  });

  it.each([
    ['USD', 'USDP', '1.001'], ['USDP', 'USD', '0.001'], ['USD', 'PYUSD', '2.125'], ['PYUSD', 'USD', '1.000001'], ['USDG', 'USD', '0.129'],
  ])('enforces the lower precision of the pair (USD, 2 dp): %s → %s %s is 400', async (source, target, amount) => {
    const p = acme(h);
    const before = await balance(h, p.id, source);
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount, source_asset: source, target_asset: target } });
    expect(expectProblem(res, 400).detail).toMatch(/allows at most 2 decimal places/);
    expect(await balance(h, p.id, source)).toBe(before);
  });

  it('accepts trailing zeros beyond the precision when the value fits ("1.500" is 1.5)', async () => {
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: acme(h).id, amount: '1.500', source_asset: 'USD', target_asset: 'USDP' } });
    expect(res.status).toBe(200);
    expect(res.json.amount).toBe('1.5');
  });

  it('enforces the per-conversion maximum of 10,000,000', async () => {
    const p = acme(h);
    const dep = await h.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: await h.tooling(), body: { asset: 'USD', amount: '10000000' } });
    expect(dep.status).toBe(200);
    const over = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount: '10000000.01', source_asset: 'USD', target_asset: 'USDP' } });
    expect(expectProblem(over, 400).detail).toBe('10000000.01 amount is above the maximum 10000000 USD');
    const max = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount: '10000000', source_asset: 'USD', target_asset: 'USDP' } });
    expect(max.status).toBe(200);
  });

  it('403 insufficient-funds (published slug and meta) leaves balances untouched', async () => {
    const p = evergreenLike(h);
    const before = await balance(h, p.id, 'USDP', await h.ops(OPS2));
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: await h.ops(OPS2), body: { profile_id: p.id, amount: '0.01', source_asset: 'USDP', target_asset: 'USD', ref_id: ref() } });
    const problem = expectProblem(res, 403, 'insufficient-funds');
    expect(problem.meta).toEqual({ asset: 'USDP', needed: '.01', available: '0', profile_id: p.id });
    expect(problem.detail).toBe(`insufficient USDP funds in profile ${p.id}: .01 needed, 0 available`);
    expect(await balance(h, p.id, 'USDP', await h.ops(OPS2))).toBe(before);
  });

  it('checks delegation and identity: 404 unknown or other operator’s profile, 400 identity mismatch', async () => {
    const body = { amount: '1', source_asset: 'USD', target_asset: 'USDP' };
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { ...body, profile_id: 'a0000001-0000-4000-8000-00000000ffff' } }), 404);
    const d = delta(h);
    const before = await balance(h, d.id, 'USD', await h.ops(OPS2));
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { ...body, profile_id: d.id } }), 404);
    expect(await balance(h, d.id, 'USD', await h.ops(OPS2))).toBe(before);
    const [p, other] = [cedar(h), blue(h)];
    await h.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: await h.tooling(), body: { asset: 'USD', amount: '5' } });
    for (const mismatch of [{ identity_id: other.identity_id }, { identity_id: p.identity_id, account_id: other.account_id }, { account_id: 'nope' }]) {
      expect(expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { ...body, profile_id: p.id, ...mismatch } }), 400).detail).toMatch(/does not match/);
    }
    // A DEFAULT profile has no identity account: any identity_id/account_id is a mismatch.
    expectProblem(await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { ...body, profile_id: acme(h).id, identity_id: p.identity_id } }), 400);
    const matching = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { ...body, profile_id: p.id, identity_id: p.identity_id } });
    expect(matching.json).toMatchObject({ identity_id: p.identity_id, account_id: NIL_UUID });
  });

  it('ref_id is unique per operator: a repeat is 409 with meta.existing and debits nothing', async () => {
    const p = acme(slow);
    const refId = ref();
    const body = { profile_id: p.id, amount: '10', source_asset: 'USD', target_asset: 'PYUSD', ref_id: refId };
    const first = await slow.call('POST', '/v2/conversion/stablecoins', { token: slowOps, body });
    expect(first.status).toBe(200);
    const afterFirst = await balance(slow, p.id, 'USD');
    for (const again of [body, { ...body, amount: '99' }]) {
      const res = await slow.call('POST', '/v2/conversion/stablecoins', { token: slowOps, body: again });
      expect(expectProblem(res, 409, 'already-exists').meta).toEqual({ existing: first.json });
    }
    expect(await balance(slow, p.id, 'USD')).toBe(afterFirst);
    // Another operator may use the same ref_id.
    const d = delta(slow);
    const other = await slow.call('POST', '/v2/conversion/stablecoins', { token: await slow.ops(OPS2), body: { ...body, profile_id: d.id } });
    expect(other.status).toBe(200);
    expect(other.json.id).not.toBe(first.json.id);
  });
});

describe('GET/DELETE /v2/conversion/stablecoins/{id}', () => {
  async function create(amount = '25.10', refId = ref()) {
    const res = await slow.call('POST', '/v2/conversion/stablecoins', { token: slowOps, body: { profile_id: acme(slow).id, amount, source_asset: 'USD', target_asset: 'USDP', ref_id: refId } });
    expect(res.status).toBe(200);
    return res.json;
  }

  it('gets one conversion; other operators and unknown ids get 404', async () => {
    const c = await create();
    const res = await slow.call('GET', `/v2/conversion/stablecoins/${c.id}`, { token: slowOps });
    expect(res.json).toEqual(c);
    expectProblem(await slow.call('GET', `/v2/conversion/stablecoins/${c.id}`, { token: await slow.ops(OPS2) }), 404);
    expectProblem(await slow.call('GET', '/v2/conversion/stablecoins/nope', { token: slowOps }), 404);
  });

  it('cancels while CREATED: 200 CANCELLED, source refunded exactly, target never credited; twice is 400 naming the status', async () => {
    const p = acme(slow);
    const [usd0, usdp0] = [await balance(slow, p.id, 'USD'), await balance(slow, p.id, 'USDP')];
    const c = await create('0.07');
    expect(await balance(slow, p.id, 'USD')).toBe(paxosDecimal(new Big(usd0).minus('0.07'), 2));
    expectProblem(await slow.call('DELETE', `/v2/conversion/stablecoins/${c.id}`, { token: await slow.ops(OPS2) }), 404);
    const res = await slow.call('DELETE', `/v2/conversion/stablecoins/${c.id}`, { token: slowOps });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ id: c.id, status: 'CANCELLED' });
    expect(res.json.cancelled_at).toBe(res.json.updated_at);
    expect(await balance(slow, p.id, 'USD')).toBe(usd0);
    expect(await balance(slow, p.id, 'USDP')).toBe(usdp0);
    const again = await slow.call('DELETE', `/v2/conversion/stablecoins/${c.id}`, { token: slowOps });
    expect(expectProblem(again, 400).detail).toBe(`conversion ${c.id} is CANCELLED and can no longer be cancelled`);
    expect(await balance(slow, p.id, 'USD')).toBe(usd0);
  });

  it('a cancel before settlement stops the settlement timer (target never credited)', async () => {
    const p = cedar(h);
    const pyusd = await balance(h, p.id, 'PYUSD');
    await h.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: await h.tooling(), body: { asset: 'USD', amount: '1' } });
    const created = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount: '0.25', source_asset: 'USD', target_asset: 'PYUSD' } });
    expect(created.status).toBe(200);
    const cancelled = await h.call('DELETE', `/v2/conversion/stablecoins/${created.json.id}`, { token: ops });
    expect(cancelled.json.status).toBe('CANCELLED');
    await new Promise((r) => setTimeout(r, SETTLE_MS * 2));
    expect((await h.call('GET', `/v2/conversion/stablecoins/${created.json.id}`, { token: ops })).json.status).toBe('CANCELLED');
    expect(await balance(h, p.id, 'PYUSD')).toBe(pyusd);
  });

  it('the settlement delay changes at run time for new conversions only: one can be held CREATED and cancelled', async () => {
    const p = acme(h);
    const create = () => h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount: '2', source_asset: 'USD', target_asset: 'USDP' } });
    expect(h.settlement.delayMs()).toBe(SETTLE_MS);
    h.settlement.setDelayMs(600_000);
    const held = await create();
    h.settlement.setDelayMs(SETTLE_MS);
    const quick = await create();
    expect([held.status, quick.status]).toEqual([200, 200]);
    await waitFor(async () => ((await h.call('GET', `/v2/conversion/stablecoins/${quick.json.id}`, { token: ops })).json.status === 'SETTLED' ? true : undefined));
    expect((await h.call('GET', `/v2/conversion/stablecoins/${held.json.id}`, { token: ops })).json.status).toBe('CREATED');
    expect((await h.call('DELETE', `/v2/conversion/stablecoins/${held.json.id}`, { token: ops })).json.status).toBe('CANCELLED');
    expect(() => h.settlement.setDelayMs(-1)).toThrow(RangeError);
  });

  it('closing the app cancels pending settlements', async () => {
    const harness = await startHarness({ settleMs: 150 });
    const res = await harness.call('POST', '/v2/conversion/stablecoins', { token: await harness.ops(), body: { profile_id: acme(harness).id, amount: '1', source_asset: 'USD', target_asset: 'USDP' } });
    expect(res.status).toBe(200);
    await harness.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(harness.logs.some((l) => l.includes('settled'))).toBe(false);
  });

  it('a settled conversion cannot be cancelled and stays credited', async () => {
    const p = acme(h);
    const res = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: p.id, amount: '3', source_asset: 'USD', target_asset: 'PYUSD' } });
    await waitFor(async () => ((await h.call('GET', `/v2/conversion/stablecoins/${res.json.id}`, { token: ops })).json.status === 'SETTLED' ? true : undefined));
    const pyusd = await balance(h, p.id, 'PYUSD');
    expect(expectProblem(await h.call('DELETE', `/v2/conversion/stablecoins/${res.json.id}`, { token: ops }), 400).detail).toMatch(/is SETTLED/);
    expect(await balance(h, p.id, 'PYUSD')).toBe(pyusd);
  });
});

describe('GET /v2/conversion/stablecoins', () => {
  it('filters by profile_id, ref_id and created_at range; pages with cursors; only the operator’s', async () => {
    const harness = await startHarness({ settleMs: 600_000 });
    try {
      const token = await harness.ops();
      const [a, b] = [acme(harness), cedar(harness)];
      const made: { id: string; created_at: string; profile_id: string }[] = [];
      for (let i = 0; i < 5; i++) {
        const body = i < 3 ? { profile_id: a.id, amount: `${i + 1}`, source_asset: 'USD', target_asset: 'USDP', ref_id: `list-${i}` } : { profile_id: b.id, amount: `${i + 1}`, source_asset: 'PYUSD', target_asset: 'USD', ref_id: `list-${i}` };
        const res = await harness.call('POST', '/v2/conversion/stablecoins', { token, body });
        expect(res.status).toBe(200);
        made.push(res.json);
      }
      await harness.call('DELETE', `/v2/conversion/stablecoins/${made[1]!.id}`, { token });
      await harness.call('POST', '/v2/conversion/stablecoins', { token: await harness.ops(OPS2), body: { profile_id: delta(harness).id, amount: '1', source_asset: 'USD', target_asset: 'USDP' } });
      const ids = async (qs: string) => {
        const res = await harness.call('GET', `/v2/conversion/stablecoins${qs}`, { token });
        expect(res.status).toBe(200);
        return res.json.items.map((c: { id: string }) => c.id);
      };
      const newestFirst = made.map((c) => c.id).reverse();
      expect(await ids('')).toEqual(newestFirst);
      expect(await ids('?order=ASC')).toEqual(made.map((c) => c.id));
      expect(await ids(`?profile_id=${a.id}`)).toEqual(newestFirst.slice(2));
      expect(await ids('?ref_id=list-3')).toEqual([made[3]!.id]);
      const range = `?created_at.begin=${encodeURIComponent(made[1]!.created_at)}&created_at.end=${encodeURIComponent(made[3]!.created_at)}`;
      expect(await ids(range)).toEqual([made[3]!.id, made[2]!.id, made[1]!.id]);

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const res = await harness.call('GET', `/v2/conversion/stablecoins?limit=2${cursor ? `&page_cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
        pages.push(res.json.items.map((c: { id: string }) => c.id));
        cursor = res.json.next_page_cursor;
      } while (cursor && pages.length < 10);
      expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
      expect(pages.flat()).toEqual(newestFirst);

      const other = await harness.call('GET', '/v2/conversion/stablecoins', { token: await harness.ops(OPS2) });
      expect(other.json.items).toHaveLength(1);
      expect(other.json.items[0].profile_id).toBe(delta(harness).id);
    } finally {
      await harness.close();
    }
  });

  it('rejects the unpublished statuses filter, bad timestamps, limits and cursors with 400', async () => {
    for (const qs of ['statuses=CREATED', 'status=CREATED', 'created_at.begin=yesterday', 'created_at.gte=2024-01-02T09:00:00Z', 'limit=1001', 'order=UP', 'page_cursor=abc.def']) {
      expectProblem(await slow.call('GET', `/v2/conversion/stablecoins?${qs}`, { token: slowOps }), 400);
    }
  });
});

describe('POST /v2/sandbox/profiles/{id}/deposit', () => {
  it('credits the delegated operator’s profile, answers { activity_id }; another operator’s or an unknown one is 404', async () => {
    const p = blue(slow);
    const before = await balance(slow, p.id, 'USDG');
    const res = await slow.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: slowOps, body: { asset: 'USDG', amount: '0.00000001', crypto_network: 'ETHEREUM', crypto_address: '0xabc' } });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json)).toEqual(['activity_id']);
    expect(res.json.activity_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await balance(slow, p.id, 'USDG')).toBe(paxosDecimal(new Big(before).plus('0.00000001'), 8));
    expectProblem(await slow.call('POST', `/v2/sandbox/profiles/${delta(slow).id}/deposit`, { token: slowOps, body: { asset: 'USD', amount: '1' } }), 404);
    expectProblem(await slow.call('POST', '/v2/sandbox/profiles/nope/deposit', { token: slowOps, body: { asset: 'USD', amount: '1' } }), 404);
  });

  it('the tooling client may deposit into any profile without scopes', async () => {
    const d = delta(slow);
    const before = await balance(slow, d.id, 'USD', await slow.ops(OPS2));
    const res = await slow.call('POST', `/v2/sandbox/profiles/${d.id}/deposit`, { token: await slow.tooling(), body: { asset: 'USD', amount: '0.01' } });
    expect(res.status).toBe(200);
    expect(await balance(slow, d.id, 'USD', await slow.ops(OPS2))).toBe(paxosDecimal(new Big(before).plus('0.01'), 2));
  });

  it.each(Object.entries(ASSET_PRECISION))('enforces %s precision (%i dp)', async (asset, places) => {
    const p = acme(slow);
    const ok = `1.${'1'.repeat(places)}`;
    const tooFine = `1.${'1'.repeat(places + 1)}`;
    const before = await balance(slow, p.id, asset);
    expect((await slow.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: slowOps, body: { asset, amount: ok } })).status).toBe(200);
    expect(expectProblem(await slow.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: slowOps, body: { asset, amount: tooFine } }), 400).detail).toMatch(new RegExp(`${asset} allows at most ${places}`));
    expect(await balance(slow, p.id, asset)).toBe(paxosDecimal(new Big(before).plus(ok), places));
  });

  it('rejects bad bodies with 400', async () => {
    const p = acme(slow);
    for (const body of [{ asset: 'DOGE', amount: '1' }, { asset: 'USD', amount: '0' }, { asset: 'USD' }, { asset: 'USD', amount: '1', crypto_network: 'MOON' }, { asset: 'USD', amount: '1', memo: 'x' }]) {
      expectProblem(await slow.call('POST', `/v2/sandbox/profiles/${p.id}/deposit`, { token: slowOps, body }), 400);
    }
  });
});
