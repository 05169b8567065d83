// Retry policy against the sandbox's chaos: what is resent (and how often), Retry-After, budgets, cancellation, idempotent writes.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../../../electron/core/api/dispatcher';
import { createApiClient } from '../../../../electron/core/api/http-client';
import { createPaxosApi } from '../../../../electron/core/api/paxos-api';
import type { RetryPolicy, Sleep } from '../../../../electron/core/api/retry-policy';
import { PUBLISHED_RATE_LIMITS } from '../../../../electron/core/api/rate-limits';
import { createRequestBudget, type RequestBudget } from '../../../../electron/core/api/request-budget';
import { ConversionsPageWireSchema, ConversionWireSchema } from '../../../../electron/core/api/wire';
import { fakeTime, startApiSandbox, type ApiSandbox, type TestTokenSource } from '../../../support/api-sandbox';
import { manualClock } from '../../../support/manual-clock';

let sb: ApiSandbox;
const dispatcher = createApiDispatcher();
beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: 600_000 });
});
afterAll(async () => {
  await dispatcher.close();
  await sb.close();
});
afterEach(() => {
  sb.chaos.set({});
  sb.resetStats();
});

const acme = () => sb.seed.profiles[0]!;
const POLICY: RetryPolicy = { maxAttempts: 4, maxTotalMs: 30_000, baseDelayMs: 100, maxDelayMs: 1000 };

function make(opts: { session?: TestTokenSource; policy?: Partial<RetryPolicy>; sleep?: Sleep; random?: () => number; budget?: RequestBudget } = {}) {
  const time = fakeTime();
  const client = createApiClient({
    baseUrl: sb.api,
    dispatcher,
    tokens: opts.session ?? sb.session(),
    retry: { ...POLICY, ...opts.policy },
    sleep: opts.sleep ?? time.sleep,
    now: time.now,
    random: opts.random ?? (() => 0.5),
    ...(opts.budget ? { budget: opts.budget } : {}),
  });
  return { client, api: createPaxosApi(client), time };
}
const body = (refId?: string) => ({ profile_id: acme().id, amount: '1.00', source_asset: 'USD', target_asset: 'USDP', ...(refId ? { ref_id: refId } : {}) });

