// Shared types of the resource server: what a verified caller is and what routes receive.
import type { VerifiedToken } from '../auth/verify-token';
import type { SeedData } from '../seed';
import type { Auth } from './auth-hook';
import type { ChaosEngine, ChaosOptions } from './chaos';
import type { CursorCodec } from './cursor';
import type { OrchestrationBook } from './orchestration-book';
import type { RateLimiter } from './rate-limit';
import type { ResourceStore } from './store';

export type { VerifiedToken } from '../auth/verify-token';

/** Options of `createResourceServer` (the composition in sandbox/start.ts depends on this shape). */
export interface ResourceServerOptions {
  /** Verifies a bearer access token; throws if it is invalid, expired or for another audience. */
  verifyAccessToken(token: string): Promise<VerifiedToken>;
  seed: SeedData;
  /** Delay before a conversion moves CREATED → SETTLED, and an orchestration PROCESSING → COMPLETED. */
  settleMs: number;
  /** Orchestrations above this amount (USD equivalent, a decimal string) wait in PENDING for approval; default 10000. */
  approvalThreshold?: string;
  /** client_credentials client whose tokens may call /_sandbox/* and deposit into any profile. */
  toolingClientId: string;
  /** Initial chaos settings; off by default. */
  chaos?: ChaosOptions;
  /** The sandbox's rate limiter (shared with the token endpoint); by default one of its own at `rateLimitScale`. */
  rateLimiter?: RateLimiter;
  /** Published limits with the window and lockout multiplied by this (0 or absent: off). Ignored when `rateLimiter` is given. */
  rateLimitScale?: number;
  /** Line logger (stderr in the CLI). Tokens are never logged. */
  log?: (line: string) => void;
}

/** Who is calling, once the bearer token has been verified. */
export interface Caller {
  token: VerifiedToken;
  /** Operator subject (`sub`), absent for client_credentials tokens. */
  operator: string | undefined;
  /** True when the token was issued to the sandbox tooling client. */
  isTooling: boolean;
}

/** What every route module receives from the server (one set per server instance). */
export interface RouteContext {
  store: ResourceStore;
  orchestrations: OrchestrationBook;
  /** Subjects and e-mails of the seeded operators (approvers are named by either). */
  operators: readonly { readonly sub: string; readonly email: string }[];
  auth: Auth;
  cursors: CursorCodec;
  chaos: ChaosEngine;
}
