// Chaos knobs (off by default): latency, 5xx, connection resets around writes, 429 bursts, early token expiry, funds before ref_id.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ProblemError } from './problems';

/** Chaos settings. Every knob is off when absent. Randomness comes from a seeded PRNG so runs repeat. */
export interface ChaosOptions {
  /** Added delay before every /v2 request is handled, in ms. */
  latencyMs?: number;
  /** Probability (0..1) that a /v2 request answers 503 before its handler runs (nothing is written). */
  errorRate?: number;
  /** Probability (0..1) that a valid POST/DELETE write has its connection reset before the write is applied. */
  resetBeforeCommitRate?: number;
  /** Probability (0..1) that a POST/DELETE write is applied and then its connection reset (client never sees the 200). */
  resetAfterCommitRate?: number;
  /** After every `every` /v2 requests, the next `length` (default 1) requests get 429 with `Retry-After: retryAfterSeconds`. */
  rateLimitBurst?: { every: number; length?: number; retryAfterSeconds: number };
  /** Tokens whose `iat` is at least this many seconds ago are rejected as expired on /v2. */
  tokenExpiryOverrideSeconds?: number;
  /**
   * Creates (conversions and orchestrations) check validation, delegation and funds BEFORE the ref_id idempotency check,
   * as a server may: a resend of a POST that already landed and spent the funds meets 403 `insufficient-funds`, not 409.
   */
  fundsBeforeIdempotency?: boolean;
  /** PRNG seed; defaults to 1. Setting options restarts the sequence. */
  seed?: number;
}

/** In-process control of a server's chaos settings. */
export interface ChaosController {
  get(): ChaosOptions;
  /** Replaces all settings (validated; throws RangeError/TypeError on bad values) and restarts the PRNG. */
  set(options: ChaosOptions): void;
}

/** The controller plus the decisions the server asks of it. */
export interface ChaosEngine extends ChaosController {
  latencyMs(): number;
  /** Draws for a random knob; false without drawing when the rate is 0 or unset. */
  roll(knob: 'errorRate' | 'resetBeforeCommitRate' | 'resetAfterCommitRate'): boolean;
  /** Whether creates check funds before the ref_id (the `fundsBeforeIdempotency` knob). */
  fundsBeforeIdempotency(): boolean;
  /** Counts a /v2 request; returns Retry-After seconds when it falls in a 429 burst, else null. */
  rateLimit(): number | null;
  /** True when chaos says a token issued at `iat` (seconds) is expired at `nowMs`. */
  tokenExpired(iat: number, nowMs: number): boolean;
}

export const DEFAULT_CHAOS_SEED = 1;

/** mulberry32: small, fast, seedable PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function rate(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1) throw new RangeError(`${name} must be a number in [0, 1]`);
  return value;
}

function count(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}`);
  return value;
}

const KNOWN_KEYS = new Set(['latencyMs', 'errorRate', 'resetBeforeCommitRate', 'resetAfterCommitRate', 'rateLimitBurst', 'tokenExpiryOverrideSeconds', 'fundsBeforeIdempotency', 'seed']);

/** Validates untrusted settings and returns a clean copy (unknown keys rejected). */
export function normalizeChaosOptions(input: unknown): ChaosOptions {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new TypeError('chaos options must be an object');
  const src = input as Record<string, unknown>;
  for (const key of Object.keys(src)) if (!KNOWN_KEYS.has(key)) throw new TypeError(`unknown chaos option "${key}"`);
  const out: ChaosOptions = {};
  if (src['latencyMs'] !== undefined) out.latencyMs = count('latencyMs', src['latencyMs'], 0);
  if (src['errorRate'] !== undefined) out.errorRate = rate('errorRate', src['errorRate']);
  if (src['resetBeforeCommitRate'] !== undefined) out.resetBeforeCommitRate = rate('resetBeforeCommitRate', src['resetBeforeCommitRate']);
  if (src['resetAfterCommitRate'] !== undefined) out.resetAfterCommitRate = rate('resetAfterCommitRate', src['resetAfterCommitRate']);
  if (src['tokenExpiryOverrideSeconds'] !== undefined) out.tokenExpiryOverrideSeconds = count('tokenExpiryOverrideSeconds', src['tokenExpiryOverrideSeconds'], 0);
  if (src['seed'] !== undefined) out.seed = count('seed', src['seed'], 0);
  const fundsFirst = src['fundsBeforeIdempotency'];
  if (fundsFirst !== undefined) {
    if (typeof fundsFirst !== 'boolean') throw new TypeError('fundsBeforeIdempotency must be true or false');
    if (fundsFirst) out.fundsBeforeIdempotency = true; // false is the default: left out, so `{}` still means chaos off
  }
  const burst = src['rateLimitBurst'];
  if (burst !== undefined) {
    if (typeof burst !== 'object' || burst === null) throw new TypeError('rateLimitBurst must be an object');
    const b = burst as Record<string, unknown>;
    for (const key of Object.keys(b)) if (!['every', 'length', 'retryAfterSeconds'].includes(key)) throw new TypeError(`unknown rateLimitBurst option "${key}"`);
    out.rateLimitBurst = { every: count('rateLimitBurst.every', b['every'], 1), retryAfterSeconds: count('rateLimitBurst.retryAfterSeconds', b['retryAfterSeconds'], 0) };
    if (b['length'] !== undefined) out.rateLimitBurst.length = count('rateLimitBurst.length', b['length'], 1);
  }
  return out;
}

