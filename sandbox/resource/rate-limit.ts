// Paxos's published rate limits, enforced: per endpoint family and client IP, averaged over a (scaled) 5-minute window; a
// request over the limit gets 429 and locks that IP out of the API and token endpoint for the (scaled) 5-minute lockout.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from './problems';

/** Published: 50/s for most endpoints, 10/s for some identity paths, 1/s for /oauth2/token; 5-minute window and lockout. */
export const PUBLISHED_LIMITS = {
  windowSeconds: 300,
  lockoutSeconds: 300,
  perSecond: { orders: 50, profiles: 50, balances: 50, identity: 10, sandbox: 50, token: 1, other: 50 },
} as const;
export type Family = keyof typeof PUBLISHED_LIMITS.perSecond;

/** What the limiter enforces now. `scale` multiplies the window and the lockout (the per-second rates stay as published). */
export type RateLimitStatus =
  | { readonly enabled: false }
  | {
      readonly enabled: true;
      readonly scale: number;
      readonly windowSeconds: number;
      readonly lockoutSeconds: number;
      readonly perSecond: Readonly<Record<Family, number>>;
    };

export interface RateLimitController {
  get(): RateLimitStatus;
  /** `scale` 0 turns limiting off. Clears every window, lockout and the 429 count. */
  set(options: { scale: number }): RateLimitStatus;
  /** 429s sent since start (or the last set()). */
  rejected(): number;
  /** Requests let through since start (or the last set()), per family (0 for all while limits are off). */
  accepted(): Readonly<Record<Family, number>>;
  /** IPs locked out now, and until when (epoch ms). */
  lockedOut(): Array<{ ip: string; until: number }>;
}

export interface RateLimiter extends RateLimitController {
  /** Counts one request of `family` from `ip`; null lets it through, else the end of the lockout (epoch ms) to answer 429 with. */
  check(ip: string, family: Family): number | null;
}

/** The family of a /v2 path (`/v2/profiles/p1/balances` → balances). */
export function familyOf(path: string): Family {
  const [first, second, third] = (path.split('?')[0] ?? '').replace(/^\/v2\//, '/').split('/').filter((s) => s !== '');
  if (first === 'orchestration' || first === 'conversion') return 'orders';
  if (first === 'profiles') return second !== undefined && third === 'balances' ? 'balances' : 'profiles';
  if (first === 'identity') return 'identity';
  if (first === 'sandbox') return 'sandbox';
  return 'other';
}

export function validScale(scale: unknown): number {
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale < 0 || scale > 100) throw new RangeError('rate limit scale must be a number from 0 (off) to 100');
  return scale;
}

function statusOf(scale: number): RateLimitStatus {
  if (scale === 0) return { enabled: false };
  return { enabled: true, scale, windowSeconds: PUBLISHED_LIMITS.windowSeconds * scale, lockoutSeconds: PUBLISHED_LIMITS.lockoutSeconds * scale, perSecond: PUBLISHED_LIMITS.perSecond };
}

/**
 * One limiter per sandbox, shared by the resource server and the authorization server's token endpoint (one IP, one
 * lockout). Each (IP, family) keeps the times of its requests in the window; over `perSecond × window`, the request is
 * refused and the IP locked out. Requests refused during a lockout are counted but neither extend it nor enter a window.
 */
export function createRateLimiter(initialScale = 0, now: () => number = Date.now): RateLimiter {
  let scale = validScale(initialScale);
  let status = statusOf(scale);
  let windows = new Map<string, { times: number[]; head: number }>();
  let lockouts = new Map<string, number>();
  let rejected = 0;
  const none = (): Record<Family, number> => ({ orders: 0, profiles: 0, balances: 0, identity: 0, sandbox: 0, token: 0, other: 0 });
  let accepted = none();
  return {
    get: () => status,
    set(options) {
      scale = validScale(options.scale);
      status = statusOf(scale);
      windows = new Map();
      lockouts = new Map();
      rejected = 0;
      accepted = none();
      return status;
    },
    rejected: () => rejected,
    accepted: () => ({ ...accepted }),
    lockedOut() {
      const t = now();
      return [...lockouts].filter(([, until]) => until > t).map(([ip, until]) => ({ ip, until }));
    },
    check(ip, family) {
      if (!status.enabled) return null;
      const t = now();
      const locked = lockouts.get(ip);
      if (locked !== undefined && locked > t) {
        rejected += 1;
        return locked;
      }
      const windowMs = status.windowSeconds * 1000;
      const key = `${ip} ${family}`;
      let w = windows.get(key);
      if (!w) windows.set(key, (w = { times: [], head: 0 }));
      while (w.head < w.times.length && (w.times[w.head] as number) <= t - windowMs) w.head += 1;
      if (w.head > 4096 && w.head * 2 > w.times.length) {
        w.times = w.times.slice(w.head);
        w.head = 0;
      }
      if (w.times.length - w.head + 1 > status.perSecond[family] * status.windowSeconds) {
        const until = t + status.lockoutSeconds * 1000;
        lockouts.set(ip, until);
        rejected += 1;
        return until;
      }
      w.times.push(t);
      accepted[family] += 1;
      return null;
    },
  };
}

/** The 429 every throttled request gets: `about:blank`, no `Retry-After` (Paxos documents none). */
export function tooManyRequests(): ProblemError {
  return new ProblemError(429, 'too many requests: this IP is throttled; try again later');
}

/**
 * Installs the limiter on the resource server: every `/v2` request is counted first (before chaos, auth and routes), and
 * `/_sandbox/rate-limits` reads (GET) or replaces (POST `{ scale }`) the settings, for loopback tooling callers (`guard`).
 */
export function installRateLimits(app: FastifyInstance, limiter: RateLimiter, guard: (request: FastifyRequest) => Promise<void>): void {
  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/v2/')) return;
    if (limiter.check(request.ip, familyOf(request.url)) !== null) throw tooManyRequests();
  });
  const view = () => ({ ...limiter.get(), rejected: limiter.rejected(), lockedOut: limiter.lockedOut().map((l) => ({ ip: l.ip, until: new Date(l.until).toISOString() })) });
  app.get('/_sandbox/rate-limits', { onRequest: guard }, async () => view());
  app.post<{ Body: { scale: number } }>(
    '/_sandbox/rate-limits',
    { onRequest: guard, schema: { body: { type: 'object', additionalProperties: false, required: ['scale'], properties: { scale: { type: 'number', minimum: 0, maximum: 100 } } } } },
    async (request) => {
      limiter.set({ scale: request.body.scale });
      return view();
    },
  );
}
