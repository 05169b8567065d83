// Typed Paxos v2 endpoints on top of the API client: profiles (all pages), balances, stablecoin conversions.
import type { Asset, Balance, Profile } from '../../../shared/domain';
import { err, ok } from '../../../shared/result';
import type { ApiClient, ApiResult } from './http-client';
import {
  BalancesWireSchema,
  ConversionsPageWireSchema,
  ConversionWireSchema,
  PROFILES_PAGE_LIMIT,
  ProfilesPageWireSchema,
  ProfileWireSchema,
  toBalances,
  toConversion,
  toProfile,
  type Conversion,
} from './wire';

/** Upper bound on pages followed in one listing (10 million profiles at 1000 a page); protects against a cursor loop. */
const MAX_PAGES = 10_000;

export interface NewConversion {
  readonly profileId: string;
  readonly identityId: string;
  readonly accountId: string;
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

export interface PaxosApi {
  /** Every profile delegated to the operator, following `next_page_cursor` with pages of 1000; `onPage` sees each page. */
  listAllProfiles(onPage: (profiles: Profile[]) => void, signal?: AbortSignal): Promise<ApiResult<number>>;
  getProfile(profileId: string, signal?: AbortSignal): Promise<ApiResult<Profile>>;
  getBalances(profileId: string, signal?: AbortSignal): Promise<ApiResult<Balance[]>>;
  /** POST with ref_id (so the client may resend it); a 409 carrying the existing conversion counts as success. */
  createConversion(input: NewConversion, signal?: AbortSignal): Promise<ApiResult<CreatedConversion>>;
  findConversionByRefId(refId: string, profileId: string, signal?: AbortSignal): Promise<ApiResult<Conversion | null>>;
  getConversion(id: string, signal?: AbortSignal): Promise<ApiResult<Conversion>>;
  cancelConversion(id: string, signal?: AbortSignal): Promise<ApiResult<Conversion>>;
}

const seg = encodeURIComponent;
const KNOWN_ASSETS = 'USD,USDP,PYUSD,USDG';

export function createPaxosApi(client: ApiClient): PaxosApi {
  const getConversion = async (id: string, signal?: AbortSignal): Promise<ApiResult<Conversion>> => {
    const res = await client.call({ method: 'GET', path: `/conversion/stablecoins/${seg(id)}`, schema: ConversionWireSchema, ...(signal ? { signal } : {}) });
    return res.ok ? ok(toConversion(res.value)) : res;
  };

  return {
    async listAllProfiles(onPage, signal) {
      let cursor: string | undefined;
      const seen = new Set<string>();
      let total = 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        const res = await client.call({
          method: 'GET',
          path: '/profiles',
          query: { limit: String(PROFILES_PAGE_LIMIT), page_cursor: cursor },
          schema: ProfilesPageWireSchema,
          ...(signal ? { signal } : {}),
        });
        if (!res.ok) return res;
        const profiles = res.value.items.map(toProfile);
        total += profiles.length;
        onPage(profiles);
        cursor = res.value.next_page_cursor;
        if (cursor === undefined || res.value.items.length === 0) return ok(total);
        if (seen.has(cursor)) break;
        seen.add(cursor);
      }
      return err({ error: { code: 'bad_response', message: 'The server kept returning more pages of profiles; the listing was stopped.' }, problem: null });
    },

    async getProfile(profileId, signal) {
      const res = await client.call({ method: 'GET', path: `/profiles/${seg(profileId)}`, schema: ProfileWireSchema, ...(signal ? { signal } : {}) });
      return res.ok ? ok(toProfile(res.value)) : res;
    },

    async getBalances(profileId, signal) {
      const res = await client.call({
        method: 'GET',
        path: `/profiles/${seg(profileId)}/balances`,
        query: { assets: KNOWN_ASSETS },
        schema: BalancesWireSchema,
        ...(signal ? { signal } : {}),
      });
      return res.ok ? ok(toBalances(res.value)) : res;
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
          identity_id: input.identityId,
          account_id: input.accountId,
        },
        schema: ConversionWireSchema,
        ...(signal ? { signal } : {}),
      });
      if (res.ok) return ok({ conversion: toConversion(res.value), existed: false });
      if (res.error.error.code === 'already_exists') {
        const existing = ConversionWireSchema.safeParse(res.error.problem?.meta?.['existing']);
        if (existing.success && existing.data.ref_id === input.refId) return ok({ conversion: toConversion(existing.data), existed: true });
      }
      return res;
    },

    async findConversionByRefId(refId, profileId, signal) {
      const res = await client.call({
        method: 'GET',
        path: '/conversion/stablecoins',
        query: { ref_id: refId, profile_id: profileId, limit: '10' },
        schema: ConversionsPageWireSchema,
        ...(signal ? { signal } : {}),
      });
      if (!res.ok) return res;
      const match = res.value.items.find((c) => c.ref_id === refId);
      return ok(match ? toConversion(match) : null);
    },

    getConversion,

    async cancelConversion(id, signal) {
      const res = await client.call({ method: 'DELETE', path: `/conversion/stablecoins/${seg(id)}`, schema: ConversionWireSchema, ...(signal ? { signal } : {}) });
      if (res.ok) return ok(toConversion(res.value));
      // A resent DELETE whose first copy landed meets 409 "not cancellable" with status CANCELLED: that is our cancel.
      if (res.error.error.code === 'conflict' && res.error.problem?.meta?.['status'] === 'CANCELLED') return getConversion(id, signal);
      return res;
    },
  };
}
