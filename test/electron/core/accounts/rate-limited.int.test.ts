// The whole core against the sandbox enforcing Paxos's published limits (window and lockout scaled to 3 s): a full-book
// load, a full-book refresh and repeated refreshes get no 429 at all, because the request budget queues instead of sending.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtInEnvironments } from '../../../../electron/core/config';
import { startSandbox, type Sandbox } from '../../../../sandbox/start';
import type { BalancesSummary } from '../../../../shared/domain';
import { makeCore, signIn, until, type CoreHarness } from '../../../support/core-harness';

/** 3 s window and lockout: 50/s → 150 balance reads per window at the sandbox, 120 for the app (20 % margin). */
const SCALE = 0.01;
const BOOK = 300;

let sandbox: Sandbox;
let h: CoreHarness;
/** Every /v2 request the sandbox answered: when it arrived, its path, its status. */
const seen: Array<{ at: number; path: string; status: number }> = [];

beforeAll(async () => {
  sandbox = await startSandbox({
    rateLimitScale: SCALE,
    seedProfiles: BOOK - 3,
    instrumentApi: (app) => {
      app.addHook('onRequest', async (request) => {
        (request as unknown as { arrivedAt: number }).arrivedAt = Date.now();
      });
      app.addHook('onResponse', async (request, reply) => {
        seen.push({ at: (request as unknown as { arrivedAt: number }).arrivedAt, path: request.url.split('?')[0] ?? '', status: reply.statusCode });
      });
    },
  });
  // The environment says what the sandbox enforces (as environments.json would for a gateway with other limits).
  const environments = builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api, rateLimits: { windowSeconds: 300 * SCALE, lockoutSeconds: 300 * SCALE } });
  h = await makeCore(sandbox, { environments: { environments } });
  const signedIn = await signIn(h);
  if (!signedIn.ok) throw new Error(signedIn.error.message);
});
afterAll(async () => {
  await h?.close();
  await sandbox?.close();
});

const list = async (refresh?: true | 'all') => {
  const res = await h.core.handlers['accounts:listProfiles']({ limit: 50, sort: 'name', direction: 'asc', ...(refresh ? { refresh } : {}) });
  if (!res.ok) throw new Error(res.error.message);
  return res.value;
};
/** Waits until every balance has been read at or after `since` and nothing is queued. */
const loadedSince = (since: number): Promise<BalancesSummary> =>
  until(async () => {
    const { summary } = await list();
    return summary.loaded === BOOK && !summary.loading && summary.oldestAt !== null && Date.parse(summary.oldestAt) >= since ? summary : undefined;
  }, 90_000);
const balanceReads = (from = 0) => seen.filter((r) => r.at >= from && r.path.endsWith('/balances'));

describe(`a ${BOOK}-profile book against the rate-limited sandbox`, () => {
  it('loads every balance without a 429, spreading the reads over several windows', async () => {
    const summary = await loadedSince(0);
    expect(summary.totalUsd).not.toBeNull();
    const reads = balanceReads();
    expect(reads).toHaveLength(BOOK);
    // 300 reads do not fit in one window (120 for the app): the budget waited for room instead of sending.
    expect(reads.at(-1)!.at - reads[0]!.at).toBeGreaterThan(300 * SCALE * 1000);
    expect(sandbox.rateLimits.rejected()).toBe(0);
  });

  it('a full-book refresh and repeated refreshes right after it: still no 429', async () => {
    const first = (await list()).items.map((i) => i.profile.id).slice(0, 20);
    await h.core.handlers['accounts:setVisible']({ profileIds: first });
    const start = Date.now();
    await list('all');
    await loadedSince(start);
    expect(balanceReads(start)).toHaveLength(BOOK);
    for (let i = 0; i < 3; i++) {
      const before = Date.now();
      await list(true); // the rows on screen (and nothing stale yet)
      await until(async () => {
        const rows = await h.core.handlers['accounts:listProfiles']({ limit: 20, sort: 'name', direction: 'asc' });
        return rows.ok && rows.value.items.every((r) => r.balances.status === 'ready' && Date.parse(r.balances.loadedAt) >= before) ? true : undefined;
      }, 30_000);
    }
    expect(sandbox.rateLimits.rejected()).toBe(0);
    expect(seen.filter((r) => r.status === 429)).toEqual([]);
    const limits = await h.core.handlers['limits:get']({});
    expect(limits.ok && limits.value).toEqual({ status: 'open', environment: 'sandbox-local' });
  });
});
