// POST /v2/sandbox/profiles/{id}/deposit: credits a profile (delegated operator with funding:read_profile, or the tooling client).
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ASSET_PRECISION, ASSETS, type SandboxAsset } from '../../seed';
import { SCOPES } from '../auth-hook';
import { resetConnection } from '../chaos';
import { AMOUNT_PATTERN, parseRequestAmount } from '../decimal';
import { ProblemError } from '../problems';
import type { RouteContext } from '../types';
import { delegatedProfile } from './profiles';

export const DEPOSIT_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['asset', 'amount'],
  properties: {
    asset: { type: 'string', enum: ASSETS },
    amount: { type: 'string', minLength: 1, maxLength: 40, pattern: AMOUNT_PATTERN },
    crypto_network: { type: 'string', maxLength: 32 },
    crypto_address: { type: 'string', maxLength: 128 },
  },
} as const;

interface DepositBody { asset: SandboxAsset; amount: string; crypto_network?: string; crypto_address?: string }

export function registerDepositRoutes(v2: FastifyInstance, ctx: RouteContext): void {
  const { store, auth, chaos } = ctx;
  v2.post<{ Params: { profile_id: string }; Body: DepositBody }>('/sandbox/profiles/:profile_id/deposit', {
    onRequest: auth.guard({ scope: SCOPES.readProfile, allowTooling: true }),
    schema: { params: { type: 'object', required: ['profile_id'], properties: { profile_id: { type: 'string', minLength: 1, maxLength: 128 } } }, body: DEPOSIT_SCHEMA },
  }, async (request, reply) => {
    const { asset } = request.body;
    const amount = parseRequestAmount(request.body.amount, ASSET_PRECISION[asset], asset);
    const id = request.params.profile_id;
    const profile = auth.caller(request).isTooling ? store.profile(id) : delegatedProfile(store, auth.operator(request), id);
    if (!profile) throw new ProblemError(404, 'not-found', `profile ${id} not found`);
    if (chaos.roll('resetBeforeCommitRate')) return resetConnection(request, reply);
    store.deposit(profile, asset, amount);
    if (chaos.roll('resetAfterCommitRate')) return resetConnection(request, reply);
    return { activity_id: randomUUID() };
  });
}
