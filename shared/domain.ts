// Domain types shared by main and renderer: assets, profiles, balances, orders, auth state, activity (zod schemas; zod-free constants in domain-constants.ts and scopes.ts).
import { z } from 'zod';
import { ACTIVITY_ACTIONS, ASSETS, ENVIRONMENT_KINDS, ORDER_KINDS, ORDER_STATUSES, ORDERS_APIS, PROFILE_TYPES, STABLECOINS } from './domain-constants';

// Zod-free constants, re-exported so main and tests keep importing them from here. The renderer imports them from
// ./domain-constants and ./scopes instead, so zod stays out of its bundle.
export {
  ACTIVITY_ACTIONS,
  ASSET_DECIMALS,
  ASSETS,
  ENVIRONMENT_KINDS,
  ORDER_KINDS,
  ORDER_STATUSES,
  ORDERS_APIS,
  PROFILE_TYPES,
  STABLECOINS,
  type Asset,
  type OrderKind,
  type OrderStatus,
  type OrdersApi,
  type ProfileType,
  type Stablecoin,
} from './domain-constants';
export { ORDER_SCOPES, requiredScopeNames, requiredScopes, writeScopeFor, type ScopeNeed } from './scopes';

export const AssetSchema = z.enum(ASSETS);
export const StablecoinSchema = z.enum(STABLECOINS);

/** Identifiers from the API: opaque, but restricted to a safe alphabet so they can go in URL paths. */
export const IdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/, 'must be an identifier (letters, digits, - and _)');

/** A non-negative decimal string as the API sends it: digits, optional fraction, no exponent, no sign. */
export const DecimalStringSchema = z.string().max(40).regex(/^\d+(\.\d+)?$/, 'must be a decimal number such as 12.50');
export type DecimalString = z.infer<typeof DecimalStringSchema>;

export const IsoTimeSchema = z.string().max(40).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'must be an ISO-8601 time');

/**
 * A delegated profile. `id`, `nickname` and `type` are what Paxos publishes as required; `description` is optional.
 * `identityId`/`accountId` name the delegated user and their account: known only when the operator granted
 * `identity:read_account` (from `GET /identity/accounts`, matched by `profile_id`), or from the profile's own optional
 * `account_id`. They are sent with an order when both are known, and omitted otherwise.
 */
export const ProfileSchema = z
  .object({
    id: IdSchema,
    nickname: z.string().max(200),
    type: z.enum(PROFILE_TYPES),
    description: z.string().max(500).optional(),
    identityId: IdSchema.optional(),
    accountId: IdSchema.optional(),
  })
  .strict();
export type Profile = z.infer<typeof ProfileSchema>;

export const BalanceSchema = z
  .object({ asset: AssetSchema, available: DecimalStringSchema, trading: DecimalStringSchema })
  .strict();
export type Balance = z.infer<typeof BalanceSchema>;

/** An asset the server listed that Partner Console does not trade (BTC, EUR, PAXG …): shown, never counted in USD totals. */
export const OtherHoldingSchema = z
  .object({ asset: z.string().regex(/^[A-Za-z0-9._-]{1,20}$/), available: DecimalStringSchema, trading: DecimalStringSchema })
  .strict();
export type OtherHolding = z.infer<typeof OtherHoldingSchema>;

/** Balances of one profile as the UI sees them: loading, loaded, not permitted, or failed. */
export const BalancesStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('idle') }).strict(),
  z.object({ status: z.literal('loading') }).strict(),
  z
    .object({
      status: z.literal('ready'),
      items: z.array(BalanceSchema).max(16),
      /** Holdings in assets the app does not trade, in the server's order (not part of `totalUsd`). */
      others: z.array(OtherHoldingSchema).max(200),
      totalUsd: DecimalStringSchema,
      loadedAt: IsoTimeSchema,
    })
    .strict(),
  z.object({ status: z.literal('forbidden'), missingScope: z.string().max(100) }).strict(),
  z.object({ status: z.literal('error'), message: z.string().max(500) }).strict(),
]);
export type BalancesState = z.infer<typeof BalancesStateSchema>;

/**
 * Balances across every delegated profile: how many are loaded, and the total only when every one is (a total over some of
 * them would be a wrong number; the UI shows "6,200 of 10,000 loaded" instead).
 */
export const BalancesSummarySchema = z
  .object({
    /** Profiles known. */
    profiles: z.number().int().nonnegative(),
    /** Every profile is listed, so `profiles` is the whole book (false while later pages are on their way, or failed). */
    listed: z.boolean(),
    /** Profiles whose balances are loaded. */
    loaded: z.number().int().nonnegative(),
    /** Profiles whose balances could not be read (no permission, or an error). */
    unavailable: z.number().int().nonnegative(),
    /** Every profile's total in USD, summed exactly; null until every balance is loaded. */
    totalUsd: DecimalStringSchema.nullable(),
    /** When the oldest balance shown was read. */
    oldestAt: IsoTimeSchema.nullable(),
    /** Balance requests are still queued or in flight. */
    loading: z.boolean(),
  })
  .strict();
