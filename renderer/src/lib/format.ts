// Display helpers: times, countdowns, order directions and statuses in plain words (amounts use shared/money).
import type { Asset, Order, OrderKind, OrderStatus, Stablecoin } from '../../../shared/domain';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

export function formatTime(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateTime.format(d);
}

/** Time of day, e.g. "12:04 PM" (the age of a balance, the end of a lockout). */
export function formatClock(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : clock.format(d);
}

/** "1 h 04 min", "12 min 05 s", "42 s"; "expired" at or below zero. */
export function formatCountdown(ms: number): string {
  if (ms <= 0) return 'expired';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h} h ${pad(m)} min`;
  if (m > 0) return `${m} min ${pad(s)} s`;
  return `${s} s`;
}

export function formatCount(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

export const KIND_LABEL: Readonly<Record<OrderKind, string>> = { mint: 'Mint', redeem: 'Redeem' };

/** The status filter's words: one per app status, naming both APIs' words where they share a state. */
export const STATUS_LABEL: Readonly<Record<OrderStatus, string>> = {
  submitting: 'Submitting',
  awaiting_approval: 'Awaiting approval',
  created: 'Created or processing',
  settled: 'Settled or completed',
  cancelled: 'Cancelled',
  rejected: 'Rejected',
  failed: 'Failed',
  unknown: 'Checking',
};

/** Source and target asset of a conversion: mint is USD → stablecoin, redeem the reverse. */
export function conversionPair(kind: OrderKind, asset: Stablecoin): { source: Asset; target: Asset } {
  return kind === 'mint' ? { source: 'USD', target: asset } : { source: asset, target: 'USD' };
}

export function orderPair(order: Order): string {
  return `${order.sourceAsset} → ${order.targetAsset}`;
}
