// The orders gateway: what the order modules ask of the server, whichever published API an order goes through.
import type { OrdersApi } from '../../../shared/domain';
import type { ServerStatus } from '../../../shared/order-statuses';
import type { ApiResult } from './http-client';
import type { NewConversion } from './paxos-api';

/** An order as the server holds it (a conversion or an orchestration): what the app tracks of it. */
export interface ServerOrder {
  readonly id: string;
  /** A status of the gateway's API. */
  readonly status: ServerStatus;
  readonly refId: string | null;
  /** Why a FAILED orchestration failed (sanitised server text); null otherwise. */
  readonly failReason: string | null;
}

/** A new order as either API takes it: the conversion's fields (ref_id the idempotency key), plus metadata. */
export interface NewServerOrder extends NewConversion {
  /** Who sent it: the app and the operator's subject (no secrets). Sent where the API takes metadata (orchestrations). */
  readonly metadata: Readonly<Record<string, string>>;
}

export interface CreatedServerOrder {
  readonly order: ServerOrder;
  /** True when the server already had an order with this ref_id (409 `already-exists` with `meta.existing`). */
  readonly existed: boolean;
}

export interface OrdersGateway {
  readonly api: OrdersApi;
  /** POST with ref_id (so the client may resend it); a 409 for the same ref_id counts as success (read back if needed). */
  create(input: NewServerOrder, signal?: AbortSignal): Promise<ApiResult<CreatedServerOrder>>;
  /** The order with this ref_id (of this profile), or null when the server has none. */
  findByRefId(refId: string, profileId: string, signal?: AbortSignal): Promise<ApiResult<ServerOrder | null>>;
  get(id: string, signal?: AbortSignal): Promise<ApiResult<ServerOrder>>;
  /** Only Stablecoin Conversions can be cancelled (while CREATED); Paxos publishes no cancel for orchestrations. */
  readonly cancel?: (id: string, signal?: AbortSignal) => Promise<ApiResult<ServerOrder>>;
}

/** One gateway per API: an order is always followed up through the API it was sent through. */
export type OrdersGateways = { readonly [A in OrdersApi]: OrdersGateway };
