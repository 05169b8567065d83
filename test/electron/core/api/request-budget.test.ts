// The request budget on an injected clock: window and margin, queueing, priorities, families, lockout, refusal, abort.
import { describe, expect, it } from 'vitest';
import { PUBLISHED_RATE_LIMITS, resolveRateLimits, type RateLimits } from '../../../../electron/core/api/rate-limits';
import { BudgetRefusal, createRequestBudget, type AcquireOptions, type RequestBudget } from '../../../../electron/core/api/request-budget';
import { manualClock } from '../../../support/manual-clock';

const START = Date.parse('2026-12-01T12:00:00Z');

/** 10 requests/s over a 10 s window with a 20 % margin: 80 per window per family (background 72, visible 76). */
const SMALL: RateLimits = resolveRateLimits({ windowSeconds: 10, lockoutSeconds: 30, margin: 0.2, perSecond: { balances: 10, orders: 10, profiles: 10 } });

/** Starts `n` acquires and records the order in which they are let through. */
function start(budget: RequestBudget, n: number, options: AcquireOptions, through: string[], label: string): Array<Promise<void>> {
  return Array.from({ length: n }, (_, i) =>
    budget.acquire(options).then(
      () => void through.push(`${label}${i}`),
      () => undefined,
    ),
  );
}

