// Accounts through createOperations against a sandbox with 2,503 delegated profiles: paging, fan-out, search/sort, refresh, scopes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreEvents } from '../../../../electron/core/events';
import { createOperations, type Operations, type OperationsTuning } from '../../../../electron/core/operations';
import type { BalancesSummary } from '../../../../shared/domain';
import { channels, events as eventSchemas, type EventPayload, type ProfilePage } from '../../../../shared/ipc-contract';
import { startApiSandbox, type ApiSandbox, type TestTokenSource } from '../../../support/api-sandbox';
import { OPS } from '../../../support/api-tokens';

let sb: ApiSandbox;
let dataDir: string;
const opened: Operations[] = [];
beforeAll(async () => {
  sb = await startApiSandbox({ seedProfiles: 2500 });
  dataDir = await mkdtemp(join(tmpdir(), 'pc-accounts-'));
});
afterAll(async () => {
  await Promise.all(opened.map((o) => o.close()));
  await sb.close();
  await rm(dataDir, { recursive: true, force: true });
});

function open(session: TestTokenSource, events = new CoreEvents(), tuning: OperationsTuning = { balanceConcurrency: 16 }, clock?: () => Date) {
  const ops = createOperations({ tokens: session, apiBase: sb.api, environment: 'sandbox-local', dataDir, events, tuning, ...(clock ? { clock } : {}) });
  opened.push(ops);
  return ops;
}
const list = async (ops: Operations, request: Partial<Parameters<Operations['handlers']['accounts:listProfiles']>[0]> = {}): Promise<ProfilePage> => {
  const res = await ops.handlers['accounts:listProfiles']({ limit: 100, sort: 'name', direction: 'asc', ...request });
  expect(channels['accounts:listProfiles'].response.safeParse(res).success).toBe(true);
  if (!res.ok) throw new Error(`${res.error.code}: ${res.error.message}`);
  return res.value;
};
const mine = () => sb.seed.profiles.filter((p) => p.operator === OPS.subject);
/** USD and the stablecoins count 1:1; other holdings (BTC, PAXG …) are shown but never counted in the USD total. */
const TRADED = new Set(['USD', 'USDP', 'PYUSD', 'USDG']);
const expectedTotal = (p: ReturnType<typeof mine>[number]) =>
  Object.entries(p.balances).reduce((acc, [asset, v]) => (TRADED.has(asset) ? acc.plus(v ?? '0') : acc), new Big(0));

