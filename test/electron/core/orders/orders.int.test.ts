// Mint, redeem and cancel through createOperations against the sandbox: validation, journal, balances to the unit, list/get, leaks.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEntry, Order } from '../../../../shared/domain';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { closeOperations, journalLines, openOperations, readAllFiles, tempDataDir, type OpsHandle } from '../../../support/operations-harness';

const SETTLE_MS = 400;
let sb: ApiSandbox;
let data: Awaited<ReturnType<typeof tempDataDir>>;
let h: OpsHandle;
const tokensSeen: string[] = [];

beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: SETTLE_MS });
  data = await tempDataDir('pc-orders-');
  h = openOperations(sb, data.dir, { ordersApi: 'conversions' });
  await h.ops.start();
  await h.ops.settled();
});
afterAll(async () => {
  expect(await closeOperations(h, sb, data)).toEqual([]);
});

const acme = () => sb.seed.profiles[0]!; // USD 250000.00, USDP 1200.5, PYUSD 300
const blue = () => sb.seed.profiles[1]!; // USD 1520.75, USDG 88.123456
const cedar = () => sb.seed.profiles[2]!; // USD 0.00, PYUSD 5000
const delta = () => sb.seed.profiles[3]!; // another operator's

async function submit(request: { kind: 'mint' | 'redeem'; profileId: string; asset: 'USDP' | 'PYUSD' | 'USDG'; amount: string }) {
  return h.handlers['orders:submit'](request);
}
async function cached(profileId: string, asset: string): Promise<string | undefined> {
  const res = await h.handlers['accounts:getBalances']({ profileId });
  return res.ok && res.value.status === 'ready' ? res.value.items.find((b) => b.asset === asset)?.available : undefined;
}
/** Waits until the app's cached balance equals the sandbox's, then returns it. */
async function converged(profileId: string, asset: string): Promise<string> {
  const server = await sb.balance(profileId, asset);
  for (let i = 0; i < 100; i++) {
    if ((await cached(profileId, asset)) === server) return server;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`cache for ${asset} never matched the sandbox (${server} vs ${await cached(profileId, asset)})`);
}

