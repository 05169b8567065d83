// The Stablecoin Conversions back end of the orders gateway (deprecated by Paxos, kept for existing customers): paxos-api's conversion calls.
import { ok } from '../../../shared/result';
import type { ApiResult } from './http-client';
import type { OrdersGateway, ServerOrder } from './orders-gateway';
import type { PaxosApi } from './paxos-api';
import type { Conversion } from './wire';

const toServerOrder = (c: Conversion): ServerOrder => ({ id: c.id, status: c.status, refId: c.refId, failReason: null });

function mapped<T>(res: ApiResult<T>, map: (value: T) => ServerOrder): ApiResult<ServerOrder>;
function mapped<T>(res: ApiResult<T | null>, map: (value: T) => ServerOrder): ApiResult<ServerOrder | null>;
function mapped<T>(res: ApiResult<T | null>, map: (value: T) => ServerOrder): ApiResult<ServerOrder | null> {
  return res.ok ? ok(res.value === null ? null : map(res.value)) : res;
}

export function createConversionsGateway(api: PaxosApi): OrdersGateway {
  return {
    api: 'conversions',
    async create(input, signal) {
      // Sent exactly as before the gateway existed (no metadata): the deprecated API's requests stay as they were.
      const res = await api.createConversion({ profileId: input.profileId, owner: input.owner, amount: input.amount, sourceAsset: input.sourceAsset, targetAsset: input.targetAsset, refId: input.refId }, signal);
      return res.ok ? ok({ order: toServerOrder(res.value.conversion), existed: res.value.existed }) : res;
    },
    findByRefId: async (refId, profileId, signal) => mapped(await api.findConversionByRefId(refId, profileId, signal), toServerOrder),
    get: async (id, signal) => mapped(await api.getConversion(id, signal), toServerOrder),
    cancel: async (id, signal) => mapped(await api.cancelConversion(id, signal), toServerOrder),
  };
}
