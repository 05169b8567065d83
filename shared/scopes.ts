// Zod-free API scopes: the scopes Partner Console requests and needs (they depend on the environment's orders API), and the plain-words message when one is missing.
import type { OrdersApi } from './domain-constants';

/** A scope the app requests, what it is for, and whether the app still works (with less) without it. */
export interface ScopeNeed {
  readonly scope: string;
  readonly purpose: string;
  readonly optional: boolean;
}

/** Read and write scopes of each orders API (published in the OpenAPI document's `security`). */
export const ORDER_SCOPES: { readonly [A in OrdersApi]: { readonly read: string; readonly write: string } } = {
  orchestrations: { read: 'orchestration:read_orchestration', write: 'orchestration:write_orchestration' },
  conversions: { read: 'conversion:read_conversion_stablecoin', write: 'conversion:write_conversion_stablecoin' },
};

const FUNDING: ScopeNeed = { scope: 'funding:read_profile', purpose: 'See delegated profiles and balances', optional: false };
const IDENTITY: ScopeNeed = { scope: 'identity:read_account', purpose: 'See which user and account own each profile, and send them with orders', optional: true };

const ORDER_NEEDS: { readonly [A in OrdersApi]: readonly ScopeNeed[] } = {
  orchestrations: [
    { scope: ORDER_SCOPES.orchestrations.read, purpose: 'See mint and redeem orders', optional: false },
    { scope: ORDER_SCOPES.orchestrations.write, purpose: 'Submit mint and redeem orders', optional: false },
  ],
  conversions: [
    { scope: ORDER_SCOPES.conversions.read, purpose: 'See mint and redeem orders', optional: false },
    { scope: ORDER_SCOPES.conversions.write, purpose: 'Submit and cancel mint and redeem orders', optional: false },
  ],
};

/**
 * The API scopes Partner Console requests (besides `openid` / `offline_access`) in an environment whose orders go through
 * `api`, with what each is for. An `optional` scope may be left out: the app still works, with less (e.g. orders go
 * without the user's identity and account).
 */
export function requiredScopes(api: OrdersApi): readonly ScopeNeed[] {
  return [FUNDING, IDENTITY, ...ORDER_NEEDS[api]];
}

/** The scope names of requiredScopes(api), in order. */
export function requiredScopeNames(api: OrdersApi): readonly string[] {
  return requiredScopes(api).map((r) => r.scope);
}

/** The scope that lets the operator submit orders through `api`. */
export function writeScopeFor(api: OrdersApi): string {
  return ORDER_SCOPES[api].write;
}

/** What a scope the app knows is for (either API); undefined for others. */
export function scopePurpose(scope: string): string | undefined {
  return [FUNDING, IDENTITY, ...ORDER_NEEDS.orchestrations, ...ORDER_NEEDS.conversions].find((r) => r.scope === scope)?.purpose;
}

/** The plain-words message for a missing scope (main's errors and the renderer's own "not permitted" states use it). */
export function notPermittedMessage(scope: string): string {
  return `Not permitted — sign in again and grant ${scope}.`;
}
