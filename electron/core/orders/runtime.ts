// What the order modules share at run time (gateways, journal, cache, audit, events) and how an entry change is published.
import type { AccountsService } from '../accounts/accounts-service';
import type { OrdersGateway, OrdersGateways } from '../api/orders-gateway';
import type { AppError } from '../../../shared/app-error';
import type { Result } from '../../../shared/result';
import type { Sleep } from '../api/retry-policy';
import type { AuditInput } from '../audit/audit-log';
import type { CoreEvents } from '../events';
import type { Journal, JournalEntry } from './journal';
import type { KeyedQueue } from './keyed-queue';
import { toOrder } from './order-view';

export interface OrderRuntime {
  /** One gateway per orders API; an order is followed up through the one it was sent through (gatewayOf). */
  readonly gateways: OrdersGateways;
  readonly journal: Journal;
  /** Serialises the server outcomes applied to each order (by ref_id). */
  readonly outcomes: KeyedQueue;
  readonly accounts: AccountsService;
  readonly events: CoreEvents;
  readonly clock: () => Date;
  readonly sleep: Sleep;
  readonly random: () => number;
  /** Records an activity entry; never throws (a failing log must not break an order). */
  audit(input: AuditInput): Promise<void>;
  /** Whether the journal and the activity log can be written now (repairing a failed write first); a `storage` error if not. */
  storageReady(): Promise<Result<true, AppError>>;
  /** Aborted on sign-out and close: polls, rechecks and sends of this session stop. */
  sessionSignal(): AbortSignal;
  /** Starts polling an accepted order whose server status may still change, until it is final (no-op if already polled). */
  watch(refId: string): void;
  /** The signed-in operator, or null; only used to name the submitter of orders from journals without their e-mail. */
  currentOperator(): { readonly subject: string; readonly email: string } | null;
}

/** The gateway of the API the entry's order was sent through (journals from before the field: conversions). */
export function gatewayOf(runtime: Pick<OrderRuntime, 'gateways'>, entry: Pick<JournalEntry, 'ordersApi'>): OrdersGateway {
  return runtime.gateways[entry.ordersApi];
}

/**
 * Who an order's activity entries are recorded for: the operator who submitted it (e-mail, else subject), never whoever
 * happens to be signed in when an outcome arrives (or nobody, after sign-out). Journals written before the e-mail was kept
 * fall back to the signed-in operator's e-mail only when that is the same subject, else to the subject.
 */
export function submitterLabel(runtime: Pick<OrderRuntime, 'currentOperator'>, entry: Pick<JournalEntry, 'intent'>): string {
  const { operator, operatorEmail } = entry.intent;
  if (operatorEmail) return operatorEmail;
  const current = runtime.currentOperator();
  return current && current.subject === operator && current.email ? current.email : operator;
}

/** Records an activity entry about a journaled order, for the operator who submitted it. */
export function auditOrder(runtime: OrderRuntime, entry: Pick<JournalEntry, 'intent'>, input: Omit<AuditInput, 'operator'>): Promise<void> {
  return runtime.audit({ ...input, operator: submitterLabel(runtime, entry) });
}

/** Emits `orders:changed` for the entry as it is now. A throwing listener never interrupts an order in progress. */
export function publish(runtime: OrderRuntime, entry: JournalEntry | undefined): void {
  if (!entry) return;
  try {
    runtime.events.emit('orders:changed', toOrder(entry));
  } catch {
    // Ignored: the journal holds the state; `orders:list` / `orders:get` return it.
  }
}
