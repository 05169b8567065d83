// Zod-free server statuses of both orders APIs and how each maps onto the app's order statuses (main, renderer and tests share it).
import type { OrderStatus, OrdersApi } from './domain-constants';

/** Stablecoin Conversions statuses (published in ../shared/paxos-v2/README.md). */
export const CONVERSION_STATUSES = ['CREATED', 'SETTLED', 'CANCELLED'] as const;
export type ConversionStatus = (typeof CONVERSION_STATUSES)[number];

/** `OrchestrationStatus` as published (enum order of the OpenAPI document). */
export const ORCHESTRATION_STATUSES = ['PROCESSING', 'COMPLETED', 'FAILED', 'PENDING', 'REJECTED'] as const;
export type OrchestrationStatus = (typeof ORCHESTRATION_STATUSES)[number];

export type ServerStatus = ConversionStatus | OrchestrationStatus;

/** Every server status of each API, by API. */
export const SERVER_STATUSES: { readonly [A in OrdersApi]: readonly (A extends 'conversions' ? ConversionStatus : OrchestrationStatus)[] } = {
  conversions: CONVERSION_STATUSES,
  orchestrations: ORCHESTRATION_STATUSES,
};

/**
 * The mapping: server status → app status, per API. PENDING is its own state (someone else must act); PROCESSING shares
 * `created` with CREATED (accepted and under way); COMPLETED shares `settled` with SETTLED; REJECTED (the approver refused)
 * shares `rejected` (nothing moved); FAILED is its own state (accepted, then failed, with the server's reason).
 */
export const APP_STATUS_OF: {
  readonly conversions: Readonly<Record<ConversionStatus, OrderStatus>>;
  readonly orchestrations: Readonly<Record<OrchestrationStatus, OrderStatus>>;
} = {
  conversions: { CREATED: 'created', SETTLED: 'settled', CANCELLED: 'cancelled' },
  orchestrations: { PENDING: 'awaiting_approval', PROCESSING: 'created', COMPLETED: 'settled', FAILED: 'failed', REJECTED: 'rejected' },
};

/** Server statuses after which nothing changes any more (polling stops). */
const FINAL: ReadonlySet<ServerStatus> = new Set<ServerStatus>(['SETTLED', 'CANCELLED', 'COMPLETED', 'FAILED', 'REJECTED']);

/** True when `status` is one the API `api` publishes. */
export function isServerStatusOf(api: OrdersApi, status: string): status is ServerStatus {
  return (SERVER_STATUSES[api] as readonly string[]).includes(status);
}

/** The app status of a server status of `api`; undefined when the API has no such status. */
export function appStatusOf(api: OrdersApi, status: string): OrderStatus | undefined {
  if (!isServerStatusOf(api, status)) return undefined;
  return api === 'conversions' ? APP_STATUS_OF.conversions[status as ConversionStatus] : APP_STATUS_OF.orchestrations[status as OrchestrationStatus];
}

/** Whether the order may still change on the server (it is polled until it does not). */
export function isOpenServerStatus(status: ServerStatus): boolean {
  return !FINAL.has(status);
}

/** Only a conversion in CREATED can be cancelled; Paxos publishes no cancel for orchestrations. */
export function canCancel(api: OrdersApi, status: OrderStatus): boolean {
  return api === 'conversions' && status === 'created';
}
