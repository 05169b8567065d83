// /v2/orchestration/orchestrations: create (profile → profile, USD ⇄ stablecoin at 1:1), list with the published filters, get. No cancel.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { APP_ASSETS, ASSET_PRECISION, type AppAsset } from '../../seed';
import { SCOPES } from '../auth-hook';
import { resetConnection } from '../chaos';
import { checkInOrder, requireFunds } from '../create-checks';
import { AMOUNT_PATTERN, canonicalAmount, parseRequestAmount } from '../decimal';
import { ORCHESTRATION_STATUSES, type OrchestrationRecord } from '../orchestration-book';
import { badRequest, notFound, ProblemError } from '../problems';
import { declaredQuery, exploded, parseLimit, parseOrder, single, timeFilter, timeParams, type QueryValue } from '../query';
import type { RouteContext } from '../types';
import { delegatedProfile } from './profiles';

interface ProfileRef {
  profile?: { profile_id?: string };
}

interface CreateBody {
  ref_id: string;
  source_asset: AppAsset;
  destination_asset: AppAsset;
  source_amount: string;
  identity_id?: string;
  account_id?: string;
  source?: ProfileRef;
  destination?: ProfileRef & { crypto?: Record<string, string>; fiat?: Record<string, string> };
  metadata?: Record<string, string>;
}

const ID = { type: 'string', minLength: 1, maxLength: 128 } as const;
const TEXT = { type: 'string', maxLength: 256 } as const;
const PROFILE = { type: 'object', additionalProperties: false, properties: { profile_id: ID } } as const;

/** `CreateOrchestrationRequest` as published; unknown fields are refused (as for conversions). */
export const CREATE_ORCHESTRATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['ref_id', 'source_asset', 'destination_asset', 'source_amount'],
  properties: {
    identity_id: ID,
    account_id: ID,
    ref_id: ID,
    source_asset: { type: 'string', enum: APP_ASSETS },
    destination_asset: { type: 'string', enum: APP_ASSETS },
    source_amount: { type: 'string', minLength: 1, maxLength: 40, pattern: AMOUNT_PATTERN },
    source: { type: 'object', additionalProperties: false, properties: { profile: PROFILE } },
    destination: {
      type: 'object',
      additionalProperties: false,
      properties: {
        profile: PROFILE,
        crypto: { type: 'object', additionalProperties: false, properties: { address: TEXT, network: TEXT, address_id: ID } },
        fiat: { type: 'object', additionalProperties: false, properties: { bank_account_id: ID, memo: TEXT } },
      },
    },
    metadata: { type: 'object', maxProperties: 32, propertyNames: { maxLength: 64 }, additionalProperties: { type: 'string', maxLength: 512 } },
  },
} as const;

const iso = (ms: number): string => new Date(ms).toISOString();

/** The published `Orchestration` fields the sandbox serves (optional ones only when given or reached). */
export function orchestrationView(o: OrchestrationRecord) {
  return {
    id: o.id,
    profile_id: o.sourceProfileId,
    ...(o.identityId !== undefined ? { identity_id: o.identityId } : {}),
    ...(o.accountId !== undefined ? { account_id: o.accountId } : {}),
    ref_id: o.refId,
    source_asset: o.sourceAsset,
    destination_asset: o.destinationAsset,
    source_amount: canonicalAmount(o.amount),
    status: o.status,
    ...(o.failReason !== undefined ? { fail_reason: { detail: o.failReason } } : {}),
    source: { profile: { profile_id: o.sourceProfileId } },
    destination: { profile: { profile_id: o.destinationProfileId } },
    created_at: iso(o.createdAtMs),
    updated_at: iso(o.updatedAtMs),
    ...(o.metadata !== undefined ? { metadata: o.metadata } : {}),
  };
}

/** The published parameters of ListOrchestrations: these scalars, and the rest as exploded arrays. */
const LIST_SCALARS = [...timeParams('created_at'), 'limit', 'order', 'page_cursor'];
const LIST_ARRAYS = ['orchestration_rule_id', 'source_asset', 'destination_asset', 'status', 'orchestration_id', 'profile_id', 'ref_id'];

/** An exploded filter as a predicate: true when absent, else the value must be one of those given. */
function oneOf(values: string[] | undefined, value: string | undefined): boolean {
  return values === undefined || (value !== undefined && values.includes(value));
}

