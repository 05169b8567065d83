// Contract: every sandbox /v2 response — successes and every error case — validates against the published Paxos v2 spec.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSeed } from '../../sandbox/seed';
import { ALL_SCOPES, IDLE, OPS, OPS2, startHarness, waitFor, type Harness } from '../sandbox/resource/harness';
import { recordTraffic, validateRequest, validateTraffic, type TrafficLog } from './openapi-contract';

let h: Harness;
let traffic: TrafficLog;
let ops: string;

beforeAll(async () => {
  h = await startHarness({ seed: buildSeed(3), settleMs: 600_000, instrument: (app) => { traffic = recordTraffic(app); } });
  ops = await h.ops();
});
afterAll(async () => {
  await h.close();
});

const mine = () => h.seed.profiles.filter((p) => p.operator === OPS);
const acme = () => mine()[0]!; // DEFAULT
const blue = () => mine()[1]!; // NORMAL, identity account
const delta = () => h.seed.profiles.find((p) => p.operator === OPS2)!;
const UNKNOWN = 'a0000001-0000-4000-8000-00000000ffff';
const without = (scope: string) => ALL_SCOPES.filter((s) => s !== scope);

type Call = [method: string, path: string, options?: { token?: string | null; body?: unknown; rawBody?: string; contentType?: string; headers?: Record<string, string> }];

/** Sends the calls in order and returns their statuses, so each case also states what it expects. */
async function run(calls: Call[]): Promise<number[]> {
  const statuses: number[] = [];
  for (const [method, path, options] of calls) statuses.push((await h.call(method, path, { token: ops, ...options })).status);
  return statuses;
}

