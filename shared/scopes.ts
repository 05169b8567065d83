// Zod-free API scopes: the scopes Partner Console requests and needs, and the plain-words message when one is missing.

/**
 * The API scopes Partner Console requests (besides `openid` / `offline_access`), with what each is for. An `optional`
 * scope may be left out: the app still works, with less (e.g. orders go without the user's identity and account).
 */
export const REQUIRED_SCOPES = [
  { scope: 'funding:read_profile', purpose: 'See delegated profiles and balances', optional: false },
  { scope: 'identity:read_account', purpose: 'See which user and account own each profile, and send them with orders', optional: true },
  { scope: 'conversion:read_conversion_stablecoin', purpose: 'See mint and redeem orders', optional: false },
  { scope: 'conversion:write_conversion_stablecoin', purpose: 'Submit and cancel mint and redeem orders', optional: false },
] as const;
export type RequiredScope = (typeof REQUIRED_SCOPES)[number]['scope'];
export const REQUIRED_SCOPE_NAMES: readonly RequiredScope[] = REQUIRED_SCOPES.map((r) => r.scope);
/** The scope that lets the operator submit and cancel mint/redeem orders. */
export const WRITE_CONVERSION_SCOPE: RequiredScope = 'conversion:write_conversion_stablecoin';

/** The plain-words message for a missing scope (main's errors and the renderer's own "not permitted" states use it). */
export function notPermittedMessage(scope: string): string {
  return `Not permitted — sign in again and grant ${scope}.`;
}
