// Status polling with production's schedule (waits recorded, not slept): an order awaiting approval backs off to a minute
// between polls and keeps being asked about; once approved it is followed closely again, to COMPLETED, and then no more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_POLL_SCHEDULE } from '../../../../electron/core/orders/status-poller';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { OPS2 } from '../../../support/api-tokens';
import { openOperations, tempDataDir, type OpsHandle } from '../../../support/operations-harness';

let sb: ApiSandbox;
let data: Awaited<ReturnType<typeof tempDataDir>>;
let h: OpsHandle;
/** Every wait the operations asked for, in ms (each one really lasts 2 ms). */
const waits: number[] = [];

beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: 50, approvalThreshold: '100' });
  data = await tempDataDir('pc-poll-');
  h = openOperations(sb, data.dir, {
    ordersApi: 'orchestrations',
    tuning: {
      poll: DEFAULT_POLL_SCHEDULE,
      random: () => 0.5, // no jitter: the waits are the schedule itself
      sleep: async (ms, signal) => {
        if (signal.aborted) throw signal.reason;
        waits.push(ms);
        await new Promise((r) => setTimeout(r, 2));
      },
    },
  });
});
afterAll(async () => {
  await h.ops.close();
  await sb.close();
  await data.remove();
});

describe('polling an order that awaits approval', () => {
  it('backs off to 4 × the usual maximum (60 s) while PENDING, then follows the approved order closely to its end', async () => {
    const res = await h.handlers['orders:submit']({ kind: 'mint', profileId: sb.seed.profiles[0]!.id, asset: 'USDP', amount: '150' });
    if (!res.ok) throw new Error(res.error.message);
    expect(res.value.status).toBe('awaiting_approval');
    await expect.poll(() => waits.filter((w) => w === 60_000).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    expect(waits.slice(0, 11)).toEqual([1000, 1600, 2560, 4096, 6554, 10486, 16777, 26844, 42950, 60000, 60000]);
    expect(Math.max(...waits)).toBe(60_000);

    const before = waits.length;
    sb.approvals.decide(res.value.serverId!, 'approve', OPS2.subject);
    await h.waitForOrder(res.value.refId, (o) => o.status === 'settled', 10_000);
    const after = waits.slice(before);
    // The first wait after the change is the short one again; an order under way is asked about at most every 15 s.
    expect(after).toContain(1000);
    expect(after.slice(after.indexOf(1000)).every((w) => w <= DEFAULT_POLL_SCHEDULE.maxMs)).toBe(true);
    // Final: the loop has stopped.
    const gets = sb.count('GET', `/orchestration/orchestrations/${res.value.serverId}`);
    await new Promise((r) => setTimeout(r, 100));
    expect(sb.count('GET', `/orchestration/orchestrations/${res.value.serverId}`)).toBe(gets);
  });
});