describe('sandbox responses against the published spec', () => {
  it('profiles and balances: successes and errors', async () => {
    const first = await h.call('GET', '/v2/profiles?limit=1', { token: ops });
    const cursor = encodeURIComponent(first.json.next_page_cursor);
    expect(await run([
      ['GET', '/v2/profiles'],
      ['GET', `/v2/profiles?limit=1&page_cursor=${cursor}`],
      ['GET', `/v2/profiles?ids=${acme().id}&ids=${blue().id}&order=DESC&order_by=CREATED_AT`],
      ['GET', `/v2/profiles?nickname=gen&created_at.gte=${encodeURIComponent('2024-01-02T09:00:00Z')}&created_at.lt=${encodeURIComponent('2030-01-01T00:00:00Z')}`],
      ['GET', '/v2/profiles', { token: await h.ops(IDLE) }],
      ['GET', `/v2/profiles/${acme().id}`],
      ['GET', `/v2/profiles/${blue().id}?include_deactivated=true`],
      ['GET', `/v2/profiles/${acme().id}/balances`],
      ['GET', `/v2/profiles/${blue().id}/balances?assets=USD&assets=PAXG&assets=USDG`],
      ['GET', `/v2/profiles/${acme().id}/balances/BTC`],
      ['GET', `/v2/profiles/${acme().id}/balances/USDG`],
    ])).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]);
    expect(await run([
      ['GET', '/v2/profiles?limit=0'],
      ['GET', '/v2/profiles?statuses=CREATED'],
      ['GET', '/v2/profiles?page_cursor=forged'],
      ['GET', `/v2/profiles/${acme().id}/balances?assets=USD,USDP`],
      ['GET', `/v2/profiles/${acme().id}/balances/DOGE`],
      ['GET', `/v2/profiles/${acme().id}?include_deactivated=maybe`],
      ['GET', '/v2/profiles', { token: null }],
      ['GET', '/v2/profiles', { token: 'not.a.jwt' }],
      ['GET', '/v2/profiles', { token: await h.ops(OPS, without('funding:read_profile')) }],
      ['GET', `/v2/profiles/${acme().id}/balances`, { token: await h.ops(OPS, without('funding:read_profile')) }],
      ['GET', '/v2/profiles', { token: await h.token({ sub: null, scopes: ['funding:read_profile'] }) }],
      ['GET', `/v2/profiles/${delta().id}`],
      ['GET', `/v2/profiles/${UNKNOWN}/balances`],
      ['GET', `/v2/profiles/${delta().id}/balances/USD`],
    ])).toEqual([400, 400, 400, 400, 400, 400, 401, 401, 403, 403, 403, 404, 404, 404]);
  });

  it('identity accounts: successes and errors', async () => {
    const first = await h.call('GET', '/v2/identity/accounts?limit=1', { token: ops });
    expect(await run([
      ['GET', '/v2/identity/accounts'],
      ['GET', `/v2/identity/accounts?limit=1&page_cursor=${encodeURIComponent(first.json.next_page_cursor)}`],
      ['GET', `/v2/identity/accounts?identity_id=${blue().identity_id!}&order=DESC&order_by=CREATED_AT`],
      ['GET', `/v2/identity/accounts?created_at.gt=${encodeURIComponent('2024-01-02T09:00:00Z')}&updated_at.lte=${encodeURIComponent('2030-01-01T00:00:00Z')}`],
      ['GET', `/v2/identity/accounts/${blue().account_id!}`],
    ])).toEqual([200, 200, 200, 200, 200]);
    expect(await run([
      ['GET', '/v2/identity/accounts?limit=5000'],
      ['GET', '/v2/identity/accounts?profile_id=x'],
      ['GET', '/v2/identity/accounts', { token: null }],
      ['GET', '/v2/identity/accounts', { token: await h.ops(OPS, without('identity:read_account')) }],
      ['GET', `/v2/identity/accounts/${blue().account_id!}`, { token: await h.ops(OPS, without('identity:read_account')) }],
      ['GET', `/v2/identity/accounts/${h.seed.profiles.find((p) => p.operator === OPS2 && p.account_id)!.account_id!}`],
    ])).toEqual([400, 400, 401, 403, 403, 404]);
  });

  it('stablecoin conversions: create, list, get, cancel, and every error the app can meet', async () => {
    const body = { profile_id: blue().id, amount: '12.5', source_asset: 'USD', target_asset: 'USDG' };
    const created = await h.call('POST', '/v2/conversion/stablecoins', {
      token: ops,
      body: { ...body, ref_id: 'contract-1', identity_id: blue().identity_id, account_id: blue().account_id, metadata: { invoice: 'A-1' } },
    });
    expect(created.status).toBe(200);
    const plain = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { profile_id: acme().id, amount: '.5', source_asset: 'USDP', target_asset: 'USD', recipient_profile_id: blue().id } });
    expect(plain.status).toBe(200);
    // One conversion settles, to cancel a settled conversion.
    h.settlement.setDelayMs(0);
    const settling = await h.call('POST', '/v2/conversion/stablecoins', { token: ops, body: { ...body, amount: '1', ref_id: 'contract-settled' } });
    h.settlement.setDelayMs(600_000);
    await waitFor(async () => ((await h.call('GET', `/v2/conversion/stablecoins/${settling.json.id}`, { token: ops })).json.status === 'SETTLED' ? true : undefined));

    const first = await h.call('GET', '/v2/conversion/stablecoins?limit=1', { token: ops });
    expect(await run([
      ['GET', '/v2/conversion/stablecoins'],
      ['GET', `/v2/conversion/stablecoins?limit=1&page_cursor=${encodeURIComponent(first.json.next_page_cursor)}`],
      ['GET', `/v2/conversion/stablecoins?profile_id=${blue().id}&ref_id=contract-1&order=ASC`],
      ['GET', `/v2/conversion/stablecoins?created_at.begin=${encodeURIComponent(created.json.created_at)}&updated_at.end=${encodeURIComponent('2030-01-01T00:00:00Z')}`],
      ['GET', `/v2/conversion/stablecoins/${created.json.id}`],
      ['DELETE', `/v2/conversion/stablecoins/${created.json.id}`],
    ])).toEqual([200, 200, 200, 200, 200, 200]);

    const readOnly = await h.ops(OPS, without('conversion:write_conversion_stablecoin'));
    expect(await run([
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, ref_id: 'contract-1' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, amount: '999999' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, amount: '1,5' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, amount: '1.005' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, amount: '20000000' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, target_asset: 'USD' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { amount: '1', source_asset: 'USD', target_asset: 'USDP' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, note: 'x' } }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, identity_id: 'someone-else' } }],
      ['POST', '/v2/conversion/stablecoins', { rawBody: '{"profile_id":' }],
      ['POST', '/v2/conversion/stablecoins', { rawBody: 'amount=1', contentType: 'text/plain' }],
      ['POST', '/v2/conversion/stablecoins', { rawBody: JSON.stringify({ ...body, metadata: { a: 'x'.repeat(70_000) } }) }],
      ['POST', '/v2/conversion/stablecoins', { body: { ...body, profile_id: delta().id } }],
      ['POST', '/v2/conversion/stablecoins', { body, token: readOnly }],
      ['POST', '/v2/conversion/stablecoins', { body, token: null }],
      ['GET', '/v2/conversion/stablecoins?statuses=CREATED'],
      ['GET', '/v2/conversion/stablecoins', { token: await h.ops(OPS, without('conversion:read_conversion_stablecoin')) }],
      ['GET', `/v2/conversion/stablecoins/${created.json.id}`, { token: await h.ops(OPS2) }],
      ['GET', '/v2/conversion/stablecoins/nope', { token: await h.ops(OPS, without('conversion:read_conversion_stablecoin')) }],
      ['DELETE', `/v2/conversion/stablecoins/${created.json.id}`],
      ['DELETE', `/v2/conversion/stablecoins/${settling.json.id}`],
      ['DELETE', '/v2/conversion/stablecoins/nope'],
      ['DELETE', `/v2/conversion/stablecoins/${plain.json.id}`, { token: readOnly }],
    ])).toEqual([409, 403, 400, 400, 400, 400, 400, 400, 400, 400, 415, 413, 404, 403, 401, 400, 403, 404, 403, 400, 400, 404, 403]);
  });

  it('orchestrations: create, list, get in every status, and every error the app can meet', async () => {
    const side = (p: { id: string }) => ({ profile: { profile_id: p.id } });
    const body = { source_asset: 'USD', destination_asset: 'USDG', source_amount: '12.5', source: side(blue()), destination: side(blue()) };
    const post = (extra: Record<string, unknown>) => h.call('POST', '/v2/orchestration/orchestrations', { token: ops, body: { ...body, ...extra } });
    const created = await post({ ref_id: 'orch-contract-1', identity_id: blue().identity_id, account_id: blue().account_id, metadata: { app: 'Partner Console', operator: OPS } });
    expect(created.json.status).toBe('PROCESSING');
    const pending = await post({ ref_id: 'orch-contract-pending', source: side(acme()), destination: side(acme()), source_amount: '10000.01' });
    const rejected = await post({ ref_id: 'orch-contract-rejected', source: side(acme()), destination: side(acme()), source_amount: '20000' });
    const failed = await post({ ref_id: 'orch-contract-failed', source: side(acme()), destination: side(acme()), source_amount: '1', destination_asset: 'USDP' });
    expect([pending.json.status, rejected.json.status]).toEqual(['PENDING', 'PENDING']);
    h.approvals.decide(rejected.json.id, 'reject', OPS2);
    h.approvals.fail(failed.json.id, 'the destination cannot receive USDP');
    h.settlement.setDelayMs(0);
    const completing = await post({ ref_id: 'orch-contract-completed', source_asset: 'USDG', destination_asset: 'USD', source_amount: '.5' });
    h.settlement.setDelayMs(600_000);
    await waitFor(async () => ((await h.call('GET', `/v2/orchestration/orchestrations/${completing.json.id}`, { token: ops })).json.status === 'COMPLETED' ? true : undefined));

    const first = await h.call('GET', '/v2/orchestration/orchestrations?limit=1', { token: ops });
    expect(await run([
      ['GET', '/v2/orchestration/orchestrations'],
      ['GET', `/v2/orchestration/orchestrations?limit=1&page_cursor=${encodeURIComponent(first.json.next_page_cursor)}`],
      ['GET', `/v2/orchestration/orchestrations?ref_id=orch-contract-1&ref_id=orch-contract-failed&profile_id=${blue().id}&profile_id=${acme().id}&order=ASC`],
      ['GET', `/v2/orchestration/orchestrations?status=PENDING&status=REJECTED&status=FAILED&status=COMPLETED&source_asset=USD&destination_asset=USDG&destination_asset=USDP`],
      ['GET', `/v2/orchestration/orchestrations?orchestration_id=${created.json.id}&orchestration_rule_id=r1&created_at.gte=${encodeURIComponent(created.json.created_at)}&created_at.lt=${encodeURIComponent('2030-01-01T00:00:00Z')}`],
      ...[created, pending, rejected, failed, completing].map((o): Call => ['GET', `/v2/orchestration/orchestrations/${o.json.id}`]),
    ])).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 200]);

    const readOnly = await h.ops(OPS, without('orchestration:write_orchestration'));
    expect(await run([
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'orch-contract-1' } }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'orch-contract-poor', source_amount: '999999' } }],
      ['POST', '/v2/orchestration/orchestrations', { body }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'x', source_amount: '1.005' } }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'x', destination_asset: 'USD' } }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'x', destination: { crypto: { address_id: 'a1' } } } }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'x', note: 'x' } }],
      ['POST', '/v2/orchestration/orchestrations', { rawBody: '{"ref_id":' }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'x', source: side(delta()) } }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'x' }, token: readOnly }],
      ['POST', '/v2/orchestration/orchestrations', { body: { ...body, ref_id: 'x' }, token: null }],
      ['GET', '/v2/orchestration/orchestrations?statuses=PENDING'],
      ['GET', '/v2/orchestration/orchestrations?status=DONE'],
      ['GET', '/v2/orchestration/orchestrations', { token: await h.ops(OPS, without('orchestration:read_orchestration')) }],
      ['GET', `/v2/orchestration/orchestrations/${created.json.id}`, { token: await h.ops(OPS2) }],
    ])).toEqual([409, 403, 400, 400, 400, 400, 400, 400, 404, 403, 401, 400, 400, 403, 404]);
  });

  it('sandbox deposit: success and errors', async () => {
    expect(await run([
      ['POST', `/v2/sandbox/profiles/${blue().id}/deposit`, { body: { asset: 'USD', amount: '10' } }],
      ['POST', `/v2/sandbox/profiles/${blue().id}/deposit`, { body: { asset: 'BTC', amount: '.001', crypto_network: 'BITCOIN', crypto_address: 'bc1q' } }],
      ['POST', `/v2/sandbox/profiles/${delta().id}/deposit`, { body: { asset: 'USD', amount: '1' }, token: await h.tooling() }],
      ['POST', `/v2/sandbox/profiles/${blue().id}/deposit`, { body: { asset: 'USD' } }],
      ['POST', `/v2/sandbox/profiles/${blue().id}/deposit`, { body: { asset: 'USD', amount: '1', crypto_network: 'MOON' } }],
      ['POST', `/v2/sandbox/profiles/${blue().id}/deposit`, { body: { asset: 'USD', amount: '1' }, token: await h.ops(OPS, without('funding:read_profile')) }],
      ['POST', `/v2/sandbox/profiles/${delta().id}/deposit`, { body: { asset: 'USD', amount: '1' } }],
    ])).toEqual([200, 200, 200, 400, 400, 403, 404]);
  });

  it('chaos answers (429, 503) are problems too', async () => {
    h.chaos.set({ errorRate: 1 });
    const unavailable = await run([['GET', '/v2/profiles']]);
    h.chaos.set({ rateLimitBurst: { every: 1, retryAfterSeconds: 1 } });
    const limited = await run([['GET', `/v2/profiles/${acme().id}/balances`]]);
    h.chaos.set({});
    expect([...unavailable, ...limited]).toEqual([503, 429]);
  });

  it('every recorded response validates against the spec for its status code', () => {
    const exchanges = traffic.completed().filter((e) => e.url.startsWith('/v2/'));
    expect(validateTraffic(exchanges, { requests: false })).toEqual([]);
    expect(exchanges.length).toBeGreaterThanOrEqual(100);
    // Every orchestration status was served (and validated) at least once, failure reason included.
    const orchestrations = exchanges.filter((e) => e.status === 200 && e.url.startsWith('/v2/orchestration/')).flatMap((e): Array<{ status?: string }> => {
      const body = JSON.parse(e.payload ?? '{}') as { orchestrations?: Array<{ status: string }>; status?: string };
      return body.orchestrations ?? [body];
    });
    expect(new Set(orchestrations.map((o) => o.status))).toEqual(new Set(['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'REJECTED']));
    expect(exchanges.some((e) => e.payload?.includes('"fail_reason":{"detail":"the destination cannot receive USDP"}'))).toBe(true);
    // Every status the cases above expect was recorded (so this check covered error bodies, not only successes).
    expect(new Set(exchanges.map((e) => e.status))).toEqual(new Set([200, 400, 401, 403, 404, 409, 413, 415, 429, 503]));
  });

  it('every request the sandbox accepted (2xx) is one the spec allows, and the undeclared ones it refused are flagged', () => {
    const exchanges = traffic.completed().filter((e) => e.url.startsWith('/v2/'));
    const accepted = exchanges.filter((e) => e.status! < 300);
    expect(validateTraffic(accepted, { responses: false })).toEqual([]);
    for (const url of ['/v2/profiles?statuses=CREATED', '/v2/conversion/stablecoins?statuses=CREATED', '/v2/orchestration/orchestrations?statuses=PENDING', `/v2/profiles/${acme().id}/balances?assets=USD,USDP`]) {
      expect(exchanges.find((e) => e.url === url)?.status).toBe(400);
      expect(validateRequest({ method: 'GET', url })).not.toEqual([]);
    }
  });
});
