// The Orchestrations back end of the orders gateway: POST/GET /orchestration/orchestrations, profile → same profile, no cancel.
import { appError } from '../../../shared/app-error';
import { err, ok } from '../../../shared/result';
import { settleCreate } from './created-by-ref';
import type { ApiClient, ApiFailure, ApiResult } from './http-client';
import { OrchestrationsPageWireSchema, OrchestrationWireSchema, toTrackedOrchestration, type OrchestrationWire } from './orchestration-wire';
import type { OrdersGateway, ServerOrder } from './orders-gateway';

const PATH = '/orchestration/orchestrations';
const withSignal = (signal: AbortSignal | undefined) => (signal ? { signal } : {});

/** A 2xx body that parsed but lacks what the app needs to track the orchestration (its id, a status it knows). */
function untrackable(): ApiFailure {
  return { error: appError('bad_response', 'The server confirmed the order but did not say which orchestration it is or what state it is in; checking again by ref_id.'), problem: null };
}

const tracked = (w: OrchestrationWire): ServerOrder | null => toTrackedOrchestration(w);

export function createOrchestrationsGateway(client: ApiClient): OrdersGateway {
  async function findByRefId(refId: string, profileId: string, signal?: AbortSignal): Promise<ApiResult<ServerOrder | null>> {
    // `ref_id` and `profile_id` are exploded arrays in the contract; one value each is sent once.
    const res = await client.call({ method: 'GET', path: PATH, query: { ref_id: [refId], profile_id: [profileId], limit: '10' }, schema: OrchestrationsPageWireSchema, ...withSignal(signal) });
    if (!res.ok) return res;
    const match = res.value.items.find((o) => o.ref_id === refId);
    if (!match) return ok(null);
    const order = tracked(match);
    return order ? ok(order) : err(untrackable());
  }

  async function get(id: string, signal?: AbortSignal): Promise<ApiResult<ServerOrder>> {
    const res = await client.call({ method: 'GET', path: `${PATH}/${encodeURIComponent(id)}`, schema: OrchestrationWireSchema, ...withSignal(signal) });
    if (!res.ok) return res;
    const order = tracked(res.value);
    return order ? ok(order) : err(untrackable());
  }

  return {
    api: 'orchestrations',
    findByRefId,
    get,
    async create(input, signal) {
      const profile = { profile: { profile_id: input.profileId } };
      const res = await client.call({
        method: 'POST',
        path: PATH,
        body: {
          ref_id: input.refId,
          source_asset: input.sourceAsset,
          destination_asset: input.targetAsset,
          source_amount: input.amount,
          source: profile,
          destination: profile,
          ...(input.owner ? { identity_id: input.owner.identityId, account_id: input.owner.accountId } : {}),
          metadata: input.metadata,
        },
        schema: OrchestrationWireSchema,
        ...withSignal(signal),
      });
      const created = await settleCreate(res, { refId: input.refId, schema: OrchestrationWireSchema, track: tracked, readBack: () => findByRefId(input.refId, input.profileId, signal), untrackable });
      return created.ok ? ok({ order: created.value.record, existed: created.value.existed }) : created;
    },
  };
}
