// The preload bridge's names: each window.partnerConsole method and the one contract channel (or event) it reaches. Zod-free.
import type { Channel, EventName } from './ipc-contract';

/**
 * Method name → renderer→main channel. The preload builds one named function per entry (never a generic invoke);
 * `PartnerConsoleBridge` (ipc-contract.ts) is derived from this table, and tests prove it covers every channel once.
 */
export const BRIDGE_METHODS = {
  getAuthState: 'auth:getState',
  signIn: 'auth:signIn',
  cancelSignIn: 'auth:cancelSignIn',
  signOut: 'auth:signOut',
  listProfiles: 'accounts:listProfiles',
  getProfile: 'accounts:getProfile',
  getBalances: 'accounts:getBalances',
  setVisibleProfiles: 'accounts:setVisible',
  submitOrder: 'orders:submit',
  listOrders: 'orders:list',
  getOrder: 'orders:get',
  cancelOrder: 'orders:cancel',
  listActivity: 'activity:list',
  exportActivityCsv: 'activity:exportCsv',
  getLimits: 'limits:get',
  getSettings: 'settings:get',
  setEnvironment: 'settings:setEnvironment',
} as const satisfies Record<string, Channel>;

/** Subscriber name → main→renderer event: one subscriber per contract event. */
export const BRIDGE_EVENTS = {
  onAuthChanged: 'auth:changed',
  onOrdersChanged: 'orders:changed',
  onAccountsChanged: 'accounts:changed',
  onActivityChanged: 'activity:changed',
  onLimitsChanged: 'limits:changed',
} as const satisfies Record<`on${string}`, EventName>;

export type BridgeMethod = keyof typeof BRIDGE_METHODS;
export type BridgeEvent = keyof typeof BRIDGE_EVENTS;
