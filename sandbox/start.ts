// Composes the sandbox: the /v2 resource server and the authorization server on 127.0.0.1, with shared seed data.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { ToolingCredentials } from './auth/clients';
import { TOOLING_CLIENT_ID } from './auth/clients';
import { LOOPBACK_HOST, startAuthServer, type AuthServer } from './auth/server';
import { createTokenVerifier, type VerifiedToken } from './auth/verify-token';
import { createRateLimiter, type RateLimitController } from './resource/rate-limit';
import { createResourceServer, type ApprovalsController, type ChaosController, type ChaosOptions, type SettlementController } from './resource/server';
import { buildSeed, type SeedData } from './seed';

/** Default delay before a conversion settles, in milliseconds. */
export const DEFAULT_SETTLE_MS = 2000;

export interface SandboxOptions {
  /** Authorization server port; 0 (default) picks a free one. */
  authPort?: number;
  /** Resource server port; 0 (default) picks a free one. */
  apiPort?: number;
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Authorization code lifetime in seconds (default 60); tests shorten it. */
  authorizationCodeTtl?: number;
  /** RFC 9207: `iss` in authorization responses, advertised in discovery. Off by default, as on Paxos. */
  rfc9207Iss?: boolean;
  /** Conversion settlement (and orchestration processing) delay in ms (default 2000). */
  settleMs?: number;
  /** Orchestrations above this amount (USD equivalent, decimal string) wait in PENDING for a second operator (default 10000). */
  approvalThreshold?: string;
  /** Extra generated profiles delegated to ops@partner.test. */
  seedProfiles?: number;
  /** Initial chaos settings for the resource server (off by default). */
  chaos?: ChaosOptions;
  /**
   * Paxos's published rate limits, per endpoint family and IP, with the 5-minute window and lockout multiplied by this
   * (0.01: 3 s), on the API and the token endpoint. Absent or 0: off (the default here; the CLI defaults to 1).
   */
  rateLimitScale?: number;
  /** Receives log lines (the CLI sends them to stderr); silent by default. */
  log?: (line: string) => void;
  /** Called with the resource server's fastify app before it listens, e.g. to add hooks that record its traffic. */
  instrumentApi?: (app: FastifyInstance) => void;
}

export interface Sandbox {
  /** `http://127.0.0.1:P/` (trailing slash, like Paxos's issuer) */
  issuer: string;
  /** `http://127.0.0.1:Q/v2` */
  api: string;
  tooling: ToolingCredentials;
  seed: SeedData;
  /** Runtime control of the resource server's chaos knobs. */
  chaos: ChaosController;
  /** Runtime control of the settlement delay (the `settleMs` of conversions created from then on). */
  settlement: SettlementController;
  /** The rate limits in force (scale, window, lockout), changed at runtime with set(); counts the 429s sent. */
  rateLimits: RateLimitController;
  /** The approval threshold in force (USD equivalent, decimal string), as the ready line reports it. */
  approvalThreshold: string;
  /** In-process approvals (the loopback `/_sandbox/approvals` endpoint applies the same rules). */
  approvals: ApprovalsController;
  close(): Promise<void>;
}

/**
 * Starts both servers: the API first (its URL is the token audience), then the authorization server.
 * Tokens are verified against the new issuer's JWKS; everything lives in memory and dies with close().
 */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const log = options.log ?? (() => undefined);
  const seed = buildSeed(options.seedProfiles ?? 0);
  // The issuer is only known once the auth server listens, which happens after the API listens.
  let verify: ((token: string) => Promise<VerifiedToken>) | undefined;
  const verifyAccessToken = (token: string): Promise<VerifiedToken> =>
    verify ? verify(token) : Promise.reject(new Error('the authorization server is not ready'));

  const rateLimits = createRateLimiter(options.rateLimitScale ?? 0);
  const { app, chaos, settlement, approvals } = await createResourceServer({
    rateLimiter: rateLimits,
    verifyAccessToken,
    seed,
    settleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
    ...(options.approvalThreshold !== undefined ? { approvalThreshold: options.approvalThreshold } : {}),
    toolingClientId: TOOLING_CLIENT_ID,
    ...(options.chaos ? { chaos: options.chaos } : {}),
    log,
  });
  let auth: AuthServer | undefined;
  try {
    options.instrumentApi?.(app);
    await app.listen({ host: LOOPBACK_HOST, port: options.apiPort ?? 0 });
    const api = `http://${LOOPBACK_HOST}:${(app.server.address() as AddressInfo).port}/v2`;
    auth = await startAuthServer({
      apiUrl: api,
      operators: seed.operators,
      ...(options.authPort !== undefined ? { port: options.authPort } : {}),
      ...(options.accessTokenTtl !== undefined ? { accessTokenTtl: options.accessTokenTtl } : {}),
      ...(options.authorizationCodeTtl !== undefined ? { authorizationCodeTtl: options.authorizationCodeTtl } : {}),
      ...(options.rfc9207Iss !== undefined ? { rfc9207Iss: options.rfc9207Iss } : {}),
      throttleToken: (ip) => rateLimits.check(ip, 'token') !== null,
      log,
    });
    verify = createTokenVerifier({ issuer: auth.issuer, audience: api });
    const started = auth;
    log(`sandbox: issuer ${auth.issuer}, api ${api}, approval threshold ${approvals.threshold()} USD`);
    return {
      issuer: auth.issuer,
      api,
      tooling: auth.tooling,
      seed,
      chaos,
      settlement,
      rateLimits,
      approvalThreshold: approvals.threshold(),
      approvals,
      close: async () => {
        await Promise.allSettled([started.close(), app.close()]);
      },
    };
  } catch (error) {
    await Promise.allSettled([auth?.close(), app.close()]);
    throw error;
  }
}
