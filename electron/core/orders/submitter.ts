// Sends a journaled order through the gateway of its API: `sent` is fsync'd first, then the POST with the order's ref_id; the answer (a refusal only after a read by ref_id) becomes the outcome.
import { appError, type AppErrorCode } from '../../../shared/app-error';
import { isFinal, type JournalEntry } from './journal';
import { applyRejected, applyServerOrder, applyUnknown } from './outcomes';
import { gatewayOf, publish, type OrderRuntime } from './runtime';

/**
 * Answers that refuse the copy of the POST they answer. They do not prove that no other copy landed: a copy reset after
 * the server committed it, resent, meets a server that checks funds (or delegation, or the request) before the ref_id
 * and answers 403/404/400. The order is rejected only once a read by ref_id shows the server has none.
 */
const REFUSALS: ReadonlySet<AppErrorCode> = new Set(['validation', 'insufficient_funds', 'forbidden_scope', 'forbidden', 'not_found', 'conflict', 'invalid_request']);

/** The app name the orders carry in their metadata (with the operator's subject; nothing secret). */
export const METADATA_APP = 'Partner Console';

/** Who sent the order, as its metadata says: the app and the operator (by subject, the only thing Paxos tells about them). */
export function orderMetadata(entry: Pick<JournalEntry, 'intent'>): Record<string, string> {
  return { app: METADATA_APP, operator: entry.intent.operator };
}

/**
 * Sends (or resends) the order with its ref_id, through the API it was journaled for. Resets and timeouts are resent by
 * the client with the same ref_id; a 409 carrying the existing order is success. A refusal is read back by ref_id before
 * it counts (the entry stays `sent`, shown as submitting, meanwhile). Anything that leaves the outcome open is recorded
 * as `unknown` (shown as checking) and settled by ref_id later.
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
  if (!REFUSALS.has(error.code)) return applyUnknown(runtime, refId, `${error.message} Checking by ref_id before anything is sent again.`);
  // `sent` was fsync'd before this POST: some copy of it may have reached the server. Only its absence makes this a rejection.
  const found = await gatewayOf(runtime, entry).findByRefId(refId, order.profileId, signal);
  if (!found.ok) {
    // Capped so the whole sentence fits the journal's 500 characters.
    const why = `The server refused a copy of this order (${error.message.slice(0, 180)}), but an earlier copy may have gone through and that could not be checked yet (${found.error.error.message.slice(0, 120)}).`;
    return applyUnknown(runtime, refId, `${why} Checking by ref_id before anything is sent again.`);
  }
  if (found.value) return applyServerOrder(runtime, refId, found.value);
  return applyRejected(runtime, refId, error);
}

/** For `orders:submit`: the entry's outcome as the IPC answer (rejections become the typed error). */
export function rejectionOf(entry: JournalEntry | undefined) {
  if (!entry) return appError('internal', 'The order disappeared from the journal.');
  return entry.state.phase === 'rejected' ? appError(entry.state.error.code, entry.state.error.message) : null;
}
