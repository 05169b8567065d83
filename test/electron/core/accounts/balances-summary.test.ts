// The balances summary: counts, the oldest age, and a total only when every balance is in; emitted at most once per interval.
import { describe, expect, it } from 'vitest';
import { createSummaryEmitter, summarize } from '../../../../electron/core/accounts/balances-summary';
import type { BalancesState, BalancesSummary } from '../../../../shared/domain';

const ready = (totalUsd: string, loadedAt: string): BalancesState => ({ status: 'ready', items: [], others: [], totalUsd, loadedAt });

describe('balances summary', () => {
  it('sums every total exactly once all are loaded', () => {
    const all = [ready('0.1', '2026-12-01T12:04:00.000Z'), ready('0.2', '2026-12-01T12:01:00.000Z'), ready('1000000000000.000001', '2026-12-01T12:03:00.000Z')];
    expect(summarize(all, { loading: false, listed: true })).toEqual({ profiles: 3, listed: true, loaded: 3, unavailable: 0, totalUsd: '1000000000000.300001', oldestAt: '2026-12-01T12:01:00.000Z', loading: false });
  });

  it('gives no total while profiles are still being listed, even when every balance listed so far is in', () => {
    const firstPage = [ready('1', '2026-12-01T12:00:00.000Z'), ready('2', '2026-12-01T12:00:00.000Z')];
    expect(summarize(firstPage, { loading: true, listed: false })).toMatchObject({ profiles: 2, listed: false, loaded: 2, totalUsd: null });
  });

  it('gives no total (only the progress) while one is loading, failed or not permitted', () => {
    const some: BalancesState[] = [ready('5', '2026-12-01T12:00:00.000Z'), { status: 'loading' }, { status: 'error', message: 'x' }, { status: 'forbidden', missingScope: 'funding:read_profile' }];
    expect(summarize(some, { loading: true, listed: true })).toEqual({ profiles: 4, listed: true, loaded: 1, unavailable: 2, totalUsd: null, oldestAt: '2026-12-01T12:00:00.000Z', loading: true });
    expect(summarize([], { loading: false, listed: true })).toEqual({ profiles: 0, listed: true, loaded: 0, unavailable: 0, totalUsd: '0', oldestAt: null, loading: false });
  });

  it('emits at most once per interval, and nothing when nothing changed', async () => {
    let loaded = 0;
    const sent: BalancesSummary[] = [];
    const emitter = createSummaryEmitter(() => ({ profiles: 10, listed: true, loaded, unavailable: 0, totalUsd: null, oldestAt: null, loading: true }), (s) => sent.push(s), 20);
    for (let i = 0; i < 50; i++) {
      loaded += 1;
      emitter.changed();
    }
    await new Promise((r) => setTimeout(r, 60));
    expect(sent.map((s) => s.loaded)).toEqual([50]);
    emitter.changed();
    await new Promise((r) => setTimeout(r, 60));
    expect(sent).toHaveLength(1); // the same summary is not sent again
    loaded = 51;
    emitter.flush();
    expect(sent.map((s) => s.loaded)).toEqual([50, 51]);
    emitter.stop();
  });
});
