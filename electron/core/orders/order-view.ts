// What the UI sees of an order: the journal entry folded into the shared Order shape (server statuses mapped to app statuses).
import type { Order, OrderStatus } from '../../../shared/domain';
import { sanitizeServerText } from '../api/text';
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