export type BalancesSummary = z.infer<typeof BalancesSummarySchema>;

/**
 * The request budget of an environment as the operator needs to know it: open, or locked out after Paxos answered 429
 * (requests pause until `until`; orders submitted meanwhile are refused, nothing is sent).
 */
export const LimitsStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('open'), environment: z.string().max(40) }).strict(),
  z.object({ status: z.literal('lockedOut'), environment: z.string().max(40), since: IsoTimeSchema, until: IsoTimeSchema }).strict(),
]);
export type LimitsState = z.infer<typeof LimitsStateSchema>;

export const OrderKindSchema = z.enum(ORDER_KINDS);

/** Where an order is: see ORDER_STATUSES in domain-constants.ts (and the server-status mapping in order-statuses.ts). */
export const OrderStatusSchema = z.enum(ORDER_STATUSES);

/** Which published API an order goes (went) through: see ORDERS_APIS in domain-constants.ts. */
export const OrdersApiSchema = z.enum(ORDERS_APIS);

export const OrderSchema = z
  .object({
    refId: z.uuid(),
    kind: OrderKindSchema,
    profileId: IdSchema,
    asset: StablecoinSchema,
    amount: DecimalStringSchema,
    sourceAsset: AssetSchema,
    targetAsset: AssetSchema,
    status: OrderStatusSchema,
    /** The API the order was sent through; it is always followed up through that one, whatever the environment uses now. */
    ordersApi: OrdersApiSchema,
    /** The server's id of the conversion or orchestration, once it is known. */
    serverId: IdSchema.nullable(),
    createdAt: IsoTimeSchema,
    updatedAt: IsoTimeSchema,
    /** Why the order was rejected, failed (the server's reason, sanitised) or is unknown, in plain words. */
    problem: z.string().max(500).nullable(),
  })
  .strict();
export type Order = z.infer<typeof OrderSchema>;

export const EnvironmentSummarySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/),
    label: z.string().max(100),
    kind: z.enum(ENVIRONMENT_KINDS),
    issuer: z.string().max(500),
    apiBase: z.string().max(500),
    /** Which API new orders go through in this environment. */
    ordersApi: OrdersApiSchema,
    /**
     * Orders above this amount (USD equivalent) wait for approval: known only for the local sandbox (from its ready
     * line), never guessed for Paxos's environments.
     */
    approvalThreshold: DecimalStringSchema.optional(),
  })
  .strict();
export type EnvironmentSummary = z.infer<typeof EnvironmentSummarySchema>;

export const RedirectModeSchema = z.enum(['custom-scheme', 'loopback']);
export type RedirectMode = z.infer<typeof RedirectModeSchema>;

/** Session as the renderer may see it. Deliberately has no token fields. */
export const AuthStateSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('signedOut'), reason: z.string().max(500).optional() }).strict(),
  z.object({ status: z.literal('signingIn'), environment: z.string().max(40), startedAt: IsoTimeSchema, redirect: RedirectModeSchema }).strict(),
  z
    .object({
      status: z.literal('signedIn'),
      subject: z.string().max(200),
      name: z.string().max(200),
      email: z.string().max(200),
      scopes: z.array(z.string().max(100)).max(20),
      environment: z.string().max(40),
      expiresAt: IsoTimeSchema,
      persisted: z.boolean(),
      /** Why the session could not be kept in the OS keychain, when `persisted` is false. */
      persistenceIssue: z.string().max(500).optional(),
    })
    .strict(),
]);
export type AuthState = z.infer<typeof AuthStateSchema>;

export const ActivityEntrySchema = z
  .object({
    id: z.string().max(64),
    at: IsoTimeSchema,
    operator: z.string().max(200),
    environment: z.string().max(40),
    action: z.enum(ACTIVITY_ACTIONS),
    outcome: z.enum(['ok', 'error']),
    summary: z.string().max(500),
    refId: z.uuid().nullable(),
  })
  .strict();
export type ActivityEntry = z.infer<typeof ActivityEntrySchema>;

export const SettingsSchema = z
  .object({
    environment: z.string().max(40),
    environments: z.array(EnvironmentSummarySchema).max(50),
    redirect: RedirectModeSchema,
    /** Problem found in the user's environments file, if any (the app falls back to the defaults). */
    configIssue: z.string().max(500).optional(),
  })
  .strict();
export type Settings = z.infer<typeof SettingsSchema>;
