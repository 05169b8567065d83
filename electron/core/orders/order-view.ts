// What the UI sees of an order: the journal entry folded into the shared Order shape (server statuses mapped to app statuses).
import type { Order, OrderStatus } from '../../../shared/domain';
import type { ConversionStatus } from '../api/wire';
import type { JournalEntry } from './journal';

export const SERVER_TO_APP_STATUS: Readonly<Record<ConversionStatus, OrderStatus>> = { CREATED: 'created', SETTLED: 'settled', CANCELLED: 'cancelled' };

export function orderStatus(entry: JournalEntry): OrderStatus {
  switch (entry.state.phase) {
    case 'intent':
    case 'sent':
      return 'submitting';
    case 'unknown':
      return 'unknown';
    case 'rejected':
      return 'rejected';
    case 'accepted':
      return SERVER_TO_APP_STATUS[entry.state.status];
  }
}

export function toOrder(entry: JournalEntry): Order {
  const { order, at } = entry.intent;
  const state = entry.state;
  return {
    refId: entry.refId,
    kind: order.kind,
    profileId: order.profileId,
    asset: order.asset,
    amount: order.amount,
    sourceAsset: order.sourceAsset,
    targetAsset: order.targetAsset,
    status: orderStatus(entry),
    conversionId: state.phase === 'accepted' ? state.conversionId : null,
    createdAt: at,
    updatedAt: entry.updatedAt,
    problem: state.phase === 'rejected' ? state.error.message.slice(0, 500) : state.phase === 'unknown' ? state.problem.slice(0, 500) : null,
  };
}

/** Plain-words summary for the activity log, e.g. "Mint 100.00 USD → USDP for profile a000…". */
export function describeOrder(entry: Pick<JournalEntry, 'intent'>): string {
  const o = entry.intent.order;
  return `${o.kind === 'mint' ? 'Mint' : 'Redeem'} ${o.amount} ${o.sourceAsset} → ${o.targetAsset} for profile ${o.profileId}`;
}