describe('accounts over 2,503 delegated profiles', () => {
  const events = new CoreEvents();
  type ProfilesEvent = Extract<EventPayload<'accounts:changed'>, { kind: 'profiles' }>;
  const profileEvents: ProfilesEvent[] = [];
  const balanceEvents = new Map<string, EventPayload<'accounts:changed'>>();
  let ops: Operations;

  beforeAll(async () => {
    events.on('accounts:changed', (e) => {
      if (!eventSchemas['accounts:changed'].safeParse(e).success) throw new Error(`event outside the contract: ${JSON.stringify(e)}`);
      if (e.kind === 'profiles') profileEvents.push(e);
      else if (e.kind === 'balances') balanceEvents.set(e.profileId, e);
    });
    ops = open(sb.session(), events);
    sb.resetStats();
    await ops.start();
    await ops.settled();
  });

  it('loads every page of profiles (a first page of 200 for the first screen, then 1000) and reports progress', () => {
    expect(sb.requests.filter((r) => r.method === 'GET' && r.path === '/v2/profiles')).toHaveLength(4);
    expect(profileEvents.at(-1)).toEqual({ kind: 'profiles', total: 2503, loading: false });
    const loadingTotals = profileEvents.filter((e) => e.loading).map((e) => e.total);
    expect(loadingTotals).toEqual(expect.arrayContaining([200, 1200, 2200]));
  });

  it('fans out balances for every profile with at most 16 requests in flight (plus the listing)', () => {
    expect(balanceEvents.size).toBe(2503);
    expect([...balanceEvents.values()].every((e) => e.kind === 'balances' && e.balances.status === 'ready')).toBe(true);
    expect(sb.count('GET', '/profiles/')).toBe(2503);
    expect(sb.maxInFlight()).toBeGreaterThan(4);
    expect(sb.maxInFlight()).toBeLessThanOrEqual(17);
  });

  it('pages the cache with an opaque cursor: every profile exactly once, in name order', async () => {
    const ids: string[] = [];
    const names: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await list(ops, { limit: 1000, cursor });
      expect(res.total).toBe(2503);
      ids.push(...res.items.map((i) => i.profile.id));
      names.push(...res.items.map((i) => i.profile.nickname));
      if (res.nextCursor === null) break;
      cursor = res.nextCursor;
    }
    expect(new Set(ids).size).toBe(2503);
    expect(new Set(ids)).toEqual(new Set(mine().map((p) => p.id)));
    expect(names.slice(0, 3)).toEqual(['Acme Treasury', 'Blue Harbor LLC', 'Cedar Payments']);
    expect(names.at(-1)).toBe('Generated Client 02500');
  });

  it('totals every asset exactly, to the unit, as the sandbox holds them', async () => {
    const page = await list(ops, { limit: 1000 });
    for (const row of page.items.slice(0, 200)) {
      const seed = mine().find((p) => p.id === row.profile.id)!;
      expect(row.balances.status === 'ready' && row.balances.totalUsd).toBe(expectedTotal(seed).toFixed());
    }
  });

  it('searches nickname and id case-insensitively and sorts by total', async () => {
    expect((await list(ops, { search: 'ACME' })).items.map((i) => i.profile.nickname)).toEqual(['Acme Treasury']);
    const generated = mine()[100]!;
    const byId = await list(ops, { search: generated.id.slice(-8).toUpperCase() });
    expect(byId.items.map((i) => i.profile.id)).toEqual([generated.id]);
    const richest = await list(ops, { sort: 'total', direction: 'desc', limit: 3 });
    expect(richest.items[0]!.profile.nickname).toBe('Acme Treasury');
    const totals = richest.items.map((i) => (i.balances.status === 'ready' ? i.balances.totalUsd : '0'));
    expect(new Big(totals[0]!).gte(totals[1]!) && new Big(totals[1]!).gte(totals[2]!)).toBe(true);
    const cursorOfOtherQuery = (await list(ops, { limit: 5 })).nextCursor!;
    const bad = await ops.handlers['accounts:listProfiles']({ limit: 5, sort: 'total', direction: 'asc', cursor: cursorOfOtherQuery });
    expect(!bad.ok && bad.error.code).toBe('invalid_request');
  });

  it('refreshes one profile on demand and streams the change', async () => {
    const blue = mine()[1]!;
    const before = await ops.handlers['accounts:getBalances']({ profileId: blue.id });
    expect(before.ok && before.value.status).toBe('ready');
    const dep = await sb.direct('POST', `/sandbox/profiles/${blue.id}/deposit`, { asset: 'USDG', amount: '0.000001' });
    expect(dep.status).toBe(200);
    const after = await ops.handlers['accounts:getBalances']({ profileId: blue.id, refresh: true });
    const usdg = after.ok && after.value.status === 'ready' ? after.value.items.find((b) => b.asset === 'USDG')?.available : null;
    expect(usdg).toBe(await sb.balance(blue.id, 'USDG'));
    expect(balanceEvents.get(blue.id)).toEqual({ kind: 'balances', profileId: blue.id, balances: after.ok ? after.value : null });
  });

  it('accounts:getProfile answers from the cache without a request', async () => {
    const acme = mine()[0]!;
    sb.resetStats();
    const res = await ops.handlers['accounts:getProfile']({ profileId: acme.id });
    expect(channels['accounts:getProfile'].response.safeParse(res).success).toBe(true);
    // Acme is the operator's DEFAULT profile: it has no identity account, so no owner is shown or sent.
    expect(res.ok && res.value).toEqual({ id: acme.id, nickname: 'Acme Treasury', type: 'DEFAULT' });
    expect(sb.requests).toHaveLength(0);
    const blue = mine()[1]!;
    const owned = await ops.handlers['accounts:getProfile']({ profileId: blue.id });
    expect(owned.ok && owned.value).toEqual({ id: blue.id, nickname: 'Blue Harbor LLC', type: 'NORMAL', identityId: blue.identity_id, accountId: blue.account_id });
    expect(sb.requests).toHaveLength(0);
  });

  it('accounts:getProfile before any listing asks the server for that profile and who owns it; another operator\'s or an unknown one is not found', async () => {
    const fresh = open(sb.session());
    const blue = mine()[1]!;
    sb.resetStats();
    const res = await fresh.handlers['accounts:getProfile']({ profileId: blue.id });
    expect(res.ok && res.value).toEqual({ id: blue.id, nickname: 'Blue Harbor LLC', type: 'NORMAL', identityId: blue.identity_id, accountId: blue.account_id });
    expect(sb.requests.filter((r) => r.path === `/v2/profiles/${blue.id}`)).toHaveLength(1);
    expect(sb.requests.filter((r) => r.path === '/v2/identity/accounts').length).toBeGreaterThan(0);
    // Paxos answers 404 for a profile of another customer, exactly as for one that does not exist.
    const foreign = await fresh.handlers['accounts:getProfile']({ profileId: sb.seed.profiles[3]!.id });
    expect(!foreign.ok && foreign.error).toMatchObject({ code: 'not_found', message: 'No profile with this id is delegated to you.' });
    const unknown = await fresh.handlers['accounts:getProfile']({ profileId: 'a0000001-0000-4000-8000-0000000000ff' });
    expect(!unknown.ok && unknown.error.code).toBe('not_found');
  });

  it('a profile of another operator is not found; sign-out drops the cache', async () => {
    const session = sb.session();
    const other = open(session);
    const res = await other.handlers['accounts:getBalances']({ profileId: sb.seed.profiles[3]!.id });
    expect(!res.ok && res.error.code).toBe('not_found');
    await other.start();
    expect((await list(other, { limit: 1 })).total).toBeGreaterThan(0);
    session.signOut();
    const after = await other.handlers['accounts:listProfiles']({ limit: 1, sort: 'name', direction: 'asc' });
    expect(!after.ok && after.error.code).toBe('signed_out');
    const profile = await other.handlers['accounts:getProfile']({ profileId: mine()[0]!.id });
    expect(!profile.ok && profile.error.code).toBe('signed_out');
  });
});

