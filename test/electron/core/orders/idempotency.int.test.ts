// Exactly-once under chaos: 200 orders through connection resets, and unknown outcomes settled by ref_id before new work.
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBounded } from '../../../../electron/core/api/work-queue';
import type { Order } from '../../../../shared/domain';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { journalLines, openOperations, tempDataDir, type OpsHandle } from '../../../support/operations-harness';

let sb: ApiSandbox;
let data: Awaited<ReturnType<typeof tempDataDir>>;
const handles: OpsHandle[] = [];
beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: 100 });
  data = await tempDataDir('pc-idem-');
});
afterAll(async () => {
  const violations = handles.flatMap((h) => h.contractViolations);
  await Promise.all(handles.map((h) => h.ops.close()));
  await sb.close();
  await data.remove();
  expect(violations).toEqual([]);
});

const acme = () => sb.seed.profiles[0]!;
const blue = () => sb.seed.profiles[1]!;
const cedar = () => sb.seed.profiles[2]!;

/** Submits `count` mints of 1.25 `asset` to Acme, 20 at a time; the orders accepted and the errors of the others. */
async function submitMints(h: OpsHandle, asset: 'USDP' | 'PYUSD', count: number): Promise<{ results: Order[]; failures: string[] }> {
  const results: Order[] = [];
  const failures: string[] = [];
  await runBounded(
    Array.from({ length: count }, (_, i) => i),
    20,
    async () => {
      const res = await h.handlers['orders:submit']({ kind: 'mint', profileId: acme().id, asset, amount: '1.25' });
      if (res.ok) results.push(res.value);
      else failures.push(`${res.error.code}: ${res.error.message}`);
    },
    new AbortController().signal,
  );
  return { results, failures };
}

/** Folds the journal file in `dir`: the last record type (and status) per ref_id. */
async function journalState(dir = data.dir): Promise<Map<string, string>> {
  const state = new Map<string, string>();
  for (const line of await journalLines(dir)) state.set(String(line['refId']), `${String(line['type'])}${line['status'] ? `:${String(line['status'])}` : ''}`);
  return state;
}

