// GET /v2/identity/accounts and /v2/identity/accounts/{id} (scope identity:read_account): the delegated users' accounts.
import type { FastifyInstance } from 'fastify';
import { SCOPES } from '../auth-hook';
import { notFound } from '../problems';
import { declaredQuery, parseLimit, parseOrder, parseOrderBy, single, timeFilter, timeParams, type QueryValue } from '../query';
import type { AccountState } from '../store';
import type { RouteContext } from '../types';

/**
 * The published Account. Sandbox assumptions: every account is a BROKERAGE account, APPROVED, whose only member is
 * the profile's delegated user as BENEFICIAL_OWNER, created (and last updated) when its profile was.
 */
export function accountView(a: AccountState) {
  const at = new Date(a.profile.createdAtMs).toISOString();
  return {
    id: a.id,
    identity_id: a.identityId,
    profile_id: a.profile.seed.id,
    type: 'BROKERAGE',
    summary_status: 'APPROVED',
    members: [{ identity_id: a.identityId, roles: ['BENEFICIAL_OWNER'] }],
    created_at: at,
    updated_at: at,
  };
}

const LIST_SCALARS = ['limit', 'page_cursor', 'order', 'order_by', 'identity_id', ...timeParams('created_at'), ...timeParams('updated_at')];

export function registerAccountRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, auth, cursors } = ctx;
  const guard = auth.guard({ scope: SCOPES.readAccount });

  v2.get<{ Querystring: Record<string, QueryValue> }>('/identity/accounts', {
    onRequest: guard,
    schema: { querystring: declaredQuery(LIST_SCALARS) },
  }, async (request) => {
    const operator = auth.operator(request);
    const q = request.query;
    const limit = parseLimit(q['limit']);
    const order = parseOrder(q['order'], 'ASC');
    parseOrderBy(q['order_by']);
    const identityId = single('identity_id', q['identity_id']);
    const created = timeFilter('created_at', q);
    const updated = timeFilter('updated_at', q);
    const query = JSON.stringify([operator, order, identityId ?? null, created.key, updated.key]);
    const cursor = single('page_cursor', q['page_cursor']);
    const start = cursor === undefined ? 0 : cursors.decode(cursor, 'accounts', query);
    // Accounts never change in the sandbox, so updated_at equals created_at.
    let all = store.accountsOf(operator).filter((a) =>
      (identityId === undefined || a.identityId === identityId) && created.matches(a.profile.createdAtMs) && updated.matches(a.profile.createdAtMs));
    if (order === 'DESC') all = all.reverse();
    const page = all.slice(start, start + limit);
    const end = start + page.length;
    const body: { items: ReturnType<typeof accountView>[]; next_page_cursor?: string } = { items: page.map(accountView) };
    if (end < all.length) body.next_page_cursor = cursors.encode({ kind: 'accounts', after: end, query });
    return body;
  });

  v2.get<{ Params: { id: string } }>('/identity/accounts/:id', {
    onRequest: guard,
    schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 128 } } }, querystring: declaredQuery([]) },
  }, async (request) => {
    const account = store.account(request.params.id);
    // Another operator's account does not exist for this caller.
    if (!account || account.profile.seed.operator !== auth.operator(request)) throw notFound('account', request.params.id);
    return accountView(account);
  });
}
