// The sandbox's scopes: which are OpenID scopes, which belong to the /v2 API, and how each is described to a person.

/** OpenID Connect scopes handled by the provider itself (`scopes` in its configuration). */
export const OIDC_SCOPES = ['openid', 'offline_access'] as const;

/** Scopes of the /v2 API resource, declared through resource indicators (never in `scopes`). */
export const API_SCOPES = [
  'funding:read_profile',
  'identity:read_account',
  'conversion:read_conversion_stablecoin',
  'conversion:write_conversion_stablecoin',
  'orchestration:read_orchestration',
  'orchestration:write_orchestration',
] as const;

export type OidcScope = (typeof OIDC_SCOPES)[number];
export type ApiScope = (typeof API_SCOPES)[number];

const DESCRIPTIONS: Record<OidcScope | ApiScope, string> = {
  openid: 'Confirm who you are (your operator ID)',
  offline_access: 'Stay signed in: keep access while you are not using the app',
  'funding:read_profile': 'See the profiles delegated to you and their balances',
  'identity:read_account': 'See the accounts and identities behind those profiles',
  'conversion:read_conversion_stablecoin': 'See stablecoin conversions (mints and redemptions)',
  'conversion:write_conversion_stablecoin': 'Create and cancel stablecoin conversions (mint and redeem)',
  'orchestration:read_orchestration': 'See orchestrations (mints and redemptions through the orchestration API)',
  'orchestration:write_orchestration': 'Create orchestrations (mint and redeem through the orchestration API)',
};

/** Plain-words description of a scope; unknown scopes are shown as they are. */
export function describeScope(scope: string): string {
  return Object.hasOwn(DESCRIPTIONS, scope) ? DESCRIPTIONS[scope as OidcScope | ApiScope] : scope;
}

export function isApiScope(scope: string): scope is ApiScope {
  return (API_SCOPES as readonly string[]).includes(scope);
}

export function isOidcScope(scope: string): scope is OidcScope {
  return (OIDC_SCOPES as readonly string[]).includes(scope);
}

/** Splits a space-delimited scope string into distinct, non-empty scopes, keeping their order. */
export function splitScope(scope: unknown): string[] {
  if (typeof scope !== 'string') return [];
  return [...new Set(scope.split(' ').filter((s) => s !== ''))];
}
