// A landed order is never reported as rejected: after a POST may have reached the server, an error answer is read back by ref_id first (submitter and the reconciler's resend, both APIs).
import Big from 'big.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Order, OrdersApi } from '../../../../shared/domain';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { journalLines, openOperations, tempDataDir, type OpsHandle } from '../../../support/operations-harness';

let sb: ApiSandbox;
/** While true, every read of orders by ref_id answers 503 (the read-back cannot be done). */
let failReadBack = false;
const handles: Array<{ h: OpsHandle; remove(): Promise<void> }> = [];

beforeAll(async () => {
  sb = await startApiSandbox({
    settleMs: 100,
    seedProfiles: 10, // a fresh profile for each test
    approvalThreshold: '100000000', // nothing waits for approval here
    instrument: (app) =>
      app.addHook('onRequest', async (request, reply) => {
        if (failReadBack && request.method === 'GET' && /^\/v2\/(orchestration\/orchestrations|conversion\/stablecoins)\?(.*&)?ref_id=/.test(request.url)) {
          await reply.code(503).type('application/problem+json').send({ type: 'about:blank', title: 'Service Unavailable', status: 503 });
        }
      }),
  });
});
afterEach(async () => {
  sb.chaos.set({});
  failReadBack = false;
  const violations = handles.flatMap(({ h }) => h.contractViolations);
  for (const { h, remove } of handles.splice(0)) {
    await h.ops.close();
    await remove();
  }
  expect(violations).toEqual([]);
});
afterAll(async () => {
  await sb.close();
});

/** The generated profiles of ops@partner.test (after the five fixed ones), one per test. */
let nextProfile = 5;
const freshProfile = () => sb.seed.profiles[nextProfile++]!;
const target: Record<OrdersApi, 'USDG' | 'USDP'> = { orchestrations: 'USDG', conversions: 'USDP' };

async function open(ordersApi: OrdersApi, tuning: { recheckDelaysMs?: number[] } = {}): Promise<OpsHandle & { dir: string }> {
  const data = await tempDataDir('pc-submitter-');
  const h = openOperations(sb, data.dir, { ordersApi, tuning });
  handles.push({ h, remove: data.remove });
  return Object.assign(h, { dir: data.dir });
}

/** What the server holds for this ref_id, through the API it was sent through. */
async function onServer(api: OrdersApi, refId: string): Promise<Array<{ id: string; status: string }>> {
  const all = api === 'orchestrations' ? await sb.orchestrations() : await sb.conversions();
  return all.filter((o) => o.ref_id === refId);
}

async function journalTypes(dir: string, refId: string): Promise<string[]> {
  return (await journalLines(dir)).filter((l) => l['refId'] === refId).map((l) => String(l['type']));
}

/** The profile's whole USD balance (topped up first): an order for it spends everything, so a resend that checks funds first meets 403. */
async function allUsd(profileId: string): Promise<string> {
  expect((await sb.direct('POST', `/sandbox/profiles/${profileId}/deposit`, { asset: 'USD', amount: '250.00' })).status).toBe(200);
  return new Big(await sb.balance(profileId, 'USD')).toFixed(2);
}

