// Every AppError code the API client produces, provoked against the real sandbox resource server over loopback.
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiDispatcher } from '../../../../electron/core/api/dispatcher';
import { createApiClient, type ApiClient } from '../../../../electron/core/api/http-client';
import { createPaxosApi, type PaxosApi } from '../../../../electron/core/api/paxos-api';
import { ConversionWireSchema, ProfilesPageWireSchema } from '../../../../electron/core/api/wire';
import { fakeTime, startApiSandbox, type ApiSandbox, type TestTokenSource } from '../../../support/api-sandbox';
import { OPS2 } from '../../../support/api-tokens';

let sb: ApiSandbox;
const dispatcher = createApiDispatcher({ headersTimeoutMs: 400, connectTimeoutMs: 1000 });
beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: 150 });
});
afterAll(async () => {
  await dispatcher.close();
  await sb.close();
});
afterEach(() => {
  sb.chaos.set({});
  sb.resetStats();
});

const profiles = () => sb.seed.profiles;
const acme = () => profiles()[0]!;
const cedar = () => profiles()[2]!; // USD 0.00
const delta = () => profiles()[3]!; // delegated to another operator

function make(session: TestTokenSource, baseUrl = sb.api, retry = { maxAttempts: 3 }): { client: ApiClient; api: PaxosApi; time: ReturnType<typeof fakeTime> } {
  const time = fakeTime();
  const client = createApiClient({ baseUrl, dispatcher, tokens: session, retry, sleep: time.sleep, now: time.now, random: () => 0.5 });
  return { client, api: createPaxosApi(client), time };
}
const codeOf = (r: { ok: boolean; error?: { error: { code: string } } }) => (r.ok ? 'ok' : r.error!.error.code);
const newConversion = (amount: string, p = acme(), refId: string = crypto.randomUUID()) => ({
  profileId: p.id,
  owner: p.identity_id && p.account_id ? { identityId: p.identity_id, accountId: p.account_id } : null,
  amount,
  sourceAsset: 'USD' as const,
  targetAsset: 'USDP' as const,
  refId,
});

