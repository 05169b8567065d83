// Test harness: a real resource server on 127.0.0.1:0, ES256 tokens signed here and verified with jose, HTTP via undici.
import { STATUS_CODES } from 'node:http';
import Big from 'big.js';
import { generateKeyPair, jwtVerify, SignJWT, type CryptoKey } from 'jose';
import { request } from 'undici';
import { createResourceServer, type ApprovalsController, type ChaosController, type ChaosOptions, type RateLimitController, type SettlementController } from '../../../sandbox/resource/server';
import type { VerifiedToken } from '../../../sandbox/auth/verify-token';
import { buildSeed, type SeedData } from '../../../sandbox/seed';
import type { FastifyInstance } from 'fastify';
import { API_SCOPES } from '../../support/api-tokens';

export const ISSUER = 'http://127.0.0.1:4999';
export const AUDIENCE = 'sandbox-resource-test';
export const TOOLING = 'sandbox-tooling';
export const APP_CLIENT = 'partner-console';
export const ALL_SCOPES = ['openid', 'offline_access', ...API_SCOPES];
export const OPS = 'op-7c1e2a';
export const OPS2 = 'op-93bd04';
export const IDLE = 'op-0f5a61';

export interface TokenSpec {
  sub?: string | null;
  clientId?: string;
  scopes?: string[];
  /** Seconds relative to now. */
  iatOffset?: number;
  expOffset?: number;
  audience?: string;
  key?: CryptoKey;
}

export interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  ms: number;
}

export interface Harness {
  app: FastifyInstance;
  chaos: ChaosController;
  settlement: SettlementController;
  rateLimits: RateLimitController;
  approvals: ApprovalsController;
  base: string;
  seed: SeedData;
  /** Lines the server logged. */
  logs: string[];
  token(spec?: TokenSpec): Promise<string>;
  /** Operator token with every scope. */
  ops(sub?: string, scopes?: string[]): Promise<string>;
  tooling(): Promise<string>;
  call(method: string, path: string, opts?: { token?: string | null; body?: unknown; rawBody?: string; contentType?: string; headers?: Record<string, string> }): Promise<Reply>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  seed?: SeedData;
  settleMs?: number;
  /** Orchestration approval threshold (USD equivalent); the server's default when absent. */
  approvalThreshold?: string;
  chaos?: ChaosOptions;
  /** Published rate limits with the window and lockout scaled by this (absent: off). */
  rateLimitScale?: number;
  /** Called with the app before it listens (e.g. to record its traffic). */
  instrument?: (app: FastifyInstance) => void;
}

/** A real jose verifier over a locally generated ES256 key pair (issuer, audience, alg, typ and expiry all checked). */
async function keysAndVerifier() {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const verify = async (jwt: string): Promise<VerifiedToken> => {
    const { payload } = await jwtVerify(jwt, publicKey, { issuer: ISSUER, audience: AUDIENCE, algorithms: ['ES256'], typ: 'at+jwt' });
    if (typeof payload['client_id'] !== 'string' || typeof payload.iat !== 'number' || typeof payload.exp !== 'number') throw new Error('bad claims');
    const token: VerifiedToken = { clientId: payload['client_id'], scopes: String(payload['scope'] ?? '').split(' ').filter(Boolean), iat: payload.iat, exp: payload.exp };
    if (typeof payload.sub === 'string') token.sub = payload.sub;
    return token;
  };
  return { privateKey, verify };
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const { privateKey, verify } = await keysAndVerifier();
  const seed = options.seed ?? buildSeed(0);
  const logs: string[] = [];
  const { app, chaos, settlement, rateLimits, approvals } = await createResourceServer({
    verifyAccessToken: verify,
    seed,
    settleMs: options.settleMs ?? 60_000,
    ...(options.approvalThreshold !== undefined ? { approvalThreshold: options.approvalThreshold } : {}),
    toolingClientId: TOOLING,
    ...(options.chaos ? { chaos: options.chaos } : {}),
    ...(options.rateLimitScale !== undefined ? { rateLimitScale: options.rateLimitScale } : {}),
    log: (line) => logs.push(line),
  });
  options.instrument?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const base = `http://127.0.0.1:${address.port}`;

  const token = async (spec: TokenSpec = {}): Promise<string> => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = new SignJWT({ client_id: spec.clientId ?? APP_CLIENT, scope: (spec.scopes ?? ALL_SCOPES).join(' ') })
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(spec.audience ?? AUDIENCE)
      .setIssuedAt(now + (spec.iatOffset ?? 0))
      .setExpirationTime(now + (spec.expOffset ?? 3600));
    if (spec.sub !== null) jwt.setSubject(spec.sub ?? OPS);
    return jwt.sign(spec.key ?? privateKey);
  };

  return {
    app,
    chaos,
    settlement,
    rateLimits,
    approvals,
    base,
    seed,
    logs,
    token,
    ops: (sub = OPS, scopes = ALL_SCOPES) => token({ sub, scopes }),
    // Like the real authorization server: a client_credentials token's `sub` is the client id.
    tooling: () => token({ sub: TOOLING, clientId: TOOLING, scopes: [] }),
    async call(method, path, opts = {}) {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.token) headers['authorization'] = `Bearer ${opts.token}`;
      let body: string | undefined;
      if (opts.rawBody !== undefined) body = opts.rawBody;
      else if (opts.body !== undefined) body = JSON.stringify(opts.body);
      if (body !== undefined) headers['content-type'] = opts.contentType ?? 'application/json';
      const started = performance.now();
      const res = await request(base + path, { method: method as 'GET', headers, ...(body !== undefined ? { body } : {}) });
      const text = await res.body.text();
      const ms = performance.now() - started;
      let json: unknown;
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = undefined;
      }
      return { status: res.statusCode, headers: res.headers, text, json, ms };
    },
    close: () => app.close(),
  };
}