describe('visible first: the rows on screen before the background, refreshes of what is stale or on screen, the summary', () => {
  const events = new CoreEvents();
  const ready = new Set<string>();
  const summaries: BalancesSummary[] = [];
  let offset = 0;
  let ops: Operations;
  let onScreen: string[];
  const balanceReads = () => sb.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/balances'));

  beforeAll(async () => {
    events.on('accounts:changed', (e) => {
      if (e.kind === 'balances' && e.balances.status === 'ready') ready.add(e.profileId);
      if (e.kind === 'summary') summaries.push(e.summary);
    });
    // Two background reads at a time, each 15 ms: the background takes seconds, the screen must not wait for it.
    sb.chaos.set({ latencyMs: 15 });
    sb.resetStats();
    ops = open(sb.session(), events, { balanceConcurrency: 2 }, () => new Date(Date.now() + offset));
  });
  afterAll(() => sb.chaos.set({}));

  it('reads the balances of the rows on screen at once, far ahead of the background', async () => {
    void ops.start();
    // The last rows by name are the last ones the background would reach (it follows the server's listing order).
    const page = await list(ops, { direction: 'desc', limit: 20 });
    onScreen = page.items.map((i) => i.profile.id);
    expect(onScreen.every((id) => !ready.has(id))).toBe(true);
    const res = await ops.handlers['accounts:setVisible']({ profileIds: onScreen });
    expect(res.ok && res.value).toEqual({ requested: 20 });
    const again = await ops.handlers['accounts:setVisible']({ profileIds: onScreen });
    expect(again.ok && again.value).toEqual({ requested: 0 }); // on their way already: not asked twice
    await expect.poll(() => onScreen.every((id) => ready.has(id)), { timeout: 20_000 }).toBe(true);
    expect(ready.size).toBeLessThan(1_000); // the background is nowhere near them
    sb.chaos.set({});
    await ops.settled();
    expect(ready.size).toBe(2503);
    expect(balanceReads()).toHaveLength(2503); // each profile read once: the background skipped the ones read for the screen
  });

  it('says how many balances are loaded until all are, then the exact total', async () => {
    const partial = summaries.filter((s) => s.loaded > 0 && s.loaded < s.profiles);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.every((s) => s.totalUsd === null && s.loading)).toBe(true);
    const last = summaries.at(-1)!;
    // Every row's exact total (each checked against the sandbox above), summed exactly.
    let exact = new Big(0);
    for (let cursor: string | undefined, page = 0; page < 5; page++) {
      const rows = await list(ops, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const row of rows.items) exact = exact.plus(row.balances.status === 'ready' ? row.balances.totalUsd : 'NaN');
      if (rows.nextCursor === null) break;
      cursor = rows.nextCursor;
    }
    expect(last).toMatchObject({ profiles: 2503, loaded: 2503, unavailable: 0, totalUsd: exact.toFixed(), loading: false });
    expect(Date.parse(last.oldestAt!)).toBeLessThanOrEqual(Date.now());
    expect((await list(ops, { limit: 1 })).summary).toEqual(last);
  });

  it('a refresh re-reads the rows on screen and what is stale; "all" re-reads everything', async () => {
    sb.resetStats();
    await list(ops, { refresh: true });
    await ops.settled();
    expect(balanceReads().map((r) => r.path.split('/')[3]).sort()).toEqual([...onScreen].sort());
    sb.resetStats();
    await list(ops, { refresh: 'all' });
    await ops.settled();
    expect(balanceReads()).toHaveLength(2503);
    // Six minutes later everything is stale: rows that come on screen are read again, each once.
    offset = 6 * 60_000;
    sb.resetStats();
    const next = (await list(ops, { limit: 30 })).items.map((i) => i.profile.id);
    const res = await ops.handlers['accounts:setVisible']({ profileIds: next });
    expect(res.ok && res.value).toEqual({ requested: 30 });
    await ops.settled();
    expect(balanceReads()).toHaveLength(30);
  });
});

