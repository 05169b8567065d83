// Orchestrations over real HTTP: create (mint/redeem profile → profile), PENDING above the threshold, approval or refusal by
// a second operator on the loopback admin endpoint, FAILED with a reason, idempotent ref_id, funds, published list filters.
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_SCOPES, expectProblem, IDLE, OPS, OPS2, paxosDecimal, scopeDetail, startHarness, waitFor, type Harness } from './harness';

const SETTLE_MS = 150;
let h: Harness; // threshold 100 USD, settles quickly
let ops: string;

beforeAll(async () => {
  h = await startHarness({ settleMs: SETTLE_MS, approvalThreshold: '100' });
  ops = await h.ops();
});
afterAll(async () => {
  await h.close();
});

const profile = (operator: string, i: number) => h.seed.profiles.filter((p) => p.operator === operator)[i]!;
const acme = () => profile(OPS, 0); // DEFAULT; USD 250000.00, USDP 1200.5, PYUSD 300
const blue = () => profile(OPS, 1); // NORMAL; USD 1520.75, USDG 88.123456
const cedar = () => profile(OPS, 2); // NORMAL; USD 0.00, PYUSD 5000
const delta = () => profile(OPS2, 0);

let refCounter = 0;
const ref = (): string => `orch-${Date.now()}-${++refCounter}`;
const mint = (p: { id: string }, amount: string, asset = 'USDP', extra: Record<string, unknown> = {}) => ({
  ref_id: ref(),
  source_asset: 'USD',
  destination_asset: asset,
  source_amount: amount,
  source: { profile: { profile_id: p.id } },
  destination: { profile: { profile_id: p.id } },
  ...extra,
});

async function balance(profileId: string, asset: string): Promise<string> {
  const res = await h.call('GET', `/v2/profiles/${profileId}/balances/${asset}`, { token: ops });
  expect(res.status).toBe(200);
  return res.json.available;
}
const get = (id: string, token = ops) => h.call('GET', `/v2/orchestration/orchestrations/${id}`, { token });
const statusOf = async (id: string): Promise<string> => (await get(id)).json.status;
const decide = async (id: string, decision: 'approve' | 'reject', token: string, approver?: string) =>
  h.call('POST', `/_sandbox/approvals/${id}`, { token, body: { decision, ...(approver !== undefined ? { approver } : {}) } });