describe.each(['orchestrations', 'conversions'] as const)('through %s', (api) => {
  it('submitter: the POST lands, the connection resets, the retry meets 403 insufficient funds — the order is accepted, not rejected', async () => {
    const h = await open(api);
    const p = freshProfile();
    const amount = await allUsd(p.id);
    sb.chaos.set({ fundsBeforeIdempotency: true, resetAfterCommitRate: 1 });
    sb.resetStats();
    const res = await h.handlers['orders:submit']({ kind: 'mint', profileId: p.id, asset: target[api], amount });
    sb.chaos.set({});
    const refId = [...h.orders.keys()][0]!;
    // The money moved: exactly one order on the server for this submission, and the app says so.
    const found = await onServer(api, refId);
    expect(found).toHaveLength(1);
    if (!res.ok) throw new Error(`answered ${res.error.code}: ${res.error.message}`);
    expect(res.value).toMatchObject({ refId, serverId: found[0]!.id });
    expect(['created', 'settled']).toContain(res.value.status);
    expect(h.orders.get(refId)!.map((o) => o.status)).not.toContain('rejected');
    expect(await journalTypes(h.dir, refId)).toEqual(['intent', 'sent', 'accepted']);
    expect(await sb.balance(p.id, 'USD')).toBe('0');
    const settled = await h.waitForOrder(refId, (o) => o.status === 'settled');
    expect(settled.serverId).toBe(found[0]!.id);
  });

  it("reconciler's resend: not found, resent, lands, reset, the retry meets 403 — accepted on the next start, not rejected", async () => {
    const h = await open(api);
    const p = freshProfile();
    const amount = await allUsd(p.id);
    sb.chaos.set({ resetBeforeCommitRate: 1 });
    const first = await h.handlers['orders:submit']({ kind: 'mint', profileId: p.id, asset: target[api], amount });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value.status).toBe('unknown');
    const refId = first.value.refId;
    expect(await onServer(api, refId)).toEqual([]);

    sb.chaos.set({ fundsBeforeIdempotency: true, resetAfterCommitRate: 1 });
    await h.ops.start(); // reconciles the unknown order: read by ref_id (absent), resent with the same ref_id
    sb.chaos.set({});
    const found = await onServer(api, refId);
    expect(found).toHaveLength(1);
    const now = await h.handlers['orders:get']({ refId });
    expect(now.ok && now.value.serverId).toBe(found[0]!.id);
    expect(now.ok && ['created', 'settled']).toContain(now.ok ? now.value.status : 'not ok');
    expect(h.orders.get(refId)!.map((o) => o.status)).not.toContain('rejected');
    expect(await sb.balance(p.id, 'USD')).toBe('0');
  });

  it('while the read-back cannot be done the order is Checking (unknown), never rejected; it settles as accepted once the server answers', async () => {
    const h = await open(api, { recheckDelaysMs: [100, 200, 400, 800, 1600] });
    const p = freshProfile();
    const amount = await allUsd(p.id);
    sb.chaos.set({ fundsBeforeIdempotency: true, resetAfterCommitRate: 1 });
    failReadBack = true;
    const res = await h.handlers['orders:submit']({ kind: 'mint', profileId: p.id, asset: target[api], amount });
    sb.chaos.set({});
    if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
    expect(res.value).toMatchObject({ status: 'unknown', serverId: null });
    expect(res.value.problem).toMatch(/ref_id/);
    failReadBack = false;
    const accepted = await h.waitForOrder(res.value.refId, (o) => o.serverId !== null, 10_000);
    expect(accepted.serverId).toBe((await onServer(api, res.value.refId))[0]!.id);
    expect(h.orders.get(res.value.refId)!.map((o) => o.status)).not.toContain('rejected');
  });

  it('a refusal of an order that never landed is still rejected, after the read by ref_id shows it absent', async () => {
    const h = await open(api);
    const p = freshProfile();
    for (let i = 0; i < 3; i++) expect((await sb.direct('POST', `/sandbox/profiles/${p.id}/deposit`, { asset: 'USD', amount: '10000000' })).status).toBe(200);
    const usd0 = await sb.balance(p.id, 'USD');
    const path = api === 'orchestrations' ? '/orchestration/orchestrations' : '/conversion/stablecoins';
    sb.resetStats();
    const res = await h.handlers['orders:submit']({ kind: 'mint', profileId: p.id, asset: target[api], amount: '20000000' });
    expect(!res.ok && res.error.code).toBe('validation');
    const order = [...h.orders.values()].map((seen) => seen.at(-1)!).find((o: Order) => o.amount === '20000000')!;
    expect(order.status).toBe('rejected');
    // The POST, then the read by ref_id that found nothing (a GET of the list after it).
    const seen = sb.requests.filter((r) => r.path === `/v2${path}`).map((r) => r.method);
    expect(seen).toEqual(['POST', 'GET']);
    expect(await onServer(api, order.refId)).toEqual([]);
    expect(await sb.balance(p.id, 'USD')).toBe(usd0);
  });
});
