// Retry policy: which requests may repeat, full-jitter bounds, Retry-After parsing, and the attempt/time budgets.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY_POLICY, isRepeatable, isRetryableStatus, parseRetryAfter, retryDelay } from '../../../../electron/core/api/retry-policy';

describe('isRepeatable', () => {
  it('allows GET and DELETE, and POST only with a ref_id', () => {
    expect(isRepeatable('GET', undefined)).toBe(true);
    expect(isRepeatable('DELETE', undefined)).toBe(true);
    expect(isRepeatable('POST', { amount: '1' })).toBe(false);
    expect(isRepeatable('POST', { ref_id: '' })).toBe(false);
    expect(isRepeatable('POST', { ref_id: 'abc' })).toBe(true);
    expect(isRepeatable('PATCH', { ref_id: 'abc' })).toBe(false);
  });

  it('retries 429 and 5xx gateway/server errors only', () => {
    expect([429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 501].some(isRetryableStatus)).toBe(false);
  });
});

describe('backoffDelay (full jitter)', () => {
  it('stays within [0, min(cap, base·2^n))', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.double({ min: 0, max: 1, noNaN: true }), (retry, r) => {
        const d = backoffDelay(retry, DEFAULT_RETRY_POLICY, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.min(DEFAULT_RETRY_POLICY.maxDelayMs, DEFAULT_RETRY_POLICY.baseDelayMs * 2 ** retry));
      }),
    );
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP-dates, ignores junk', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(['7'], now)).toBe(7000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeNull();
    expect(parseRetryAfter('-1', now)).toBeNull();
    expect(parseRetryAfter(undefined, now)).toBeNull();
  });
});

describe('retryDelay', () => {
  const policy = { maxAttempts: 3, maxTotalMs: 10_000, baseDelayMs: 100, maxDelayMs: 1000 };
  const random = () => 0.5;
  it('gives up when attempts are used up', () => {
    expect(retryDelay({ retry: 0, elapsedMs: 0, retryAfterMs: null, policy, random })).toBe(50);
    expect(retryDelay({ retry: 1, elapsedMs: 0, retryAfterMs: null, policy, random })).toBe(100);
    expect(retryDelay({ retry: 2, elapsedMs: 0, retryAfterMs: null, policy, random })).toBeNull();
  });

  it('waits exactly Retry-After, and gives up rather than wait past the total budget', () => {
    expect(retryDelay({ retry: 0, elapsedMs: 0, retryAfterMs: 4000, policy, random })).toBe(4000);
    expect(retryDelay({ retry: 0, elapsedMs: 7000, retryAfterMs: 4000, policy, random })).toBeNull();
    expect(retryDelay({ retry: 0, elapsedMs: 0, retryAfterMs: 60_000, policy, random })).toBeNull();
  });
});