describe('POST /v2/orchestration/orchestrations', () => {
  it('mints at or below the threshold: PROCESSING at once (source reserved), COMPLETED after the delay (destination credited)', async () => {
    const p = blue();
    const [usd0, usdg0] = [await balance(p.id, 'USD'), await balance(p.id, 'USDG')];
    h.settlement.setDelayMs(1500); // observe PROCESSING before it completes, however loaded the machine is
    const body = mint(p, '100', 'USDG', { identity_id: p.identity_id, account_id: p.account_id, metadata: { app: 'test', operator: OPS } });
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body });
    h.settlement.setDelayMs(SETTLE_MS);
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      profile_id: p.id,
      identity_id: p.identity_id,
      account_id: p.account_id,
      ref_id: body.ref_id,
      source_asset: 'USD',
      destination_asset: 'USDG',
      source_amount: '100',
      status: 'PROCESSING',
      source: { profile: { profile_id: p.id } },
      destination: { profile: { profile_id: p.id } },
      created_at: res.json.created_at,
      updated_at: res.json.created_at,
      metadata: { app: 'test', operator: OPS },
    });
    expect(await balance(p.id, 'USD')).toBe(paxosDecimal(new Big(usd0).minus('100'), 2));
    expect(await balance(p.id, 'USDG')).toBe(usdg0);
    expect(await statusOf(res.json.id)).toBe('PROCESSING');
    await waitFor(async () => ((await statusOf(res.json.id)) === 'COMPLETED' ? true : undefined));
    expect(await balance(p.id, 'USDG')).toBe(paxosDecimal(new Big(usdg0).plus('100'), 8));
  });

  it('redeems (stablecoin → USD) the same way; identity and account are left out when not given', async () => {
    const p = cedar();
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: { ...mint(p, '12.5'), source_asset: 'PYUSD', destination_asset: 'USD' } });
    expect(res.status).toBe(200);
    expect(res.json).not.toHaveProperty('identity_id');
    expect(res.json).not.toHaveProperty('account_id');
    expect(res.json).not.toHaveProperty('metadata');
    await waitFor(async () => ((await statusOf(res.json.id)) === 'COMPLETED' ? true : undefined));
    expect(await balance(p.id, 'USD')).toBe('12.50');
  });

  it('a repeated ref_id is 409 already-exists with the existing orchestration, and debits nothing', async () => {
    const body = mint(acme(), '5');
    const first = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body });
    const usd = await balance(acme().id, 'USD');
    const again = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body });
    const problem = expectProblem(again, 409, 'already-exists');
    expect(problem.meta).toEqual({ existing: { ...first.json, status: expect.any(String), updated_at: expect.any(String) } });
    expect(await balance(acme().id, 'USD')).toBe(usd);
    // The same ref_id from another operator is another orchestration.
    const other = await h.call('POST', '/v2/orchestration/orchestrations', { token: await h.ops(OPS2), body: { ...body, source: { profile: { profile_id: delta().id } }, destination: { profile: { profile_id: delta().id } } } });
    expect(other.status).toBe(200);
  });

  it('insufficient funds is the published 403 with meta; nothing is created', async () => {
    const body = { ...mint(cedar(), '300.5'), source_asset: 'PYUSD', destination_asset: 'USD' };
    const available = await balance(cedar().id, 'PYUSD');
    const needed = new Big(available).plus('0.5').toFixed();
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: { ...body, source_amount: needed } });
    expect(expectProblem(res, 403, 'insufficient-funds').meta).toEqual({ asset: 'PYUSD', available: new Big(available).toFixed(), needed, profile_id: cedar().id });
    expect((await h.call('GET', `/v2/orchestration/orchestrations?ref_id=${body.ref_id}`, { token: ops })).json.orchestrations).toEqual([]);
  });

  it.each([
    ['ref_id missing', (b: Record<string, unknown>) => ({ ...b, ref_id: undefined })],
    ['an unknown field', (b: Record<string, unknown>) => ({ ...b, note: 'x' })],
    ['a pair without USD', (b: Record<string, unknown>) => ({ ...b, source_asset: 'USDP', destination_asset: 'USDG' })],
    ['too many decimals for USD', (b: Record<string, unknown>) => ({ ...b, source_amount: '1.005' })],
    ['a comma in the amount', (b: Record<string, unknown>) => ({ ...b, source_amount: '1,5' })],
    ['a crypto destination (not supported by the sandbox)', (b: Record<string, unknown>) => ({ ...b, destination: { crypto: { address_id: 'a1' } } })],
    ['no source profile', (b: Record<string, unknown>) => ({ ...b, source: undefined })],
    ['an identity that is not the profile’s', (b: Record<string, unknown>) => ({ ...b, identity_id: 'someone-else' })],
  ])('%s → 400 about:blank', async (_name, change) => {
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: JSON.parse(JSON.stringify(change(mint(blue(), '1')))) });
    expectProblem(res, 400);
  });

  it('scopes, operators and profiles: 403 without the write scope, 404 for another operator’s profile or orchestration, no cancel route', async () => {
    const granted = ALL_SCOPES.filter((s) => s !== 'orchestration:write_orchestration');
    const denied = await h.call('POST', '/v2/orchestration/orchestrations', { token: await h.ops(OPS, granted), body: mint(acme(), '1') });
    expect(expectProblem(denied, 403).detail).toBe(scopeDetail(granted, 'orchestration:write_orchestration'));
    expectProblem(await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: mint(delta(), '1') }), 404);
    const created = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: mint(acme(), '1') });
    expectProblem(await get(created.json.id, await h.ops(OPS2)), 404);
    expectProblem(await h.call('GET', '/v2/orchestration/orchestrations', { token: await h.ops(OPS, ALL_SCOPES.filter((s) => s !== 'orchestration:read_orchestration')) }), 403);
    expectProblem(await h.call('DELETE', `/v2/orchestration/orchestrations/${created.json.id}`, { token: ops }), 404);
  });
});

