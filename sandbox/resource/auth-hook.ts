// Bearer-token authentication and authorization for the resource server: 401 with an RFC 6750 challenge, published 403s.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VerifiedToken } from '../auth/verify-token';
import type { ChaosEngine } from './chaos';
import { ProblemError } from './problems';
import type { Caller } from './types';

export const SCOPES = {
  readProfile: 'funding:read_profile',
  readAccount: 'identity:read_account',
  readConversion: 'conversion:read_conversion_stablecoin',
  writeConversion: 'conversion:write_conversion_stablecoin',
  readOrchestration: 'orchestration:read_orchestration',
  writeOrchestration: 'orchestration:write_orchestration',
} as const;

/** What a route demands of its caller. */
export interface Requirement {
  /** OAuth scope the token must carry. */
  scope?: string;
  /** When true, the tooling client's token passes without scope or operator (sandbox deposit). */
  allowTooling?: boolean;
}

export interface Auth {
  /** onRequest hook: verifies the token (401) and checks the requirement (403); remembers the caller. */
  guard(requirement: Requirement): (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Verifies the bearer token without chaos overrides (used by the admin endpoint). */
  authenticate(request: FastifyRequest, applyChaos: boolean): Promise<Caller>;
  /** The caller of a guarded request. */
  caller(request: FastifyRequest): Caller;
  /** The operator subject of a guarded request; 403 about:blank when the token acts for no operator. */
  operator(request: FastifyRequest): string;
}

export interface AuthOptions {
  verifyAccessToken(token: string): Promise<VerifiedToken>;
  toolingClientId: string;
  chaos: ChaosEngine;
}

/**
 * 401 about:blank "Unauthorized". Sandbox assumption (Paxos publishes no challenge): the RFC 6750 challenge is
 * `Bearer` when no bearer token was presented and `Bearer error="invalid_token"` when one was, with no realm.
 */
export function unauthorized(detail: string, presented: boolean): ProblemError {
  return new ProblemError(401, detail, { headers: { 'www-authenticate': presented ? 'Bearer error="invalid_token"' : 'Bearer' } });
}

/** The published missing-scope 403: about:blank "Forbidden", `insufficient scopes: found '…', required one of '[…]'`, no meta. */
export function insufficientScope(scope: string, found: readonly string[]): ProblemError {
  return new ProblemError(403, `insufficient scopes: found '${found.join(' ')}', required one of '[${scope}]'`);
}

const BEARER_RE = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

export function createAuth(options: AuthOptions): Auth {
  const callers = new WeakMap<FastifyRequest, Caller>();

  async function authenticate(request: FastifyRequest, applyChaos: boolean): Promise<Caller> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw unauthorized('missing access token', false);
    const match = BEARER_RE.exec(header);
    if (!match?.[1]) throw unauthorized('the Authorization header does not carry a bearer token', false);
    let token: VerifiedToken;
    try {
      token = await options.verifyAccessToken(match[1]);
    } catch {
      throw unauthorized('access token is invalid or expired', true);
    }
    if (applyChaos && options.chaos.tokenExpired(token.iat, Date.now())) throw unauthorized('access token is invalid or expired', true);
    const isTooling = token.clientId === options.toolingClientId;
    // client_credentials tokens (the tooling client's, whose `sub` is its client id) act for no operator.
    const operator = isTooling || token.sub === token.clientId ? undefined : token.sub;
    return { token, operator, isTooling };
  }

  return {
    authenticate,
    guard(requirement) {
      return async (request) => {
        const caller = await authenticate(request, true);
        callers.set(request, caller);
        if (requirement.allowTooling && caller.isTooling) return;
        if (requirement.scope !== undefined && !caller.token.scopes.includes(requirement.scope)) {
          throw insufficientScope(requirement.scope, caller.token.scopes);
        }
      };
    },
    caller(request) {
      const caller = callers.get(request);
      if (!caller) throw new Error('route is not guarded');
      return caller;
    },
    operator(request) {
      const { operator } = this.caller(request);
      // Sandbox assumption: /v2 answers only operators signed in with the authorization-code grant.
      if (operator === undefined) throw new ProblemError(403, 'this token acts for no operator: the sandbox serves /v2 to operators signed in with the authorization-code grant');
      return operator;
    },
  };
}
