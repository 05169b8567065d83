// Mint and redeem through the Orchestrations API against the sandbox: PENDING → approved → COMPLETED, PENDING → REJECTED,
// FAILED with its reason, a duplicate ref_id adopted, no cancel, the write scope of the API, and what the journal and log keep.
import Big from 'big.js';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../../shared/domain';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { OPS, OPS2 } from '../../../support/api-tokens';
import { closeOperations, journalLines, openOperations, tempDataDir, type OpsHandle } from '../../../support/operations-harness';

const SETTLE_MS = 300;
let sb: ApiSandbox;
let data: Awaited<ReturnType<typeof tempDataDir>>;
let h: OpsHandle;

beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: SETTLE_MS, approvalThreshold: '1000' });
  data = await tempDataDir('pc-orch-');
  h = openOperations(sb, data.dir, { ordersApi: 'orchestrations' });
  await h.ops.start();
  await h.ops.settled();
});
afterAll(async () => {
  expect(await closeOperations(h, sb, data)).toEqual([]);
});

const acme = () => sb.seed.profiles[0]!; // DEFAULT; USD 250000.00, USDP 1200.5, PYUSD 300
const blue = () => sb.seed.profiles[1]!; // NORMAL, identity account; USD 1520.75, USDG 88.123456
const cedar = () => sb.seed.profiles[2]!; // NORMAL; USD 0.00, PYUSD 5000

async function submit(request: { kind: 'mint' | 'redeem'; profileId: string; asset: 'USDP' | 'PYUSD' | 'USDG'; amount: string }) {
  const res = await h.handlers['orders:submit'](request);
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res.value;
}