describe('approval', () => {
  it('above the threshold: PENDING with the source reserved; the submitter cannot approve; a second operator approves; it completes', async () => {
    const p = acme();
    const [usd0, pyusd0] = [await balance(p.id, 'USD'), await balance(p.id, 'PYUSD')];
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: mint(p, '100.01', 'PYUSD') });
    expect(res.json.status).toBe('PENDING');
    expect(await balance(p.id, 'USD')).toBe(paxosDecimal(new Big(usd0).minus('100.01'), 2));
    const listed = await h.call('GET', '/_sandbox/approvals', { token: await h.tooling() });
    expect(listed.json.items).toContainEqual({ id: res.json.id, ref_id: res.json.ref_id, submitted_by: OPS, profile_id: p.id, source_asset: 'USD', destination_asset: 'PYUSD', source_amount: '100.01', created_at: res.json.created_at });

    expectProblem(await decide(res.json.id, 'approve', ops), 403, 'same-operator');
    expectProblem(await decide(res.json.id, 'approve', await h.tooling(), 'ops@partner.test'), 403, 'same-operator');
    expectProblem(await decide(res.json.id, 'approve', await h.tooling()), 400, 'unknown-approver');
    expectProblem(await decide(res.json.id, 'approve', await h.tooling(), 'nobody@partner.test'), 400, 'unknown-approver');
    expectProblem(await decide(res.json.id, 'approve', await h.token({ sub: 'other-client', clientId: 'other-client', scopes: [] })), 403, 'not-tooling-client');
    expectProblem(await h.call('POST', `/_sandbox/approvals/${res.json.id}`, { body: { decision: 'approve' } }), 401);
    expect(await statusOf(res.json.id)).toBe('PENDING');

    const approved = await decide(res.json.id, 'approve', await h.ops(OPS2));
    expect(approved.status).toBe(200);
    expect(approved.json).toEqual({ id: res.json.id, status: 'PROCESSING', decided_by: OPS2 });
    expectProblem(await decide(res.json.id, 'reject', await h.ops(IDLE)), 409, 'not-pending');
    await waitFor(async () => ((await statusOf(res.json.id)) === 'COMPLETED' ? true : undefined));
    expect(await balance(p.id, 'PYUSD')).toBe(paxosDecimal(new Big(pyusd0).plus('100.01'), 6));
    expect((await h.call('GET', '/_sandbox/approvals', { token: ops })).json.items.map((i: { id: string }) => i.id)).not.toContain(res.json.id);
  });

  it('a refusal (by e-mail, with the tooling token) makes it REJECTED and releases the reserved source', async () => {
    const p = acme();
    const usd0 = await balance(p.id, 'USD');
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: mint(p, '250') });
    expect(res.json.status).toBe('PENDING');
    const refused = await decide(res.json.id, 'reject', await h.tooling(), 'ops2@partner.test');
    expect(refused.json).toEqual({ id: res.json.id, status: 'REJECTED', decided_by: OPS2 });
    expect(await balance(p.id, 'USD')).toBe(usd0);
    const after = await get(res.json.id);
    expect(after.json).toMatchObject({ status: 'REJECTED' });
    expect(after.json).not.toHaveProperty('fail_reason');
  });

  it('FAILED with a reason through the admin endpoint (tooling only); the source is released', async () => {
    const p = acme();
    const usd0 = await balance(p.id, 'USD');
    h.settlement.setDelayMs(600_000);
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: mint(p, '7') });
    h.settlement.setDelayMs(SETTLE_MS);
    expect(res.json.status).toBe('PROCESSING');
    const path = `/_sandbox/orchestrations/${res.json.id}/fail`;
    expectProblem(await h.call('POST', path, { token: await h.ops(OPS2), body: { detail: 'x' } }), 403, 'not-tooling-client');
    const failed = await h.call('POST', path, { token: await h.tooling(), body: { detail: 'destination profile is frozen' } });
    expect(failed.json).toEqual({ id: res.json.id, status: 'FAILED', fail_reason: { detail: 'destination profile is frozen' } });
    expect((await get(res.json.id)).json).toMatchObject({ status: 'FAILED', fail_reason: { detail: 'destination profile is frozen' } });
    expect(await balance(p.id, 'USD')).toBe(usd0);
    expectProblem(await h.call('POST', path, { token: await h.tooling(), body: { detail: 'again' } }), 409, 'not-open');
    expectProblem(await h.call('POST', '/_sandbox/orchestrations/nope/fail', { token: await h.tooling(), body: { detail: 'x' } }), 404);
  });

  it('answers loopback peers only: a second operator elsewhere on the network can neither list nor decide', async () => {
    const res = await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: mint(acme(), '500') });
    expect(res.json.status).toBe('PENDING');
    const approver = await h.ops(OPS2);
    for (const remoteAddress of ['10.0.0.5', '::ffff:192.168.1.20', '2001:db8::1']) {
      for (const [method, url, payload] of [['GET', '/_sandbox/approvals', undefined], ['POST', `/_sandbox/approvals/${res.json.id}`, { decision: 'approve' }], ['POST', `/_sandbox/orchestrations/${res.json.id}/fail`, { detail: 'x' }]] as const) {
        const reply = await h.app.inject({ method, url, remoteAddress, headers: { authorization: `Bearer ${approver}` }, ...(payload ? { payload } : {}) });
        expect(reply.statusCode, `${method} ${url} from ${remoteAddress}`).toBe(403);
        expect(reply.json().type).toMatch(/not-loopback$/);
      }
    }
    expect(await statusOf(res.json.id)).toBe('PENDING');
    const local = await h.app.inject({ method: 'POST', url: `/_sandbox/approvals/${res.json.id}`, remoteAddress: '::1', headers: { authorization: `Bearer ${approver}` }, payload: { decision: 'reject' } });
    expect(local.json()).toEqual({ id: res.json.id, status: 'REJECTED', decided_by: OPS2 });
  });

  it('in-process: the same rules through the approvals controller', () => {
    expect(h.approvals.threshold()).toBe('100');
    expect(() => h.approvals.decide('nope', 'approve', OPS2)).toThrow(/not found/);
    expect(() => h.approvals.decide('nope', 'approve', 'someone')).toThrow(/not an operator/);
  });
});