function flagNumber(key: string, raw: string): number {
  if (!/^[0-9]+(\.[0-9]+)?$/.test(raw)) throw new TypeError(`--chaos ${key}: "${raw}" is not a number`);
  return Number(raw);
}

function flagBoolean(key: string, raw: string): boolean {
  if (raw === '1' || raw === 'true') return true;
  if (raw === '0' || raw === 'false') return false;
  throw new TypeError(`--chaos ${key}: "${raw}" is not true/false/1/0`);
}

/**
 * Parses the CLI form `latency=20,error-rate=0.1,reset-before-commit=0.2,reset-after-commit=0.3,
 * rate-limit-every=10,rate-limit-length=2,retry-after=1,token-expiry=30,funds-before-idempotency=1,seed=42`.
 * Throws on unknown keys or bad values.
 */
export function parseChaosFlag(flag: string): ChaosOptions {
  const raw: Record<string, unknown> = {};
  const burst: Record<string, number> = {};
  for (const part of flag.split(',').map((s) => s.trim()).filter((s) => s !== '')) {
    const eq = part.indexOf('=');
    if (eq <= 0) throw new TypeError(`--chaos: expected key=value, got "${part}"`);
    const key = part.slice(0, eq).trim();
    if (key === 'funds-before-idempotency') {
      raw['fundsBeforeIdempotency'] = flagBoolean(key, part.slice(eq + 1).trim());
      continue;
    }
    const value = flagNumber(key, part.slice(eq + 1).trim());
    switch (key) {
      case 'latency': case 'latency-ms': raw['latencyMs'] = value; break;
      case 'error-rate': raw['errorRate'] = value; break;
      case 'reset-before-commit': raw['resetBeforeCommitRate'] = value; break;
      case 'reset-after-commit': raw['resetAfterCommitRate'] = value; break;
      case 'rate-limit-every': burst['every'] = value; break;
      case 'rate-limit-length': burst['length'] = value; break;
      case 'retry-after': burst['retryAfterSeconds'] = value; break;
      case 'token-expiry': raw['tokenExpiryOverrideSeconds'] = value; break;
      case 'seed': raw['seed'] = value; break;
      default: throw new TypeError(`--chaos: unknown key "${key}"`);
    }
  }
  if (Object.keys(burst).length > 0) {
    if (burst['every'] === undefined) throw new TypeError('--chaos: rate-limit-length/retry-after need rate-limit-every');
    raw['rateLimitBurst'] = { retryAfterSeconds: 1, ...burst };
  }
  return normalizeChaosOptions(raw);
}

/** A per-server chaos engine; nothing is shared between instances. */
export function createChaos(initial: ChaosOptions = {}): ChaosEngine {
  let options: ChaosOptions = normalizeChaosOptions(initial);
  let random = mulberry32(options.seed ?? DEFAULT_CHAOS_SEED);
  let requests = 0;
  let burstLeft = 0;
  return {
    get: () => structuredClone(options),
    set(next) {
      options = normalizeChaosOptions(next);
      random = mulberry32(options.seed ?? DEFAULT_CHAOS_SEED);
      requests = 0;
      burstLeft = 0;
    },
    latencyMs: () => options.latencyMs ?? 0,
    fundsBeforeIdempotency: () => options.fundsBeforeIdempotency === true,
    roll(knob) {
      const p = options[knob] ?? 0;
      return p > 0 && random() < p;
    },
    rateLimit() {
      const burst = options.rateLimitBurst;
      if (burst === undefined) return null;
      if (burstLeft > 0) {
        burstLeft -= 1;
        return burst.retryAfterSeconds;
      }
      requests += 1;
      if (requests % burst.every === 0) {
        burstLeft = (burst.length ?? 1) - 1;
        return burst.retryAfterSeconds;
      }
      return null;
    },
    tokenExpired(iat, nowMs) {
      const limit = options.tokenExpiryOverrideSeconds;
      return limit !== undefined && nowMs / 1000 - iat >= limit;
    },
  };
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** onRequest hook for /v2: latency, then 429 bursts, then injected 5xx. */
export function chaosHook(chaos: ChaosEngine) {
  return async (): Promise<void> => {
    const latency = chaos.latencyMs();
    if (latency > 0) await sleep(latency);
    const retryAfter = chaos.rateLimit();
    if (retryAfter !== null) {
      // Retry-After is the chaos knob's (Paxos documents none); the body is a plain about:blank problem.
      throw new ProblemError(429, 'rate limit exceeded (sandbox chaos)', { headers: { 'retry-after': String(retryAfter) } });
    }
    if (chaos.roll('errorRate')) {
      throw new ProblemError(503, 'temporarily unavailable (sandbox chaos)');
    }
  };
}

/** Drops the connection abruptly (TCP RST where possible): the client sees a socket error, never a response. */
export function resetConnection(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.hijack();
  const socket = request.raw.socket;
  if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
  else socket.destroy();
  return reply;
}