export function registerOrchestrationRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, orchestrations, auth, cursors, chaos } = ctx;
  const read = auth.guard({ scope: SCOPES.readOrchestration });
  const write = auth.guard({ scope: SCOPES.writeOrchestration });

  /** The profile a `source`/`destination` names; the sandbox moves funds between profiles only (its assumption). */
  function endpointProfile(operator: string, side: 'source' | 'destination', ref: CreateBody['source'] | CreateBody['destination']) {
    const other = ref && ('crypto' in ref || 'fiat' in ref) ? Object.keys(ref).find((k) => k !== 'profile') : undefined;
    if (other) throw badRequest(`${side}.${other} is not supported by the sandbox: it moves funds between profiles only`);
    const id = ref?.profile?.profile_id;
    if (id === undefined) throw badRequest(`${side}.profile.profile_id is required by the sandbox`);
    return delegatedProfile(store, operator, id);
  }

  v2.post<{ Body: CreateBody }>('/orchestration/orchestrations', { onRequest: write, schema: { body: CREATE_ORCHESTRATION_SCHEMA, querystring: declaredQuery([]) } }, async (request, reply) => {
    const operator = auth.operator(request);
    const body = request.body;
    if ([body.source_asset, body.destination_asset].filter((a) => a === 'USD').length !== 1) {
      throw badRequest(`cannot orchestrate ${body.source_asset} to ${body.destination_asset}; the sandbox mints and redeems: exactly one side must be USD`);
    }
    const precision = Math.min(ASSET_PRECISION[body.source_asset], ASSET_PRECISION[body.destination_asset]);
    const amount = parseRequestAmount(body.source_amount, precision, `${body.source_asset}→${body.destination_asset}`, body.source_asset);
    const source = endpointProfile(operator, 'source', body.source);
    const destination = endpointProfile(operator, 'destination', body.destination);
    for (const field of ['identity_id', 'account_id'] as const) {
      if (body[field] !== undefined && body[field] !== source.seed[field]) {
        throw badRequest(`${field} ${body[field]} does not match the identity account of profile ${source.seed.id}`);
      }
    }
    const idempotency = (): void => {
      const existing = orchestrations.byRefId(operator, body.ref_id);
      if (existing) throw new ProblemError(409, `orchestration already exists with ref_id '${body.ref_id}'`, { slug: 'already-exists', meta: { existing: orchestrationView(existing) } });
    };
    checkInOrder(chaos, idempotency, () => requireFunds(store, source, body.source_asset, amount));
    if (chaos.roll('resetBeforeCommitRate')) return resetConnection(request, reply);
    const record = orchestrations.create({
      operator, refId: body.ref_id, source, destination, sourceAsset: body.source_asset, destinationAsset: body.destination_asset, amount,
      identityId: body.identity_id, accountId: body.account_id, metadata: body.metadata,
    });
    if (chaos.roll('resetAfterCommitRate')) return resetConnection(request, reply);
    return orchestrationView(record);
  });

  v2.get<{ Querystring: Record<string, QueryValue> }>('/orchestration/orchestrations', {
    onRequest: read,
    schema: { querystring: declaredQuery(LIST_SCALARS, LIST_ARRAYS) },
  }, async (request) => {
    const operator = auth.operator(request);
    const q = request.query;
    const limit = parseLimit(q['limit']);
    const order = parseOrder(q['order'], 'DESC');
    const created = timeFilter('created_at', q);
    const filters = Object.fromEntries(LIST_ARRAYS.map((name) => [name, exploded(q[name])])) as Record<string, string[] | undefined>;
    const unknown = filters['status']?.find((s) => !(ORCHESTRATION_STATUSES as readonly string[]).includes(s));
    if (unknown !== undefined) throw badRequest(`status "${unknown}" is not one of ${ORCHESTRATION_STATUSES.join(', ')}`);
    const query = JSON.stringify([operator, order, created.key, LIST_ARRAYS.map((n) => filters[n] ?? null)]);
    const cursor = single('page_cursor', q['page_cursor']);
    const after = cursor === undefined ? undefined : cursors.decode(cursor, 'orchestrations', query);
    const matches = orchestrations.of(operator).filter((o) =>
      // The sandbox's orchestrations come from no orchestration rule: an `orchestration_rule_id` filter matches none.
      oneOf(filters['orchestration_rule_id'], undefined) &&
      oneOf(filters['source_asset'], o.sourceAsset) && oneOf(filters['destination_asset'], o.destinationAsset) &&
      oneOf(filters['status'], o.status) && oneOf(filters['orchestration_id'], o.id) &&
      oneOf(filters['profile_id'], o.sourceProfileId) && oneOf(filters['ref_id'], o.refId) &&
      created.matches(o.createdAtMs) &&
      (after === undefined || (order === 'ASC' ? o.seq > after : o.seq < after)));
    if (order === 'DESC') matches.reverse();
    const page = matches.slice(0, limit);
    const last = page[page.length - 1];
    // Sandbox assumption: of the two arrays ListOrchestrationsResponse declares, the list is sent as `orchestrations`.
    const body: { orchestrations: ReturnType<typeof orchestrationView>[]; next_page_cursor?: string } = { orchestrations: page.map(orchestrationView) };
    if (matches.length > limit && last) body.next_page_cursor = cursors.encode({ kind: 'orchestrations', after: last.seq, query });
    return body;
  });

  v2.get<{ Params: { id: string } }>('/orchestration/orchestrations/:id', {
    onRequest: read,
    schema: { params: { type: 'object', required: ['id'], properties: { id: ID } }, querystring: declaredQuery([]) },
  }, async (request: FastifyRequest<{ Params: { id: string } }>) => {
    const record = orchestrations.get(request.params.id);
    // Another operator's orchestration does not exist for this caller.
    if (!record || record.operator !== auth.operator(request)) throw notFound('orchestration', request.params.id);
    return orchestrationView(record);
  });
}