describe('GET /v2/orchestration/orchestrations', () => {
  it('filters by the published exploded arrays (repeated parameters) and created_at, newest first, paged with a cursor', async () => {
    const created = [];
    for (const [p, amount] of [[acme(), '1.01'], [blue(), '1.02'], [acme(), '1.03']] as const) {
      created.push((await h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: mint(p, amount) })).json);
    }
    const refs = created.map((c) => `ref_id=${c.ref_id}`).join('&');
    const list = async (query: string) => {
      const res = await h.call('GET', `/v2/orchestration/orchestrations?${query}`, { token: ops });
      expect(res.status).toBe(200);
      expect(res.json).not.toHaveProperty('items');
      return res.json as { orchestrations: Array<{ id: string; ref_id: string; profile_id: string }>; next_page_cursor?: string };
    };
    expect((await list(refs)).orchestrations.map((o) => o.ref_id)).toEqual(created.map((c) => c.ref_id).reverse());
    expect((await list(`${refs}&order=ASC`)).orchestrations.map((o) => o.ref_id)).toEqual(created.map((c) => c.ref_id));
    expect((await list(`${refs}&profile_id=${acme().id}`)).orchestrations).toHaveLength(2);
    expect((await list(`${refs}&profile_id=${acme().id}&profile_id=${blue().id}`)).orchestrations).toHaveLength(3);
    expect((await list(`orchestration_id=${created[1].id}&orchestration_id=${created[2].id}`)).orchestrations.map((o) => o.id)).toEqual([created[2].id, created[1].id]);
    expect((await list(`${refs}&status=PROCESSING&status=COMPLETED&source_asset=USD&destination_asset=USDP`)).orchestrations).toHaveLength(3);
    expect((await list(`${refs}&status=PENDING`)).orchestrations).toHaveLength(0);
    expect((await list(`${refs}&orchestration_rule_id=r1`)).orchestrations).toHaveLength(0);
    expect((await list(`${refs}&created_at.gte=${encodeURIComponent(created[1].created_at)}`)).orchestrations).toHaveLength(2);
    // A comma-joined value is one value (explode: true), so it matches nothing.
    expect((await list(`ref_id=${created[0].ref_id},${created[1].ref_id}`)).orchestrations).toHaveLength(0);
    const first = await list(`${refs}&limit=2`);
    expect(first.orchestrations).toHaveLength(2);
    const second = await list(`${refs}&limit=2&page_cursor=${encodeURIComponent(first.next_page_cursor!)}`);
    expect(second.orchestrations.map((o) => o.ref_id)).toEqual([created[0].ref_id]);
    expect(second.next_page_cursor).toBeUndefined();
  });

  it('refuses what the spec does not declare: an unknown parameter, an unknown status, a bad limit or cursor', async () => {
    for (const query of ['statuses=PENDING', 'status=DONE', 'limit=0', 'page_cursor=forged', 'order=UP', 'created_at.gte=yesterday']) {
      expectProblem(await h.call('GET', `/v2/orchestration/orchestrations?${query}`, { token: ops }), 400);
    }
  });
});
