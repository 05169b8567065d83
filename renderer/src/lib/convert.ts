// Mint/redeem arithmetic for the form: precision, available balance, validation with shared/money, and the balances after.
import type { BalancesState } from '../../../shared/domain';
import { ASSET_DECIMALS, type Asset, type OrderKind, type Stablecoin } from '../../../shared/domain-constants';
import { addAmounts, compareAmounts, formatAmount, parseAmount, subtractAmounts, toAssetPrecision, type Amount } from '../../../shared/money';
import { conversionPair } from './format';

export interface ConversionDraft {
  readonly kind: OrderKind;
  readonly asset: Stablecoin;
  readonly amount: string;
}

export interface ConversionPlan {
  readonly kind: OrderKind;
  readonly asset: Stablecoin;
  readonly amount: Amount;
  readonly source: Asset;
  readonly target: Asset;
  readonly sourceAvailable: string;
  readonly sourceAfter: string;
  readonly targetAfter: string;
}

export type ConversionCheck = { readonly ok: true; readonly plan: ConversionPlan } | { readonly ok: false; readonly message: string; readonly empty: boolean };

/** Both sides must be able to hold the amount, so it takes the smaller precision of source and target (USD's 2 today). */
export function precisionAsset(kind: OrderKind, asset: Stablecoin): Asset {
  const { source, target } = conversionPair(kind, asset);
  return ASSET_DECIMALS[source] <= ASSET_DECIMALS[target] ? source : target;
}

export function availableOf(balances: BalancesState | undefined, asset: Asset): string | undefined {
  if (balances?.status !== 'ready') return undefined;
  return balances.items.find((b) => b.asset === asset)?.available ?? '0';
}

/** The largest amount the form accepts: the source's available balance cut to the order's precision (never rounded up). */
export function maxAmount(draft: ConversionDraft, balances: BalancesState | undefined): string | undefined {
  const { source } = conversionPair(draft.kind, draft.asset);
  const available = availableOf(balances, source);
  if (available === undefined) return undefined;
  const max = toAssetPrecision(available, precisionAsset(draft.kind, draft.asset));
  return compareAmounts(max, '0') > 0 ? max : undefined;
}

export function checkConversion(draft: ConversionDraft, balances: BalancesState | undefined): ConversionCheck {
  const { source, target } = conversionPair(draft.kind, draft.asset);
  const parsed = parseAmount(draft.amount.trim(), precisionAsset(draft.kind, draft.asset));
  if (!parsed.ok) return { ok: false, message: parsed.error.message, empty: parsed.error.code === 'empty' };
  const sourceAvailable = availableOf(balances, source);
  if (sourceAvailable === undefined) return { ok: false, message: 'The balance has not loaded yet, so the amount cannot be checked.', empty: false };
  if (compareAmounts(parsed.value, sourceAvailable) > 0) {
    return { ok: false, message: `That is more than the ${formatAmount(sourceAvailable, source)} ${source} available.`, empty: false };
  }
  return {
    ok: true,
    plan: {
      kind: draft.kind,
      asset: draft.asset,
      amount: parsed.value,
      source,
      target,
      sourceAvailable,
      sourceAfter: subtractAmounts(sourceAvailable, parsed.value),
      targetAfter: addAmounts(availableOf(balances, target) ?? '0', parsed.value),
    },
  };
}