describe('retry policy', () => {
  it('never resends a POST without ref_id (5xx or reset)', async () => {
    const { client, time } = make();
    sb.chaos.set({ errorRate: 1 });
    const a = await client.call({ method: 'POST', path: '/conversion/stablecoins', body: body(), schema: ConversionWireSchema });
    expect(!a.ok && a.error.error.code).toBe('unavailable');
    sb.chaos.set({ resetAfterCommitRate: 1 });
    const b = await client.call({ method: 'POST', path: '/conversion/stablecoins', body: body(), schema: ConversionWireSchema });
    expect(!b.ok && b.error.error.code).toBe('network');
    expect(sb.count('POST', '/conversion')).toBe(2);
    expect(time.sleeps).toEqual([]);
  });

  it('resends a POST with ref_id and a GET up to the attempt limit, with full-jitter exponential waits', async () => {
    const { client, api, time } = make();
    sb.chaos.set({ errorRate: 1 });
    const post = await client.call({ method: 'POST', path: '/conversion/stablecoins', body: body(crypto.randomUUID()), schema: ConversionWireSchema });
    expect(!post.ok && post.error.error.code).toBe('unavailable');
    expect(sb.count('POST', '/conversion')).toBe(4);
    expect(time.sleeps).toEqual([50, 100, 200]); // random 0.5 × 100·2^n
    await api.getBalances(acme().id);
    expect(sb.count('GET', '/profiles/')).toBe(4);
  });

  it('a jittered wait never exceeds the cap', async () => {
    const { api, time } = make({ policy: { maxAttempts: 8, baseDelayMs: 300, maxDelayMs: 1000 }, random: () => 0.999 });
    sb.chaos.set({ errorRate: 1 });
    await api.getBalances(acme().id);
    expect(time.sleeps).toHaveLength(7);
    expect(Math.max(...time.sleeps)).toBeLessThan(1000);
    expect(time.sleeps[0]).toBeLessThan(300);
  });

  it('a 429 is never resent: it locks the environment out for the published 5 minutes (Retry-After or not) and says until when', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(PUBLISHED_RATE_LIMITS, clock.scheduler);
    const { api, time } = make({ budget });
    sb.chaos.set({ rateLimitBurst: { every: 1, retryAfterSeconds: 2 } });
    const res = await api.getBalances(acme().id);
    expect(!res.ok && res.error.error).toMatchObject({ code: 'rate_limited', retryable: true, detail: { until: '2026-12-01T12:05:00.000Z' } });
    expect(!res.ok && res.error.error.message).toMatch(/until \d\d:\d\d/);
    expect(time.sleeps).toEqual([]);
    expect(sb.count('GET', '/profiles/')).toBe(1);
    expect(budget.state()).toEqual({ status: 'lockedOut', since: clock.now(), until: clock.now() + 300_000 });
    budget.close();
  });

  it('a Retry-After longer than the lockout lengthens it', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(PUBLISHED_RATE_LIMITS, clock.scheduler);
    const { api } = make({ budget });
    sb.chaos.set({ rateLimitBurst: { every: 1, retryAfterSeconds: 600 } });
    await api.getProfile(acme().id);
    expect(budget.state()).toMatchObject({ status: 'lockedOut', until: clock.now() + 600_000 });
    budget.close();
  });

  it('during the lockout nothing is sent: calls wait for its end (orders first), or are refused when they ask to be', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(PUBLISHED_RATE_LIMITS, clock.scheduler);
    const { client, api } = make({ budget });
    sb.chaos.set({ rateLimitBurst: { every: 1, retryAfterSeconds: 1 } });
    await api.getProfile(acme().id);
    sb.chaos.set({});
    sb.resetStats();
    const order: string[] = [];
    const balances = api.getBalances(acme().id).then((r) => order.push(`balances ${r.ok}`));
    const conversions = client.call({ method: 'GET', path: '/conversion/stablecoins', query: { limit: '1' }, schema: ConversionsPageWireSchema }).then((r) => order.push(`conversions ${r.ok}`));
    const refused = await client.call({ method: 'GET', path: '/profiles/x', schema: ConversionWireSchema, whenLockedOut: 'refuse' });
    expect(!refused.ok && refused.error.error.code).toBe('rate_limited');
    await clock.advance(299_000);
    expect(sb.requests).toEqual([]);
    await clock.advance(1_001);
    await Promise.all([balances, conversions]);
    expect(order).toEqual(['conversions true', 'balances true']);
    expect(sb.requests.map((r) => r.path)).toEqual(['/v2/conversion/stablecoins', `/v2/profiles/${acme().id}/balances`]);
    budget.close();
  });

  it('stops when the total time budget is spent, even with attempts left', async () => {
    const { api, time } = make({ policy: { maxAttempts: 50, maxTotalMs: 1500, baseDelayMs: 400, maxDelayMs: 400 }, random: () => 0.99 });
    sb.chaos.set({ errorRate: 1 });
    await api.getBalances(acme().id);
    expect(time.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1500);
    expect(time.sleeps).toHaveLength(3);
  });

  it('sign-out cancels a request waiting to be resent', async () => {
    const session = sb.session();
    const client = createApiClient({ baseUrl: sb.api, dispatcher, tokens: session, retry: { ...POLICY, baseDelayMs: 5000, maxDelayMs: 5000 }, random: () => 0.9 });
    sb.chaos.set({ errorRate: 1 });
    const started = performance.now();
    const pending = createPaxosApi(client).getBalances(acme().id);
    setTimeout(() => session.signOut(), 100);
    const res = await pending;
    expect(!res.ok && res.error.error.code).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sb.count('GET', '/profiles/')).toBe(1);
  });

  it('reset after commit: the POST is resent with the same ref_id and the 409 yields the one conversion', async () => {
    const { api } = make();
    sb.chaos.set({ resetAfterCommitRate: 1 });
    const p = acme();
    const refId = crypto.randomUUID();
    const res = await api.createConversion({ profileId: p.id, owner: null, amount: '2.00', sourceAsset: 'USD', targetAsset: 'USDP', refId });
    expect(res.ok && res.value).toMatchObject({ existed: true, conversion: { refId, status: 'CREATED' } });
    expect(sb.count('POST', '/conversion')).toBe(2);
    expect((await sb.conversions()).filter((c) => c.ref_id === refId)).toHaveLength(1);
  });

  it('reset after commit on cancel: the resent DELETE is refused, the read-back finds it cancelled, and that is success', async () => {
    const { api } = make();
    const p = acme();
    const created = await api.createConversion({ profileId: p.id, owner: null, amount: '3.00', sourceAsset: 'USD', targetAsset: 'USDP', refId: crypto.randomUUID() });
    if (!created.ok) throw new Error('create failed');
    sb.chaos.set({ resetAfterCommitRate: 1 });
    const res = await api.cancelConversion(created.value.conversion.id);
    expect(res.ok && res.value.status).toBe('CANCELLED');
    expect(sb.count('DELETE', '/conversion')).toBe(2);
    expect(sb.count('GET', `/conversion/stablecoins/${created.value.conversion.id}`)).toBe(1);
  });
});