describe('idempotent submission', () => {
  it('200 orders through reset-after-commit chaos: exactly 200 conversions on the server, every journal entry final', async () => {
    const h = openOperations(sb, data.dir, { ordersApi: 'conversions', tuning: { retry: { maxAttempts: 8, baseDelayMs: 2, maxDelayMs: 20, maxTotalMs: 20_000 }, recheckDelaysMs: [50, 100, 200, 400, 800] } });
    handles.push(h);
    const usd0 = await sb.balance(acme().id, 'USD');
    const usdp0 = await sb.balance(acme().id, 'USDP');
    sb.resetStats();
    sb.chaos.set({ resetAfterCommitRate: 0.3, resetBeforeCommitRate: 0.1, seed: 7 });
    const { results, failures } = await submitMints(h, 'USDP', 200);
    expect(failures).toEqual([]);
    expect(results).toHaveLength(200);
    expect(sb.count('POST', '/conversion')).toBeGreaterThan(230); // resets happened and were resent
    sb.chaos.set({});

    const refIds = new Set(results.map((o) => o.refId));
    expect(refIds.size).toBe(200);
    await Promise.all(results.map((o) => h.waitForOrder(o.refId, (x) => x.status === 'settled', 20_000)));

    const onServer = (await sb.conversions()).filter((c) => c.ref_id !== undefined && refIds.has(c.ref_id));
    expect(onServer).toHaveLength(200);
    expect(new Set(onServer.map((c) => c.ref_id)).size).toBe(200);
    expect(onServer.every((c) => c.status === 'SETTLED')).toBe(true);

    const journal = await journalState();
    for (const refId of refIds) expect(journal.get(refId)).toBe('accepted:SETTLED');

    const moved = new Big('1.25').times(200);
    expect(await sb.balance(acme().id, 'USD')).toBe(new Big(usd0).minus(moved).toFixed(2));
    expect(await sb.balance(acme().id, 'USDP')).toBe(new Big(usdp0).plus(moved).toFixed(8));
  });

  it('200 orders through reset-after-commit chaos via the Orchestrations API: exactly 200 orchestrations on the server, every journal entry final', async () => {
    const own = await tempDataDir('pc-idem-orch-');
    const h = openOperations(sb, own.dir, { ordersApi: 'orchestrations', tuning: { retry: { maxAttempts: 8, baseDelayMs: 2, maxDelayMs: 20, maxTotalMs: 20_000 }, recheckDelaysMs: [50, 100, 200, 400, 800] } });
    handles.push(h);
    try {
      const [usd0, pyusd0] = [await sb.balance(acme().id, 'USD'), await sb.balance(acme().id, 'PYUSD')];
      sb.resetStats();
      sb.chaos.set({ resetAfterCommitRate: 0.3, resetBeforeCommitRate: 0.1, seed: 11 });
      const { results, failures } = await submitMints(h, 'PYUSD', 200);
      expect(failures).toEqual([]);
      expect(results).toHaveLength(200);
      expect(sb.count('POST', '/orchestration/orchestrations')).toBeGreaterThan(230); // resets happened and were resent
      expect(sb.count('POST', '/conversion')).toBe(0);
      sb.chaos.set({});

      const refIds = new Set(results.map((o) => o.refId));
      expect(refIds.size).toBe(200);
      await Promise.all(results.map((o) => h.waitForOrder(o.refId, (x) => x.status === 'settled', 20_000)));

      const onServer = (await sb.orchestrations()).filter((o) => refIds.has(o.ref_id));
      expect(onServer).toHaveLength(200);
      expect(new Set(onServer.map((o) => o.ref_id)).size).toBe(200);
      expect(onServer.every((o) => o.status === 'COMPLETED')).toBe(true);

      const journal = await journalState(own.dir);
      for (const refId of refIds) expect(journal.get(refId)).toBe('accepted:COMPLETED');

      const moved = new Big('1.25').times(200);
      expect(await sb.balance(acme().id, 'USD')).toBe(new Big(usd0).minus(moved).toFixed(2));
      expect(await sb.balance(acme().id, 'PYUSD')).toBe(new Big(pyusd0).plus(moved).toFixed(6));
    } finally {
      sb.chaos.set({});
      await h.ops.close();
      await own.remove();
    }
  });

  it('an order left unknown blocks new orders for its profile until it is settled by ref_id, then goes through once', async () => {
    const own = await tempDataDir('pc-idem-unknown-'); // its own journal: what this test wrote, and nothing else
    const h = openOperations(sb, own.dir, { ordersApi: 'conversions' });
    handles.push(h);
    sb.chaos.set({ resetBeforeCommitRate: 1 });
    sb.resetStats();
    const first = await h.handlers['orders:submit']({ kind: 'mint', profileId: blue().id, asset: 'USDG', amount: '3.00' });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.value).toMatchObject({ status: 'unknown', serverId: null });
    expect(first.value.problem).toContain('ref_id');
    expect(sb.count('POST', '/conversion')).toBe(4);

    const second = await h.handlers['orders:submit']({ kind: 'mint', profileId: blue().id, asset: 'USDG', amount: '4.00' });
    expect(!second.ok && second.error).toMatchObject({ code: 'unavailable', detail: { refId: first.value.refId } });
    expect([...(await journalState(own.dir)).keys()]).toEqual([first.value.refId]); // nothing was written for the refused one

    const elsewhere = await h.handlers['orders:submit']({ kind: 'redeem', profileId: cedar().id, asset: 'PYUSD', amount: '1.00' });
    expect(elsewhere.ok && elsewhere.value.status).toBe('unknown'); // other profiles are not blocked (chaos still on)

    sb.chaos.set({});
    const third = await h.handlers['orders:submit']({ kind: 'mint', profileId: blue().id, asset: 'USDG', amount: '5.00' });
    expect(third.ok && third.value.status).toBe('created');
    const firstNow = await h.handlers['orders:get']({ refId: first.value.refId });
    expect(firstNow.ok && ['created', 'settled']).toContain(firstNow.ok ? firstNow.value.status : '');
    const conversions = await sb.conversions();
    expect(conversions.filter((c) => c.ref_id === first.value.refId)).toHaveLength(1);
    expect(conversions.filter((c) => c.profile_id === blue().id && c.amount === '4')).toHaveLength(0);
    await h.ops.close();
    await own.remove();
  });

  it('an unknown order is re-checked in the background and lands exactly once', async () => {
    const h = openOperations(sb, data.dir, { ordersApi: 'conversions', tuning: { recheckDelaysMs: [150, 300] } });
    handles.push(h);
    sb.chaos.set({ resetBeforeCommitRate: 1 });
    const res = await h.handlers['orders:submit']({ kind: 'mint', profileId: acme().id, asset: 'PYUSD', amount: '7.77' });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.status).toBe('unknown');
    sb.chaos.set({});
    const created = await h.waitForOrder(res.value.refId, (o) => o.status === 'created' || o.status === 'settled', 5000);
    expect(created.serverId).not.toBeNull();
    expect((await sb.conversions()).filter((c) => c.ref_id === res.value.refId)).toHaveLength(1);
  });

  it('sign-out mid-order cancels the request; after signing in again the order is reconciled and exists exactly once', async () => {
    const session = sb.session();
    const h = openOperations(sb, data.dir, { ordersApi: 'conversions', session });
    handles.push(h);
    await h.ops.start();
    sb.chaos.set({ latencyMs: 250 });
    const postsBefore = sb.count('POST', '/conversion');
    const pending = h.handlers['orders:submit']({ kind: 'redeem', profileId: acme().id, asset: 'PYUSD', amount: '8.88' });
    for (let i = 0; i < 400 && sb.count('POST', '/conversion') === postsBefore; i++) await new Promise((r) => setTimeout(r, 5));
    session.signOut();
    const res = await pending;
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.status).toBe('unknown');
    sb.chaos.set({});
    const refused = await h.handlers['orders:submit']({ kind: 'redeem', profileId: acme().id, asset: 'PYUSD', amount: '1.00' });
    expect(!refused.ok && refused.error.code).toBe('signed_out');

    session.signIn();
    await h.ops.start();
    const order = await h.handlers['orders:get']({ refId: res.value.refId });
    expect(order.ok && ['created', 'settled']).toContain(order.ok ? order.value.status : '');
    expect((await sb.conversions()).filter((c) => c.ref_id === res.value.refId)).toHaveLength(1);
  });
});