describe('API client error codes against the sandbox', () => {
  it('unauthorized: a 401 refreshes once and replays once, then reports unauthorized', async () => {
    const session = sb.session();
    const { api } = make(session);
    await session.expireCurrent();
    session.breakRefresh(true);
    const res = await api.getProfile(acme().id);
    expect(codeOf(res)).toBe('unauthorized');
    expect(session.refreshes()).toBe(1);
    expect(sb.count('GET', '/profiles/')).toBe(2);
  });

  it('a stale token is refreshed once for many concurrent 401s, and every call succeeds', async () => {
    const session = sb.session();
    const { api } = make(session);
    await session.expireCurrent();
    const results = await Promise.all(Array.from({ length: 8 }, () => api.getBalances(acme().id)));
    expect(results.map(codeOf)).toEqual(Array(8).fill('ok'));
    expect(session.refreshes()).toBe(1);
  });

  it('forbidden_scope: names the missing scope in plain words and is not retried', async () => {
    const { api } = make(sb.session({ scopes: ['funding:read_profile'] }));
    const res = await api.findConversionByRefId(crypto.randomUUID(), acme().id);
    expect(!res.ok && res.error.error).toMatchObject({
      code: 'forbidden_scope',
      message: 'Not permitted — sign in again and grant conversion:read_conversion_stablecoin.',
      detail: { missingScope: 'conversion:read_conversion_stablecoin' },
    });
    expect(sb.count('GET', '/conversion')).toBe(1);
  });

  it('not_found: another operator’s profile answers exactly like one that does not exist (Paxos: 404 about:blank)', async () => {
    const { api } = make(sb.session());
    expect(codeOf(await api.getBalances(delta().id))).toBe('not_found');
    const other = make(sb.session({ operator: OPS2 }));
    expect(codeOf(await other.api.getBalances(delta().id))).toBe('ok');
  });

  it('insufficient_funds: carries the figures the server gave', async () => {
    const { api } = make(sb.session());
    const res = await api.createConversion(newConversion('1.00', cedar()));
    expect(!res.ok && res.error.error).toMatchObject({ code: 'insufficient_funds', detail: { asset: 'USD', needed: '1', available: '0' } });
  });

  it('already_exists: a raw duplicate ref_id is already_exists; the endpoint turns it into the existing conversion', async () => {
    const { client, api } = make(sb.session());
    const input = newConversion('1.25');
    const first = await api.createConversion(input);
    expect(first.ok && first.value.existed).toBe(false);
    const body = { profile_id: input.profileId, amount: '1.25', source_asset: 'USD', target_asset: 'USDP', ref_id: input.refId };
    const raw = await client.call({ method: 'POST', path: '/conversion/stablecoins', body, schema: ConversionWireSchema });
    expect(codeOf(raw)).toBe('already_exists');
    const again = await api.createConversion(input);
    expect(again.ok && again.value).toMatchObject({ existed: true, conversion: { id: first.ok ? first.value.conversion.id : '', refId: input.refId } });
    expect((await sb.conversions()).filter((c) => c.ref_id === input.refId)).toHaveLength(1);
  });

  it('validation: too many decimals and a bad asset pair', async () => {
    const { api } = make(sb.session());
    expect(codeOf(await api.createConversion(newConversion('1.001')))).toBe('validation');
    const pair = await api.createConversion({ ...newConversion('1'), sourceAsset: 'USDP', targetAsset: 'PYUSD' });
    expect(!pair.ok && pair.error.error).toMatchObject({ code: 'validation' });
    expect(!pair.ok && pair.error.error.message).toContain('exactly one side must be USD');
  });

  it('not_found: an unknown conversion', async () => {
    const { api } = make(sb.session());
    expect(codeOf(await api.getConversion(crypto.randomUUID()))).toBe('not_found');
  });

  it('cancelling a conversion that already settled: refused with a 4xx, and read back it is SETTLED', async () => {
    const { api } = make(sb.session());
    const created = await api.createConversion(newConversion('0.50'));
    if (!created.ok) throw new Error(created.error.error.message);
    const id = created.value.conversion.id;
    for (let i = 0; i < 200; i++) {
      const now = await api.getConversion(id);
      if (now.ok && now.value.status === 'SETTLED') break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const res = await api.cancelConversion(id);
    expect(!res.ok && res.error.problem?.status).toBeGreaterThanOrEqual(400);
    expect(!res.ok && res.error.error.code).toBe('validation');
    const now = await api.getConversion(id);
    expect(now.ok && now.value.status).toBe('SETTLED');
  });

  it('rate_limited: a 429 is not resent; the error says until when requests are paused', async () => {
    sb.chaos.set({ rateLimitBurst: { every: 1, retryAfterSeconds: 1 } });
    const { api, time } = make(sb.session());
    const res = await api.getProfile(acme().id);
    expect(!res.ok && res.error.error).toMatchObject({ code: 'rate_limited', retryable: true, detail: { until: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } });
    expect(!res.ok && res.error.error.message).toMatch(/^Paxos is limiting requests from this computer \(HTTP 429\)\. Requests to Paxos are paused until \d\d:\d\d/);
    expect(time.sleeps).toEqual([]);
    expect(sb.count('GET', '/profiles/')).toBe(1);
  });

  it('unavailable: 5xx after retries', async () => {
    sb.chaos.set({ errorRate: 1 });
    const { api, time } = make(sb.session());
    expect(codeOf(await api.getBalances(acme().id))).toBe('unavailable');
    expect(time.sleeps).toHaveLength(2);
  });

  it('network: nothing listens on the port', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const { api, time } = make(sb.session(), `http://127.0.0.1:${port}/v2`);
    const res = await api.getProfile(acme().id);
    expect(!res.ok && res.error.error).toMatchObject({ code: 'network', retryable: true });
    expect(time.sleeps).toHaveLength(2);
  });

  it('network: a connection reset on a POST without ref_id is reported, not resent', async () => {
    sb.chaos.set({ resetBeforeCommitRate: 1 });
    const { client } = make(sb.session());
    const body = { profile_id: acme().id, amount: '1', source_asset: 'USD', target_asset: 'USDP' };
    const res = await client.call({ method: 'POST', path: '/conversion/stablecoins', body, schema: ConversionWireSchema });
    expect(codeOf(res)).toBe('network');
    expect(sb.count('POST', '/conversion')).toBe(1);
  });

  it('timeout: the server does not answer within the headers timeout', async () => {
    sb.chaos.set({ latencyMs: 1500 });
    const { api } = make(sb.session(), sb.api, { maxAttempts: 1 });
    const started = performance.now();
    const res = await api.getProfile(acme().id);
    expect(!res.ok && res.error.error).toMatchObject({ code: 'timeout', retryable: true });
    expect(performance.now() - started).toBeLessThan(1400);
  });

  it('bad_response: a body that does not match the API shape is an error, not a crash', async () => {
    const { client } = make(sb.session());
    const res = await client.call({ method: 'GET', path: `/profiles/${acme().id}/balances`, schema: ProfilesPageWireSchema });
    expect(!res.ok && res.error.error.code).toBe('bad_response');
    expect(!res.ok && res.error.error.message).toContain('does not understand');
  });

  it('cancelled / signed_out: sign-out aborts a request in flight and refuses new ones', async () => {
    sb.chaos.set({ latencyMs: 300 });
    const session = sb.session();
    const { api } = make(session, sb.api);
    const pending = api.getProfile(acme().id);
    setTimeout(() => session.signOut(), 50);
    const started = performance.now();
    expect(codeOf(await pending)).toBe('cancelled');
    expect(performance.now() - started).toBeLessThan(250);
    expect(codeOf(await api.getProfile(acme().id))).toBe('signed_out');
  });
});
