// Authorization-server faults against the real sandbox: token endpoint 500 and invalid_grant at sign-in, refresh and restore; signing keys rotated.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { serviceName } from '../../electron/core/auth/auth-service';
import { createMemorySecretStore } from '../../electron/core/auth/secret-store';
import { startSandbox, type Sandbox } from '../../sandbox/start';
import { startApiSandbox } from '../support/api-sandbox';
import { revokeOnServer, tokenEndpointFaults, type TokenEndpointFaults } from '../support/auth-faults';
import { authState, type CoreHarness, type CoreHarnessOptions, coreTracker, ENV, freshBalances, makeCore, signIn, until } from '../support/core-harness';
import { introspect } from '../support/introspect';
import { FAST, openOperations, tempDataDir } from '../support/operations-harness';

const SERVICE = serviceName(ENV);
const OPS = 'op-7c1e2a';
const TTL_S = 2;
const figures: string[] = [];

let sandbox: Sandbox;
let faults: TokenEndpointFaults;
const cores = coreTracker();

beforeAll(async () => {
  sandbox = await startSandbox({ accessTokenTtl: TTL_S, settleMs: 300 });
  faults = await tokenEndpointFaults(sandbox.issuer);
});
afterAll(async () => {
  await faults?.close();
  await sandbox?.close();
  process.stdout.write(`auth server faults:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
});
beforeEach(async () => {
  faults.fail(null);
});
afterEach(async () => {
  faults.fail(null);
  await cores.closeAll();
});

async function core(options: CoreHarnessOptions = {}): Promise<CoreHarness> {
  return cores.track(await makeCore(sandbox, { operationsTuning: FAST, dispatcher: faults.dispatcher, ...options }));
}
const state = authState;
const acme = () => sandbox.seed.profiles.find((p) => p.operator === OPS)!.id;
const balances = (h: CoreHarness) => freshBalances(h, acme());
/** Waits past the access token's refresh margin so the next call refreshes. */
const pastExpiry = () => new Promise((r) => setTimeout(r, TTL_S * 1000 + 300));

describe('token endpoint 500', () => {
  it('at sign-in: the attempt ends with a plain, retryable `unavailable` error; a retry once the server is back signs in', async () => {
    const h = await core();
    faults.fail(500);
    const failed = await signIn(h);
    expect(!failed.ok && failed.error).toMatchObject({ code: 'unavailable', retryable: true, message: expect.stringMatching(/sign-in server is having trouble \(HTTP 500\)/) });
    expect(await state(h)).toMatchObject({ status: 'signedOut', reason: expect.stringMatching(/having trouble/) });
    expect(await h.store.accounts(SERVICE)).toEqual([]);
    faults.fail(null);
    expect((await signIn(h)).ok).toBe(true);
    figures.push('token endpoint 500 at sign-in: unavailable (retryable), signed out with the reason; retry signs in');
  });

  it('at refresh: the session is kept, calls fail with a retryable error meanwhile, and the next call after recovery refreshes and succeeds', async () => {
    const h = await core();
    expect((await signIn(h)).ok).toBe(true);
    const saved = (await h.store.get(SERVICE, OPS))!;
    faults.fail(500);
    await pastExpiry();
    const during = faults.requests();
    expect(await balances(h)).toMatch(/^error:.*sign-in server is having trouble \(HTTP 500\)/);
    expect(faults.requests()).toBeGreaterThan(during);
    expect(await state(h)).toMatchObject({ status: 'signedIn', subject: OPS });
    expect(await h.store.get(SERVICE, OPS)).toBe(saved); // nothing rotated, nothing lost
    faults.fail(null);
    expect(await balances(h)).toBe('ok');
    const rotated = (await h.store.get(SERVICE, OPS))!;
    expect(rotated).not.toBe(saved);
    expect(await introspect(sandbox, rotated)).toBe(true);
    figures.push('token endpoint 500 at refresh: session kept, calls answer a retryable error, recovered on the next call');
  });

  it('at restore: signed out with the reason, the saved session kept; the next start restores it', async () => {
    const store = createMemorySecretStore();
    const first = await core({ store });
    expect((await signIn(first)).ok).toBe(true);
    await first.core.close();
    faults.fail(502);
    const second = await core({ store });
    await second.core.start();
    expect(await state(second)).toMatchObject({ status: 'signedOut', reason: expect.stringMatching(/having trouble \(HTTP 502\)/) });
    expect(await store.accounts(SERVICE)).toEqual([OPS]);
    faults.fail(null);
    const third = await core({ store });
    await third.core.start();
    expect(await state(third)).toMatchObject({ status: 'signedIn', subject: OPS });
    figures.push('token endpoint 502 at restore: signed out with the reason, saved session kept, next start restores');
  });
});

describe('invalid_grant', () => {
  it('a grant revoked on the server: the next refresh signs out with a clear reason, forgets the token, records it, and loses no order', async () => {
    const h = await core();
    expect((await signIn(h)).ok).toBe(true);
    const order = await h.core.handlers['orders:submit']({ kind: 'mint', profileId: acme(), asset: 'USDP', amount: '1.25' });
    if (!order.ok) throw new Error(order.error.message);
    await revokeOnServer(sandbox.issuer, (await h.store.get(SERVICE, OPS))!);
    await pastExpiry();
    const call = await balances(h);
    expect(call).toMatch(/^error:/);
    const out = await until(async () => {
      const s = await state(h);
      return s.status === 'signedOut' ? s : undefined;
    });
    expect(out).toEqual({ status: 'signedOut', reason: 'Your session expired or was revoked. Sign in again.' });
    expect(await h.store.accounts(SERVICE)).toEqual([]);
    const recorded = await until(async () => {
      const activity = await h.core.handlers['activity:list']({ limit: 50 });
      return activity.ok ? activity.value.items.find((e) => e.action === 'session_expired') : undefined;
    });
    expect(recorded).toMatchObject({ outcome: 'error', summary: expect.stringMatching(/expired or was revoked/) });

    expect((await signIn(h)).ok).toBe(true);
    const listed = await h.core.handlers['orders:list']({ limit: 50 });
    expect(listed.ok && listed.value.items.find((o) => o.refId === order.value.refId)).toMatchObject({ serverId: order.value.serverId });
    figures.push('invalid_grant at refresh (grant revoked on the server): signed out with "expired or was revoked", token removed, session_expired recorded, order kept');
  });
});

describe('signing keys rotated', () => {
  it('tokens signed with the old key are refused by the resource server: one refresh, the call succeeds, an order lands exactly once', async () => {
    const sb = await startApiSandbox({ settleMs: 60_000 });
    const data = await tempDataDir('pc-rotate-');
    const h = openOperations(sb, data.dir, { ordersApi: 'conversions' });
    try {
      await h.ops.start();
      const profile = sb.seed.profiles[0]!.id;
      expect((await h.handlers['accounts:getBalances']({ profileId: profile, refresh: true })).ok).toBe(true);
      const before = h.session.refreshes();
      await sb.issuer.rotate();
      const after = await h.handlers['accounts:getBalances']({ profileId: profile, refresh: true });
      expect(after.ok && after.value.status !== 'error').toBe(true);
      expect(h.session.refreshes()).toBe(before + 1);
      await sb.issuer.rotate();
      const order = await h.handlers['orders:submit']({ kind: 'mint', profileId: profile, asset: 'USDP', amount: '2.5' });
      if (!order.ok) throw new Error(order.error.message);
      expect((await sb.conversions()).filter((c) => c.ref_id === order.value.refId)).toHaveLength(1);
      expect(h.contractViolations).toEqual([]);
      figures.push('signing keys rotated (resource server verifies with the new key only): one refresh per rotation, call succeeds, order lands once');
    } finally {
      await h.ops.close();
      await sb.close();
      await data.remove();
    }
  });
});