describe('request budget', () => {
  it('lets requests through at once while the window has room, up to the limit less the margin', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    const through: string[] = [];
    start(budget, 80, { family: 'orders', priority: 'order' }, through, 'o');
    await clock.settle();
    expect(through).toHaveLength(80); // 10/s × 10 s × 0.8
    start(budget, 1, { family: 'orders', priority: 'order' }, through, 'late');
    await clock.settle();
    expect(through).toHaveLength(80);
    expect(budget.snapshot()).toMatchObject({ sent: { orders: 80 }, inWindow: { orders: 80 }, queued: { order: 1 } });
  });

  it('queues once the window is spent and lets the next through as the oldest leave the window (sliding)', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    const through: string[] = [];
    start(budget, 40, { family: 'profiles', priority: 'visible' }, through, 'a');
    await clock.advance(5_000);
    start(budget, 40, { family: 'profiles', priority: 'visible' }, through, 'b'); // 76 fit (visible ceiling): 36 of these
    await clock.settle();
    expect(through).toHaveLength(76);
    await clock.advance(4_999);
    expect(through).toHaveLength(76); // the first 40 are still inside the window
    await clock.advance(2);
    expect(through).toHaveLength(80); // they left: the 4 waiting went
    expect(through.slice(-4)).toEqual(['b36', 'b37', 'b38', 'b39']);
  });

  it('orders go before visible requests, visible before background, and background stops first (90 % / 95 % / 100 %)', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    const through: string[] = [];
    start(budget, 100, { family: 'balances', priority: 'background' }, through, 'bg');
    await clock.settle();
    expect(through).toHaveLength(72); // background may fill 90 % of 80
    start(budget, 10, { family: 'balances', priority: 'visible' }, through, 'vis');
    start(budget, 10, { family: 'balances', priority: 'order' }, through, 'ord');
    await clock.settle();
    // visible goes up to 76 (4 of them), orders to 80 (4 of them): orders first.
    expect(through.slice(72)).toEqual(['vis0', 'vis1', 'vis2', 'vis3', 'ord0', 'ord1', 'ord2', 'ord3']);
    await clock.advance(10_001); // the window empties: every waiting order, then visible, then background
    const after = through.slice(80);
    expect(after.slice(0, 6)).toEqual(['ord4', 'ord5', 'ord6', 'ord7', 'ord8', 'ord9']);
    expect(after.slice(6, 12)).toEqual(['vis4', 'vis5', 'vis6', 'vis7', 'vis8', 'vis9']);
    expect(after.slice(12).every((t) => t.startsWith('bg'))).toBe(true);
    expect(after).toHaveLength(12 + 28 - 0); // background fills up to 72 again: 72 - 12 = 60 would fit, 28 were waiting
  });

  it('tryAcquire counts a request that may go at once, and says no (counting nothing) otherwise', () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    for (let i = 0; i < 72; i++) expect(budget.tryAcquire('balances', 'background')).toBe(true);
    expect(budget.tryAcquire('balances', 'background')).toBe(false); // background stops at 90 %
    expect(budget.tryAcquire('balances', 'visible')).toBe(true); // the screen still has room
    budget.lockout();
    expect(budget.tryAcquire('orders', 'order')).toBe(false);
    expect(budget.snapshot().sent).toMatchObject({ balances: 73, orders: 0 });
  });

  it('keeps a window per endpoint family', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    const through: string[] = [];
    start(budget, 80, { family: 'balances', priority: 'order' }, through, 'bal');
    start(budget, 3, { family: 'orders', priority: 'order' }, through, 'ord');
    await clock.settle();
    expect(through.filter((t) => t.startsWith('ord'))).toEqual(['ord0', 'ord1', 'ord2']);
  });

  it('a 429 locks everything out for the published lockout (or a longer Retry-After), then orders go first', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    const states: string[] = [];
    budget.onChange((s) => states.push(s.status === 'lockedOut' ? `lockedOut until +${(s.until - START) / 1000}s` : s.status));
    budget.lockout(null);
    expect(budget.state()).toEqual({ status: 'lockedOut', since: START, until: START + 30_000 });
    budget.lockout(5_000); // a shorter Retry-After does not shorten it
    budget.lockout(60_000); // a longer one lengthens it
    const through: string[] = [];
    start(budget, 2, { family: 'balances', priority: 'background' }, through, 'bg');
    start(budget, 2, { family: 'balances', priority: 'order' }, through, 'ord');
    await clock.advance(59_999);
    expect(through).toEqual([]); // nothing is sent during the lockout, whatever its priority
    await clock.advance(2);
    expect(through).toEqual(['ord0', 'ord1', 'bg0', 'bg1']);
    expect(states).toEqual(['lockedOut until +30s', 'lockedOut until +60s', 'open']);
    expect(budget.snapshot().lockouts).toBe(2);
  });

  it('refuses work that asked to be refused during a lockout, at once and when queued', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    start(budget, 80, { family: 'balances', priority: 'order' }, [], 'fill');
    await clock.settle();
    const queued = budget.acquire({ family: 'balances', priority: 'order', whenLockedOut: 'refuse' });
    const held = budget.acquire({ family: 'balances', priority: 'order' });
    budget.lockout();
    await expect(queued).rejects.toBeInstanceOf(BudgetRefusal);
    const refused = await budget.acquire({ family: 'orders', priority: 'order', whenLockedOut: 'refuse' }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(BudgetRefusal);
    const error = (refused as BudgetRefusal).appError;
    expect(error).toMatchObject({ code: 'rate_limited', retryable: true, detail: { until: '2026-12-01T12:00:30.000Z' } });
    expect(error.message).toMatch(/until \d\d:\d\d/);
    let heldThrough = false;
    void held.then(() => (heldThrough = true));
    await clock.advance(30_001);
    expect(heldThrough).toBe(true);
  });

  it('an aborted wait rejects with its reason and gives its place to the next', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    start(budget, 80, { family: 'orders', priority: 'order' }, [], 'fill');
    await clock.settle();
    const controller = new AbortController();
    const first = budget.acquire({ family: 'orders', priority: 'order', signal: controller.signal });
    let second = false;
    void budget.acquire({ family: 'orders', priority: 'order' }).then(() => (second = true));
    controller.abort(new Error('gone'));
    await expect(first).rejects.toThrow('gone');
    await clock.advance(10_001);
    expect(second).toBe(true);
    expect(budget.snapshot().queued.order).toBe(0);
  });

  it('with limits off keeps no window, but a 429 still locks out', async () => {
    const clock = manualClock();
    const budget = createRequestBudget('off', clock.scheduler);
    const through: string[] = [];
    start(budget, 20_000, { family: 'balances', priority: 'background' }, through, 'bg');
    await clock.settle();
    expect(through).toHaveLength(20_000);
    budget.lockout();
    expect(budget.state()).toMatchObject({ status: 'lockedOut', until: START + PUBLISHED_RATE_LIMITS.lockoutMs });
  });

  it('close() rejects everything waiting', async () => {
    const clock = manualClock();
    const budget = createRequestBudget(SMALL, clock.scheduler);
    budget.lockout();
    const waiting = budget.acquire({ family: 'orders', priority: 'order' });
    budget.close();
    await expect(waiting).rejects.toMatchObject({ appError: { code: 'cancelled' } });
    await expect(budget.acquire({ family: 'orders', priority: 'order' })).rejects.toBeInstanceOf(BudgetRefusal);
  });
});
