// What the order modules share at run time (API, journal, cache, audit, events) and how an entry change is published.
import type { AccountsService } from '../accounts/accounts-service';
import type { PaxosApi } from '../api/paxos-api';
import type { Sleep } from '../api/retry-policy';
import type { AuditInput } from '../audit/audit-log';
import type { CoreEvents } from '../events';
import type { Journal, JournalEntry } from './journal';
import { toOrder } from './order-view';

export interface OrderRuntime {
  readonly api: PaxosApi;
  readonly journal: Journal;
  readonly accounts: AccountsService;
  readonly events: CoreEvents;
  readonly clock: () => Date;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** Records an activity entry; never throws (a failing log must not break an order). */
  audit(input: AuditInput): Promise<void>;
  /** Aborted on sign-out and close: polls, rechecks and sends of this session stop. */
  sessionSignal(): AbortSignal;
  /** Starts polling a CREATED order until it settles or is cancelled (no-op if already polled). */
  watch(refId: string): void;
}

/** Emits `orders:changed` for the entry as it is now. A throwing listener never interrupts an order in progress. */
export function publish(rt: OrderRuntime, entry: JournalEntry | undefined): void {
  if (!entry) return;
  try {
    rt.events.emit('orders:changed', toOrder(entry));
  } catch {
    // Ignored: the journal holds the state; `orders:list` / `orders:get` return it.
  }
}
