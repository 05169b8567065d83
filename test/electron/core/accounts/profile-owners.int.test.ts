// Who owns each profile, for orders: an order that joins a listing of identity accounts which then fails (a token the
// server stopped accepting while it was in flight) lists them again instead of refusing the order.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProfileOwners } from '../../../../electron/core/accounts/profile-owners';
import { createApiDispatcher } from '../../../../electron/core/api/dispatcher';
import { createApiClient } from '../../../../electron/core/api/http-client';
import { createPaxosApi } from '../../../../electron/core/api/paxos-api';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';

let sb: ApiSandbox;
/** The next listings of identity accounts to answer 401 (as after a signing-key rotation), and a gate on the first. */
let refuse = 0;
let release!: () => void;
const gate = new Promise<void>((resolve) => (release = resolve));
let listings = 0;

beforeAll(async () => {
  sb = await startApiSandbox({
    instrument: (app) =>
      app.addHook('onRequest', async (request, reply) => {
        if (!request.url.startsWith('/v2/identity/accounts')) return;
        listings += 1;
        if (listings === 1) await gate;
        if (refuse > 0) {
          refuse -= 1;
          await reply.code(401).header('www-authenticate', 'Bearer error="invalid_token"').type('application/problem+json').send({ type: 'about:blank', title: 'Unauthorized', status: 401 });
        }
      }),
  });
});
afterAll(async () => {
  await sb.close();
});

describe('profile owners for an order', () => {
  it('lists again when the listing it waited for failed, and the order gets its owner', async () => {
    const client = createApiClient({ baseUrl: sb.api, dispatcher: createApiDispatcher(), tokens: sb.session() });
    const owners = createProfileOwners({ api: createPaxosApi(client), scopes: () => [], onLoaded: () => {} });
    const signal = new AbortController().signal;
    refuse = 2; // the listing and its one replay after a refresh
    const background = owners.load(signal);
    const profile = sb.seed.profiles.find((p) => p.nickname === 'Blue Harbor LLC')!;
    const forOrder = owners.forOrder(profile.id, signal);
    release();
    await background;
    const res = await forOrder;
    expect(res.ok && res.value).toEqual({ identityId: profile.identity_id, accountId: profile.account_id });
    expect(listings).toBe(3);
  });
});
