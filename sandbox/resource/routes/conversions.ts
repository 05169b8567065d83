// /v2/conversion/stablecoins: create (debit now, settle later), list, get, cancel — stablecoin ⇄ USD at 1:1.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { APP_ASSETS, ASSET_PRECISION, type AppAsset } from '../../seed';
import { SCOPES } from '../auth-hook';
import { resetConnection } from '../chaos';
import { checkInOrder, requireFunds } from '../create-checks';
import { AMOUNT_PATTERN, canonicalAmount, parseRequestAmount } from '../decimal';
import { badRequest, notFound, ProblemError } from '../problems';
import { declaredQuery, parseLimit, parseOrder, parseTimestamp, single, type QueryValue } from '../query';
import type { ConversionRecord } from '../store';
import type { RouteContext } from '../types';
import { delegatedProfile } from './profiles';

interface CreateBody {
  profile_id: string;
  amount: string;
  source_asset: AppAsset;
  target_asset: AppAsset;
  ref_id?: string;
  identity_id?: string;
  account_id?: string;
  metadata?: Record<string, string>;
  recipient_profile_id?: string;
}

const ID = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const CREATE_CONVERSION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['profile_id', 'amount', 'source_asset', 'target_asset'],
  properties: {
    profile_id: ID,
    amount: { type: 'string', minLength: 1, maxLength: 40, pattern: AMOUNT_PATTERN },
    source_asset: { type: 'string', enum: APP_ASSETS },
    target_asset: { type: 'string', enum: APP_ASSETS },
    ref_id: ID,
    identity_id: ID,
    account_id: ID,
    recipient_profile_id: ID,
    metadata: { type: 'object', maxProperties: 32, propertyNames: { maxLength: 64 }, additionalProperties: { type: 'string', maxLength: 512 } },
  },
} as const;

const iso = (ms: number): string => new Date(ms).toISOString();

export function conversionView(c: ConversionRecord) {
  return {
    id: c.id,
    profile_id: c.profileId,
    amount: canonicalAmount(c.amount),
    source_asset: c.sourceAsset,
    target_asset: c.targetAsset,
    status: c.status,
    ...(c.refId !== undefined ? { ref_id: c.refId } : {}),
    identity_id: c.identityId,
    account_id: c.accountId,
    created_at: iso(c.createdAtMs),
    updated_at: iso(c.updatedAtMs),
    ...(c.settledAtMs !== undefined ? { settled_at: iso(c.settledAtMs) } : {}),
    ...(c.cancelledAtMs !== undefined ? { cancelled_at: iso(c.cancelledAtMs) } : {}),
    ...(c.metadata !== undefined ? { metadata: c.metadata } : {}),
    ...(c.recipientProfileId !== undefined ? { recipient_profile_id: c.recipientProfileId } : {}),
  };
}

/** The published filters of ListStablecoinConversions (there is no status filter). */
const LIST_SCALARS = ['profile_id', 'ref_id', 'order', 'limit', 'page_cursor', 'created_at.begin', 'created_at.end', 'updated_at.begin', 'updated_at.end'];

