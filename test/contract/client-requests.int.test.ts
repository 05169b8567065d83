// Contract: every request the real core sends in a full sign-in → list → balances → mint → status → cancel run, and every
// answer it got, validates against the published Paxos v2 document (paths, exploded query parameters, JSON bodies).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start';
import { makeCore, signIn, until, type CoreHarness } from '../support/core-harness';
import { FAST } from '../support/operations-harness';
import { recordTraffic, validateTraffic, type TrafficLog } from './openapi-contract';

const BLUE = 'a0000001-0000-4000-8000-000000000002'; // NORMAL: has an identity account
const ACME = 'a0000001-0000-4000-8000-000000000001'; // DEFAULT: no identity account

let sandbox: Sandbox;
let traffic: TrafficLog;
let h: CoreHarness;

beforeAll(async () => {
  sandbox = await startSandbox({ settleMs: 300, instrumentApi: (app) => void (traffic = recordTraffic(app)) });
  h = await makeCore(sandbox, { operationsTuning: FAST });
  // The sandbox's real sign-in and consent pages, answered over HTTP (the browser is not what this test checks).
  const signedIn = await signIn(h);
  if (!signedIn.ok) throw new Error(signedIn.error.message);
});
afterAll(async () => {
  await h?.close();
  await sandbox?.close();
});

const ok = <T>(r: { ok: true; value: T } | { ok: false; error: { message: string } }): T => {
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

describe('what the client sends in a full run', () => {
  it('lists, reads balances, mints (with and without an owner), follows status and cancels — all as the contract says', async () => {
    const handlers = h.core.handlers;
    await until(async () => {
      const page = ok(await handlers['accounts:listProfiles']({ limit: 50, sort: 'name', direction: 'asc' }));
      return page.loading ? undefined : page;
    });
    ok(await handlers['accounts:getBalances']({ profileId: BLUE, refresh: true }));
    expect(ok(await handlers['accounts:getProfile']({ profileId: BLUE }))).toMatchObject({ identityId: expect.any(String), accountId: expect.any(String) });

    const settled = ok(await handlers['orders:submit']({ kind: 'mint', profileId: BLUE, asset: 'USDG', amount: '1.25' }));
    await until(async () => (ok(await handlers['orders:get']({ refId: settled.refId })).status === 'settled' ? true : undefined));

    sandbox.settlement.setDelayMs(60_000);
    const held = ok(await handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '2.00' }));
    expect(ok(await handlers['orders:cancel']({ refId: held.refId })).status).toBe('cancelled');
    sandbox.settlement.setDelayMs(300);

    const exchanges = traffic.completed().filter((e) => e.url.startsWith('/v2/'));
    expect(validateTraffic(exchanges, { requests: true, responses: true })).toEqual([]);

    const seen = exchanges.map((e) => `${e.method} ${e.url.split('?')[0]!.replace(/[0-9a-f-]{36}/g, '{id}')}`);
    for (const op of [
      'GET /v2/profiles',
      'GET /v2/identity/accounts',
      'GET /v2/profiles/{id}/balances',
      'POST /v2/conversion/stablecoins',
      'GET /v2/conversion/stablecoins/{id}',
      'DELETE /v2/conversion/stablecoins/{id}',
    ]) {
      expect(seen).toContain(op);
    }
    // The funds check asks for both sides of the conversion as a repeated parameter (explode: true), never comma-joined.
    expect(exchanges.some((e) => e.url.endsWith(`/balances?assets=USD&assets=USDG`))).toBe(true);
    expect(exchanges.some((e) => /assets=[^&]*(,|%2C)/i.test(e.url))).toBe(false);

    // Identity and account go with the order of a profile that has them, and are left out for one that has none.
    const posts = exchanges.filter((e) => e.method === 'POST' && e.url === '/v2/conversion/stablecoins').map((e) => JSON.parse(e.requestBody ?? '{}') as Record<string, unknown>);
    expect(posts.find((b) => b['profile_id'] === BLUE)).toMatchObject({ identity_id: expect.stringMatching(/^b0000001-/), account_id: expect.stringMatching(/^c0000001-/) });
    expect(posts.find((b) => b['profile_id'] === ACME)).not.toHaveProperty('identity_id');
    expect(posts.find((b) => b['profile_id'] === ACME)).not.toHaveProperty('account_id');
  });
});
