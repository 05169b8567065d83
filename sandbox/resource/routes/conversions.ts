// /v2/conversion/stablecoins: create (debit now, settle later), list, get, cancel — stablecoin ⇄ USD at 1:1.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ASSET_PRECISION, ASSETS, type SandboxAsset } from '../../seed';
import { SCOPES } from '../auth-hook';
import { resetConnection } from '../chaos';
import { AMOUNT_PATTERN, canonicalAmount, formatAmount, parseRequestAmount } from '../decimal';
import { ProblemError } from '../problems';
import { parseLimit, parseList, parseOrder, parseTimestamp, single, STRING_OR_LIST, type QueryValue } from '../query';
import { CONVERSION_STATUSES, type ConversionRecord, type ConversionStatus } from '../store';
import type { RouteContext } from '../types';
import { delegatedProfile } from './profiles';

interface CreateBody {
  profile_id: string;
  amount: string;
  source_asset: SandboxAsset;
  target_asset: SandboxAsset;
  ref_id?: string;
  identity_id?: string;
  account_id?: string;
  metadata?: Record<string, string>;
}

const ID = { type: 'string', minLength: 1, maxLength: 128 } as const;

export const CREATE_CONVERSION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['profile_id', 'amount', 'source_asset', 'target_asset'],
  properties: {
    profile_id: ID,
    amount: { type: 'string', minLength: 1, maxLength: 40, pattern: AMOUNT_PATTERN },
    source_asset: { type: 'string', enum: ASSETS },
    target_asset: { type: 'string', enum: ASSETS },
    ref_id: ID,
    identity_id: ID,
    account_id: ID,
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
  };
}

interface ListQuery {
  profile_id?: QueryValue; ref_id?: QueryValue; statuses?: QueryValue; order?: QueryValue; limit?: QueryValue; page_cursor?: QueryValue;
  'created_at.begin'?: QueryValue; 'created_at.end'?: QueryValue; 'updated_at.begin'?: QueryValue; 'updated_at.end'?: QueryValue;
}

const LIST_KEYS = ['profile_id', 'ref_id', 'statuses', 'order', 'limit', 'page_cursor', 'created_at.begin', 'created_at.end', 'updated_at.begin', 'updated_at.end'];

function parseStatuses(value: QueryValue): ConversionStatus[] | undefined {
  const list = parseList(value);
  for (const s of list ?? []) {
    if (!(CONVERSION_STATUSES as readonly string[]).includes(s)) {
      throw new ProblemError(400, 'invalid-request', `unknown status "${s}"; expected ${CONVERSION_STATUSES.join(', ')}`);
    }
  }
  return list as ConversionStatus[] | undefined;
}

