// Seed data for the sandbox: operators who sign in, and the delegated user profiles they may act on.

/** The assets the app trades: USD and the stablecoins minted from it / redeemed to it. */
export const APP_ASSETS = ['USD', 'USDP', 'PYUSD', 'USDG'] as const;
export type AppAsset = (typeof APP_ASSETS)[number];
/**
 * Every asset a balance listing names, in listing order: the traded ones first, then assets the real API also lists
 * (its "All Assets" example: EUR, SGD, BTC, ETH, PAXG, BCH, SOL) that the app does not trade.
 */
export const LISTED_ASSETS = [...APP_ASSETS, 'EUR', 'SGD', 'BTC', 'ETH', 'PAXG', 'BCH', 'SOL'] as const;
export type ListedAsset = (typeof LISTED_ASSETS)[number];

/**
 * Decimal places per asset. USD 2, USDP 8, PYUSD 6, USDG 8 are published; the others are the sandbox's choice
 * (fiat 2, crypto 8) and only shape how their amounts are written and which deposits are accepted.
 */
export const ASSET_PRECISION: Record<ListedAsset, number> = {
  USD: 2, USDP: 8, PYUSD: 6, USDG: 8, EUR: 2, SGD: 2, BTC: 8, ETH: 8, PAXG: 8, BCH: 8, SOL: 8,
};

export const SANDBOX_PASSWORD = 'sandbox';

export interface SeedOperator {
  /** Stable subject identifier (`sub` claim). */
  readonly sub: string;
  readonly email: string;
  readonly name: string;
}

export interface SeedProfile {
  readonly id: string;
  readonly nickname: string;
  /** Published ProfileType. Each operator's first profile is its DEFAULT one; the others are NORMAL. */
  readonly type: 'NORMAL' | 'DEFAULT';
  /**
   * Identity of the delegated user who owns a NORMAL profile (`Account.identity_id`); absent on DEFAULT profiles,
   * which have no identity account (a sandbox assumption, see docs/sandbox.md).
   */
  readonly identity_id?: string;
  /** Id of that user's identity account (`Account.id`, `GET /v2/identity/accounts/{id}`); absent on DEFAULT profiles. */
  readonly account_id?: string;
  /** Operator subject this profile is delegated to. */
  readonly operator: string;
  /** Initial available balances, decimal strings. */
  readonly balances: Partial<Record<ListedAsset, string>>;
}

export interface SeedData {
  readonly operators: readonly SeedOperator[];
  readonly profiles: readonly SeedProfile[];
}

export const OPERATORS: readonly SeedOperator[] = [
  { sub: 'op-7c1e2a', email: 'ops@partner.test', name: 'Olivia Operator' },
  { sub: 'op-93bd04', email: 'ops2@partner.test', name: 'Oscar Second' },
  { sub: 'op-0f5a61', email: 'idle@partner.test', name: 'Ivy Idle' },
];

function uuidFrom(n: number, prefix: string): string {
  const hex = n.toString(16).padStart(12, '0');
  return `${prefix}-0000-4000-8000-${hex}`;
}

const FIXED_PROFILES: readonly SeedProfile[] = [
  { id: uuidFrom(1, 'a0000001'), nickname: 'Acme Treasury', type: 'DEFAULT', operator: 'op-7c1e2a', balances: { USD: '250000.00', USDP: '1200.50000000', PYUSD: '300.000000', BTC: '1.23103715' } },
  { id: uuidFrom(2, 'a0000001'), nickname: 'Blue Harbor LLC', type: 'NORMAL', identity_id: uuidFrom(2, 'b0000001'), account_id: uuidFrom(2, 'c0000001'), operator: 'op-7c1e2a', balances: { USD: '1520.75', USDG: '88.123456', PAXG: '0.25' } },
  { id: uuidFrom(3, 'a0000001'), nickname: 'Cedar Payments', type: 'NORMAL', identity_id: uuidFrom(3, 'b0000001'), account_id: uuidFrom(3, 'c0000001'), operator: 'op-7c1e2a', balances: { USD: '0.00', PYUSD: '5000.000000' } },
  { id: uuidFrom(4, 'a0000001'), nickname: 'Delta Remit', type: 'DEFAULT', operator: 'op-93bd04', balances: { USD: '99000.00', USDP: '10.00000000' } },
  { id: uuidFrom(5, 'a0000001'), nickname: 'Evergreen Pay', type: 'NORMAL', identity_id: uuidFrom(5, 'b0000001'), account_id: uuidFrom(5, 'c0000001'), operator: 'op-93bd04', balances: { USD: '42.10', USDG: '1000.000000' } },
];

/**
 * Builds the seed. `extraProfiles` adds that many generated profiles delegated to ops@partner.test
 * (benchmarks use 10,000), each funded in USD and one stablecoin.
 */
export function buildSeed(extraProfiles = 0): SeedData {
  const generated: SeedProfile[] = [];
  for (let i = 0; i < extraProfiles; i++) {
    const n = 1000 + i;
    generated.push({
      id: uuidFrom(n, 'a0000002'),
      nickname: `Generated Client ${String(i + 1).padStart(5, '0')}`,
      type: 'NORMAL',
      identity_id: uuidFrom(n, 'b0000002'),
      account_id: uuidFrom(n, 'c0000002'),
      operator: 'op-7c1e2a',
      balances: { USD: `${(i * 37) % 100000}.${String(i % 100).padStart(2, '0')}`, USDP: `${i % 500}.00000000` },
    });
  }
  return { operators: OPERATORS, profiles: [...FIXED_PROFILES, ...generated] };
}