describe('mint and redeem', () => {
  it('mint: journaled, sent, created; USD debited at once and USDP credited on settlement, to the unit', async () => {
    const [usd0, usdp0] = [await sb.balance(acme().id, 'USD'), await sb.balance(acme().id, 'USDP')];
    const res = await submit({ kind: 'mint', profileId: acme().id, asset: 'USDP', amount: '100.01' });
    if (!res.ok) throw new Error(res.error.message);
    const order = res.value;
    expect(order).toMatchObject({ kind: 'mint', sourceAsset: 'USD', targetAsset: 'USDP', amount: '100.01', status: 'created', problem: null });
    expect(order.serverId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await converged(acme().id, 'USD')).toBe(new Big(usd0).minus('100.01').toFixed(2));
    expect(await cached(acme().id, 'USDP')).toBe(usdp0);

    const settled = await h.waitForOrder(order.refId, (o) => o.status === 'settled');
    expect(settled.serverId).toBe(order.serverId);
    expect(await converged(acme().id, 'USDP')).toBe(new Big(usdp0).plus('100.01').toFixed(8));
    expect(await converged(acme().id, 'USD')).toBe(new Big(usd0).minus('100.01').toFixed(2));

    expect(h.orders.get(order.refId)!.map((o) => o.status)).toEqual(['submitting', 'submitting', 'created', 'settled']);
    const lines = (await journalLines(data.dir)).filter((l) => l['refId'] === order.refId);
    expect(lines.map((l) => `${l['type']}${l['status'] ? `:${l['status']}` : ''}`)).toEqual(['intent', 'sent', 'accepted:CREATED', 'accepted:SETTLED']);
    const conversion = (await sb.conversions()).find((c) => c.ref_id === order.refId);
    expect(conversion).toMatchObject({ id: order.serverId, status: 'SETTLED', amount: '100.01', profile_id: acme().id });
  });

  it('redeem: PYUSD debited at once, USD credited on settlement', async () => {
    const [pyusd0, usd0] = [await sb.balance(cedar().id, 'PYUSD'), await sb.balance(cedar().id, 'USD')];
    const res = await submit({ kind: 'redeem', profileId: cedar().id, asset: 'PYUSD', amount: '50.25' });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value).toMatchObject({ sourceAsset: 'PYUSD', targetAsset: 'USD', status: 'created' });
    expect(await converged(cedar().id, 'PYUSD')).toBe(new Big(pyusd0).minus('50.25').toFixed(6));
    await h.waitForOrder(res.value.refId, (o) => o.status === 'settled');
    expect(await converged(cedar().id, 'USD')).toBe(new Big(usd0).plus('50.25').toFixed(2));
  });

  it('cancel while created refunds the source and never credits the target', async () => {
    const [usd0, usdg0] = [await sb.balance(blue().id, 'USD'), await sb.balance(blue().id, 'USDG')];
    sb.settlement.setDelayMs(60_000); // held in CREATED however slow this machine is
    const res = await submit({ kind: 'mint', profileId: blue().id, asset: 'USDG', amount: '20.50' });
    sb.settlement.setDelayMs(SETTLE_MS);
    if (!res.ok) throw new Error(res.error.message);
    const cancelled = await h.handlers['orders:cancel']({ refId: res.value.refId });
    expect(cancelled.ok && cancelled.value.status).toBe('cancelled');
    expect(await converged(blue().id, 'USD')).toBe(usd0);
    await new Promise((r) => setTimeout(r, SETTLE_MS + 100));
    expect(await sb.balance(blue().id, 'USDG')).toBe(usdg0);
    expect((await h.handlers['orders:get']({ refId: res.value.refId })).ok).toBe(true);
    const again = await h.handlers['orders:cancel']({ refId: res.value.refId });
    expect(!again.ok && again.error.code).toBe('conflict');
  });

  it('cancelling a settled order is a conflict and leaves it settled; an unknown ref_id is not_found', async () => {
    const res = await submit({ kind: 'mint', profileId: acme().id, asset: 'PYUSD', amount: '1.00' });
    if (!res.ok) throw new Error(res.error.message);
    await h.waitForOrder(res.value.refId, (o) => o.status === 'settled');
    const cancel = await h.handlers['orders:cancel']({ refId: res.value.refId });
    expect(!cancel.ok && cancel.error.code).toBe('conflict');
    const get = await h.handlers['orders:get']({ refId: res.value.refId });
    expect(get.ok && get.value.status).toBe('settled');
    const missing = await h.handlers['orders:cancel']({ refId: crypto.randomUUID() });
    expect(!missing.ok && missing.error.code).toBe('not_found');
  });

  it('a server-side rejection (above the per-request limit) is typed, journaled final, and moves nothing', async () => {
    for (let i = 0; i < 3; i++) expect((await sb.direct('POST', `/sandbox/profiles/${blue().id}/deposit`, { asset: 'USD', amount: '10000000' })).status).toBe(200);
    const usd0 = await sb.balance(blue().id, 'USD');
    const res = await submit({ kind: 'mint', profileId: blue().id, asset: 'USDP', amount: '20000000' });
    expect(!res.ok && res.error.code).toBe('validation');
    const list = await h.handlers['orders:list']({ profileId: blue().id, statuses: ['rejected'], limit: 10 });
    const rejected = list.ok ? list.value.items[0] : undefined;
    expect(rejected).toMatchObject({ amount: '20000000', status: 'rejected' });
    expect(rejected!.problem).toContain('maximum');
    expect(await sb.balance(blue().id, 'USD')).toBe(usd0);
  });
});

