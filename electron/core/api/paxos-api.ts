// Typed Paxos v2 endpoints on top of the API client: profiles, identity accounts, balances, stablecoin conversions.
import { appError } from '../../../shared/app-error';
import type { Asset, Profile } from '../../../shared/domain';
import { err, ok } from '../../../shared/result';
import { settleCreate } from './created-by-ref';
import type { ApiCall, ApiClient, ApiFailure, ApiResult } from './http-client';
import {
  BalancesWireSchema,
  ConversionsPageWireSchema,
  ConversionWireSchema,
  IdentityAccountsPageWireSchema,
  PROFILES_PAGE_LIMIT,
  ProfilesPageWireSchema,
  ProfileWireSchema,
  toConversion,
  toHoldings,
  toProfile,
  toProfileOwner,
  type Conversion,
  type ProfileHoldings,
  type ProfileOwner,
} from './wire';

/** Upper bound on pages followed in one listing (10 million items at 1000 a page); protects against a cursor loop. */
const MAX_PAGES = 10_000;

export interface NewConversion {
  readonly profileId: string;
  /** The delegated user's identity and account, when known (both or neither); omitted from the request otherwise. */
  readonly owner: { readonly identityId: string; readonly accountId: string } | null;
  readonly amount: string;
  readonly sourceAsset: Asset;
  readonly targetAsset: Asset;
  /** Idempotency key: the server keeps one conversion per ref_id. */
  readonly refId: string;
}

export interface CreatedConversion {
  readonly conversion: Conversion;
  /** True when the server already had a conversion with this ref_id (409 with `meta.existing`). */
  readonly existed: boolean;
}

/** How a read waits in the request budget: its priority and what it does during a lockout (see ApiCall). */
export type CallOptions = Pick<ApiCall<unknown>, 'priority' | 'whenLockedOut'>;

export interface PaxosApi {
  /**
   * Every profile delegated to the operator, following `next_page_cursor` with pages of 1000 (the first one `firstPage`
   * long, default 1000: a short first page puts the first screen up sooner); `onPage` sees each page.
   */
  listAllProfiles(onPage: (profiles: Profile[]) => void, signal?: AbortSignal, options?: CallOptions & { readonly firstPage?: number }): Promise<ApiResult<number>>;
  /** Every identity account (scope `identity:read_account`), reduced to who owns which profile. */
  listProfileOwners(signal?: AbortSignal, options?: CallOptions): Promise<ApiResult<ProfileOwner[]>>;
  getProfile(profileId: string, signal?: AbortSignal, options?: CallOptions): Promise<ApiResult<Profile>>;
  /** Balances of every asset the server lists, or only `assets` (sent as a repeated parameter). */
  getBalances(profileId: string, assets?: readonly Asset[], signal?: AbortSignal, options?: CallOptions): Promise<ApiResult<ProfileHoldings>>;
  /** POST with ref_id (so the client may resend it); a 409 carrying the existing conversion counts as success. */
  createConversion(input: NewConversion, signal?: AbortSignal): Promise<ApiResult<CreatedConversion>>;
  findConversionByRefId(refId: string, profileId: string, signal?: AbortSignal): Promise<ApiResult<Conversion | null>>;
  getConversion(id: string, signal?: AbortSignal): Promise<ApiResult<Conversion>>;
  cancelConversion(id: string, signal?: AbortSignal): Promise<ApiResult<Conversion>>;
}

const seg = encodeURIComponent;
const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});

/** A 2xx body that parsed but lacks what the app needs to track the conversion (its id, a status it knows). */
function untrackable(what: string): ApiFailure {
  return { error: appError('bad_response', `The server confirmed the ${what} but did not say which conversion it is or what state it is in; checking again by ref_id.`), problem: null };
}

