// Endpoint families by path, the published defaults, and per-environment overrides.
import { describe, expect, it } from 'vitest';
import { allowanceOf, familyOf, PUBLISHED_RATE_LIMITS, RateLimitsOverrideSchema, resolveRateLimits } from '../../../../electron/core/api/rate-limits';

describe('rate limits', () => {
  it('classifies paths below the API base into endpoint families', () => {
    expect(familyOf('/orchestration/orchestrations')).toBe('orders');
    expect(familyOf('/orchestration/orchestrations/abc')).toBe('orders');
    expect(familyOf('/conversion/stablecoins?ref_id=x')).toBe('orders');
    expect(familyOf('/profiles')).toBe('profiles');
    expect(familyOf('/profiles/p1')).toBe('profiles');
    expect(familyOf('/profiles/p1/balances?assets=USD&assets=USDP')).toBe('balances');
    expect(familyOf('/profiles/p1/balances/USD')).toBe('balances');
    expect(familyOf('/identity/accounts')).toBe('identity');
    expect(familyOf('/sandbox/profiles/p1/deposit')).toBe('sandbox');
    expect(familyOf('/oauth2/token')).toBe('token');
    expect(familyOf('/somewhere/else')).toBe('other');
  });

  it('defaults to the published limits: 50/s, identity 10/s, token 1/s over 5 minutes, 5-minute lockout, 80 % used', () => {
    expect(resolveRateLimits(undefined)).toBe(PUBLISHED_RATE_LIMITS);
    expect(allowanceOf(PUBLISHED_RATE_LIMITS, 'balances')).toBe(12_000);
    expect(allowanceOf(PUBLISHED_RATE_LIMITS, 'identity')).toBe(2_400);
    expect(allowanceOf(PUBLISHED_RATE_LIMITS, 'token')).toBe(240);
    expect(PUBLISHED_RATE_LIMITS.lockoutMs).toBe(300_000);
  });

  it('applies an environment override field by field', () => {
    const limits = resolveRateLimits({ windowSeconds: 3, lockoutSeconds: 3, perSecond: { balances: 20 } });
    expect(limits).toMatchObject({ windowMs: 3000, lockoutMs: 3000, margin: 0.2 });
    expect(limits.perSecond).toMatchObject({ balances: 20, profiles: 50, token: 1 });
    expect(allowanceOf(limits, 'balances')).toBe(48);
  });

  it('rejects overrides that are not limits', () => {
    expect(RateLimitsOverrideSchema.safeParse({ perSecond: { balances: 0 } }).success).toBe(false);
    expect(RateLimitsOverrideSchema.safeParse({ perSecond: { nope: 5 } }).success).toBe(false);
    expect(RateLimitsOverrideSchema.safeParse({ margin: 0 }).success).toBe(false);
    expect(RateLimitsOverrideSchema.safeParse({ windowSeconds: 3, extra: 1 }).success).toBe(false);
  });
});
