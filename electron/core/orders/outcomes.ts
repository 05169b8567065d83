// Applies what the server said about an order: journal record, `orders:changed`, activity entry, balance refresh, polling.
import type { AppError } from '../../../shared/app-error';
import { isOpenServerStatus } from '../../../shared/order-statuses';
import type { ServerOrder } from '../api/orders-gateway';
import type { JournalEntry } from './journal';
import { describeOrder } from './order-view';
import { auditOrder, publish, type OrderRuntime } from './runtime';

type Accepted = Extract<JournalEntry['state'], { phase: 'accepted' }>;

/** The activity entry for a status an orchestration reached after it was accepted (null: nothing worth recording). */
function laterOutcome(before: Accepted | null, now: Accepted): { outcome: 'ok' | 'error'; words: string } | null {
  if (now.status === 'FAILED') return { outcome: 'error', words: `failed — ${now.failReason ?? 'the server gave no reason'}` };
  if (now.status === 'REJECTED') return { outcome: 'error', words: 'not approved (REJECTED): nothing moved' };
  if (before?.status === 'PENDING' && (now.status === 'PROCESSING' || now.status === 'COMPLETED')) return { outcome: 'ok', words: `approved (${now.status})` };
  return null;
}

/**
 * Re-reads the profile's balances after one of its orders changed. During a lockout the read waits for its end; a read
 * cut short by the 429 that started one is made again (held by the budget until the lockout is over, so it never
 * hammers the server). Without this, what the app shows stayed behind the server until the operator refreshed.
 */
async function refreshAfterChange(runtime: OrderRuntime, profileId: string): Promise<void> {
  const signal = runtime.sessionSignal();
  for (let attempt = 0; attempt < 3; attempt++) {
    const res = await runtime.accounts.refreshBalances(profileId, undefined, signal, 'wait');
    if (res.ok || res.error.code !== 'rate_limited' || signal.aborted) return;
  }
}

/**
 * The server has (or had) an order for this ref_id: first acceptance or a later status change. Runs after any other
 * outcome of the same order (runtime.outcomes), so each change is journaled, published and recorded once.
 */
export function applyServerOrder(runtime: OrderRuntime, refId: string, order: ServerOrder): Promise<JournalEntry | undefined> {
  return runtime.outcomes.run(refId, async () => {
    const before = runtime.journal.get(refId);
    if (!before) return undefined;
    const entry = await runtime.journal.append({ type: 'accepted', refId, id: order.id, status: order.status, ...(order.failReason !== null ? { failReason: order.failReason } : {}) });
    if (!entry || entry.state.phase !== 'accepted') return entry;
    if (entry === before) {
      if (isOpenServerStatus(entry.state.status)) runtime.watch(refId); // no news: keep following it
      return entry;
    }
    publish(runtime, entry);
    // The source is debited (reserved) when the order is accepted, the target credited when it is done, the source
    // given back when it is cancelled, refused or fails: every change may have moved funds.
    void refreshAfterChange(runtime, before.intent.order.profileId).catch(() => undefined);
    const previous = before.state.phase === 'accepted' ? before.state : null;
    const what = entry.ordersApi === 'orchestrations' ? 'orchestration' : 'conversion';
    if (!previous) {
      const waiting = order.status === 'PENDING' ? ': awaiting approval' : '';
      await auditOrder(runtime, before, { action: 'order_result', outcome: 'ok', summary: `${describeOrder(before)}: accepted as ${what} ${order.id} (${order.status}${waiting})`, refId });
    }
    const later = entry.ordersApi === 'orchestrations' ? laterOutcome(previous, entry.state) : null;
    if (later) await auditOrder(runtime, before, { action: 'order_result', outcome: later.outcome, summary: `${describeOrder(before)}: ${later.words}`, refId });
    if (isOpenServerStatus(entry.state.status)) runtime.watch(refId);
    return entry;
  });
}

/** The server refused the order; nothing moved. */
export async function applyRejected(runtime: OrderRuntime, refId: string, error: AppError): Promise<JournalEntry | undefined> {
  const entry = await runtime.journal.append({ type: 'rejected', refId, error: { code: error.code, message: error.message } });
  publish(runtime, entry);
  if (entry) await auditOrder(runtime, entry, { action: 'order_result', outcome: 'error', summary: `${describeOrder(entry)}: rejected — ${error.message}`, refId });
  return entry;
}

/** The outcome could not be established (reset, timeout, sign-out mid-send); reconciliation by ref_id settles it. */
export async function applyUnknown(runtime: OrderRuntime, refId: string, problem: string): Promise<JournalEntry | undefined> {
  const before = runtime.journal.get(refId);
  const entry = await runtime.journal.append({ type: 'unknown', refId, problem: problem.slice(0, 500) });
  publish(runtime, entry);
  if (entry && before?.state.phase !== 'unknown') {
    await auditOrder(runtime, entry, { action: 'order_result', outcome: 'error', summary: `${describeOrder(entry)}: not confirmed yet — ${problem}`, refId });
  }
  return entry;
}
