// Balances across every delegated profile for the UI: loaded / unavailable counts, the oldest age, and the exact total only
// once every balance is in (never a partial sum shown as if it were the total); emitted at most a few times a second.
import type { BalancesState, BalancesSummary } from '../../../shared/domain';
import { sumAmounts } from '../../../shared/money';

/**
 * Counts and (when complete) sums the balances; O(profiles). `listed`: every profile is known (the listing finished), so
 * "every balance is in" means the whole book; until then no total is given, however many of the listed ones are in.
 */
export function summarize(balances: Iterable<BalancesState>, progress: { readonly loading: boolean; readonly listed: boolean }): BalancesSummary {
  const { loading, listed } = progress;
  let profiles = 0;
  let loaded = 0;
  let unavailable = 0;
  let oldestAt: string | null = null;
  const totals: string[] = [];
  for (const b of balances) {
    profiles += 1;
    if (b.status === 'ready') {
      loaded += 1;
      totals.push(b.totalUsd);
      // ISO times from toISOString() compare as strings.
      if (oldestAt === null || b.loadedAt < oldestAt) oldestAt = b.loadedAt;
    } else if (b.status === 'forbidden' || b.status === 'error') unavailable += 1;
  }
  return { profiles, listed, loaded, unavailable, totalUsd: listed && loaded === profiles ? sumAmounts(totals) : null, oldestAt, loading };
}

export interface SummaryEmitter {
  /** Something changed: the summary goes out within `intervalMs` (once, however many changes came meanwhile). */
  changed(): void;
  /** Sends it now (end of a load). */
  flush(): void;
  stop(): void;
}

export function createSummaryEmitter(compute: () => BalancesSummary, emit: (summary: BalancesSummary) => void, intervalMs = 200): SummaryEmitter {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = '';
  const send = (): void => {
    timer = undefined;
    const summary = compute();
    const key = JSON.stringify(summary);
    if (key === last) return;
    last = key;
    emit(summary);
  };
  return {
    changed() {
      if (timer !== undefined) return;
      timer = setTimeout(send, intervalMs);
      timer.unref();
    },
    flush() {
      clearTimeout(timer);
      send();
    },
    stop() {
      clearTimeout(timer);
      timer = undefined;
      last = '';
    },
  };
}
