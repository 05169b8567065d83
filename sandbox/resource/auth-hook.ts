// Bearer-token authentication and authorization for the resource server (RFC 6750 challenges, scopes, operators).
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VerifiedToken } from '../auth/verify-token';
import type { ChaosEngine } from './chaos';
import { ProblemError } from './problems';
import type { Caller } from './types';

export const REALM = 'partner-console-sandbox';

export const SCOPES = {
  readProfile: 'funding:read_profile',
  readConversion: 'conversion:read_conversion_stablecoin',
  writeConversion: 'conversion:write_conversion_stablecoin',
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
  /** The operator subject of a guarded request; 403 not-delegated when the token has none. */
  operator(request: FastifyRequest): string;
}

export interface AuthOptions {
  verifyAccessToken(token: string): Promise<VerifiedToken>;
  toolingClientId: string;
  chaos: ChaosEngine;
}

/** 401 with `WWW-Authenticate: Bearer error="invalid_token"` — used for missing, malformed, invalid and expired tokens alike. */
export function invalidToken(description: string): ProblemError {
  return new ProblemError(401, 'invalid-token', description, undefined, {
    'www-authenticate': `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`,
  });
}

export function insufficientScope(scope: string, found: readonly string[]): ProblemError {
  return new ProblemError(403, 'insufficient-scope', `insufficient scopes: found "${found.join(' ')}", required "${scope}"`, { required_scope: scope }, {
    'www-authenticate': `Bearer realm="${REALM}", error="insufficient_scope", scope="${scope}"`,
  });
}

const BEARER_RE = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/;

export function createAuth(options: AuthOptions): Auth {
  const callers = new WeakMap<FastifyRequest, Caller>();

  async function authenticate(request: FastifyRequest, applyChaos: boolean): Promise<Caller> {
    const header = request.headers.authorization;
    if (header === undefined || header === '') throw invalidToken('missing access token');
    const match = BEARER_RE.exec(header);
    if (!match?.[1]) throw invalidToken('malformed Authorization header');
    let token: VerifiedToken;
    try {
      token = await options.verifyAccessToken(match[1]);
    } catch {
      throw invalidToken('access token is invalid or expired');
    }
    if (applyChaos && options.chaos.tokenExpired(token.iat, Date.now())) throw invalidToken('access token is invalid or expired');
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
      if (operator === undefined) throw new ProblemError(403, 'not-delegated', 'this token does not act for an operator (no subject)');
      return operator;
    },
  };
}
