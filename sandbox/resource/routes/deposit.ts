// POST /v2/sandbox/profiles/{id}/deposit: credits a profile (delegated operator with funding:read_profile, or the tooling client).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ASSET_PRECISION, LISTED_ASSETS, type ListedAsset } from '../../seed';
import { SCOPES } from '../auth-hook';
import { resetConnection } from '../chaos';
import { AMOUNT_PATTERN, parseRequestAmount } from '../decimal';
import { notFound } from '../problems';
import { declaredQuery } from '../query';
import type { RouteContext } from '../types';
import { delegatedProfile } from './profiles';

/** The published CryptoNetwork enum. */
export const CRYPTO_NETWORKS = [
  'BITCOIN', 'ETHEREUM', 'BITCOIN_CASH', 'LITECOIN', 'SOLANA', 'POLYGON_POS', 'BASE', 'ARBITRUM_ONE', 'STELLAR', 'INK', 'XLAYER',
  'AVALANCHE', 'DOGECOIN', 'SUI', 'ROBINHOOD', 'BNB',
] as const;

/** The published CreateSandboxDepositRequest; unknown fields are rejected (sandbox assumption) and `asset` must be listed. */
export const DEPOSIT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['asset', 'amount'],
  properties: {
    asset: { type: 'string', enum: LISTED_ASSETS },
    amount: { type: 'string', minLength: 1, maxLength: 40, pattern: AMOUNT_PATTERN },
    crypto_network: { type: 'string', enum: CRYPTO_NETWORKS },
    crypto_address: { type: 'string', maxLength: 128 },
  },
} as const;

interface DepositBody { asset: ListedAsset; amount: string; crypto_network?: string; crypto_address?: string }

export function registerDepositRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, auth, chaos } = ctx;
  v2.post<{ Params: { profile_id: string }; Body: DepositBody }>('/sandbox/profiles/:profile_id/deposit', {
    onRequest: auth.guard({ scope: SCOPES.readProfile, allowTooling: true }),
    schema: {
      params: { type: 'object', required: ['profile_id'], properties: { profile_id: { type: 'string', minLength: 1, maxLength: 128 } } },
      querystring: declaredQuery([]),
      body: DEPOSIT_SCHEMA,
    },
  }, async (request, reply) => {
    const { asset } = request.body;
    const amount = parseRequestAmount(request.body.amount, ASSET_PRECISION[asset], asset);
    const id = request.params.profile_id;
    const profile = auth.caller(request).isTooling ? store.profile(id) : delegatedProfile(store, auth.operator(request), id);
    if (!profile) throw notFound('profile', id);
    if (chaos.roll('resetBeforeCommitRate')) return resetConnection(request, reply);
    store.deposit(profile, asset, amount);
    if (chaos.roll('resetAfterCommitRate')) return resetConnection(request, reply);
    return { activity_id: randomUUID() };
  });
}