describe('missing read scope', () => {
  it('known from the session: a clear "not permitted" state and no request at all', async () => {
    const ops = open(sb.session({ scopes: ['conversion:read_conversion_stablecoin'] }));
    sb.resetStats();
    const res = await ops.handlers['accounts:listProfiles']({ limit: 10, sort: 'name', direction: 'asc' });
    expect(!res.ok && res.error).toMatchObject({ code: 'forbidden_scope', message: 'Not permitted — sign in again and grant funding:read_profile.' });
    const balances = await ops.handlers['accounts:getBalances']({ profileId: mine()[0]!.id });
    expect(balances.ok && balances.value).toEqual({ status: 'forbidden', missingScope: 'funding:read_profile' });
    const profile = await ops.handlers['accounts:getProfile']({ profileId: mine()[0]!.id });
    expect(!profile.ok && profile.error).toMatchObject({ code: 'forbidden_scope', detail: { missingScope: 'funding:read_profile' } });
    expect(sb.requests).toHaveLength(0);
  });

  it('learnt from the server: one 403 per call, turned into the forbidden state, never retried in a loop', async () => {
    const ops = open(sb.session({ scopes: ['conversion:read_conversion_stablecoin'], reportedScopes: [] }));
    sb.resetStats();
    const res = await ops.handlers['accounts:listProfiles']({ limit: 10, sort: 'name', direction: 'asc' });
    expect(!res.ok && res.error).toMatchObject({ code: 'forbidden_scope', detail: { missingScope: 'funding:read_profile' } });
    const balances = await ops.handlers['accounts:getBalances']({ profileId: mine()[0]!.id });
    expect(balances.ok && balances.value).toEqual({ status: 'forbidden', missingScope: 'funding:read_profile' });
    await new Promise((r) => setTimeout(r, 200));
    // One listing and one balance read; the owners' listing (identity accounts, a different scope) is tried once at most.
    expect(sb.requests.filter((r) => r.path !== '/v2/identity/accounts')).toHaveLength(2);
    expect(sb.requests.filter((r) => r.path === '/v2/identity/accounts').length).toBeLessThanOrEqual(1);
  });
});

describe('a total only once every profile is listed', () => {
  it('gives no total while later pages of profiles are still on their way, even when every listed balance is in', async () => {
    // The next page of profiles is held until the first page's 200 balances are all read: the moment a partial sum could
    // pass for the total of the book.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = await startApiSandbox({
      seedProfiles: 300,
      instrument: (app) =>
        app.addHook('onRequest', async (request) => {
          if (request.url.startsWith('/v2/profiles?') && request.url.includes('page_cursor=')) await held;
        }),
    });
    try {
      const events = new CoreEvents();
      const summaries: BalancesSummary[] = [];
      events.on('accounts:changed', (e) => {
        if (e.kind === 'summary') summaries.push(e.summary);
      });
      const ops = createOperations({ tokens: slow.session(), apiBase: slow.api, environment: 'sandbox-local', dataDir, events, tuning: { balanceConcurrency: 16 } });
      opened.push(ops);
      void ops.start();
      await expect.poll(() => summaries.some((s) => s.profiles === 200 && s.loaded === 200), { timeout: 20_000 }).toBe(true);
      release();
      await ops.settled();
      const final = summaries.at(-1)!;
      expect(final.totalUsd).not.toBeNull();
      expect(final.profiles).toBe(slow.seed.profiles.filter((p) => p.operator === OPS.subject).length);
      expect(summaries.filter((s) => s.totalUsd !== null).every((s) => s.profiles === final.profiles)).toBe(true);
      expect(summaries.filter((s) => s.profiles < final.profiles).every((s) => s.listed === false)).toBe(true);
    } finally {
      release();
      await slow.close();
    }
  });
});
