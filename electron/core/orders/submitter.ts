// Sends a journaled order through the gateway of its API: `sent` is fsync'd first, then the POST with the order's ref_id; the answer becomes the outcome.
import { appError, type AppErrorCode } from '../../../shared/app-error';
import { isFinal, type JournalEntry } from './journal';
import { applyRejected, applyServerOrder, applyUnknown } from './outcomes';
import { gatewayOf, publish, type OrderRuntime } from './runtime';

/** Answers that prove the server did not create the order and will not for this request. */
const DEFINITE_REJECTIONS: ReadonlySet<AppErrorCode> = new Set(['validation', 'insufficient_funds', 'forbidden_scope', 'forbidden', 'not_found', 'conflict', 'invalid_request']);

/** The app name the orders carry in their metadata (with the operator's subject; nothing secret). */
export const METADATA_APP = 'Partner Console';

/** Who sent the order, as its metadata says: the app and the operator (by subject, the only thing Paxos tells about them). */
export function orderMetadata(entry: Pick<JournalEntry, 'intent'>): Record<string, string> {
  return { app: METADATA_APP, operator: entry.intent.operator };
}

/**
 * Sends (or resends) the order with its ref_id, through the API it was journaled for. Resets and timeouts are resent by
 * the client with the same ref_id; a 409 carrying the existing order is success. Anything that leaves the outcome open
 * is recorded as `unknown`.
 */
export async function sendIntent(runtime: OrderRuntime, refId: string): Promise<JournalEntry | undefined> {
  const entry = runtime.journal.get(refId);
  if (!entry || isFinal(entry)) return entry;
  const order = entry.intent.order;
  const signal = runtime.sessionSignal();
  publish(runtime, await runtime.journal.append({ type: 'sent', refId }));
  const res = await gatewayOf(runtime, entry).create(
    {
      profileId: order.profileId,
      owner: order.identityId && order.accountId ? { identityId: order.identityId, accountId: order.accountId } : null,
      amount: order.amount,
      sourceAsset: order.sourceAsset,
      targetAsset: order.targetAsset,
      refId,
      metadata: orderMetadata(entry),
    },
    signal,
  );
  if (res.ok) return applyServerOrder(runtime, refId, res.value.order);
  // A 409 for this ref_id or a confirmation without a usable body were already read back by ref_id (the gateway).
  const error = res.error.error;
  if (DEFINITE_REJECTIONS.has(error.code)) return applyRejected(runtime, refId, error);
  return applyUnknown(runtime, refId, `${error.message} Checking by ref_id before anything is sent again.`);
}

/** For `orders:submit`: the entry's outcome as the IPC answer (rejections become the typed error). */
export function rejectionOf(entry: JournalEntry | undefined) {
  if (!entry) return appError('internal', 'The order disappeared from the journal.');
  return entry.state.phase === 'rejected' ? appError(entry.state.error.code, entry.state.error.message) : null;
}
