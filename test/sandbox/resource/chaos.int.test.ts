// Chaos knobs over real HTTP: latency, seeded 5xx, resets before/after commit, 429 bursts, token expiry, admin endpoint.
import Big from 'big.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem, OPS2, paxosDecimal, startHarness, type Harness } from './harness';

let h: Harness;
let ops: string;
let tooling: string;

beforeAll(async () => {
  h = await startHarness({ settleMs: 600_000 });
  ops = await h.ops();
  tooling = await h.tooling();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  h.chaos.set({});
});

const acme = () => h.seed.profiles[0]!;
const usd = async (): Promise<string> => (await h.call('GET', `/v2/profiles/${acme().id}/balances/USD`, { token: ops })).json.available;
const byRef = async (refId: string) => (await h.call('GET', `/v2/conversion/stablecoins?ref_id=${refId}`, { token: ops })).json.items as { id: string; status: string; amount: string }[];
const convert = (refId: string, amount = '1.00') =>
  h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: acme().id, amount, source_asset: 'USD', target_asset: 'USDP', ref_id: refId } });

describe('chaos', () => {
  it('is off by default', () => {
    expect(h.chaos.get()).toEqual({});
  });

  it('latency delays every /v2 request by latencyMs', async () => {
    h.chaos.set({ latencyMs: 250 });
    for (const path of ['/v2/profiles', `/v2/profiles/${acme().id}/balances`, '/v2/conversion/stablecoins']) {
      const slow = await h.call('GET', path, { token: ops });
      expect(slow.status).toBe(200);
      expect(slow.ms).toBeGreaterThanOrEqual(245);
    }
  });

  it('errorRate injects 503 problems, repeatably for the same seed', async () => {
    const run = async (seed: number) => {
      h.chaos.set({ errorRate: 0.5, seed });
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) {
        const res = await h.call('GET', '/v2/profiles', { token: ops });
        if (res.status === 503) expectProblem(res, 503);
        statuses.push(res.status);
      }
      return statuses;
    };
    const first = await run(42);
    const again = await run(42);
    const other = await run(7);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    const failures = first.filter((s) => s === 503).length;
    expect(failures).toBeGreaterThan(8);
    expect(failures).toBeLessThan(32);
    expect(new Set(first)).toEqual(new Set([200, 503]));
  });

  it('a 503 on a write writes nothing', async () => {
    const before = await usd();
    h.chaos.set({ errorRate: 1 });
    expectProblem(await convert('chaos-503'), 503);
    h.chaos.set({});
    expect(await byRef('chaos-503')).toEqual([]);
    expect(await usd()).toBe(before);
  });

  it('reset before commit: the client gets a socket error and nothing exists server-side', async () => {
    const before = await usd();
    h.chaos.set({ resetBeforeCommitRate: 1 });
    await expect(convert('chaos-before')).rejects.toThrow(/socket|reset|closed/i);
    h.chaos.set({});
    expect(await byRef('chaos-before')).toEqual([]);
    expect(await usd()).toBe(before);
    // The retry goes through normally.
    expect((await convert('chaos-before')).status).toBe(200);
  });

  it('reset after commit: the client gets a socket error but the conversion exists and was debited', async () => {
    const before = await usd();
    h.chaos.set({ resetAfterCommitRate: 1 });
    await expect(convert('chaos-after', '2.50')).rejects.toThrow(/socket|reset|closed/i);
    h.chaos.set({});
    const found = await byRef('chaos-after');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ status: 'CREATED', amount: '2.5' });
    expect(await usd()).toBe(paxosDecimal(new Big(before).minus('2.50'), 2));
    // A retry with the same ref_id learns the outcome from 409 meta.existing.
    const retry = await convert('chaos-after', '2.50');
    expect((expectProblem(retry, 409, 'already-exists').meta as { existing: { id: string } }).existing.id).toBe(found[0]!.id);
  });

  it('orchestrations get the same chaos: 503 and reset before commit write nothing; reset after commit creates it (409 on the retry)', async () => {
    const orchestrate = (refId: string, amount = '1.5') =>
      h.call('POST', '/v2/orchestration/orchestrations', {
        token: ops,
        body: { ref_id: refId, source_asset: 'USD', destination_asset: 'USDP', source_amount: amount, source: { profile: { profile_id: acme().id } }, destination: { profile: { profile_id: acme().id } } },
      });
    const orchByRef = async (refId: string) => (await h.call('GET', `/v2/orchestration/orchestrations?ref_id=${refId}`, { token: ops })).json.orchestrations as { id: string; status: string }[];
    const before = await usd();
    h.chaos.set({ errorRate: 1 });
    expectProblem(await orchestrate('orch-503'), 503);
    h.chaos.set({ resetBeforeCommitRate: 1 });
    await expect(orchestrate('orch-before')).rejects.toThrow(/socket|reset|closed/i);
    h.chaos.set({});
    expect([...(await orchByRef('orch-503')), ...(await orchByRef('orch-before'))]).toEqual([]);
    expect(await usd()).toBe(before);

    h.chaos.set({ resetAfterCommitRate: 1 });
    await expect(orchestrate('orch-after', '2.5')).rejects.toThrow(/socket|reset|closed/i);
    h.chaos.set({});
    const found = await orchByRef('orch-after');
    expect(found).toHaveLength(1);
    expect(await usd()).toBe(paxosDecimal(new Big(before).minus('2.5'), 2));
    const retry = await orchestrate('orch-after', '2.5');
    expect((expectProblem(retry, 409, 'already-exists').meta as { existing: { id: string } }).existing.id).toBe(found[0]!.id);

    h.chaos.set({ latencyMs: 250 });
    const slow = await h.call('GET', '/v2/orchestration/orchestrations', { token: ops });
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(245);
    h.chaos.set({ rateLimitBurst: { every: 1, retryAfterSeconds: 1 } });
    expectProblem(await h.call('GET', `/v2/orchestration/orchestrations/${found[0]!.id}`, { token: ops }), 429);
  });

  it('fundsBeforeIdempotency: a resend of a landed create that spent the funds meets 403 insufficient-funds (both APIs); off, it meets 409', async () => {
    // Blue Harbor's USD: each create below spends all of it, so only the check order decides what the resend sees.
    const blue = h.seed.profiles[1]!;
    const balance = async () => (await h.call('GET', `/v2/profiles/${blue.id}/balances/USD`, { token: ops })).json.available as string;
    const profile = { profile: { profile_id: blue.id } };
    const create = {
      conversions: (refId: string, amount: string) =>
        h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: blue.id, amount, source_asset: 'USD', target_asset: 'USDG', ref_id: refId } }),
      orchestrations: (refId: string, amount: string) =>
        h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: { ref_id: refId, source_asset: 'USD', destination_asset: 'USDG', source_amount: amount, source: profile, destination: profile } }),
    };
    const deposit = (amount: string) => h.call('POST', `/v2/sandbox/profiles/${blue.id}/deposit`, { token: ops, body: { asset: 'USD', amount } });
    for (const api of ['conversions', 'orchestrations'] as const) {
      const all = await balance();
      h.chaos.set({ fundsBeforeIdempotency: true, resetAfterCommitRate: 1 });
      await expect(create[api](`${api}-funds-first`, all)).rejects.toThrow(/socket|reset|closed/i);
      expect(await balance()).toBe('0');
      h.chaos.set({ fundsBeforeIdempotency: true });
      expectProblem(await create[api](`${api}-funds-first`, all), 403, 'insufficient-funds');
      h.chaos.set({});
      expect((expectProblem(await create[api](`${api}-funds-first`, all), 409, 'already-exists').meta as { existing: { ref_id: string } }).existing.ref_id).toBe(`${api}-funds-first`);
      expect((await deposit(all)).status).toBe(200);
    }
  });

  it('reset after commit on DELETE: the cancel happened although the client saw no answer', async () => {
    const created = await convert('chaos-cancel');
    expect(created.status).toBe(200);
    h.chaos.set({ resetAfterCommitRate: 1 });
    await expect(h.call('DELETE', `/v2/conversion/stablecoins/${created.json.id}`, { token: ops })).rejects.toThrow();
    h.chaos.set({});
    expect((await byRef('chaos-cancel'))[0]!.status).toBe('CANCELLED');
  });

  it('rate-limit bursts answer 429 with Retry-After', async () => {
    h.chaos.set({ rateLimitBurst: { every: 3, length: 2, retryAfterSeconds: 2 } });
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) {
      const res = await h.call('GET', '/v2/profiles', { token: ops });
      statuses.push(res.status);
      if (res.status === 429) {
        expectProblem(res, 429);
        expect(res.headers['retry-after']).toBe('2');
      }
    }
    expect(statuses).toEqual([200, 200, 429, 429, 200, 200, 429, 429, 200, 200]);
  });

  it('token expiry override rejects tokens older than the limit with 401 invalid_token', async () => {
    const old = await h.token({ iatOffset: -30 });
    expect((await h.call('GET', '/v2/profiles', { token: old })).status).toBe(200);
    h.chaos.set({ tokenExpiryOverrideSeconds: 20 });
    const res = await h.call('GET', '/v2/profiles', { token: old });
    expectProblem(res, 401);
    expect(res.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
    expect((await h.call('GET', '/v2/profiles', { token: await h.token() })).status).toBe(200);
  });

  it('initial chaos comes from the options', async () => {
    const other = await startHarness({ chaos: { errorRate: 1 } });
    try {
      expectProblem(await other.call('GET', '/v2/profiles', { token: await other.ops() }), 503);
      expect(other.chaos.get()).toEqual({ errorRate: 1 });
    } finally {
      await other.close();
    }
  });

  it('two servers in one process share nothing (chaos, balances, conversions)', async () => {
    const other = await startHarness({ settleMs: 600_000 });
    try {
      const otherOps = await other.ops();
      h.chaos.set({ errorRate: 1 });
      expect((await other.call('GET', '/v2/profiles', { token: otherOps })).status).toBe(200);
      h.chaos.set({});
      const res = await other.call('POST', '/v2/conversion/stablecoins', { token: otherOps, body: { profile_id: acme().id, amount: '7', source_asset: 'USD', target_asset: 'USDP', ref_id: 'isolated' } });
      expect(res.status).toBe(200);
      expect(await byRef('isolated')).toEqual([]);
      expect((await other.call('GET', `/v2/profiles/${acme().id}/balances/USD`, { token: otherOps })).json.available).toBe('249993.00');
      expect((await h.call('GET', `/v2/conversion/stablecoins/${res.json.id}`, { token: ops })).status).toBe(404);
    } finally {
      await other.close();
    }
  });
});

