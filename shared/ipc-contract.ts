// The IPC contract: every renderer→main channel (request and response schemas) and every main→renderer event, declared once.
import { z } from 'zod';
import {
  ActivityEntrySchema,
  AuthStateSchema,
  BalancesStateSchema,
  BalancesSummarySchema,
  IdSchema,
  LimitsStateSchema,
  OrderKindSchema,
  ORDER_STATUSES,
  OrderSchema,
  OrderStatusSchema,
  ProfileSchema,
  RedirectModeSchema,
  SettingsSchema,
  StablecoinSchema,
} from './domain';
import { AppErrorSchema } from './app-error';
import type { BRIDGE_EVENTS, BRIDGE_METHODS, BridgeEvent, BridgeMethod } from './bridge-methods';
import type { Result } from './result';

const Empty = z.object({}).strict();
const EnvironmentId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be an environment id');
const Search = z.string().max(200);

export const ProfileRowSchema = z.object({ profile: ProfileSchema, balances: BalancesStateSchema }).strict();
export type ProfileRow = z.infer<typeof ProfileRowSchema>;

export const ProfilePageSchema = z
  .object({
    items: z.array(ProfileRowSchema).max(1000),
    /** Opaque cursor for the next page, or null on the last page. */
    nextCursor: z.string().max(200).nullable(),
    /** Profiles matching the search, across all pages. */
    total: z.number().int().nonnegative(),
    /** Profiles are still being loaded from the server. */
    loading: z.boolean(),
    /** Balances across every profile (not only this page): loaded so far, and the total once all are. */
    summary: BalancesSummarySchema,
  })
  .strict();
export type ProfilePage = z.infer<typeof ProfilePageSchema>;

export const ExportResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('saved'), path: z.string().max(4096), rows: z.number().int().nonnegative() }).strict(),
  z.object({ status: z.literal('cancelled') }).strict(),
]);

/** zod schema for `Result<T, AppError>` over a value schema. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: AppErrorSchema }).strict(),
  ]);
}

function channel<Req extends z.ZodType, Val extends z.ZodType>(request: Req, value: Val) {
  return { request, value, response: resultSchema(value) };
}

/** Renderer → main request/response channels. Names are fixed; each maps to one named preload function. */
export const channels = {
  'auth:getState': channel(Empty, AuthStateSchema),
  'auth:signIn': channel(z.object({ environment: EnvironmentId }).strict(), AuthStateSchema),
  'auth:cancelSignIn': channel(Empty, AuthStateSchema),
  'auth:signOut': channel(Empty, AuthStateSchema),
  'accounts:listProfiles': channel(
    z
      .object({
        cursor: z.string().max(200).optional(),
        limit: z.number().int().min(1).max(1000).default(100),
        search: Search.optional(),
        sort: z.enum(['name', 'total']).default('name'),
        direction: z.enum(['asc', 'desc']).default('asc'),
        /**
         * Reload the profiles; balances are re-read for the rows on screen and the stale ones (`true` or `'stale'`), or for
         * every profile (`'all'`, the operator asked for everything).
         */
        refresh: z.union([z.boolean(), z.enum(['stale', 'all'])]).optional(),
      })
      .strict(),
    ProfilePageSchema,
  ),
  /** The profiles on screen (and a little ahead): their balances are read first, then the rest in the background. */
  'accounts:setVisible': channel(
    z.object({ profileIds: z.array(IdSchema).max(200) }).strict(),
    z.object({ requested: z.number().int().nonnegative() }).strict(),
  ),
  'accounts:getProfile': channel(z.object({ profileId: IdSchema }).strict(), ProfileSchema),
  'accounts:getBalances': channel(z.object({ profileId: IdSchema, refresh: z.boolean().optional() }).strict(), BalancesStateSchema),
  'orders:submit': channel(
    z
      .object({
        kind: OrderKindSchema,
        profileId: IdSchema,
        asset: StablecoinSchema,
        amount: z.string().max(40),
      })
      .strict(),
    OrderSchema,
  ),
  'orders:list': channel(
    z
      .object({
        profileId: IdSchema.optional(),
        statuses: z.array(OrderStatusSchema).max(ORDER_STATUSES.length).optional(),
        limit: z.number().int().min(1).max(1000).default(200),
      })
      .strict(),
    z.object({ items: z.array(OrderSchema).max(1000) }).strict(),
  ),
  'orders:get': channel(z.object({ refId: z.uuid() }).strict(), OrderSchema),
  'orders:cancel': channel(z.object({ refId: z.uuid() }).strict(), OrderSchema),
  'activity:list': channel(
    z.object({ limit: z.number().int().min(1).max(1000).default(200), before: z.string().max(64).optional() }).strict(),
    z.object({ items: z.array(ActivityEntrySchema).max(1000) }).strict(),
  ),
  'activity:exportCsv': channel(Empty, ExportResultSchema),
  /** The request budget of the environment in use: open, or paused after a 429 until when. */
  'limits:get': channel(Empty, LimitsStateSchema),
  'settings:get': channel(Empty, SettingsSchema),
  'settings:setEnvironment': channel(z.object({ environment: EnvironmentId, redirect: RedirectModeSchema.optional() }).strict(), SettingsSchema),
} as const;

export type Channel = keyof typeof channels;
export const CHANNELS = Object.keys(channels) as Channel[];

/** What the renderer sends (defaults may be omitted). */
export type RequestInput<C extends Channel> = z.input<(typeof channels)[C]['request']>;
/** What a handler receives after parsing (defaults filled in). */
export type Request<C extends Channel> = z.output<(typeof channels)[C]['request']>;
export type Value<C extends Channel> = z.output<(typeof channels)[C]['value']>;
export type Response<C extends Channel> = Result<Value<C>>;

/** Main → renderer events. */
export const events = {
  'auth:changed': AuthStateSchema,
  'orders:changed': OrderSchema,
  'accounts:changed': z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('balances'), profileId: IdSchema, balances: BalancesStateSchema }).strict(),
    z.object({ kind: z.literal('profiles'), total: z.number().int().nonnegative(), loading: z.boolean() }).strict(),
    z.object({ kind: z.literal('summary'), summary: BalancesSummarySchema }).strict(),
  ]),
  'limits:changed': LimitsStateSchema,
  'activity:changed': ActivityEntrySchema,
} as const;

export type EventName = keyof typeof events;
export const EVENTS = Object.keys(events) as EventName[];
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Main-side implementation of every channel. Handlers return Results and never throw across IPC. */
export type ContractHandlers = { readonly [C in Channel]: (request: Request<C>) => Promise<Response<C>> };

/** A bridge function for channel C: no argument when the request is always empty, else the request (defaults may be omitted). */
type BridgeFunction<C extends Channel> = RequestInput<C> extends Record<string, never> ? () => Promise<Response<C>> : (request: RequestInput<C>) => Promise<Response<C>>;

/**
 * The object the preload exposes as `window.partnerConsole`, derived from BRIDGE_METHODS / BRIDGE_EVENTS (bridge-methods.ts):
 * one named function per channel, one subscriber per event (it returns the unsubscribe function).
 */
export type PartnerConsoleBridge = { [M in BridgeMethod]: BridgeFunction<(typeof BRIDGE_METHODS)[M]> } & {
  [S in BridgeEvent]: (listener: (payload: EventPayload<(typeof BRIDGE_EVENTS)[S]>) => void) => () => void;
};
