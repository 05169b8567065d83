// Orders under every chaos knob at once (issue #13): one server order per accepted intent, none missing or duplicated, every journal entry final, balances equal the ledger.
import { describe, expect, it } from 'vitest';
import { describeRun, runOrderChaos, type ChaosRunResult } from './order-chaos-run';

/** `npm run test:chaos` sets CHAOS_FULL=1: the counts. `npm test` runs the short form. */
const FULL = process.env.CHAOS_FULL === '1';
/** CHAOS_SEED=<n> repeats a run; otherwise each run draws its seed (printed with the figures). */
const SEED = process.env.CHAOS_SEED !== undefined ? Number(process.env.CHAOS_SEED) : Math.floor(Math.random() * 2 ** 31);
const PROFILES = 50;
const RUNS = {
  orchestrations: { orders: FULL ? 1000 : 100 },
  conversions: { orders: FULL ? 300 : 50 },
} as const;

function expectIntegrity(r: ChaosRunResult): void {
  expect(r.unfinished).toEqual([]);
  expect(r.duplicates).toBe(0);
  expect(r.missing).toEqual([]);
  expect(r.extra).toEqual([]);
  expect(r.onServer).toBe(r.accepted);
  expect(r.ledgerMismatches).toEqual([]);
  // What the app shows followed the server by itself (no refresh by the operator needed), and a refresh agrees too.
  expect(r.staleShown).toBe(0);
  expect(r.shownMismatches).toEqual([]);
  // The chaos really happened: resets, 429s with their lockouts, 5xx, and a landed POST whose resend met 403.
  expect(r.postsReset).toBeGreaterThan(0);
  expect(r.status429).toBeGreaterThan(0);
  expect(r.lockouts).toBeGreaterThan(0);
  expect(r.status503).toBeGreaterThan(0);
  // Most submissions became orders (the rest were refused before anything was journaled, and so never sent).
  expect(r.accepted).toBeGreaterThan(r.submitted * 0.5);
}

const results: ChaosRunResult[] = [];

describe.each(Object.entries(RUNS))('order chaos through %s', (api, { orders }) => {
  it(`${orders} mint/redeem orders across ${PROFILES} profiles with every chaos knob on`, { timeout: FULL ? 900_000 : 180_000 }, async () => {
    const result = await runOrderChaos({
      api: api as keyof typeof RUNS,
      orders,
      profiles: PROFILES,
      seed: SEED,
      concurrency: 16,
      settleTimeoutMs: FULL ? 120_000 : 60_000,
    });
    results.push(result);
    process.stdout.write(describeRun(result));
    expectIntegrity(result);
  });
});

describe('order chaos, both runs', () => {
  it('exercised the case of issue #13 item 1: a POST landed, its connection reset, and the resend met 403', () => {
    expect(results).toHaveLength(Object.keys(RUNS).length);
    // Expected about 12 per 100 orders; per run it can be 0 by chance in the short form, across both runs practically never.
    expect(results.reduce((n, r) => n + r.landedThenRefused, 0)).toBeGreaterThan(0);
  });
});
