// After an order's status changes, the balances shown follow the server even when that re-read meets a 429 (it waits out the lockout and reads again).
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUBLISHED_RATE_LIMITS } from '../../../../electron/core/api/rate-limits';
import { createRequestBudget } from '../../../../electron/core/api/request-budget';
import type { OrdersApi } from '../../../../shared/domain';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { openOperations, tempDataDir } from '../../../support/operations-harness';

let sb: ApiSandbox;
/** The profile whose next balance read answers 429 (then it is cleared). */
let throttleNextBalanceOf: string | null = null;
let throttled = 0;

beforeAll(async () => {
  sb = await startApiSandbox({
    settleMs: 600,
    seedProfiles: 2,
    instrument: (app) =>
      app.addHook('onRequest', async (request, reply) => {
        if (throttleNextBalanceOf === null || request.method !== 'GET' || !request.url.startsWith(`/v2/profiles/${throttleNextBalanceOf}/balances`)) return;
        throttleNextBalanceOf = null;
        throttled += 1;
        await reply.code(429).type('application/problem+json').send({ type: 'about:blank', title: 'Too Many Requests', status: 429 });
      }),
  });
});
afterAll(async () => {
  await sb.close();
});

describe.each([['orchestrations', 5], ['conversions', 6]] as const)('through %s', (api: OrdersApi, index) => {
  it('the re-read after settlement meets a 429: the balances shown catch up once the lockout is over, without a refresh by the operator', async () => {
    const data = await tempDataDir('pc-outcomes-');
    const budget = createRequestBudget({ ...PUBLISHED_RATE_LIMITS, lockoutMs: 300 });
    const h = openOperations(sb, data.dir, { ordersApi: api, budget });
    try {
      const p = sb.seed.profiles[index]!;
      expect((await sb.direct('POST', `/sandbox/profiles/${p.id}/deposit`, { asset: 'USD', amount: '100.00' })).status).toBe(200);
      await h.ops.start();
      await h.ops.settled();
      const shown = async (asset: string) => {
        const res = await h.handlers['accounts:getBalances']({ profileId: p.id });
        return res.ok && res.value.status === 'ready' ? res.value.items.find((b) => b.asset === asset)?.available : undefined;
      };
      const showsServer = async (asset: string, ms: number) => {
        const deadline = Date.now() + ms;
        for (;;) {
          const [mine, server] = [await shown(asset), await sb.balance(p.id, asset)];
          if (mine !== undefined && new Big(mine).eq(server)) return true;
          if (Date.now() > deadline) return `${asset}: shown ${mine}, server ${server}`;
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      const res = await h.handlers['orders:submit']({ kind: 'mint', profileId: p.id, asset: 'USDP', amount: '12.34' });
      if (!res.ok) throw new Error(res.error.message);
      expect(await showsServer('USD', 3000)).toBe(true); // the re-read after acceptance is in
      const before = throttled;
      throttleNextBalanceOf = p.id;
      await h.waitForOrder(res.value.refId, (o) => o.status === 'settled', 10_000);
      expect(await showsServer('USDP', 3000)).toBe(true);
      expect(throttled).toBe(before + 1);
      expect(budget.snapshot().lockouts).toBe(1);
    } finally {
      throttleNextBalanceOf = null;
      await h.ops.close();
      budget.close();
      await data.remove();
    }
  });
});
