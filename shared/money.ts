// Exact decimal amounts as strings: parsing operator input with per-asset precision, formatting, comparison, arithmetic.
import Big from 'big.js';
import { ASSET_DECIMALS, type Asset } from './domain-constants';
import { err, ok, type Result } from './result';

/** A private big.js constructor in strict mode: never accepts JS numbers, never silently rounds. */
const Dec = Big();
Dec.strict = true;
Dec.DP = 20;
Dec.RM = Dec.roundDown;

/** Upper bound for one amount (digits before the point), far above any real order, to reject garbage early. */
const MAX_INTEGER_DIGITS = 15;

const AMOUNT_PATTERN = /^(\d+)(?:\.(\d+))?$/;

export type AmountErrorCode = 'empty' | 'format' | 'negative' | 'zero' | 'precision' | 'too_large';

export interface AmountError {
  readonly code: AmountErrorCode;
  readonly message: string;
}

/** A validated, canonical positive decimal string (no exponent, no sign, no superfluous zeros). */
export type Amount = string & { readonly __amount: unique symbol };

/**
 * Parses operator or API input into a canonical amount for `asset`.
 * Rejects: empty, whitespace anywhere, signs, exponents (`1e3`), `.`, `1.`, `.5`, zero, and more decimals than the asset allows.
 */
export function parseAmount(input: string, asset: Asset): Result<Amount, AmountError> {
  if (input.length === 0) return err({ code: 'empty', message: 'Enter an amount.' });
  if (input.startsWith('-')) return err({ code: 'negative', message: 'The amount must be positive.' });
  const match = AMOUNT_PATTERN.exec(input);
  if (!match) return err({ code: 'format', message: 'Use digits with an optional decimal point, e.g. 1250.50.' });
  const [, whole = '', fraction = ''] = match;
  const decimals = ASSET_DECIMALS[asset];
  if (fraction.length > decimals) {
    return err({ code: 'precision', message: `${asset} allows at most ${decimals} decimal place${decimals === 1 ? '' : 's'}.` });
  }
  const value = new Dec(input);
  if (value.eq('0')) return err({ code: 'zero', message: 'The amount must be greater than zero.' });
  if (whole.replace(/^0+/, '').length > MAX_INTEGER_DIGITS) return err({ code: 'too_large', message: 'The amount is too large.' });
  return ok(value.toFixed() as Amount);
}

/** True when `s` is a non-negative decimal string the API could send (digits, optional fraction). */
export function isDecimalString(s: string): boolean {
  return AMOUNT_PATTERN.test(s);
}

function dec(s: string): Big {
  if (!isDecimalString(s)) throw new TypeError('not a decimal string');
  return new Dec(s);
}

/** -1, 0 or 1 as `a` is less than, equal to or greater than `b`. */
export function compareAmounts(a: string, b: string): -1 | 0 | 1 {
  return dec(a).cmp(dec(b)) as -1 | 0 | 1;
}

export function addAmounts(a: string, b: string): string {
  return dec(a).plus(dec(b)).toFixed();
}

/** `a - b`; may be negative (leading '-'). */
export function subtractAmounts(a: string, b: string): string {
  return dec(a).minus(dec(b)).toFixed();
}

/** Sum of many decimal strings, exactly. */
export function sumAmounts(values: readonly string[]): string {
  return values.reduce((acc, v) => acc.plus(dec(v)), new Dec('0')).toFixed();
}

/** Fixed to the asset's decimals (rounding down, so a displayed balance is never more than what exists). */
export function toAssetPrecision(value: string, asset: Asset): string {
  return dec(value).round(ASSET_DECIMALS[asset], Dec.roundDown).toFixed(ASSET_DECIMALS[asset]);
}

/** Display form: asset decimals, thousands separators, no floats involved. `formatAmount('1234.5','USD') === '1,234.50'`. */
export function formatAmount(value: string, asset: Asset): string {
  const negative = value.startsWith('-');
  const fixed = toAssetPrecision(negative ? value.slice(1) : value, asset);
  const [whole = '0', fraction] = fixed.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction === undefined ? '' : `.${fraction}`}`;
}
