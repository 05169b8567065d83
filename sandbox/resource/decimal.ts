// Exact decimal amounts (big.js, never floats): parsing, precision checks and formatting as the published examples write them.
import Big from 'big.js';
import { APP_ASSETS, ASSET_PRECISION, LISTED_ASSETS, type AppAsset, type ListedAsset } from '../seed';
import { badRequest } from './problems';

/** The amount pattern of the real API. */
export const AMOUNT_PATTERN = '^[0-9]*\\.?[0-9]+$';
const AMOUNT_RE = new RegExp(AMOUNT_PATTERN);

/** Largest amount accepted by one conversion or one sandbox deposit. */
export const MAX_AMOUNT_PER_REQUEST = new Big('10000000');

export function isListedAsset(value: string): value is ListedAsset {
  return (LISTED_ASSETS as readonly string[]).includes(value);
}

export function isAppAsset(value: string): value is AppAsset {
  return (APP_ASSETS as readonly string[]).includes(value);
}

/** Number of significant decimal places (trailing zeros do not count: "1.50" has 1). */
export function decimalPlaces(value: Big): number {
  return Math.max(0, value.c.length - value.e - 1);
}

/** The published spelling: zero is "0" and a value below 1 has no leading zero (".25"). */
function published(text: string, value: Big): string {
  if (value.eq(0)) return '0';
  return text.replace(/^(-?)0\./, '$1.');
}

/** A balance at the asset's precision, as published: "1510.23", "100.00", "1.23103715", ".25000000", "0". */
export function formatAmount(value: Big, asset: ListedAsset): string {
  return published(value.toFixed(ASSET_PRECISION[asset]), value);
}

/** An amount as given (no exponent, no trailing zeros), as published: "3", "11.1", ".5", "0". */
export function canonicalAmount(value: Big): string {
  return published(value.toFixed(), value);
}

/**
 * Validates a request amount: the API pattern, strictly positive, at most `precision` decimal places,
 * and at most MAX_AMOUNT_PER_REQUEST (in `unit`). Throws 400 about:blank problems whose detail says which rule failed.
 */
export function parseRequestAmount(raw: string, precision: number, assetsLabel: string, unit = assetsLabel): Big {
  if (!AMOUNT_RE.test(raw)) throw badRequest(`amount "${raw}" does not match ${AMOUNT_PATTERN}`);
  const value = new Big(raw);
  if (value.lte(0)) throw badRequest('amount must be greater than zero');
  const places = decimalPlaces(value);
  if (places > precision) throw badRequest(`amount ${raw} has ${places} decimal places; ${assetsLabel} allows at most ${precision} decimal places`);
  if (value.gt(MAX_AMOUNT_PER_REQUEST)) {
    // Worded like the spec's 400 example: "11000 amount is above the maximum 10000 USD".
    throw badRequest(`${value.toFixed()} amount is above the maximum ${MAX_AMOUNT_PER_REQUEST.toFixed()} ${unit}`);
  }
  return value;
}
