// Settles an unfinished journal entry by its ref_id, through the API it was sent through: found → accepted; never sent → rejected; sent → resent.
import { appError } from '../../../shared/app-error';
import { isFinal, type JournalEntry } from './journal';
import { applyRejected, applyServerOrder } from './outcomes';
import { gatewayOf, type OrderRuntime } from './runtime';
import { sendIntent } from './submitter';

/** Orders that may have been sent but are not on the server are resent (same ref_id) only within this window. */
export const DEFAULT_RESEND_WINDOW_MS = 24 * 60 * 60 * 1000;

export type ReconcileResult =
  | { readonly status: 'done'; readonly entry: JournalEntry | undefined }
  /** The server could not be asked; the entry stays unfinished. */
  | { readonly status: 'unreachable'; readonly message: string };

export async function reconcileEntry(runtime: OrderRuntime, refId: string, resendWindowMs = DEFAULT_RESEND_WINDOW_MS): Promise<ReconcileResult> {
  const entry = runtime.journal.get(refId);
  if (!entry || isFinal(entry)) return { status: 'done', entry };
  // Always the API the order went to, even if the environment has switched APIs since (journals before the field: conversions).
  const found = await gatewayOf(runtime, entry).findByRefId(refId, entry.intent.order.profileId, runtime.sessionSignal());
  if (!found.ok) return { status: 'unreachable', message: found.error.error.message };
  if (found.value) return { status: 'done', entry: await applyServerOrder(runtime, refId, found.value) };
  if (!entry.sent) {
    // `sent` is fsync'd before every POST, so an entry without it never left this machine.
    const error = appError('cancelled', 'Not sent: Partner Console stopped before this order reached the server. Nothing was moved; submit it again if it is still wanted.');
    return { status: 'done', entry: await applyRejected(runtime, refId, error) };
  }
  const age = runtime.clock().getTime() - Date.parse(entry.intent.at);
  if (age > resendWindowMs) {
    const error = appError('cancelled', 'Not found on the server and too old to send again automatically. Nothing was moved; submit it again if it is still wanted.');
    return { status: 'done', entry: await applyRejected(runtime, refId, error) };
  }
  // The POST did not land (the server has no order with this ref_id): resending with the same ref_id cannot duplicate it.
  return { status: 'done', entry: await sendIntent(runtime, refId) };
}
