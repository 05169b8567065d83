// When a failed API request may be sent again, and how long to wait: full-jitter exponential backoff, Retry-After, budgets.

export interface RetryPolicy {
  /** Attempts in total, the first one included. */
  readonly maxAttempts: number;
  /** No retry is started once this much time (ms) has passed since the first attempt, waits included. */
  readonly maxTotalMs: number;
  /** Backoff base: the n-th retry waits a random time in [0, min(maxDelayMs, baseDelayMs · 2^n)). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, maxTotalMs: 30_000, baseDelayMs: 250, maxDelayMs: 8_000 };

/** Waits `ms`, rejecting early when `signal` aborts. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

/**
 * A request may be repeated only if repeating it cannot do anything twice: reads, DELETE (cancel is idempotent),
 * and POSTs that carry an idempotency key (`ref_id`) the server de-duplicates on.
 */
export function isRepeatable(method: string, body: Readonly<Record<string, unknown>> | undefined): boolean {
  if (method === 'GET' || method === 'HEAD' || method === 'DELETE') return true;
  return method === 'POST' && typeof body?.['ref_id'] === 'string' && body['ref_id'] !== '';
}

/** Statuses worth repeating for a repeatable request (the server did not finish, or asked us to slow down). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 500 || status === 502 || status === 503 || status === 504;
}

/** Full jitter (AWS architecture blog): uniform in [0, min(cap, base · 2^retry)). `retry` counts from 0. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.floor(Math.min(Math.max(random(), 0), 0.999999) * ceiling);
}

/** `Retry-After` as ms from now: delta-seconds or an HTTP-date; null when absent or unreadable. */
export function parseRetryAfter(header: string | string[] | undefined, nowMs: number): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d{1,9}$/.test(trimmed)) return Number(trimmed) * 1000;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at) || !/[a-z]/i.test(trimmed)) return null;
  return Math.max(0, at - nowMs);
}

/**
 * How long to wait before retry number `retry` (0 = the first retry), or null to give up: attempts used up, or the wait
 * would cross the total budget. A server's Retry-After is a floor, never shortened by jitter.
 */
export function retryDelay(input: {
  retry: number;
  elapsedMs: number;
  retryAfterMs: number | null;
  policy: RetryPolicy;
  random: () => number;
}): number | null {
  const { retry, elapsedMs, retryAfterMs, policy, random } = input;
  if (retry + 1 >= policy.maxAttempts) return null;
  const delay = retryAfterMs !== null ? retryAfterMs : backoffDelay(retry, policy, random);
  if (elapsedMs + delay > policy.maxTotalMs) return null;
  return delay;
}
