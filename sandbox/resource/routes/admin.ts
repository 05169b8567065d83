// /_sandbox/chaos: read or replace chaos settings; loopback callers holding a tooling-client token only.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { normalizeChaosOptions, type ChaosOptions } from '../chaos';
import { ProblemError } from '../problems';
import type { RouteContext } from '../types';

/** True for IPv4/IPv6 loopback, including IPv4-mapped IPv6 (`::ffff:127.x.y.z`). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const RATE = { type: 'number', minimum: 0, maximum: 1 } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;

export const CHAOS_OPTIONS_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    latencyMs: { type: 'integer', minimum: 0, maximum: 60_000 },
    errorRate: RATE,
    resetBeforeCommitRate: RATE,
    resetAfterCommitRate: RATE,
    rateLimitBurst: {
      type: 'object',
      additionalProperties: false,
      required: ['every', 'retryAfterSeconds'],
      properties: { every: { type: 'integer', minimum: 1 }, length: { type: 'integer', minimum: 1 }, retryAfterSeconds: COUNT },
    },
    tokenExpiryOverrideSeconds: COUNT,
    fundsBeforeIdempotency: { type: 'boolean' },
    seed: { type: 'integer', minimum: 0, maximum: 4294967295 },
  },
} as const;

/** 403 `not-loopback` unless the peer is on a loopback address: every `/_sandbox/*` endpoint checks this first. */
export function requireLoopback(request: FastifyRequest): void {
  if (!isLoopbackAddress(request.socket.remoteAddress)) {
    throw new ProblemError(403, 'the sandbox admin endpoint only answers loopback clients', { sandboxKind: 'not-loopback' });
  }
}

/** Guards `/_sandbox/*`: loopback peer first (403 not-loopback), then a valid token (401), then the tooling client (403). */
export function adminGuard(ctx: Pick<RouteContext, 'auth'>): (request: FastifyRequest) => Promise<void> {
  return async (request) => {
    requireLoopback(request);
    const caller = await ctx.auth.authenticate(request, false);
    if (!caller.isTooling) throw new ProblemError(403, 'only the sandbox tooling client may change chaos settings', { sandboxKind: 'not-tooling-client' });
  };
}

export function registerAdminRoutes(app: FastifyInstance, ctx: RouteContext): void {
  const { chaos } = ctx;
  const guard = adminGuard(ctx);

  app.get('/_sandbox/chaos', { onRequest: guard }, async () => chaos.get());

  app.post<{ Body: ChaosOptions }>('/_sandbox/chaos', { onRequest: guard, schema: { body: CHAOS_OPTIONS_SCHEMA } }, async (request) => {
    let next: ChaosOptions;
    try {
      next = normalizeChaosOptions(request.body);
    } catch (error) {
      throw new ProblemError(400, (error as Error).message);
    }
    chaos.set(next);
    return chaos.get();
  });
}
