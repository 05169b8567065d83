// Verifies sandbox access tokens (JWTs for the /v2 resource) against the authorization server's JWKS.
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';

/** What the resource server learns from a valid access token. */
export interface VerifiedToken {
  /** Operator subject; absent for client_credentials tokens (whose JWT `sub` is the client id). */
  sub?: string;
  clientId: string;
  scopes: string[];
  iat: number;
  exp: number;
}

export interface TokenVerifierOptions {
  /** Authorization server issuer, e.g. `http://127.0.0.1:P/` (with the trailing slash, as Paxos's). */
  issuer: string;
  /** Expected `aud`, the API base URL, e.g. `http://127.0.0.1:Q/v2`. */
  audience: string;
  /** JWKS location; defaults to `.well-known/jwks.json` under the issuer. */
  jwksUri?: string;
}

/** Signature algorithms the sandbox signs access tokens with. */
export const ACCESS_TOKEN_ALGORITHMS = ['ES256'] as const;

function readClaims(payload: JWTPayload): VerifiedToken {
  const clientId = payload['client_id'];
  if (typeof clientId !== 'string' || clientId === '') throw new Error('access token has no client_id');
  if (typeof payload.iat !== 'number' || typeof payload.exp !== 'number') {
    throw new Error('access token has no iat/exp');
  }
  const scope = payload['scope'];
  const scopes = typeof scope === 'string' ? scope.split(' ').filter((s) => s !== '') : [];
  const token: VerifiedToken = { clientId, scopes, iat: payload.iat, exp: payload.exp };
  // oidc-provider sets `sub` to the client id on client_credentials tokens; only operators count as subjects.
  if (typeof payload.sub === 'string' && payload.sub !== clientId) token.sub = payload.sub;
  return token;
}

/** Tokens remembered after a successful verification (each exactly as presented, signature included). */
const REMEMBERED_TOKENS = 256;

/**
 * Returns a function that verifies a JWT access token (signature via the remote JWKS, issuer,
 * audience, algorithm, expiry, `typ: at+jwt`) and throws on anything invalid or expired.
 * A token that verified is remembered until its `exp` (the signing key never changes while the sandbox runs), so a
 * client sending thousands of requests with one token does not pay an ES256 verification for each: as a gateway would.
 */
export function createTokenVerifier(options: TokenVerifierOptions): (token: string) => Promise<VerifiedToken> {
  const jwks = createRemoteJWKSet(new URL(options.jwksUri ?? new URL('.well-known/jwks.json', options.issuer).href));
  const verified = new Map<string, VerifiedToken>();
  return async (token: string): Promise<VerifiedToken> => {
    const known = verified.get(token);
    if (known && known.exp > Date.now() / 1000) return { ...known, scopes: [...known.scopes] };
    verified.delete(token);
    const { payload } = await jwtVerify(token, jwks, {
      issuer: options.issuer,
      audience: options.audience,
      algorithms: [...ACCESS_TOKEN_ALGORITHMS],
      typ: 'at+jwt',
      clockTolerance: 0,
    });
    const claims = readClaims(payload);
    if (verified.size >= REMEMBERED_TOKENS) verified.delete(verified.keys().next().value as string);
    verified.set(token, claims);
    return { ...claims, scopes: [...claims.scopes] };
  };
}
