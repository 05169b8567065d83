// GET /v2/profiles, /v2/profiles/{id}, /v2/profiles/{id}/balances and /balances/{asset} (scope funding:read_profile).
import Big from 'big.js';
import type { FastifyInstance } from 'fastify';
import { LISTED_ASSETS, type ListedAsset } from '../../seed';
import { SCOPES } from '../auth-hook';
import { formatAmount, isListedAsset } from '../decimal';
import { badRequest, notFound } from '../problems';
import { declaredQuery, exploded, parseBoolean, parseLimit, parseOrder, parseOrderBy, single, timeFilter, timeParams, type QueryValue } from '../query';
import type { ProfileState, ResourceStore } from '../store';
import type { RouteContext } from '../types';

const ZERO = new Big(0);
const PROFILE_ID = { type: 'object', required: ['profile_id'], properties: { profile_id: { type: 'string', minLength: 1, maxLength: 128 } } } as const;

/**
 * A profile delegated to the caller's operator. One that does not exist and one delegated to someone else get the
 * same 404 about:blank (Paxos answers 404 for what does not exist for the customer; delegation is a sandbox assumption).
 */
export function delegatedProfile(store: ResourceStore, operator: string, profileId: string): ProfileState {
  const profile = store.profile(profileId);
  if (!profile || profile.seed.operator !== operator) throw notFound('profile', profileId);
  return profile;
}

/** The published Profile: id, nickname, type (the hidden account_id and the optional description are not served). */
export function profileView(p: ProfileState) {
  return { id: p.seed.id, nickname: p.seed.nickname, type: p.seed.type };
}

export function balanceView(store: ResourceStore, p: ProfileState, asset: ListedAsset) {
  return { asset, available: formatAmount(store.available(p, asset), asset), trading: formatAmount(ZERO, asset) };
}

function assetOrThrow(value: string): ListedAsset {
  if (!isListedAsset(value)) throw badRequest(`unknown asset "${value}"; expected one of ${LISTED_ASSETS.join(', ')}`);
  return value;
}

const LIST_SCALARS = ['limit', 'page_cursor', 'order', 'order_by', 'nickname', ...timeParams('created_at')];
type ListQuery = Record<string, QueryValue>;

export function registerProfileRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, auth, cursors } = ctx;
  const guard = auth.guard({ scope: SCOPES.readProfile });

  v2.get<{ Querystring: ListQuery }>('/profiles', {
    onRequest: guard,
    schema: { querystring: declaredQuery(LIST_SCALARS, ['ids']) },
  }, async (request) => {
    const operator = auth.operator(request);
    const q = request.query;
    const limit = parseLimit(q['limit']);
    const order = parseOrder(q['order'], 'ASC');
    parseOrderBy(q['order_by']);
    // Sandbox assumption: nickname matches as a case-insensitive prefix.
    const nickname = single('nickname', q['nickname'])?.toLowerCase();
    const ids = exploded(q['ids']);
    const created = timeFilter('created_at', q);
    const query = JSON.stringify([operator, order, nickname ?? null, ids ?? null, created.key]);
    const cursor = single('page_cursor', q['page_cursor']);
    const start = cursor === undefined ? 0 : cursors.decode(cursor, 'profiles', query);
    let all = store.profilesOf(operator).filter((p) =>
      (nickname === undefined || p.seed.nickname.toLowerCase().startsWith(nickname)) &&
      (ids === undefined || ids.includes(p.seed.id)) &&
      created.matches(p.createdAtMs));
    if (order === 'DESC') all = all.reverse();
    const page = all.slice(start, start + limit);
    const end = start + page.length;
    const body: { items: ReturnType<typeof profileView>[]; next_page_cursor?: string } = { items: page.map(profileView) };
    if (end < all.length) body.next_page_cursor = cursors.encode({ kind: 'profiles', after: end, query });
    return body;
  });

  v2.get<{ Params: { profile_id: string }; Querystring: ListQuery }>('/profiles/:profile_id', {
    onRequest: guard,
    schema: { params: PROFILE_ID, querystring: declaredQuery(['include_deactivated']) },
  }, async (request) => {
    // Accepted as published; the sandbox has no deactivated profiles, so it changes nothing.
    parseBoolean('include_deactivated', request.query['include_deactivated']);
    return profileView(delegatedProfile(store, auth.operator(request), request.params.profile_id));
  });

  v2.get<{ Params: { profile_id: string }; Querystring: ListQuery }>('/profiles/:profile_id/balances', {
    onRequest: guard,
    schema: { params: PROFILE_ID, querystring: declaredQuery([], ['assets']) },
  }, async (request) => {
    const profile = delegatedProfile(store, auth.operator(request), request.params.profile_id);
    // `assets` is exploded: every repetition is one asset name ("USD,USDP" is one, unknown, name).
    const wanted = exploded(request.query['assets'])?.map(assetOrThrow);
    const assets = wanted === undefined ? LISTED_ASSETS : LISTED_ASSETS.filter((a) => wanted.includes(a));
    return { items: assets.map((a) => balanceView(store, profile, a)) };
  });

  v2.get<{ Params: { profile_id: string; asset: string } }>('/profiles/:profile_id/balances/:asset', {
    onRequest: guard,
    schema: {
      params: { type: 'object', required: ['profile_id', 'asset'], properties: { profile_id: { type: 'string', maxLength: 128 }, asset: { type: 'string', maxLength: 32 } } },
      querystring: declaredQuery([]),
    },
  }, async (request) => {
    const profile = delegatedProfile(store, auth.operator(request), request.params.profile_id);
    return balanceView(store, profile, assetOrThrow(request.params.asset));
  });
}
