// Contract: every request the real core sends in a full sign-in → list → balances → orders run, through each orders API, and
// every answer it got, validates against the published Paxos v2 document (paths, exploded query parameters, JSON bodies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start';
import { makeCore, sandboxEnvironments, signIn, until, type CoreHarness } from '../support/core-harness';
import { FAST } from '../support/operations-harness';
import { recordTraffic, validateTraffic, type TrafficLog } from './openapi-contract';

const BLUE = 'a0000001-0000-4000-8000-000000000002'; // NORMAL: has an identity account
const ACME = 'a0000001-0000-4000-8000-000000000001'; // DEFAULT: no identity account

let sandbox: Sandbox;
let traffic: TrafficLog;

beforeAll(async () => {
  sandbox = await startSandbox({ settleMs: 300, approvalThreshold: '500', instrumentApi: (app) => void (traffic = recordTraffic(app)) });
});
afterAll(async () => {
  await sandbox?.close();
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

/** A core on the sandbox whose "Local sandbox" sends orders through `ordersApi`, signed in over HTTP through the real pages. */
async function signedInCore(ordersApi: 'conversions' | 'orchestrations'): Promise<CoreHarness> {
  const h = await makeCore(sandbox, { operationsTuning: FAST, environments: sandboxEnvironments(sandbox, ordersApi) });
  const signedIn = await signIn(h);
  if (!signedIn.ok) throw new Error(signedIn.error.message);
  return h;
}

/** `METHOD /v2/path` of each recorded exchange, ids replaced by {id}. */
const operationsOf = (exchanges: ReturnType<TrafficLog['completed']>) => exchanges.map((e) => `${e.method} ${e.url.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}')}`);
const bodiesOf = (exchanges: ReturnType<TrafficLog['completed']>, url: string) =>
  exchanges.filter((e) => e.method === 'POST' && e.url === url).map((e) => JSON.parse(e.requestBody ?? '{}') as Record<string, unknown>);

describe('what the client sends in a full run', () => {
  it('conversions: lists, reads balances, mints (with and without an owner), follows status and cancels — all as the contract says', async () => {
    traffic.clear();
    const h = await signedInCore('conversions');
    try {
      const handlers = h.core.handlers;
      await until(async () => {
        const page = ok(await handlers['accounts:listProfiles']({ limit: 50, sort: 'name', direction: 'asc' }));
        return page.loading ? undefined : page;
      });
      ok(await handlers['accounts:getBalances']({ profileId: BLUE, refresh: true }));
      expect(ok(await handlers['accounts:getProfile']({ profileId: BLUE }))).toMatchObject({ identityId: expect.any(String), accountId: expect.any(String) });

      const settled = ok(await handlers['orders:submit']({ kind: 'mint', profileId: BLUE, asset: 'USDG', amount: '1.25' }));
      expect(settled.ordersApi).toBe('conversions');
      await until(async () => (ok(await handlers['orders:get']({ refId: settled.refId })).status === 'settled' ? true : undefined));

      sandbox.settlement.setDelayMs(60_000);
      const held = ok(await handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '2.00' }));
      expect(ok(await handlers['orders:cancel']({ refId: held.refId })).status).toBe('cancelled');
      sandbox.settlement.setDelayMs(300);

      const exchanges = traffic.completed().filter((e) => e.url.startsWith('/v2/'));
      expect(validateTraffic(exchanges, { requests: true, responses: true })).toEqual([]);
      const seen = operationsOf(exchanges);
      for (const op of ['GET /v2/profiles', 'GET /v2/identity/accounts', 'GET /v2/profiles/{id}/balances', 'POST /v2/conversion/stablecoins', 'GET /v2/conversion/stablecoins/{id}', 'DELETE /v2/conversion/stablecoins/{id}']) {
        expect(seen).toContain(op);
      }
      expect(seen.some((op) => op.includes('/orchestration/'))).toBe(false);
      // The funds check asks for both sides of the conversion as a repeated parameter (explode: true), never comma-joined.
      expect(exchanges.some((e) => e.url.endsWith(`/balances?assets=USD&assets=USDG`))).toBe(true);
      expect(exchanges.some((e) => /assets=[^&]*(,|%2C)/i.test(e.url))).toBe(false);

      // Identity and account go with the order of a profile that has them, and are left out for one that has none.
      const posts = bodiesOf(exchanges, '/v2/conversion/stablecoins');
      expect(posts.find((b) => b['profile_id'] === BLUE)).toMatchObject({ identity_id: expect.stringMatching(/^b0000001-/), account_id: expect.stringMatching(/^c0000001-/) });
      expect(posts.find((b) => b['profile_id'] === ACME)).not.toHaveProperty('identity_id');
      expect(posts.find((b) => b['profile_id'] === ACME)).not.toHaveProperty('account_id');
    } finally {
      await h.close();
    }
  });

  it('orchestrations: mints with and without approval, reconciles by ref_id after an unknown outcome, follows status — all as the contract says', async () => {
    traffic.clear();
    const h = await signedInCore('orchestrations');
    try {
      const handlers = h.core.handlers;
      ok(await handlers['accounts:getProfile']({ profileId: BLUE }));
      const plain = ok(await handlers['orders:submit']({ kind: 'mint', profileId: BLUE, asset: 'USDG', amount: '1.25' }));
      expect(plain).toMatchObject({ ordersApi: 'orchestrations', status: 'created' });
      await until(async () => (ok(await handlers['orders:get']({ refId: plain.refId })).status === 'settled' ? true : undefined));

      const waiting = ok(await handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '600' }));
      expect(waiting.status).toBe('awaiting_approval');
      sandbox.approvals.decide(waiting.serverId!, 'approve', 'op-93bd04');
      await until(async () => (ok(await handlers['orders:get']({ refId: waiting.refId })).status === 'settled' ? true : undefined));

      // Every POST reset before it lands: the outcome is unknown; the next order for the profile first asks by ref_id.
      sandbox.chaos.set({ resetBeforeCommitRate: 1 });
      const unknown = ok(await handlers['orders:submit']({ kind: 'redeem', profileId: ACME, asset: 'PYUSD', amount: '3' }));
      sandbox.chaos.set({});
      expect(unknown.status).toBe('unknown');
      const next = ok(await handlers['orders:submit']({ kind: 'redeem', profileId: ACME, asset: 'PYUSD', amount: '4' }));
      expect(next.status).toBe('created');
      expect(ok(await handlers['orders:get']({ refId: unknown.refId })).status).toMatch(/^(created|settled)$/);

      const exchanges = traffic.completed().filter((e) => e.url.startsWith('/v2/'));
      expect(validateTraffic(exchanges, { requests: true, responses: true })).toEqual([]);
      const seen = operationsOf(exchanges);
      for (const op of ['POST /v2/orchestration/orchestrations', 'GET /v2/orchestration/orchestrations', 'GET /v2/orchestration/orchestrations/{id}']) expect(seen).toContain(op);
      expect(seen.some((op) => op.includes('/conversion/'))).toBe(false);
      // The look-up by ref_id uses the published exploded filters, one value each.
      expect(exchanges.some((e) => e.url === `/v2/orchestration/orchestrations?ref_id=${unknown.refId}&profile_id=${ACME}&limit=10`)).toBe(true);

      // The published request: ref_id, assets, source_amount, profile → same profile, owner when known, metadata (app and operator subject).
      const posts = bodiesOf(exchanges, '/v2/orchestration/orchestrations');
      expect(posts.find((b) => b['ref_id'] === plain.refId)).toEqual({
        ref_id: plain.refId,
        source_asset: 'USD',
        destination_asset: 'USDG',
        source_amount: '1.25',
        source: { profile: { profile_id: BLUE } },
        destination: { profile: { profile_id: BLUE } },
        identity_id: expect.stringMatching(/^b0000001-/),
        account_id: expect.stringMatching(/^c0000001-/),
        metadata: { app: 'Partner Console', operator: 'op-7c1e2a' },
      });
      expect(posts.find((b) => b['ref_id'] === next.refId)).toEqual({
        ref_id: next.refId,
        source_asset: 'PYUSD',
        destination_asset: 'USD',
        source_amount: '4',
        source: { profile: { profile_id: ACME } },
        destination: { profile: { profile_id: ACME } },
        metadata: { app: 'Partner Console', operator: 'op-7c1e2a' },
      });
    } finally {
      sandbox.chaos.set({});
      await h.close();
    }
  });
});