describe('validation before anything is written or sent', () => {
  it.each([
    ['too many decimals for USD', { kind: 'mint', profileId: 'a0000001-0000-4000-8000-000000000001', asset: 'USDP', amount: '1.001' }, 'invalid_request'],
    ['zero', { kind: 'mint', profileId: 'a0000001-0000-4000-8000-000000000001', asset: 'USDP', amount: '0.00' }, 'invalid_request'],
    ['not a number', { kind: 'redeem', profileId: 'a0000001-0000-4000-8000-000000000001', asset: 'USDP', amount: '1e3' }, 'invalid_request'],
    ['more USD than available', { kind: 'mint', profileId: 'a0000001-0000-4000-8000-000000000003', asset: 'USDP', amount: '999999.99' }, 'insufficient_funds'],
    ['more stablecoin than available', { kind: 'redeem', profileId: 'a0000001-0000-4000-8000-000000000002', asset: 'USDP', amount: '0.01' }, 'insufficient_funds'],
    ['another operator’s profile (404, like an unknown one)', { kind: 'mint', profileId: 'a0000001-0000-4000-8000-000000000004', asset: 'USDP', amount: '1' }, 'not_found'],
    ['an unknown profile', { kind: 'mint', profileId: 'nope', asset: 'USDP', amount: '1' }, 'not_found'],
  ] as const)('%s → %s, no POST, no journal line', async (_name, request, code) => {
    const linesBefore = (await journalLines(data.dir)).length;
    sb.resetStats();
    const res = await submit(request);
    expect(!res.ok && res.error.code).toBe(code);
    expect(sb.count('POST', '/conversion')).toBe(0);
    expect((await journalLines(data.dir)).length).toBe(linesBefore);
  });

  it('without the write scope: "not permitted" and not a single request', async () => {
    const limited = openOperations(sb, data.dir, { ordersApi: 'conversions', session: sb.session({ scopes: ['funding:read_profile', 'conversion:read_conversion_stablecoin'] }) });
    sb.resetStats();
    const res = await limited.handlers['orders:submit']({ kind: 'mint', profileId: acme().id, asset: 'USDP', amount: '1' });
    expect(!res.ok && res.error).toMatchObject({ code: 'forbidden_scope', message: 'Not permitted — sign in again and grant conversion:write_conversion_stablecoin.' });
    // (Polls of earlier orders may still run; this instance asked nothing about the profile and posted nothing.)
    expect(sb.requests.filter((r) => r.method === 'POST' || r.path.startsWith(`/v2/profiles/${acme().id}`))).toEqual([]);
    await limited.ops.close();
  });

  it('cedar has sample figures matching the seed (guards the cases above)', () => {
    expect(cedar().balances.USD).toBe('0.00');
    expect(delta().operator).not.toBe(acme().operator);
  });
});