/** The loopback admin endpoint, as a second operator (an authorization-code token of `sub`) would call it. */
async function decide(orchestrationId: string, decision: 'approve' | 'reject', sub: string): Promise<{ status: number; body: unknown }> {
  const token = await sb.issuer.sign({ sub });
  const res = await request(`${new URL(sb.api).origin}/_sandbox/approvals/${orchestrationId}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ decision }),
  });
  return { status: res.statusCode, body: await res.body.json() };
}

async function activityOf(refId: string): Promise<ActivityEntry[]> {
  const res = await h.handlers['activity:list']({ limit: 1000 });
  if (!res.ok) throw new Error(res.error.message);
  return res.value.items.filter((e) => e.refId === refId).reverse();
}

const statusesOf = (refId: string) => h.orders.get(refId)!.map((o) => o.status);

describe('through the Orchestrations API', () => {
  it('a mint below the threshold: sent as the published request, processing, then completed; funds move to the unit', async () => {
    const p = blue();
    const [usd0, usdg0] = [await sb.balance(p.id, 'USD'), await sb.balance(p.id, 'USDG')];
    const order = await submit({ kind: 'mint', profileId: p.id, asset: 'USDG', amount: '25.50' });
    expect(order).toMatchObject({ ordersApi: 'orchestrations', status: 'created', amount: '25.5', sourceAsset: 'USD', targetAsset: 'USDG', problem: null });
    const settled = await h.waitForOrder(order.refId, (o) => o.status === 'settled');
    expect(settled.serverId).toBe(order.serverId);
    expect(statusesOf(order.refId)).toEqual(['submitting', 'submitting', 'created', 'settled']);
    const [server] = (await sb.orchestrations()).filter((o) => o.ref_id === order.refId);
    // The order names the app and the operator (by subject; nothing secret) and carries the profile's identity and account.
    expect(server).toMatchObject({ id: order.serverId, status: 'COMPLETED', profile_id: p.id, source_amount: '25.5', metadata: { app: 'Partner Console', operator: OPS.subject } });
    expect(await sb.balance(p.id, 'USD')).toBe(new Big(usd0).minus('25.5').toFixed(2));
    expect(await sb.balance(p.id, 'USDG')).toBe(new Big(usdg0).plus('25.5').toFixed(8));
    const lines = (await journalLines(data.dir)).filter((l) => l['refId'] === order.refId);
    expect(lines.map((l) => `${l['type']}:v${l['v']}${l['status'] ? `:${l['status']}` : ''}`)).toEqual(['intent:v2', 'sent:v2', 'accepted:v2:PROCESSING', 'accepted:v2:COMPLETED']);
    expect(lines[0]).toMatchObject({ ordersApi: 'orchestrations' });
  });

  it('PENDING → approved by a second operator → COMPLETED: it waits (and says so), the submitter cannot approve, polling follows it', async () => {
    const p = acme();
    const [usd0, usdp0] = [await sb.balance(p.id, 'USD'), await sb.balance(p.id, 'USDP')];
    const order = await submit({ kind: 'mint', profileId: p.id, asset: 'USDP', amount: '1500' });
    expect(order).toMatchObject({ status: 'awaiting_approval', problem: null });
    expect(await sb.balance(p.id, 'USD')).toBe(new Big(usd0).minus('1500').toFixed(2)); // reserved while it waits (sandbox)
    // Still waiting after several polls.
    const gets = () => sb.count('GET', `/orchestration/orchestrations/${order.serverId}`);
    await expect.poll(gets, { timeout: 5_000 }).toBeGreaterThanOrEqual(3);
    expect((await h.handlers['orders:get']({ refId: order.refId })).ok && statusesOf(order.refId).at(-1)).toBe('awaiting_approval');
    expect((await decide(order.serverId!, 'approve', OPS.subject)).status).toBe(403);
    expect(await decide(order.serverId!, 'approve', OPS2.subject)).toMatchObject({ status: 200, body: { status: 'PROCESSING' } });
    await h.waitForOrder(order.refId, (o) => o.status === 'settled', 10_000);
    expect(statusesOf(order.refId)).toEqual(['submitting', 'submitting', 'awaiting_approval', 'created', 'settled']);
    expect(await sb.balance(p.id, 'USDP')).toBe(new Big(usdp0).plus('1500').toFixed(8));
    await expect.poll(async () => (await activityOf(order.refId)).map((e) => `${e.action}:${e.outcome}: ${e.summary}`)).toEqual([
      `order_submit:ok: Mint 1500 USD → USDP for Acme Treasury (${p.id})`,
      `order_result:ok: Mint 1500 USD → USDP for Acme Treasury (${p.id}): accepted as orchestration ${order.serverId} (PENDING: awaiting approval)`,
      `order_result:ok: Mint 1500 USD → USDP for Acme Treasury (${p.id}): approved (PROCESSING)`,
    ]);
  });

  it('PENDING → REJECTED: the order says it was not approved, the reservation is released, and the log records it', async () => {
    const p = acme();
    const usd0 = await sb.balance(p.id, 'USD');
    const order = await submit({ kind: 'mint', profileId: p.id, asset: 'PYUSD', amount: '2000.01' });
    expect(order.status).toBe('awaiting_approval');
    expect((await decide(order.serverId!, 'reject', OPS2.subject)).status).toBe(200);
    const rejected = await h.waitForOrder(order.refId, (o) => o.status === 'rejected');
    expect(rejected.problem).toBe('Not approved: the approver refused this order, so it was not carried out.');
    expect(await sb.balance(p.id, 'USD')).toBe(usd0);
    // The entry is recorded right after the change is published.
    await expect.poll(async () => (await activityOf(order.refId)).at(-1)).toMatchObject({ action: 'order_result', outcome: 'error', summary: expect.stringMatching(/: not approved \(REJECTED\): nothing moved$/) });
  });

  it('FAILED with a reason: shown sanitised, recorded, journaled final', async () => {
    sb.settlement.setDelayMs(600_000); // held in PROCESSING until it fails
    const order = await submit({ kind: 'redeem', profileId: cedar().id, asset: 'PYUSD', amount: '10' });
    sb.settlement.setDelayMs(SETTLE_MS);
    expect(order.status).toBe('created');
    sb.approvals.fail(order.serverId!, 'Destination <b>account</b> is frozen\u202e eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln');
    const failed = await h.waitForOrder(order.refId, (o) => o.status === 'failed');
    expect(failed.problem).toBe('Failed on the server: Destination account is frozen [redacted]');
    const last = (await journalLines(data.dir)).filter((l) => l['refId'] === order.refId).at(-1);
    expect(last).toMatchObject({ type: 'accepted', status: 'FAILED', failReason: 'Destination account is frozen [redacted]' });
    await expect.poll(async () => (await activityOf(order.refId)).at(-1)).toMatchObject({ outcome: 'error', summary: expect.stringMatching(/: failed — Destination account is frozen \[redacted\]$/) });
    // Final: no more polling of it.
    const gets = sb.count('GET', `/orchestration/orchestrations/${order.serverId}`);
    await new Promise((r) => setTimeout(r, 400));
    expect(sb.count('GET', `/orchestration/orchestrations/${order.serverId}`)).toBe(gets);
  });

  it('a duplicate ref_id (the first POST landed, its answer was lost): the resend gets 409 already-exists and adopts it — one orchestration', async () => {
    sb.resetStats();
    sb.chaos.set({ resetAfterCommitRate: 1 });
    let order;
    try {
      order = await submit({ kind: 'mint', profileId: acme().id, asset: 'USDG', amount: '3.21' });
    } finally {
      sb.chaos.set({});
    }
    expect(sb.count('POST', '/orchestration/orchestrations')).toBe(2);
    expect(['created', 'settled']).toContain(order.status);
    const onServer = (await sb.orchestrations()).filter((o) => o.ref_id === order.refId);
    expect(onServer.map((o) => o.id)).toEqual([order.serverId]);
  });

  it('has no cancel: refused as a conflict, nothing sent, recorded', async () => {
    sb.settlement.setDelayMs(600_000);
    const order = await submit({ kind: 'mint', profileId: acme().id, asset: 'USDP', amount: '4' });
    sb.settlement.setDelayMs(SETTLE_MS);
    sb.resetStats();
    const res = await h.handlers['orders:cancel']({ refId: order.refId });
    expect(!res.ok && res.error).toMatchObject({ code: 'conflict', message: 'Orders sent through the Orchestrations API cannot be cancelled: Paxos offers no cancel for them.' });
    expect(sb.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect((await activityOf(order.refId)).at(-1)).toMatchObject({ action: 'order_cancel', outcome: 'error' });
  });

  it('needs the orchestration write scope (a conversions grant does not do), and says which before sending anything', async () => {
    const limited = openOperations(sb, data.dir, { ordersApi: 'orchestrations', session: sb.session({ scopes: ['funding:read_profile', 'conversion:read_conversion_stablecoin', 'conversion:write_conversion_stablecoin'] }) });
    sb.resetStats();
    try {
      const res = await limited.handlers['orders:submit']({ kind: 'mint', profileId: acme().id, asset: 'USDP', amount: '1' });
      expect(!res.ok && res.error).toMatchObject({ code: 'forbidden_scope', message: 'Not permitted — sign in again and grant orchestration:write_orchestration.' });
      expect(sb.requests.filter((r) => r.method === 'POST')).toEqual([]);
    } finally {
      await limited.ops.close();
    }
  });

  it('the CSV export carries the orchestration outcomes in the same words as the activity log', async () => {
    const { text } = await h.ops.exportCsv();
    expect(text).toMatch(/,Mint 1500 USD → USDP for Acme Treasury \(a0000001-0000-4000-8000-000000000001\): accepted as orchestration [0-9a-f-]{36} \(PENDING: awaiting approval\),/);
    expect(text).toContain(',Mint 1500 USD → USDP for Acme Treasury (a0000001-0000-4000-8000-000000000001): approved (PROCESSING),');
    expect(text).toContain(': not approved (REJECTED): nothing moved,');
    expect(text).toContain(': failed — Destination account is frozen [redacted],');
    expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
  });

  it('an order sent through conversions is followed through conversions after the environment switched to orchestrations', async () => {
    const own = await tempDataDir('pc-orch-switch-');
    const before = openOperations(sb, own.dir, { ordersApi: 'conversions' });
    let refId: string;
    try {
      sb.settlement.setDelayMs(1_000);
      const res = await before.handlers['orders:submit']({ kind: 'mint', profileId: blue().id, asset: 'USDP', amount: '1.11' });
      sb.settlement.setDelayMs(SETTLE_MS);
      if (!res.ok) throw new Error(res.error.message);
      expect(res.value).toMatchObject({ ordersApi: 'conversions', status: 'created' });
      refId = res.value.refId;
    } finally {
      await before.ops.close();
    }
    const after = openOperations(sb, own.dir, { ordersApi: 'orchestrations' });
    try {
      await after.ops.start();
      await after.waitForOrder(refId, (o) => o.status === 'settled', 10_000);
      const listed = await after.handlers['orders:list']({ limit: 10 });
      expect(listed.ok && listed.value.items.map((o) => [o.ordersApi, o.status])).toEqual([['conversions', 'settled']]);
      expect((await sb.orchestrations()).filter((o) => o.ref_id === refId)).toEqual([]);
      // …and cancel stays a conversions-only action: this one is settled now, so it is a plain conflict.
      const cancel = await after.handlers['orders:cancel']({ refId });
      expect(!cancel.ok && cancel.error.message).toMatch(/^Only an order that is created/);
    } finally {
      await after.ops.close();
      await own.remove();
    }
  });
});
