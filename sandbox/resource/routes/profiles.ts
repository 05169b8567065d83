// GET /v2/profiles, /v2/profiles/{id}, /v2/profiles/{id}/balances and /balances/{asset} (scope funding:read_profile).
import Big from 'big.js';
import type { FastifyInstance } from 'fastify';
import { ASSETS, type SandboxAsset } from '../../seed';
import { SCOPES } from '../auth-hook';
import { formatAmount, isAsset } from '../decimal';
import { ProblemError } from '../problems';
import { parseLimit, parseList, parseOrder, single, STRING_OR_LIST, type QueryValue } from '../query';
import type { ProfileState, ResourceStore } from '../store';
import type { RouteContext } from '../types';

const ZERO = new Big(0);
const PROFILE_ID = { type: 'object', required: ['profile_id'], properties: { profile_id: { type: 'string', minLength: 1, maxLength: 128 } } } as const;

/** A profile of the caller's operator: 404 if it does not exist, 403 not-delegated if another operator's. */
export function delegatedProfile(store: ResourceStore, operator: string, profileId: string): ProfileState {
  const profile = store.profile(profileId);
  if (!profile) throw new ProblemError(404, 'not-found', `profile ${profileId} not found`);
  if (profile.seed.operator !== operator) {
    throw new ProblemError(403, 'not-delegated', `profile ${profileId} is not delegated to this operator`, { profile_id: profileId });
  }
  return profile;
}

export function profileView(p: ProfileState) {
  return { id: p.seed.id, nickname: p.seed.nickname, type: p.seed.type, identity_id: p.seed.identity_id, account_id: p.seed.account_id, created_at: p.createdAt };
}

export function balanceView(store: ResourceStore, p: ProfileState, asset: SandboxAsset) {
  return { asset, available: formatAmount(store.available(p, asset), asset), trading: formatAmount(ZERO, asset) };
}

function assetOrThrow(value: string): SandboxAsset {
  if (!isAsset(value)) throw new ProblemError(400, 'invalid-asset', `unknown asset "${value}"; expected one of ${ASSETS.join(', ')}`, { asset: value });
  return value;
}

interface ListQuery { limit?: QueryValue; page_cursor?: QueryValue; order?: QueryValue; nickname?: QueryValue }

export function registerProfileRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, auth, cursors } = ctx;
  const guard = auth.guard({ scope: SCOPES.readProfile });

  v2.get<{ Querystring: ListQuery }>('/profiles', {
    onRequest: guard,
    schema: { querystring: { type: 'object', properties: { limit: STRING_OR_LIST, page_cursor: STRING_OR_LIST, order: STRING_OR_LIST, nickname: STRING_OR_LIST } } },
  }, async (request) => {
    const operator = auth.operator(request);
    const limit = parseLimit(request.query.limit);
    const order = parseOrder(request.query.order, 'ASC');
    const nickname = single('nickname', request.query.nickname)?.toLowerCase();
    const query = JSON.stringify([operator, order, nickname ?? null]);
    const cursor = single('page_cursor', request.query.page_cursor);
    const start = cursor === undefined ? 0 : cursors.decode(cursor, 'profiles', query);
    let all = [...store.profilesOf(operator)];
    if (order === 'DESC') all.reverse();
    if (nickname !== undefined) all = all.filter((p) => p.seed.nickname.toLowerCase().startsWith(nickname));
    const page = all.slice(start, start + limit);
    const end = start + page.length;
    const body: { items: ReturnType<typeof profileView>[]; next_page_cursor?: string } = { items: page.map(profileView) };
    if (end < all.length) body.next_page_cursor = cursors.encode({ kind: 'profiles', after: end, query });
    return body;
  });

  v2.get<{ Params: { profile_id: string } }>('/profiles/:profile_id', { onRequest: guard, schema: { params: PROFILE_ID } }, async (request) => {
    return profileView(delegatedProfile(store, auth.operator(request), request.params.profile_id));
  });

  v2.get<{ Params: { profile_id: string }; Querystring: { assets?: QueryValue } }>('/profiles/:profile_id/balances', {
    onRequest: guard,
    schema: { params: PROFILE_ID, querystring: { type: 'object', properties: { assets: STRING_OR_LIST } } },
  }, async (request) => {
    const profile = delegatedProfile(store, auth.operator(request), request.params.profile_id);
    const wanted = parseList(request.query.assets)?.map(assetOrThrow);
    const assets = wanted === undefined || wanted.length === 0 ? ASSETS : ASSETS.filter((a) => wanted.includes(a));
    return { items: assets.map((a) => balanceView(store, profile, a)) };
  });

  v2.get<{ Params: { profile_id: string; asset: string } }>('/profiles/:profile_id/balances/:asset', {
    onRequest: guard,
    schema: { params: { type: 'object', required: ['profile_id', 'asset'], properties: { profile_id: { type: 'string', maxLength: 128 }, asset: { type: 'string', maxLength: 32 } } } },
  }, async (request) => {
    const profile = delegatedProfile(store, auth.operator(request), request.params.profile_id);
    return balanceView(store, profile, assetOrThrow(request.params.asset));
  });
}
