// A 429 from the sandbox (its published limits, window and lockout scaled to 3 s) after another program on the same
// computer used up the IP's limit: the core pauses everything for the lockout, says until when, refuses new orders without
// journaling or sending them, sends nothing meanwhile, and finishes its work afterwards without another 429.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInEnvironments } from '../../../../electron/core/config';
import { startSandbox, type Sandbox } from '../../../../sandbox/start';
import type { LimitsState } from '../../../../shared/domain';
import { makeCore, signIn, until, type CoreHarness } from '../../../support/core-harness';

const SCALE = 0.01; // the sandbox's window and lockout: 3 s
const BOOK = 400;
const ACME = 'a0000001-0000-4000-8000-000000000001';

let sandbox: Sandbox;
let h: CoreHarness;
const arrivals: Array<{ at: number; status: number }> = [];
const limits: Array<{ at: number; state: LimitsState }> = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    rateLimitScale: SCALE,
    seedProfiles: BOOK - 3,
    // When each request arrived (its answer's time less the time it took; a throttled one never reaches later hooks).
    instrumentApi: (app) => app.addHook('onResponse', async (_request, reply) => void arrivals.push({ at: Date.now() - reply.elapsedTime, status: reply.statusCode })),
  });
  const environments = builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api, rateLimits: { windowSeconds: 3, lockoutSeconds: 3 } });
  h = await makeCore(sandbox, { environments: { environments } });
  h.core.events.on('limits:changed', (state) => void limits.push({ at: Date.now(), state }));
  const signedIn = await signIn(h);
  if (!signedIn.ok) throw new Error(signedIn.error.message);
});
afterAll(async () => {
  await h?.close();
  await sandbox?.close();
});

describe('a 429 locks the environment out', () => {
  let lockedAt = 0;
  let until429 = 0;

  it('tells the operator until when (limits:changed, limits:get)', async () => {
    // Another program on this computer spends the IP's balance limit (150 per 3 s) while the app is loading its book.
    const burst = await Promise.all(Array.from({ length: 160 }, () => fetch(`${sandbox.api}/profiles/${ACME}/balances`).then((r) => r.status)));
    expect(burst).toContain(429);
    // The app's next request (the operator opens an account) gets the 429 and the app locks itself out.
    await h.core.handlers['accounts:getBalances']({ profileId: ACME, refresh: true });
    const locked = await until(() => limits.find((l) => l.state.status === 'lockedOut'), 30_000);
    lockedAt = locked.at;
    await new Promise((r) => setTimeout(r, 200)); // answers already on their way arrive (each restarts the lockout)
    const latest = limits.at(-1)!.state;
    if (latest.status !== 'lockedOut') throw new Error('not locked out');
    until429 = Date.parse(latest.until);
    expect(until429 - lockedAt).toBeGreaterThanOrEqual(2_990);
    expect(until429 - lockedAt).toBeLessThan(3_300);
    const now = await h.core.handlers['limits:get']({});
    expect(now.ok && now.value).toEqual(latest);
    expect(h.logs.some((l) => l.startsWith('limits: sandbox-local locked out after HTTP 429 until '))).toBe(true);
  });

  it('refuses a new order during the lockout: nothing journaled, nothing sent, the refusal in the activity log', async () => {
    const res = await h.core.handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '1.00' });
    expect(!res.ok && res.error).toMatchObject({ code: 'rate_limited', retryable: true, detail: { until: new Date(until429).toISOString() } });
    expect(!res.ok && res.error.message).toMatch(/New orders are refused until \d\d:\d\d, when the limit resets\. This order was not sent and not recorded/);
    const orders = await h.core.handlers['orders:list']({ limit: 10 });
    expect(orders.ok && orders.value.items).toEqual([]);
    const activity = await h.core.handlers['activity:list']({ limit: 1 });
    expect(activity.ok && activity.value.items[0]).toMatchObject({ action: 'order_submit', outcome: 'error' });
    expect(activity.ok && activity.value.items[0]?.summary).toContain('refused before sending');
  });

  it('sends nothing until the lockout is over, then finishes loading without another 429', async () => {
    await until(() => limits.find((l) => l.state.status === 'open'), 30_000);
    const summary = await until(async () => {
      const res = await h.core.handlers['accounts:listProfiles']({ limit: 1, sort: 'name', direction: 'asc' });
      return res.ok && res.value.summary.loaded === BOOK && !res.value.summary.loading ? res.value.summary : undefined;
    }, 60_000);
    expect(summary.totalUsd).not.toBeNull();
    // Requests already on the wire when the 429 came back may land just after; nothing new is sent until the lockout ends.
    // The end is read on two clocks (the budget's timer, the server's arrival time less its elapsed time), so a request
    // sent as the timer fires can measure a few ms before `until`: 50 ms of slack there.
    const during = arrivals.filter((a) => a.at > lockedAt + 100 && a.at < until429 - 50);
    expect(during).toEqual([]);
    // Every 429 the app ever got came from that moment: none after the lockout, and exactly one lockout.
    expect(arrivals.filter((a) => a.status === 429 && a.at > lockedAt + 100)).toEqual([]);
    expect(limits.filter((l) => l.state.status === 'open')).toHaveLength(1);
  });

  it('an order after the lockout is sent once', async () => {
    const res = await h.core.handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '1.00' });
    expect(res.ok && res.value.status).toBe('created');
  });
});
