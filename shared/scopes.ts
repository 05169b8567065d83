// Zod-free API scopes: the scopes Partner Console requests and needs, and the plain-words message when one is missing.

/** The API scopes Partner Console requests and needs (besides `openid` / `offline_access`), with what each is for. */
export const REQUIRED_SCOPES = [
  { scope: 'funding:read_profile', purpose: 'See delegated profiles and balances' },
  { scope: 'conversion:read_conversion_stablecoin', purpose: 'See mint and redeem orders' },
  { scope: 'conversion:write_conversion_stablecoin', purpose: 'Submit and cancel mint and redeem orders' },
] as const;
export type RequiredScope = (typeof REQUIRED_SCOPES)[number]['scope'];
export const REQUIRED_SCOPE_NAMES: readonly RequiredScope[] = REQUIRED_SCOPES.map((r) => r.scope);
/** The scope that lets the operator submit and cancel mint/redeem orders. */
export const WRITE_CONVERSION_SCOPE: RequiredScope = 'conversion:write_conversion_stablecoin';

/** The plain-words message for a missing scope (main's errors and the renderer's own "not permitted" states use it). */
export function notPermittedMessage(scope: string): string {
  return `Not permitted — sign in again and grant ${scope}.`;
}
