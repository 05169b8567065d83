// BalancesState values for the UI: ready (with an exact USD total), forbidden (which scope is missing), or failed.
import type { AppError } from '../../../shared/app-error';
import type { Balance, BalancesState, OtherHolding } from '../../../shared/domain';
import { sumAmounts } from '../../../shared/money';

export const READ_PROFILE_SCOPE = 'funding:read_profile';

const ZERO = /^0(\.0*)?$/;

/**
 * `totalUsd` is every asset's available plus trading amount, summed exactly: USD and the USD-backed stablecoins
 * convert 1:1. The result keeps every digit (no rounding); the UI formats it.
 */
export function totalUsd(balances: readonly Balance[]): string {
  const amounts: string[] = [];
  for (const b of balances) {
    // Zeros ("0", "0.00") add nothing: skipping them keeps 10,000 totals cheap.
    if (!ZERO.test(b.available)) amounts.push(b.available);
    if (!ZERO.test(b.trading)) amounts.push(b.trading);
  }
  return sumAmounts(amounts);
}


/** Loaded balances: the traded assets (summed into `totalUsd`) and every other holding, kept as listed. */
export function readyState(balances: readonly Balance[], others: readonly OtherHolding[], at: Date): BalancesState {
  return { status: 'ready', items: balances.slice(0, 16), others: others.slice(0, 200), totalUsd: totalUsd(balances), loadedAt: at.toISOString() };
}

/** A missing scope becomes the `forbidden` state (no retries, a clear action for the operator); anything else `error` (this profile only). */
export function failedState(error: AppError): BalancesState {
  if (error.code === 'forbidden_scope') return { status: 'forbidden', missingScope: (error.detail?.['missingScope'] ?? READ_PROFILE_SCOPE).slice(0, 100) };
  return { status: 'error', message: error.message };
}