export function createPaxosApi(client: ApiClient): PaxosApi {
  /** Follows `next_page_cursor` until the last page; a repeated cursor or too many pages stop the listing. */
  async function allPages<T>(fetchPage: (cursor: string | undefined) => Promise<ApiResult<{ items: T[]; next_page_cursor?: string | undefined }>>, onPage: (items: T[]) => void, what: string): Promise<ApiResult<number>> {
    let cursor: string | undefined;
    const seen = new Set<string>();
    let total = 0;
    for (let page = 0; page < MAX_PAGES; page++) {
      const res = await fetchPage(cursor);
      if (!res.ok) return res;
      total += res.value.items.length;
      onPage(res.value.items);
      cursor = res.value.next_page_cursor;
      if (cursor === undefined || res.value.items.length === 0) return ok(total);
      if (seen.has(cursor)) break;
      seen.add(cursor);
    }
    return err({ error: appError('bad_response', `The server kept returning more pages of ${what}; the listing was stopped.`), problem: null });
  }

  async function findConversionByRefId(refId: string, profileId: string, signal?: AbortSignal): Promise<ApiResult<Conversion | null>> {
    const res = await client.call({
      method: 'GET',
      path: '/conversion/stablecoins',
      query: { ref_id: refId, profile_id: profileId, limit: '10' },
      schema: ConversionsPageWireSchema,
      ...withSignal(signal),
    });
    if (!res.ok) return res;
    const match = res.value.items.find((c) => c.ref_id === refId);
    if (!match) return ok(null);
    const conversion = toConversion(match);
    return conversion ? ok(conversion) : err(untrackable('order'));
  }

  async function getConversion(id: string, signal?: AbortSignal): Promise<ApiResult<Conversion>> {
    const res = await client.call({ method: 'GET', path: `/conversion/stablecoins/${seg(id)}`, schema: ConversionWireSchema, ...withSignal(signal) });
    if (!res.ok) return res;
    const conversion = toConversion(res.value);
    return conversion ? ok(conversion) : err(untrackable('order'));
  }

  return {
    listAllProfiles(onPage, signal, options = {}) {
      const { firstPage, ...call } = options;
      return allPages(
        (cursor) => {
          const limit = cursor === undefined && firstPage !== undefined ? Math.min(firstPage, PROFILES_PAGE_LIMIT) : PROFILES_PAGE_LIMIT;
          return client.call({ method: 'GET', path: '/profiles', query: { limit: String(limit), page_cursor: cursor }, schema: ProfilesPageWireSchema, ...withSignal(signal), ...call });
        },
        (items) => onPage(items.map(toProfile)),
        'profiles',
      );
    },

    async listProfileOwners(signal, options) {
      const owners: ProfileOwner[] = [];
      const res = await allPages(
        (cursor) => client.call({ method: 'GET', path: '/identity/accounts', query: { limit: String(PROFILES_PAGE_LIMIT), page_cursor: cursor }, schema: IdentityAccountsPageWireSchema, ...withSignal(signal), ...options }),
        (items) => {
          for (const item of items) {
            const owner = toProfileOwner(item);
            if (owner) owners.push(owner);
          }
        },
        'identity accounts',
      );
      return res.ok ? ok(owners) : res;
    },

    async getProfile(profileId, signal, options) {
      const res = await client.call({ method: 'GET', path: `/profiles/${seg(profileId)}`, schema: ProfileWireSchema, ...withSignal(signal), ...options });
      return res.ok ? ok(toProfile(res.value)) : res;
    },

    async getBalances(profileId, assets, signal, options) {
      const res = await client.call({
        method: 'GET',
        path: `/profiles/${seg(profileId)}/balances`,
        ...(assets && assets.length > 0 ? { query: { assets } } : {}),
        schema: BalancesWireSchema,
        ...withSignal(signal),
        ...options,
      });
      return res.ok ? ok(toHoldings(res.value)) : res;
    },

    async createConversion(input, signal) {
      const res = await client.call({
        method: 'POST',
        path: '/conversion/stablecoins',
        body: {
          profile_id: input.profileId,
          amount: input.amount,
          source_asset: input.sourceAsset,
          target_asset: input.targetAsset,
          ref_id: input.refId,
          ...(input.owner ? { identity_id: input.owner.identityId, account_id: input.owner.accountId } : {}),
        },
        schema: ConversionWireSchema,
        ...withSignal(signal),
      });
      const created = await settleCreate(res, {
        refId: input.refId,
        schema: ConversionWireSchema,
        track: toConversion,
        readBack: () => findConversionByRefId(input.refId, input.profileId, signal),
        untrackable: () => untrackable('order'),
      });
      return created.ok ? ok({ conversion: created.value.record, existed: created.value.existed }) : created;
    },

    findConversionByRefId,
    getConversion,

    async cancelConversion(id, signal) {
      const res = await client.call({ method: 'DELETE', path: `/conversion/stablecoins/${seg(id)}`, schema: ConversionWireSchema, ...withSignal(signal) });
      if (res.ok) {
        const conversion = toConversion(res.value);
        return conversion ? ok(conversion) : getConversion(id, signal);
      }
      // A refused cancel (any 4xx, whatever its shape) may be the resend of one that landed: read the conversion back.
      const status = res.error.problem?.status ?? 0;
      if (status < 400 || status >= 500 || status === 401) return res;
      const fresh = await getConversion(id, signal);
      return fresh.ok && fresh.value.status === 'CANCELLED' ? fresh : res;
    },
  };
}
