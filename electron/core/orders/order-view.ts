// What the UI sees of an order: the journal entry folded into the shared Order shape (server statuses mapped to app statuses).
import type { Order, OrderStatus } from '../../../shared/domain';
import { appStatusOf } from '../../../shared/order-statuses';
import { sanitizeServerText } from '../api/text';
import type { JournalEntry } from './journal';

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
      // The journal only holds statuses of the entry's own API (foldRecord checks), so the mapping always has one.
      return appStatusOf(entry.ordersApi, entry.state.status) ?? 'unknown';
  }
}

/** What the order's `problem` says: why it was refused, why it failed (the server's words), or what is being checked. */
function problemOf(entry: JournalEntry): string | null {
  const state = entry.state;
  switch (state.phase) {
    case 'rejected':
      return state.error.message.slice(0, 500);
    case 'unknown':
      return state.problem.slice(0, 500);
    case 'accepted':
      if (state.status === 'FAILED') return `Failed on the server: ${state.failReason ?? 'no reason was given'}`.slice(0, 500);
      if (state.status === 'REJECTED') return 'Not approved: the approver refused this order, so it was not carried out.';
      return null;
    default:
      return null;
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
    ordersApi: entry.ordersApi,
    serverId: state.phase === 'accepted' ? state.serverId : null,
    createdAt: at,
    updatedAt: entry.updatedAt,
    problem: problemOf(entry),
  };
}

/** Longest nickname an activity summary shows, so the full profile id after it always fits the summary's length cap. */
export const SUMMARY_NICKNAME_MAX = 80;

/**
 * How an activity summary names the account: its nickname (sanitised, capped) with the full profile id kept for the audit
 * trail, e.g. "Acme Treasury (a0000001-0000-4000-8000-000000000001)"; without a usable nickname, "profile <id>".
 */
export function accountLabel(profileId: string, nickname?: string | null): string {
  const name = nickname ? sanitizeServerText(nickname, SUMMARY_NICKNAME_MAX) : '';
  return name ? `${name} (${profileId})` : `profile ${profileId}`;
}

export interface OrderWords {
  readonly kind: 'mint' | 'redeem';
  readonly amount: string;
  readonly sourceAsset: string;
  readonly targetAsset: string;
  readonly profileId: string;
  readonly nickname?: string | null | undefined;
}

/** Plain-words summary of an order, e.g. "Mint 100.00 USD → USDP for Acme Treasury (a0000001-…-000000000001)". */
export function describeOrderWords(o: OrderWords): string {
  return `${o.kind === 'mint' ? 'Mint' : 'Redeem'} ${o.amount.slice(0, 40)} ${o.sourceAsset} → ${o.targetAsset} for ${accountLabel(o.profileId, o.nickname)}`;
}

/** The activity-log summary of a journaled order; entries from older journals (no nickname) name the profile by id. */
export function describeOrder(entry: Pick<JournalEntry, 'intent'>): string {
  const { order, profileNickname } = entry.intent;
  return describeOrderWords({ ...order, nickname: profileNickname });
}