/** The problem slugs Paxos publishes that the sandbox uses; everything else on /v2 is `about:blank`. */
export const PUBLISHED_SLUGS = { 'already-exists': 'Already Exists', 'insufficient-funds': 'Insufficient Funds' } as const;
/** Problem kinds of the sandbox-only admin endpoints (`/_sandbox/*`, not part of /v2). */
export type AdminKind = 'not-loopback' | 'not-tooling-client' | 'unknown-approver' | 'same-operator' | 'not-pending' | 'not-open';

export interface ProblemJson { type: string; title: string; status: number; detail: string; meta?: Record<string, unknown> }

/**
 * Asserts an RFC 9457 problem as Paxos sends them: `about:blank` with the standard HTTP title and no meta (default),
 * a published slug under https://developer.paxos.com/docs/v2/problems/, or a sandbox admin kind. Returns the body.
 */
export function expectProblem(reply: Reply, status: number, type: 'about:blank' | keyof typeof PUBLISHED_SLUGS | AdminKind = 'about:blank'): ProblemJson {
  const problems: string[] = [];
  if (reply.status !== status) problems.push(`status ${reply.status} != ${status}: ${reply.text}`);
  if (!String(reply.headers['content-type']).startsWith('application/problem+json')) problems.push(`content-type ${String(reply.headers['content-type'])}`);
  const body = reply.json as Partial<ProblemJson> | undefined;
  const wanted = type === 'about:blank'
    ? { type: 'about:blank', title: STATUS_CODES[status] }
    : type in PUBLISHED_SLUGS
      ? { type: `https://developer.paxos.com/docs/v2/problems/${type}`, title: PUBLISHED_SLUGS[type as keyof typeof PUBLISHED_SLUGS] }
      : { type: `https://sandbox.partnerconsole.test/problems/${type}`, title: undefined };
  if (body?.type !== wanted.type) problems.push(`type ${String(body?.type)} != ${wanted.type}`);
  if (wanted.title !== undefined && body?.title !== wanted.title) problems.push(`title ${String(body?.title)} != ${wanted.title}`);
  if (typeof body?.title !== 'string' || body.title === '') problems.push('no title');
  if (body?.status !== status) problems.push(`body.status ${String(body?.status)}`);
  if (typeof body?.detail !== 'string' || body.detail === '') problems.push('no detail');
  if (type === 'about:blank' && body && 'meta' in body) problems.push(`about:blank problems carry no meta: ${JSON.stringify(body.meta)}`);
  if (problems.length > 0) throw new Error(`not the expected problem: ${problems.join('; ')}`);
  return reply.json;
}

/** The published missing-scope detail: `insufficient scopes: found '<granted>', required one of '[<scope>]'`. */
export function scopeDetail(granted: readonly string[], required: string): string {
  return `insufficient scopes: found '${granted.join(' ')}', required one of '[${required}]'`;
}

/** How the sandbox writes an amount (as the published examples do): "0" for zero, no leading zero below 1 (".25"). */
export function paxosDecimal(value: Big | string, places: number): string {
  const big = new Big(value);
  if (big.eq(0)) return '0';
  return big.toFixed(places).replace(/^(-?)0\./, '$1.');
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(check: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}
