// Builds the sandbox resource server: a fastify app with the Paxos-v2-shaped /v2 API, chaos and the admin endpoint.
import Big from 'big.js';
import Fastify, { type FastifyInstance } from 'fastify';
import { createAuth } from './auth-hook';
import { chaosHook, createChaos, type ChaosController } from './chaos';
import { createCursorCodec } from './cursor';
import { DEFAULT_APPROVAL_THRESHOLD, OrchestrationBook } from './orchestration-book';
import { frameworkErrorHandler, installProblemHandlers } from './problems';
import { registerAccountRoutes } from './routes/accounts';
import { adminGuard, registerAdminRoutes } from './routes/admin';
import { createRateLimiter, installRateLimits, type RateLimitController } from './rate-limit';
import { createApprovalsController, registerApprovalRoutes, type ApprovalsController } from './routes/approvals';
import { registerConversionRoutes } from './routes/conversions';
import { registerDepositRoutes } from './routes/deposit';
import { registerOrchestrationRoutes } from './routes/orchestrations';
import { registerProfileRoutes } from './routes/profiles';
import { ResourceStore } from './store';
import type { ResourceServerOptions, RouteContext } from './types';

export type { ResourceServerOptions } from './types';
export type { ChaosController, ChaosOptions } from './chaos';
export type { RateLimitController, RateLimitStatus } from './rate-limit';
export type { ApprovalsController } from './routes/approvals';

/** Runtime control of how long new conversions stay CREATED (tests hold one open to cancel it), and orchestrations PROCESSING. */
export interface SettlementController {
  /** The delay, in milliseconds, that conversions created now get (and orchestrations that start processing now). */
  delayMs(): number;
  /** Sets the delay for conversions created (orchestrations processing) from now on; ones already under way keep theirs. */
  setDelayMs(ms: number): void;
}

/** A decimal approval threshold (USD equivalent, ≥ 0), or a RangeError naming the problem. */
export function parseApprovalThreshold(raw: string): Big {
  if (!/^[0-9]{1,12}(\.[0-9]{1,8})?$/.test(raw)) throw new RangeError(`the approval threshold must be a decimal amount such as 10000 or 2500.50, got "${raw}"`);
  return new Big(raw);
}

/**
 * Creates a resource server with its own in-memory state (nothing is shared between instances).
 * The caller listens: `await app.listen({ host: '127.0.0.1', port })` (the app is not yet `ready()`, so the
 * composition may still add hooks or routes). Closing the app cancels pending settlements.
 */
export async function createResourceServer(
  options: ResourceServerOptions,
): Promise<{ app: FastifyInstance; chaos: ChaosController; settlement: SettlementController; rateLimits: RateLimitController; approvals: ApprovalsController }> {
  const log = options.log ?? (() => {});
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    forceCloseConnections: true,
    // Bodies are validated strictly: no type coercion, unknown properties rejected (not stripped).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false } },
    frameworkErrors: frameworkErrorHandler,
  });
  installProblemHandlers(app, log);
  // The API speaks JSON only; other bodies get 415.
  app.removeContentTypeParser('text/plain');

  const chaos = createChaos(options.chaos);
  const store = new ResourceStore(options.seed, options.settleMs, log);
  const orchestrations = new OrchestrationBook(store, parseApprovalThreshold(options.approvalThreshold ?? DEFAULT_APPROVAL_THRESHOLD), log);
  const operators = options.seed.operators.map((o) => ({ sub: o.sub, email: o.email }));
  const ctx: RouteContext = {
    store,
    orchestrations,
    operators,
    chaos,
    cursors: createCursorCodec(),
    auth: createAuth({ verifyAccessToken: options.verifyAccessToken, toolingClientId: options.toolingClientId, chaos }),
  };
  app.addHook('onClose', async () => {
    store.close();
    orchestrations.close();
  });
  // Published rate limits (off unless asked for): counted before anything else a /v2 request meets.
  const rateLimits = options.rateLimiter ?? createRateLimiter(options.rateLimitScale ?? 0);
  installRateLimits(app, rateLimits, adminGuard(ctx));
  app.addHook('onResponse', async (request, reply) => {
    log(`resource: ${request.method} ${request.url.split('?')[0] ?? ''} ${reply.statusCode} ${Math.round(reply.elapsedTime)}ms`);
  });

  await app.register(async (v2) => {
    v2.addHook('onRequest', chaosHook(chaos));
    registerProfileRoutes(v2, ctx);
    registerAccountRoutes(v2, ctx);
    registerConversionRoutes(v2, ctx);
    registerOrchestrationRoutes(v2, ctx);
    registerDepositRoutes(v2, ctx);
  }, { prefix: '/v2' });
  registerAdminRoutes(app, ctx);
  const approvals = createApprovalsController(orchestrations, operators);
  registerApprovalRoutes(app, ctx, approvals);
  const settlement: SettlementController = {
    delayMs: () => store.settleDelayMs,
    setDelayMs: (ms) => {
      store.settleDelayMs = ms;
    },
  };
  return { app, chaos, settlement, rateLimits, approvals };
}