describe('lists, activity, and secrets', () => {
  it('orders:list is newest first and filters by profile and status; orders:get merges server state', async () => {
    const all = await h.handlers['orders:list']({ limit: 200 });
    if (!all.ok) throw new Error(all.error.message);
    const times = all.value.items.map((o) => o.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const acmeOnly = await h.handlers['orders:list']({ profileId: acme().id, limit: 200 });
    expect(acmeOnly.ok && acmeOnly.value.items.every((o) => o.profileId === acme().id)).toBe(true);
    const cancelled = await h.handlers['orders:list']({ statuses: ['cancelled'], limit: 200 });
    expect(cancelled.ok && cancelled.value.items.map((o) => o.status)).toEqual(['cancelled']);

    const res = await submit({ kind: 'mint', profileId: acme().id, asset: 'USDG', amount: '2.00' });
    if (!res.ok) throw new Error(res.error.message);
    // orders:get merges the server's state: once the sandbox settles the conversion, the order reads settled.
    await expect
      .poll(async () => {
        const fresh = await h.handlers['orders:get']({ refId: res.value.refId });
        return fresh.ok ? fresh.value.status : fresh.error.code;
      }, { timeout: SETTLE_MS + 5_000, interval: 50 })
      .toBe('settled');
  });

  it('another operator sees none of these orders', async () => {
    const other = openOperations(sb, data.dir, { ordersApi: 'conversions', session: sb.session({ operator: { subject: 'op-93bd04', email: 'ops2@partner.test' } }) });
    const res = await other.handlers['orders:list']({ limit: 200 });
    expect(res.ok && res.value.items).toEqual([]);
    const first = (await h.handlers['orders:list']({ limit: 1 })) as { ok: true; value: { items: Order[] } };
    const get = await other.handlers['orders:get']({ refId: first.value.items[0]!.refId });
    expect(!get.ok && get.error.code).toBe('not_found');
    await other.ops.close();
  });

  it('records every submit, result and cancel in the activity log, with operator and environment; CSV exports it', async () => {
    const res = await h.handlers['activity:list']({ limit: 1000 });
    if (!res.ok) throw new Error(res.error.message);
    const items: ActivityEntry[] = res.value.items;
    expect(items.every((e) => e.environment === 'sandbox-local' && e.operator === 'ops@partner.test')).toBe(true);
    const actions = new Set(items.map((e) => `${e.action}:${e.outcome}`));
    for (const a of ['order_submit:ok', 'order_submit:error', 'order_result:ok', 'order_result:error', 'order_cancel:ok', 'order_cancel:error']) expect(actions).toContain(a);
    const recorded = await h.ops.recordAudit({ action: 'sign_out', outcome: 'ok', summary: 'Signed out' });
    expect(recorded.ok && recorded.value.action).toBe('sign_out');
    const { text: csv, rows } = await h.ops.exportCsv();
    expect(rows).toBe(items.length + 1);
    expect(csv.startsWith('time,operator,environment,action,outcome,summary,ref_id,id\r\n')).toBe(true);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(items.length + 2);
  });

  it('order entries name the account by nickname and keep the full profile id, in the log and in the CSV', async () => {
    const res = await h.handlers['activity:list']({ limit: 1000 });
    if (!res.ok) throw new Error(res.error.message);
    const summaries = (action: string, outcome: string) => res.value.items.filter((e) => e.action === action && e.outcome === outcome).map((e) => e.summary);
    const acmeLabel = `Acme Treasury (${acme().id})`;
    const blueLabel = `Blue Harbor LLC (${blue().id})`;
    // Submit, first result, cancel (ok and refused), server rejection, refusal after the profile was looked up (amounts as journaled).
    expect(summaries('order_submit', 'ok')).toContain(`Mint 100.01 USD → USDP for ${acmeLabel}`);
    expect(summaries('order_submit', 'ok')).toContain(`Redeem 50.25 PYUSD → USD for Cedar Payments (${cedar().id})`);
    expect(summaries('order_result', 'ok').some((t) => t.startsWith(`Mint 100.01 USD → USDP for ${acmeLabel}: accepted as conversion `))).toBe(true);
    expect(summaries('order_cancel', 'ok')).toContain(`Cancel: Mint 20.5 USD → USDG for ${blueLabel} — cancelled`);
    expect(summaries('order_cancel', 'error').some((t) => t.startsWith(`Cancel: Mint 20.5 USD → USDG for ${blueLabel} — Only an order that is created`))).toBe(true);
    expect(summaries('order_cancel', 'error').some((t) => t.startsWith(`Cancel: Mint 1 USD → PYUSD for ${acmeLabel} — `))).toBe(true);
    expect(summaries('order_result', 'error').some((t) => t.startsWith(`Mint 20000000 USD → USDP for ${blueLabel}: rejected — `))).toBe(true);
    expect(summaries('order_submit', 'error').some((t) => t.startsWith(`Mint 999999.99 USD → USDP for Cedar Payments (${cedar().id}): refused before sending — Not enough USD`))).toBe(true);
    // Refused before the profile was looked up: the nickname is not known yet, so the id alone names it.
    expect(summaries('order_submit', 'error')).toContain(`Mint 1.001 USD → USDP for profile ${acme().id}: refused before sending — USD allows at most 2 decimal places.`);
    // Every entry about a journaled order carries the nickname; none falls back to the bare id.
    const orderEntries = res.value.items.filter((e) => e.refId !== null);
    expect(orderEntries.length).toBeGreaterThan(10);
    for (const e of orderEntries) expect(e.summary).toMatch(/ for (Acme Treasury|Blue Harbor LLC|Cedar Payments) \(a0000001-0000-4000-8000-00000000000[123]\)/);
    // The export holds the same words and the full ids (these summaries need no CSV quoting).
    const { text: csv } = await h.ops.exportCsv();
    expect(csv).toContain(`,Cancel: Mint 20.5 USD → USDG for ${blueLabel} — cancelled,`);
    expect(csv).toContain(`,Mint 100.01 USD → USDP for ${acmeLabel},`);
    for (const id of [acme().id, blue().id, cedar().id]) expect(csv).toContain(`(${id})`);
  });

  it('an outcome that arrives after sign-out is recorded for the operator who submitted the order, with the nickname', async () => {
    const own = await tempDataDir('pc-orders-signout-');
    const session = sb.session();
    const ops = openOperations(sb, own.dir, { ordersApi: 'conversions', session });
    try {
      await ops.ops.start();
      await ops.ops.settled();
      sb.chaos.set({ latencyMs: 250 });
      const postsBefore = sb.count('POST', '/conversion/stablecoins');
      const pending = ops.handlers['orders:submit']({ kind: 'mint', profileId: acme().id, asset: 'USDP', amount: '3.33' });
      await expect.poll(() => sb.count('POST', '/conversion/stablecoins'), { timeout: 5000, interval: 5 }).toBeGreaterThan(postsBefore);
      session.signOut();
      const res = await pending;
      if (!res.ok) throw new Error(res.error.message);
      expect(res.value.status).toBe('unknown');
      sb.chaos.set({});
      const intent = (await journalLines(own.dir)).find((l) => l['refId'] === res.value.refId && l['type'] === 'intent');
      expect(intent).toMatchObject({ operator: 'op-7c1e2a', operatorEmail: 'ops@partner.test', profileNickname: 'Acme Treasury' });

      const afterSignOut = await ops.handlers['activity:list']({ limit: 10 });
      if (!afterSignOut.ok) throw new Error(afterSignOut.error.message);
      const unknown = afterSignOut.value.items.find((e) => e.refId === res.value.refId && e.action === 'order_result');
      expect(unknown).toMatchObject({ outcome: 'error', operator: 'ops@partner.test' });
      expect(unknown!.summary).toMatch(new RegExp(`^Mint 3\\.33 USD → USDP for Acme Treasury \\(${acme().id}\\): not confirmed yet — `));

      // Signed in again: reconciliation by ref_id records the result, also for the submitter and by nickname.
      session.signIn();
      await ops.ops.start();
      const log = await ops.handlers['activity:list']({ limit: 20 });
      if (!log.ok) throw new Error(log.error.message);
      const result = log.value.items.find((e) => e.refId === res.value.refId && e.action === 'order_result' && e.outcome === 'ok');
      expect(result).toMatchObject({ operator: 'ops@partner.test' });
      expect(result!.summary.startsWith(`Mint 3.33 USD → USDP for Acme Treasury (${acme().id}): accepted as conversion `)).toBe(true);
      expect(log.value.items.every((e) => e.operator === 'ops@partner.test')).toBe(true);
    } finally {
      sb.chaos.set({});
      await ops.ops.close();
      await own.remove();
    }
  });

  it('a journal written before nicknames and e-mails were kept still loads and reconciles; its summaries name the profile by id', async () => {
    const own = await tempDataDir('pc-orders-oldjournal-');
    const p = acme();
    const at = new Date().toISOString();
    const sentRef = crypto.randomUUID();
    const unsentRef = crypto.randomUUID();
    const order = (amount: string) => ({ kind: 'mint', profileId: p.id, asset: 'USDP', amount, sourceAsset: 'USD', targetAsset: 'USDP', identityId: p.identity_id, accountId: p.account_id });
    // Exactly what the previous version wrote: no operatorEmail, no profileNickname.
    const lines = [
      { v: 1, refId: sentRef, at, type: 'intent', operator: 'op-7c1e2a', environment: 'sandbox-local', order: order('4.44') },
      { v: 1, refId: sentRef, at, type: 'sent' },
      { v: 1, refId: unsentRef, at, type: 'intent', operator: 'op-7c1e2a', environment: 'sandbox-local', order: order('5.55') },
    ];
    await writeFile(join(own.dir, 'orders-journal.jsonl'), lines.map((l) => `${JSON.stringify(l)}\n`).join(''), { mode: 0o600 });
    const ops = openOperations(sb, own.dir, { ordersApi: 'conversions' });
    try {
      await ops.ops.start();
      const list = await ops.handlers['orders:list']({ limit: 10 });
      if (!list.ok) throw new Error(list.error.message);
      const status = (refId: string) => list.value.items.find((o) => o.refId === refId)?.status;
      expect(status(unsentRef)).toBe('rejected');
      expect(['created', 'settled']).toContain(status(sentRef));
      expect((await sb.conversions()).filter((c) => c.ref_id === sentRef)).toHaveLength(1);
      const log = await ops.handlers['activity:list']({ limit: 10 });
      if (!log.ok) throw new Error(log.error.message);
      const of = (refId: string) => log.value.items.filter((e) => e.refId === refId);
      expect(of(sentRef)).toHaveLength(1);
      expect(of(sentRef)[0]).toMatchObject({ action: 'order_result', outcome: 'ok', operator: 'ops@partner.test' });
      expect(of(sentRef)[0]!.summary.startsWith(`Mint 4.44 USD → USDP for profile ${p.id}: accepted as conversion `)).toBe(true);
      expect(of(unsentRef)).toHaveLength(1);
      expect(of(unsentRef)[0]).toMatchObject({ action: 'order_result', outcome: 'error', operator: 'ops@partner.test' });
      expect(of(unsentRef)[0]!.summary.startsWith(`Mint 5.55 USD → USDP for profile ${p.id}: rejected — Not sent`)).toBe(true);
    } finally {
      await ops.ops.close();
      await own.remove();
    }
  });

  it('a submit refused because the session ended meanwhile is logged for the operator who submitted it, with its direction', async () => {
    const own = await tempDataDir('pc-orders-refused-');
    const session = sb.session();
    const ops = openOperations(sb, own.dir, { ordersApi: 'conversions', session });
    const postsBefore = sb.count('POST', '/conversion/stablecoins');
    const lookups = () => sb.count('GET', `/profiles/${blue().id}`);
    const before = lookups();
    sb.chaos.set({ latencyMs: 10_000 }); // the profile lookup is held at the server until the session ends
    try {
      const pending = ops.handlers['orders:submit']({ kind: 'mint', profileId: blue().id, asset: 'USDG', amount: '1.00' });
      await expect.poll(lookups).toBeGreaterThan(before);
      session.signOut();
      expect((await pending).ok).toBe(false);
      expect(sb.count('POST', '/conversion/stablecoins')).toBe(postsBefore);
      const log = await ops.handlers['activity:list']({ limit: 10 });
      if (!log.ok) throw new Error(log.error.message);
      expect(log.value.items).toHaveLength(1);
      expect(log.value.items[0]).toMatchObject({ action: 'order_submit', outcome: 'error', operator: 'ops@partner.test', refId: null });
      expect(log.value.items[0]!.summary).toContain(`Mint 1.00 USD → USDG for profile ${blue().id}: refused before sending`);
    } finally {
      sb.chaos.set({});
      await ops.ops.close();
      await own.remove();
    }
  });

  it('no token string is written anywhere in the data dir', async () => {
    tokensSeen.push(...h.session.issued);
    expect(tokensSeen.length).toBeGreaterThan(0);
    const files = await readAllFiles(data.dir);
    expect(files.map((f) => f.path.split('/').pop()).sort()).toEqual(['activity-log.jsonl', 'orders-journal.jsonl']);
    for (const { text } of files) {
      for (const token of tokensSeen) {
        expect(text.includes(token)).toBe(false);
        expect(text.includes(token.split('.')[2]!)).toBe(false);
      }
      expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
      expect(text.toLowerCase()).not.toContain('bearer');
    }
  });
});