export function registerConversionRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, auth, cursors, chaos } = ctx;
  const read = auth.guard({ scope: SCOPES.readConversion });
  const write = auth.guard({ scope: SCOPES.writeConversion });
  const idParams = { type: 'object', required: ['id'], properties: { id: ID } } as const;

  /** The caller's conversion or 404 (conversions of other operators do not exist for this caller). */
  function ownConversion(request: FastifyRequest<{ Params: { id: string } }>): ConversionRecord {
    const record = store.conversion(request.params.id);
    if (!record || record.operator !== auth.operator(request)) throw new ProblemError(404, 'not-found', `conversion with id ${request.params.id} not found`);
    return record;
  }

  v2.post<{ Body: CreateBody }>('/conversion/stablecoins', { onRequest: write, schema: { body: CREATE_CONVERSION_SCHEMA } }, async (request, reply) => {
    const operator = auth.operator(request);
    const body = request.body;
    const pair = [body.source_asset, body.target_asset];
    if (pair.filter((a) => a === 'USD').length !== 1) {
      throw new ProblemError(400, 'invalid-asset-pair', `cannot convert ${body.source_asset} to ${body.target_asset}; exactly one side must be USD`, { source_asset: body.source_asset, target_asset: body.target_asset });
    }
    const precision = Math.min(ASSET_PRECISION[body.source_asset], ASSET_PRECISION[body.target_asset]);
    const amount = parseRequestAmount(body.amount, precision, `${body.source_asset}→${body.target_asset}`);
    const profile = delegatedProfile(store, operator, body.profile_id);
    for (const field of ['identity_id', 'account_id'] as const) {
      if (body[field] !== undefined && body[field] !== profile.seed[field]) {
        throw new ProblemError(400, 'identity-mismatch', `${field} does not match the delegated user of profile ${profile.seed.id}`, { field });
      }
    }
    if (body.ref_id !== undefined) {
      const existing = store.byRefId(operator, body.ref_id);
      if (existing) throw new ProblemError(409, 'already-exists', `conversion already exists with ref_id '${body.ref_id}'`, { existing: conversionView(existing) });
    }
    const available = store.available(profile, body.source_asset);
    if (available.lt(amount)) {
      throw new ProblemError(403, 'insufficient-funds', `insufficient ${body.source_asset} funds in profile ${profile.seed.id}: ${canonicalAmount(amount)} needed, ${formatAmount(available, body.source_asset)} available`, {
        asset: body.source_asset, needed: canonicalAmount(amount), available: formatAmount(available, body.source_asset), profile_id: profile.seed.id,
      });
    }
    if (chaos.roll('resetBeforeCommitRate')) return resetConnection(request, reply);
    const record = store.createConversion({ operator, profile, amount, sourceAsset: body.source_asset, targetAsset: body.target_asset, refId: body.ref_id, metadata: body.metadata });
    if (chaos.roll('resetAfterCommitRate')) return resetConnection(request, reply);
    return conversionView(record);
  });

  v2.get<{ Querystring: ListQuery }>('/conversion/stablecoins', {
    onRequest: read,
    schema: { querystring: { type: 'object', properties: Object.fromEntries(LIST_KEYS.map((k) => [k, STRING_OR_LIST])) } },
  }, async (request) => {
    const operator = auth.operator(request);
    const q = request.query;
    const limit = parseLimit(q.limit);
    const order = parseOrder(q.order, 'DESC');
    const profileId = single('profile_id', q.profile_id);
    const refId = single('ref_id', q.ref_id);
    const statuses = parseStatuses(q.statuses);
    const range = {
      cb: parseTimestamp('created_at.begin', q['created_at.begin']), ce: parseTimestamp('created_at.end', q['created_at.end']),
      ub: parseTimestamp('updated_at.begin', q['updated_at.begin']), ue: parseTimestamp('updated_at.end', q['updated_at.end']),
    };
    const query = JSON.stringify([operator, order, profileId ?? null, refId ?? null, statuses ?? null, range]);
    const cursor = single('page_cursor', q.page_cursor);
    const after = cursor === undefined ? undefined : cursors.decode(cursor, 'conversions', query);
    const matches = store.conversionsOf(operator).filter((c) =>
      (profileId === undefined || c.profileId === profileId) &&
      (refId === undefined || c.refId === refId) &&
      (statuses === undefined || statuses.length === 0 || statuses.includes(c.status)) &&
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

  v2.get<{ Params: { id: string } }>('/conversion/stablecoins/:id', { onRequest: read, schema: { params: idParams } }, async (request) =>
    conversionView(ownConversion(request)));

  v2.delete<{ Params: { id: string } }>('/conversion/stablecoins/:id', { onRequest: write, schema: { params: idParams } }, async (request, reply) => {
    const record = ownConversion(request);
    if (record.status !== 'CREATED') {
      throw new ProblemError(409, 'not-cancellable', `conversion ${record.id} is ${record.status} and can no longer be cancelled`, { status: record.status });
    }
    if (chaos.roll('resetBeforeCommitRate')) return resetConnection(request, reply);
    store.cancel(record);
    if (chaos.roll('resetAfterCommitRate')) return resetConnection(request, reply);
    return conversionView(record);
  });
}
