// Paxos's published rate limits as data: the endpoint families a request path falls in, the defaults, per-environment overrides.
import { z } from 'zod';

/**
 * Paxos limits each endpoint per IP. The budget groups endpoints into families (several endpoints counted against one
 * endpoint's limit is the safe side): orders = `/orchestration/*` and `/conversion/*`, their reads and status polls
 * included; `balances` = `/profiles/{id}/balances…`; `profiles` = the rest of `/profiles`; `identity` = `/identity/*`;
 * `token` = the authorization server's `/oauth2/token`.
 */
export const ENDPOINT_FAMILIES = ['orders', 'profiles', 'balances', 'identity', 'sandbox', 'token', 'other'] as const;
export type EndpointFamily = (typeof ENDPOINT_FAMILIES)[number];

/** Who goes first when a family's window is spent or a lockout ends: orders, then what the operator sees, then the rest. */
export const PRIORITIES = ['order', 'visible', 'background'] as const;
export type Priority = (typeof PRIORITIES)[number];

export interface RateLimits {
  /** The averaging window (Paxos: 5 minutes). */
  readonly windowMs: number;
  /** How long a 429 throttles the IP (Paxos: 5 minutes). */
  readonly lockoutMs: number;
  /** Share of each limit kept unused (0.2: the budget sends at most 80 % of what the window allows). */
  readonly margin: number;
  /** Published requests per second, averaged over the window, per family. */
  readonly perSecond: Readonly<Record<EndpointFamily, number>>;
}

/**
 * Published (shared/paxos-v2/README.md): 50/s for most endpoints, 10/s for some identity paths (which ones is not
 * published, so every identity path counts as 10/s), 1/s for `/oauth2/token`, averaged over 5 minutes; a 429 throttles
 * the IP for 5 minutes.
 */
export const PUBLISHED_RATE_LIMITS: RateLimits = {
  windowMs: 300_000,
  lockoutMs: 300_000,
  margin: 0.2,
  perSecond: { orders: 50, profiles: 50, balances: 50, identity: 10, sandbox: 50, token: 1, other: 50 },
};

/** The default family of each priority-less call: orders and their polls are essential, everything else background. */
export function defaultPriority(family: EndpointFamily): Priority {
  return family === 'orders' || family === 'token' ? 'order' : 'background';
}

/** The family of an API path below the base (`/profiles/p1/balances?assets=USD` → `balances`), or of a token URL path. */
export function familyOf(path: string): EndpointFamily {
  const end = path.indexOf('?');
  const p = end < 0 ? path : path.slice(0, end);
  if (p.endsWith('/oauth2/token')) return 'token';
  // Segments by hand: this runs for every request (10,000 for a large book's balances).
  const start = p.startsWith('/') ? 1 : 0;
  const firstEnd = p.indexOf('/', start);
  const first = firstEnd < 0 ? p.slice(start) : p.slice(start, firstEnd);
  switch (first) {
    case 'orchestration':
    case 'conversion':
      return 'orders';
    case 'profiles': {
      if (firstEnd < 0) return 'profiles';
      const secondEnd = p.indexOf('/', firstEnd + 1);
      if (secondEnd < 0 || secondEnd === firstEnd + 1) return 'profiles';
      const thirdEnd = p.indexOf('/', secondEnd + 1);
      return p.slice(secondEnd + 1, thirdEnd < 0 ? undefined : thirdEnd) === 'balances' ? 'balances' : 'profiles';
    }
    case 'identity':
      return 'identity';
    case 'sandbox':
      return 'sandbox';
    default:
      return 'other';
  }
}

/** An environment's overrides (environments.json `rateLimits`); anything left out keeps the published value. */
export const RateLimitsOverrideSchema = z
  .object({
    windowSeconds: z.number().min(1).max(3600).optional(),
    lockoutSeconds: z.number().min(1).max(3600).optional(),
    /** Share of each limit kept unused, 0.05–0.9. */
    margin: z.number().min(0.05).max(0.9).optional(),
    perSecond: z.object(Object.fromEntries(ENDPOINT_FAMILIES.map((f) => [f, z.number().positive().max(100_000).optional()])) as Record<EndpointFamily, z.ZodOptional<z.ZodNumber>>).strict().optional(),
  })
  .strict();
export type RateLimitsOverride = z.infer<typeof RateLimitsOverrideSchema>;

/** The published limits with an environment's overrides applied. */
export function resolveRateLimits(override: RateLimitsOverride | undefined): RateLimits {
  if (!override) return PUBLISHED_RATE_LIMITS;
  const perSecond = { ...PUBLISHED_RATE_LIMITS.perSecond };
  for (const family of ENDPOINT_FAMILIES) {
    const value = override.perSecond?.[family];
    if (value !== undefined) perSecond[family] = value;
  }
  return {
    windowMs: override.windowSeconds !== undefined ? Math.round(override.windowSeconds * 1000) : PUBLISHED_RATE_LIMITS.windowMs,
    lockoutMs: override.lockoutSeconds !== undefined ? Math.round(override.lockoutSeconds * 1000) : PUBLISHED_RATE_LIMITS.lockoutMs,
    margin: override.margin ?? PUBLISHED_RATE_LIMITS.margin,
    perSecond,
  };
}

/** Requests a family may send in one window: the published rate times the window, less the margin (at least 1). */
export function allowanceOf(limits: RateLimits, family: EndpointFamily): number {
  return Math.max(1, Math.floor(limits.perSecond[family] * (limits.windowMs / 1000) * (1 - limits.margin)));
}