export function registerConversionRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, auth, cursors, chaos } = ctx;
  const read = auth.guard({ scope: SCOPES.readConversion });
  const write = auth.guard({ scope: SCOPES.writeConversion });
  const idParams = { type: 'object', required: ['id'], properties: { id: ID } } as const;

  /** The caller's conversion or 404 (conversions of other operators do not exist for this caller). */
  function ownConversion(request: FastifyRequest<{ Params: { id: string } }>): ConversionRecord {
    const record = store.conversion(request.params.id);
    if (!record || record.operator !== auth.operator(request)) throw notFound('conversion', request.params.id);
    return record;
  }

  v2.post<{ Body: CreateBody }>('/conversion/stablecoins', { onRequest: write, schema: { body: CREATE_CONVERSION_SCHEMA, querystring: declaredQuery([]) } }, async (request, reply) => {
    const operator = auth.operator(request);
    const body = request.body;
    const pair = [body.source_asset, body.target_asset];
    if (pair.filter((a) => a === 'USD').length !== 1) {
      throw badRequest(`cannot convert ${body.source_asset} to ${body.target_asset}; exactly one side must be USD`);
    }
    const precision = Math.min(ASSET_PRECISION[body.source_asset], ASSET_PRECISION[body.target_asset]);
    const amount = parseRequestAmount(body.amount, precision, `${body.source_asset}→${body.target_asset}`, body.source_asset);
    const profile = delegatedProfile(store, operator, body.profile_id);
    const recipient = body.recipient_profile_id === undefined ? undefined : delegatedProfile(store, operator, body.recipient_profile_id);
    // Optional; when given they must be the profile's identity account (a DEFAULT profile has none).
    for (const field of ['identity_id', 'account_id'] as const) {
      if (body[field] !== undefined && body[field] !== profile.seed[field]) {
        throw badRequest(`${field} ${body[field]} does not match the identity account of profile ${profile.seed.id}`);
      }
    }
    const idempotency = (): void => {
      if (body.ref_id === undefined) return;
      const existing = store.byRefId(operator, body.ref_id);
      if (existing) throw new ProblemError(409, `conversion already exists with ref_id '${body.ref_id}'`, { slug: 'already-exists', meta: { existing: conversionView(existing) } });
    };
    checkInOrder(chaos, idempotency, () => requireFunds(store, profile, body.source_asset, amount));
    if (chaos.roll('resetBeforeCommitRate')) return resetConnection(request, reply);
    const record = store.createConversion({
      operator, profile, amount, sourceAsset: body.source_asset, targetAsset: body.target_asset, refId: body.ref_id,
      identityId: body.identity_id, accountId: body.account_id, recipient, metadata: body.metadata,
    });
    if (chaos.roll('resetAfterCommitRate')) return resetConnection(request, reply);
    return conversionView(record);
  });

  v2.get<{ Querystring: Record<string, QueryValue> }>('/conversion/stablecoins', {
    onRequest: read,
    schema: { querystring: declaredQuery(LIST_SCALARS) },
  }, async (request) => {
    const operator = auth.operator(request);
    const q = request.query;
    const limit = parseLimit(q['limit']);
    const order = parseOrder(q['order'], 'DESC');
    const profileId = single('profile_id', q['profile_id']);
    const refId = single('ref_id', q['ref_id']);
    const range = {
      cb: parseTimestamp('created_at.begin', q['created_at.begin']), ce: parseTimestamp('created_at.end', q['created_at.end']),
      ub: parseTimestamp('updated_at.begin', q['updated_at.begin']), ue: parseTimestamp('updated_at.end', q['updated_at.end']),
    };
    const query = JSON.stringify([operator, order, profileId ?? null, refId ?? null, range]);
    const cursor = single('page_cursor', q['page_cursor']);
    const after = cursor === undefined ? undefined : cursors.decode(cursor, 'conversions', query);
    const matches = store.conversionsOf(operator).filter((c) =>
      (profileId === undefined || c.profileId === profileId) &&
      (refId === undefined || c.refId === refId) &&
      (range.cb === undefined || c.createdAtMs >= range.cb) && (range.ce === undefined || c.createdAtMs <= range.ce) &&
      (range.ub === undefined || c.updatedAtMs >= range.ub) && (range.ue === undefined || c.updatedAtMs <= range.ue) &&
      (after === undefined || (order === 'ASC' ? c.seq > after : c.seq < after)));
    if (order === 'DESC') matches.reverse();
    const page = matches.slice(0, limit);
    const last = page[page.length - 1];
    const body: { items: ReturnType<typeof conversionView>[]; next_page_cursor?: string } = { items: page.map(conversionView) };
    if (matches.length > limit && last) body.next_page_cursor = cursors.encode({ kind: 'conversions', after: last.seq, query });
    return body;
  });

  v2.get<{ Params: { id: string } }>('/conversion/stablecoins/:id', { onRequest: read, schema: { params: idParams, querystring: declaredQuery([]) } }, async (request) =>
    conversionView(ownConversion(request)));

  v2.delete<{ Params: { id: string } }>('/conversion/stablecoins/:id', { onRequest: write, schema: { params: idParams, querystring: declaredQuery([]) } }, async (request, reply) => {
    const record = ownConversion(request);
    // Sandbox assumption: the spec declares only 200/403/404 for DELETE; cancelling a conversion that is no
    // longer CREATED is a 400 about:blank naming its status.
    if (record.status !== 'CREATED') throw badRequest(`conversion ${record.id} is ${record.status} and can no longer be cancelled`);
    if (chaos.roll('resetBeforeCommitRate')) return resetConnection(request, reply);
    store.cancel(record);
    if (chaos.roll('resetAfterCommitRate')) return resetConnection(request, reply);
    return conversionView(record);
  });
}