describe('/_sandbox/chaos admin endpoint', () => {
  it('GET and POST with the tooling token over loopback', async () => {
    h.chaos.set({ latencyMs: 5 });
    const got = await h.call('GET', '/_sandbox/chaos', { token: tooling });
    expect(got.status).toBe(200);
    expect(got.json).toEqual({ latencyMs: 5 });
    const settings = { errorRate: 0.25, resetAfterCommitRate: 0.5, rateLimitBurst: { every: 4, retryAfterSeconds: 1 }, fundsBeforeIdempotency: true, seed: 9 };
    const set = await h.call('POST', '/_sandbox/chaos', { token: tooling, body: settings });
    expect(set.status).toBe(200);
    expect(set.json).toEqual(settings);
    expect(h.chaos.get()).toEqual(settings);
    expect((await h.call('POST', '/_sandbox/chaos', { token: tooling, body: {} })).json).toEqual({});
    expect(h.chaos.get()).toEqual({});
  });

  it('is not subject to chaos itself', async () => {
    h.chaos.set({ errorRate: 1, rateLimitBurst: { every: 1, retryAfterSeconds: 1 } });
    expect((await h.call('POST', '/_sandbox/chaos', { token: tooling, body: {} })).status).toBe(200);
  });

  it('rejects missing tokens (401), operator tokens (403) and bad settings (400)', async () => {
    const none = await h.call('POST', '/_sandbox/chaos', { body: { errorRate: 1 } });
    expectProblem(none, 401);
    expectProblem(await h.call('POST', '/_sandbox/chaos', { token: ops, body: { errorRate: 1 } }), 403, 'not-tooling-client');
    expectProblem(await h.call('GET', '/_sandbox/chaos', { token: await h.ops(OPS2) }), 403, 'not-tooling-client');
    for (const body of [{ errorRate: 2 }, { latencyMs: -1 }, { bogus: true }, { rateLimitBurst: { every: 0, retryAfterSeconds: 1 } }, { seed: 'x' }, { fundsBeforeIdempotency: 'yes' }, { fundsBeforeIdempotency: 1 }]) {
      expectProblem(await h.call('POST', '/_sandbox/chaos', { token: tooling, body }), 400);
    }
    expect(h.chaos.get()).toEqual({});
  });

  it('rejects non-loopback peers even with the tooling token', async () => {
    for (const remoteAddress of ['10.0.0.5', '192.168.1.20', '::ffff:10.1.2.3', '2001:db8::1']) {
      const res = await h.app.inject({ method: 'POST', url: '/_sandbox/chaos', remoteAddress, headers: { authorization: `Bearer ${tooling}` }, payload: { errorRate: 1 } });
      expect(res.statusCode).toBe(403);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json().type).toMatch(/not-loopback$/);
    }
    expect(h.chaos.get()).toEqual({});
    for (const remoteAddress of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const res = await h.app.inject({ method: 'GET', url: '/_sandbox/chaos', remoteAddress, headers: { authorization: `Bearer ${tooling}` } });
      expect(res.statusCode).toBe(200);
    }
  });
});
