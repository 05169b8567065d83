// Zod-free domain constants (assets and their decimals, order kinds and statuses, orders APIs, environment kinds, activity actions); shared/domain.ts builds its schemas from them.

export const ASSETS = ['USD', 'USDP', 'PYUSD', 'USDG'] as const;
export type Asset = (typeof ASSETS)[number];

export const STABLECOINS = ['USDP', 'PYUSD', 'USDG'] as const;
export type Stablecoin = (typeof STABLECOINS)[number];

/** Decimal places each asset accepts on the API (Paxos's published table); a conversion uses the lower of its two assets. */
export const ASSET_DECIMALS: Readonly<Record<Asset, number>> = { USD: 2, USDP: 8, PYUSD: 6, USDG: 8 };

/** Profile types as published (`ProfileType`): every account has one DEFAULT profile; the others are NORMAL. */
export const PROFILE_TYPES = ['NORMAL', 'DEFAULT'] as const;
export type ProfileType = (typeof PROFILE_TYPES)[number];

export const ORDER_KINDS = ['mint', 'redeem'] as const;
export type OrderKind = (typeof ORDER_KINDS)[number];

/**
 * The two published Paxos APIs an order can go through: Orchestrations (`/orchestration/orchestrations`, the current one)
 * and Stablecoin Conversions (`/conversion/stablecoins`, deprecated by Paxos, kept for existing customers).
 */
export const ORDERS_APIS = ['orchestrations', 'conversions'] as const;
export type OrdersApi = (typeof ORDERS_APIS)[number];

/**
 * Where an order is. `submitting`: journaled, not yet confirmed by the server. `awaiting_approval`: accepted, waiting
 * for someone else to approve it (orchestrations PENDING). `created`: accepted and under way (conversions CREATED,
 * orchestrations PROCESSING). `settled`: done (SETTLED / COMPLETED). `cancelled`: cancelled, nothing moved.
 * `rejected`: refused (by the server when sent, or by the approver); nothing moved. `failed`: accepted, then failed on
 * the server (orchestrations FAILED). `unknown`: the outcome could not be established yet; it is reconciled by ref_id,
 * never resent blindly. shared/order-statuses.ts maps each server status onto these.
 */
export const ORDER_STATUSES = ['submitting', 'awaiting_approval', 'created', 'settled', 'cancelled', 'rejected', 'failed', 'unknown'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export const ENVIRONMENT_KINDS = ['sandbox-local', 'paxos-sandbox', 'paxos-production', 'custom'] as const;

export const ACTIVITY_ACTIONS = ['sign_in', 'sign_out', 'session_expired', 'order_submit', 'order_result', 'order_cancel'] as const;
