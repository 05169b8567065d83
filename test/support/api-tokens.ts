// Test sessions for the API client: an ES256 issuer whose JWTs the real resource server verifies with jose, and an AccessTokenSource over it.
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type CryptoKey, type JWK } from 'jose';
import { appError } from '../../shared/app-error';
import { AuthUnavailableError, type AccessTokenSource } from '../../electron/core/auth/access-token';
import type { VerifiedToken } from '../../sandbox/auth/verify-token';

export const TEST_ISSUER = 'http://127.0.0.1:4999';
export const TEST_AUDIENCE = 'partner-console-api-test';
export const APP_CLIENT_ID = 'partner-console';
export const TOOLING_CLIENT_ID = 'sandbox-tooling';
/** The published API scopes the sandbox grants (one list for every test; the sandbox keeps its own in sandbox/auth/scopes.ts). */
export const API_SCOPES = [
  'funding:read_profile',
  'identity:read_account',
  'conversion:read_conversion_stablecoin',
  'conversion:write_conversion_stablecoin',
  'orchestration:read_orchestration',
  'orchestration:write_orchestration',
];
export const OPS = { subject: 'op-7c1e2a', email: 'ops@partner.test' };
export const OPS2 = { subject: 'op-93bd04', email: 'ops2@partner.test' };

export interface TokenClaims {
  /** Operator subject; null for a client_credentials-style token. */
  readonly sub?: string | null;
  readonly clientId?: string;
  readonly scopes?: readonly string[];
  /** Seconds relative to now. */
  readonly iatOffset?: number;
  readonly expOffset?: number;
}

export interface TestIssuer {
  verify(jwt: string): Promise<VerifiedToken>;
  sign(claims?: TokenClaims): Promise<string>;
  /** The signing key, so a child process can mint tokens the parent's server accepts. */
  privateJwk(): Promise<JWK>;
  /** Replaces the key pair: tokens signed before no longer verify (a hard signing-key rotation). */
  rotate(): Promise<void>;
}

/** A fresh ES256 key pair (or the given private JWK) with a verifier that checks issuer, audience, alg, typ and expiry. */
export async function createTestIssuer(jwk?: JWK): Promise<TestIssuer> {
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  if (jwk) {
    privateKey = (await importJWK(jwk, 'ES256')) as CryptoKey;
    const { d: _d, ...pub } = jwk;
    publicKey = (await importJWK(pub, 'ES256')) as CryptoKey;
  } else {
    ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
  }
  return {
    async verify(jwt) {
      const { payload } = await jwtVerify(jwt, publicKey, { issuer: TEST_ISSUER, audience: TEST_AUDIENCE, algorithms: ['ES256'], typ: 'at+jwt' });
      if (typeof payload['client_id'] !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') throw new Error('bad claims');
      const token: VerifiedToken = { clientId: payload['client_id'], scopes: String(payload['scope'] ?? '').split(' ').filter(Boolean), iat: payload.iat, exp: payload.exp };
      if (typeof payload.sub === 'string') token.sub = payload.sub;
      return token;
    },
    async sign(claims = {}) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ client_id: claims.clientId ?? APP_CLIENT_ID, scope: (claims.scopes ?? API_SCOPES).join(' '), jti: crypto.randomUUID() })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
        .setIssuer(TEST_ISSUER)
        .setAudience(TEST_AUDIENCE)
        .setIssuedAt(now + (claims.iatOffset ?? 0))
        .setExpirationTime(now + (claims.expOffset ?? 3600));
      if (claims.sub !== null) jwt.setSubject(claims.sub ?? OPS.subject);
      return jwt.sign(privateKey);
    },
    privateJwk: () => exportJWK(privateKey),
    async rotate() {
      ({ privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true }));
    },
  };
}

export interface TestTokenSource extends AccessTokenSource {
  /** Every token handed out, for leak scans. */
  readonly issued: readonly string[];
  /** Refreshes actually performed (single-flight: concurrent 401s share one). */
  refreshes(): number;
  /** The current token becomes one the server rejects as expired; the next refresh repairs it. */
  expireCurrent(): Promise<void>;
  /** When set, refreshing also yields rejected tokens (the server keeps answering 401). */
  breakRefresh(broken: boolean): void;
  /** Aborts `signal`; later calls throw AuthUnavailableError(signed_out). */
  signOut(): void;
  /** A new session for the same operator: fresh signal and token. */
  signIn(): void;
  setScopes(scopes: readonly string[]): void;
}

export interface TestSessionOptions {
  readonly operator?: { subject: string; email: string };
  readonly scopes?: readonly string[];
  /** What `scopes()` reports, when it should differ from the token's scopes ([] = the session does not know). */
  readonly reportedScopes?: readonly string[];
}

export function createTestTokenSource(issuer: TestIssuer, options: TestSessionOptions = {}): TestTokenSource {
  const operator = options.operator ?? OPS;
  let scopes = [...(options.scopes ?? API_SCOPES)];
  const issued: string[] = [];
  let controller = new AbortController();
  let current: Promise<string> | null = null;
  let refreshing: Promise<string> | null = null;
  let refreshCount = 0;
  let broken = false;
  let signedOut = false;

  const mint = async (expired: boolean): Promise<string> => {
    const token = await issuer.sign({ sub: operator.subject, scopes, ...(expired ? { iatOffset: -7200, expOffset: -3600 } : {}) });
    issued.push(token);
    return token;
  };
  const ensureSignedIn = (): void => {
    if (signedOut) throw new AuthUnavailableError(appError('signed_out', 'Signed out.'));
  };

  return {
    get signal() {
      return controller.signal;
    },
    issued,
    async getAccessToken() {
      ensureSignedIn();
      current ??= mint(false);
      return current;
    },
    async refreshAfterUnauthorized(stale) {
      ensureSignedIn();
      const now = await (current ?? Promise.resolve(''));
      if (now !== stale && now !== '') return now;
      refreshing ??= (async () => {
        refreshCount += 1;
        const next = mint(broken);
        current = next;
        return next;
      })().finally(() => {
        refreshing = null;
      });
      return refreshing;
    },
    scopes: () => options.reportedScopes ?? scopes,
    operator: () => (signedOut ? null : operator),
    refreshes: () => refreshCount,
    async expireCurrent() {
      current = mint(true);
      await current;
    },
    breakRefresh(value) {
      broken = value;
    },
    signOut() {
      signedOut = true;
      controller.abort(new Error('signed out'));
      controller = new AbortController();
      controller.abort(new Error('signed out'));
    },
    signIn() {
      signedOut = false;
      controller = new AbortController();
      current = null;
    },
    setScopes(next) {
      scopes = [...next];
      current = null;
    },
  };
}
