// Paxos v2 response shapes as published (zod), and their mapping to the app's domain types; unknown extra fields are ignored.
import { z } from 'zod';
import {
  ASSETS,
  IdSchema,
  IsoTimeSchema,
  PROFILE_TYPES,
  type Asset,
  type Balance,
  type OtherHolding,
  type Profile,
} from '../../../shared/domain';
import { CONVERSION_STATUSES, type ConversionStatus } from '../../../shared/order-statuses';

export const PROFILES_PAGE_LIMIT = 1000;
/** Most items one page of any listing may carry before the response counts as malformed. */
export const MAX_PAGE_ITEMS = 1000;

/** `next_page_cursor` of a listing. */
export const CursorSchema = z.string().min(1).max(4096);
const Cursor = CursorSchema;
/** Free text from the server, capped (the UI and the journal sanitise further). */
const text = (max: number) => z.string().max(max * 10).transform((s) => s.slice(0, max));

/** A non-negative decimal as Paxos writes it (`format: decimal`): `1510.23`, `0`, `.25`, `100.00`. */
const WireDecimalText = z
  .string()
  .max(40)
  .regex(/^(\d+(\.\d*)?|\.\d+)$/, 'must be a decimal number');

/** The app's canonical form of a wire decimal: a leading `0` before a bare fraction, no trailing point, digits kept exactly. */
export function canonicalDecimal(s: string): string {
  if (s.charCodeAt(0) !== 46 && s.charCodeAt(s.length - 1) !== 46) return s; // no '.' at either end: already canonical
  const withWhole = s.startsWith('.') ? `0${s}` : s;
  return withWhole.endsWith('.') ? withWhole.slice(0, -1) : withWhole;
}

/** A wire decimal, normalised to the app's canonical form. */
export const WireDecimalSchema = WireDecimalText.transform(canonicalDecimal);

/** `Profile`: `id`, `nickname`, `type` required; `description` and the hidden `account_id` optional. */
export const ProfileWireSchema = z.object({
  id: IdSchema,
  nickname: text(200),
  type: z.enum(PROFILE_TYPES),
  description: text(500).optional(),
  account_id: IdSchema.optional(),
});

/** `ListProfilesResponse`: nothing is required, so a body without `items` is an empty page. */
export const ProfilesPageWireSchema = z.object({
  items: z.array(ProfileWireSchema).max(MAX_PAGE_ITEMS).default([]),
  next_page_cursor: Cursor.optional(),
});

export function toProfile(w: z.output<typeof ProfileWireSchema>): Profile {
  return {
    id: w.id,
    nickname: w.nickname,
    type: w.type,
    ...(w.description ? { description: w.description } : {}),
    ...(w.account_id ? { accountId: w.account_id } : {}),
  };
}

/**
 * `ProfileBalance`: `asset`, `available`, `trading` required. Checked without transforms (a balance listing carries 22
 * decimals, read 10,000 times for a large book); toHoldings writes them in canonical form.
 */
export const BalanceWireSchema = z.object({ asset: z.string().min(1).max(40), available: WireDecimalText, trading: WireDecimalText });
export const BalancesWireSchema = z.object({ items: z.array(BalanceWireSchema).max(500) });

const OTHER_ASSET = /^[A-Za-z0-9._-]{1,20}$/;
const TRADED: ReadonlySet<string> = new Set(ASSETS);
const isTraded = (asset: string): asset is Asset => TRADED.has(asset);

/** The assets the app trades, and every other holding the server listed (kept and shown, not dropped). */
export interface ProfileHoldings {
  readonly balances: Balance[];
  readonly others: OtherHolding[];
}

export function toHoldings(w: z.output<typeof BalancesWireSchema>): ProfileHoldings {
  const known = new Map<string, Balance>();
  const others = new Map<string, OtherHolding>();
  for (const item of w.items) {
    // A set lookup, not a schema parse: most listed assets are not traded, and a failed parse is costly at 10,000 profiles.
    const asset = item.asset;
    if (isTraded(asset)) {
      if (!known.has(asset)) known.set(asset, { asset, available: canonicalDecimal(item.available), trading: canonicalDecimal(item.trading) });
    } else if (OTHER_ASSET.test(item.asset) && !others.has(item.asset) && others.size < 200) {
      others.set(item.asset, { asset: item.asset, available: canonicalDecimal(item.available), trading: canonicalDecimal(item.trading) });
    }
  }
  return { balances: [...known.values()], others: [...others.values()] };
}

/** `Account` (identity accounts): every field is optional in the contract; only complete mappings are used. */
export const IdentityAccountWireSchema = z.object({
  id: IdSchema.optional(),
  identity_id: IdSchema.optional(),
  profile_id: IdSchema.optional(),
});
export const IdentityAccountsPageWireSchema = z.object({
  items: z.array(IdentityAccountWireSchema).max(MAX_PAGE_ITEMS).default([]),
  next_page_cursor: Cursor.optional(),
});

/** Who owns a profile: the delegated user's identity and account, sent with conversions. */
export interface ProfileOwner {
  readonly profileId: string;
  readonly identityId: string;
  readonly accountId: string;
}

export function toProfileOwner(w: z.output<typeof IdentityAccountWireSchema>): ProfileOwner | null {
  return w.id && w.identity_id && w.profile_id ? { profileId: w.profile_id, identityId: w.identity_id, accountId: w.id } : null;
}

export const ConversionStatusSchema = z.enum(CONVERSION_STATUSES);
export type { ConversionStatus };

/**
 * `StablecoinConversion`: the contract requires no field at all (its published examples even misspell `amount`), so the
 * parser accepts any subset; `toConversion` keeps what the app needs to track the order (its id and a known status).
 */
export const ConversionWireSchema = z.object({
  id: IdSchema.optional(),
  profile_id: IdSchema.optional(),
  amount: WireDecimalSchema.optional(),
  source_asset: z.string().max(40).optional(),
  target_asset: z.string().max(40).optional(),
  status: z.string().max(40).optional(),
  ref_id: z.string().max(128).optional(),
  created_at: IsoTimeSchema.optional(),
  updated_at: IsoTimeSchema.optional(),
});

export const ConversionsPageWireSchema = z.object({
  items: z.array(ConversionWireSchema).max(MAX_PAGE_ITEMS).default([]),
  next_page_cursor: Cursor.optional(),
});

/** A stablecoin conversion as the app tracks it: the server's id and a status the app knows. */
export interface Conversion {
  readonly id: string;
  readonly status: ConversionStatus;
  readonly refId: string | null;
}

/** The trackable part of a conversion, or null when the server left out its id or sent a status the app does not know. */
export function toConversion(w: z.output<typeof ConversionWireSchema>): Conversion | null {
  const status = ConversionStatusSchema.safeParse(w.status);
  if (!w.id || !status.success) return null;
  return { id: w.id, status: status.data, refId: w.ref_id ?? null };
}
