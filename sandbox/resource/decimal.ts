// Exact decimal amounts (big.js, never floats): parsing, precision checks and formatting per asset.
import Big from 'big.js';
import { ASSET_PRECISION, ASSETS, type SandboxAsset } from '../seed';
import { ProblemError } from './problems';

/** The amount pattern of the real API. */
export const AMOUNT_PATTERN = '^[0-9]*\\.?[0-9]+$';
const AMOUNT_RE = new RegExp(AMOUNT_PATTERN);

/** Largest amount accepted by one conversion or one sandbox deposit. */
export const MAX_AMOUNT_PER_REQUEST = new Big('10000000');

export function isAsset(value: string): value is SandboxAsset {
  return (ASSETS as readonly string[]).includes(value);
}

/** Number of significant decimal places (trailing zeros do not count: "1.50" has 1). */
export function decimalPlaces(value: Big): number {
  return Math.max(0, value.c.length - value.e - 1);
}

/** Formats at the asset's precision, e.g. USD "12.50", USDP "0.00000000". */
export function formatAmount(value: Big, asset: SandboxAsset): string {
  return value.toFixed(ASSET_PRECISION[asset]);
}

/** Canonical plain decimal text without exponent or trailing zeros, e.g. "0.5". */
export function canonicalAmount(value: Big): string {
  return value.toFixed();
}

/**
 * Validates a request amount: the API pattern, strictly positive, at most `precision` decimal places,
 * and at most MAX_AMOUNT_PER_REQUEST. Throws 400 problems (invalid-amount, invalid-precision, limit-exceeded).
 */
export function parseRequestAmount(raw: string, precision: number, assetsLabel: string): Big {
  if (!AMOUNT_RE.test(raw)) throw new ProblemError(400, 'invalid-amount', `amount "${raw}" does not match ${AMOUNT_PATTERN}`);
  const value = new Big(raw);
  if (value.lte(0)) throw new ProblemError(400, 'invalid-amount', 'amount must be greater than zero', { amount: raw });
  const places = decimalPlaces(value);
  if (places > precision) {
    throw new ProblemError(400, 'invalid-precision', `amount ${raw} has ${places} decimal places; ${assetsLabel} allows at most ${precision}`, {
      amount: raw,
      precision,
    });
  }
  if (value.gt(MAX_AMOUNT_PER_REQUEST)) {
    throw new ProblemError(400, 'limit-exceeded', `${canonicalAmount(value)} amount is above the maximum ${canonicalAmount(MAX_AMOUNT_PER_REQUEST)} ${assetsLabel}`, {
      amount: raw,
      maximum: canonicalAmount(MAX_AMOUNT_PER_REQUEST),
    });
  }
  return value;
}
