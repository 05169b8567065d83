// Paxos v2 response shapes (zod) and their mapping to the app's domain types; unknown extra fields are ignored.
import { z } from 'zod';
import { AssetSchema, DecimalStringSchema, IdSchema, IsoTimeSchema, type Asset, type Balance, type Profile } from '../../../shared/domain';

export const PROFILES_PAGE_LIMIT = 1000;

export const ProfileWireSchema = z.object({
  id: IdSchema,
  nickname: z.string().max(2000).transform((s) => s.slice(0, 200)),
  type: z.string().max(200).transform((s) => s.slice(0, 40)),
  identity_id: IdSchema,
  account_id: IdSchema,
});

export const ProfilesPageWireSchema = z.object({
  items: z.array(ProfileWireSchema).max(PROFILES_PAGE_LIMIT),
  next_page_cursor: z.string().min(1).max(4096).optional(),
});

export function toProfile(w: z.output<typeof ProfileWireSchema>): Profile {
  return { id: w.id, nickname: w.nickname, type: w.type, identityId: w.identity_id, accountId: w.account_id };
}

/** A balance row; assets the app does not know are kept as strings here and dropped by `toBalances`. */
export const BalanceWireSchema = z.object({ asset: z.string().max(40), available: DecimalStringSchema, trading: DecimalStringSchema });
export const BalancesWireSchema = z.object({ items: z.array(BalanceWireSchema).max(500) });

export function toBalances(w: z.output<typeof BalancesWireSchema>): Balance[] {
  const known = new Map<Asset, Balance>();
  for (const item of w.items) {
    const asset = AssetSchema.safeParse(item.asset);
    if (asset.success && !known.has(asset.data)) known.set(asset.data, { asset: asset.data, available: item.available, trading: item.trading });
  }
  return [...known.values()];
}

export const CONVERSION_STATUSES = ['CREATED', 'SETTLED', 'CANCELLED'] as const;
export const ConversionStatusSchema = z.enum(CONVERSION_STATUSES);
export type ConversionStatus = z.infer<typeof ConversionStatusSchema>;

export const ConversionWireSchema = z.object({
  id: IdSchema,
  profile_id: IdSchema,
  amount: DecimalStringSchema,
  source_asset: AssetSchema,
  target_asset: AssetSchema,
  status: ConversionStatusSchema,
  ref_id: z.string().max(128).optional(),
  created_at: IsoTimeSchema,
  updated_at: IsoTimeSchema,
});

export const ConversionsPageWireSchema = z.object({
  items: z.array(ConversionWireSchema).max(PROFILES_PAGE_LIMIT),
  next_page_cursor: z.string().min(1).max(4096).optional(),
});

/** A stablecoin conversion as the app uses it. */
export interface Conversion {
  readonly id: string;
  readonly profileId: string;
  readonly amount: string;
  readonly sourceAsset: Asset;
  readonly targetAsset: Asset;
  readonly status: ConversionStatus;
  readonly refId: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toConversion(w: z.output<typeof ConversionWireSchema>): Conversion {
  return {
    id: w.id,
    profileId: w.profile_id,
    amount: w.amount,
    sourceAsset: w.source_asset,
    targetAsset: w.target_asset,
    status: w.status,
    refId: w.ref_id ?? null,
    createdAt: w.created_at,
    updatedAt: w.updated_at,
  };
}
