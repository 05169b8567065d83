// Unit tests of the pure pieces: --chaos flag parsing, the seeded PRNG, chaos decisions, cursors, decimals, loopback check.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { createChaos, mulberry32, normalizeChaosOptions, parseChaosFlag } from '../../../sandbox/resource/chaos';
import { createCursorCodec } from '../../../sandbox/resource/cursor';
import { canonicalAmount, decimalPlaces, formatAmount, parseRequestAmount } from '../../../sandbox/resource/decimal';
import { ProblemError } from '../../../sandbox/resource/problems';
import { isLoopbackAddress } from '../../../sandbox/resource/routes/admin';

describe('parseChaosFlag', () => {
  it('parses the documented CLI form', () => {
    expect(parseChaosFlag('latency=20,error-rate=0.1,reset-after-commit=0.3,seed=42')).toEqual({ latencyMs: 20, errorRate: 0.1, resetAfterCommitRate: 0.3, seed: 42 });
    expect(parseChaosFlag('reset-before-commit=1, rate-limit-every=10,rate-limit-length=2,retry-after=3,token-expiry=30')).toEqual({
      resetBeforeCommitRate: 1,
      rateLimitBurst: { every: 10, length: 2, retryAfterSeconds: 3 },
      tokenExpiryOverrideSeconds: 30,
    });
    expect(parseChaosFlag('rate-limit-every=5')).toEqual({ rateLimitBurst: { every: 5, retryAfterSeconds: 1 } });
    expect(parseChaosFlag('')).toEqual({});
    expect(parseChaosFlag('funds-before-idempotency=1,seed=3')).toEqual({ fundsBeforeIdempotency: true, seed: 3 });
    expect(parseChaosFlag('funds-before-idempotency=true')).toEqual({ fundsBeforeIdempotency: true });
    expect(parseChaosFlag('funds-before-idempotency=0')).toEqual({});
  });

  it('fundsBeforeIdempotency is off unless set, and only a boolean', () => {
    expect(createChaos().fundsBeforeIdempotency()).toBe(false);
    expect(createChaos({ fundsBeforeIdempotency: true }).fundsBeforeIdempotency()).toBe(true);
    expect(normalizeChaosOptions({ fundsBeforeIdempotency: false })).toEqual({});
    expect(() => normalizeChaosOptions({ fundsBeforeIdempotency: 'true' })).toThrow(TypeError);
    expect(() => normalizeChaosOptions({ fundsBeforeIdempotency: 1 })).toThrow(TypeError);
  });

  it.each(['latency', 'error-rate=2', 'error-rate=-0.1', 'foo=1', 'latency=1.5', 'retry-after=1', 'seed=abc', 'latency=1e3', 'funds-before-idempotency=yes', 'funds-before-idempotency=2'])('rejects %j', (flag) => {
    expect(() => parseChaosFlag(flag)).toThrow();
  });
});

describe('chaos engine', () => {
  it('mulberry32 is deterministic per seed and in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('rolls at roughly the configured rate and restarts on set()', () => {
    const chaos = createChaos({ errorRate: 0.3, seed: 5 });
    const run = () => Array.from({ length: 2000 }, () => chaos.roll('errorRate'));
    const first = run();
    chaos.set({ errorRate: 0.3, seed: 5 });
    expect(run()).toEqual(first);
    const hits = first.filter(Boolean).length;
    expect(hits).toBeGreaterThan(500);
    expect(hits).toBeLessThan(700);
    expect(chaos.roll('resetBeforeCommitRate')).toBe(false);
  });

  it('token expiry override compares against iat', () => {
    const chaos = createChaos({ tokenExpiryOverrideSeconds: 10 });
    expect(chaos.tokenExpired(1000, 1009_000)).toBe(false);
    expect(chaos.tokenExpired(1000, 1010_000)).toBe(true);
    expect(createChaos().tokenExpired(0, Date.now())).toBe(false);
  });

  it('get() returns a copy; bad options throw', () => {
    const chaos = createChaos({ rateLimitBurst: { every: 2, retryAfterSeconds: 1 } });
    chaos.get().rateLimitBurst!.every = 99;
    expect(chaos.get().rateLimitBurst!.every).toBe(2);
    expect(() => normalizeChaosOptions({ errorRate: Number.NaN })).toThrow(RangeError);
    expect(() => normalizeChaosOptions([])).toThrow(TypeError);
    expect(() => chaos.set({ latencyMs: -5 })).toThrow();
  });
});

describe('cursors', () => {
  it('round-trips and refuses other keys, kinds and queries', () => {
    const codec = createCursorCodec();
    const c = codec.encode({ kind: 'profiles', after: 1000, query: 'q' });
    expect(codec.decode(c, 'profiles', 'q')).toBe(1000);
    expect(() => codec.decode(c, 'conversions', 'q')).toThrow(ProblemError);
    expect(() => codec.decode(c, 'profiles', 'other')).toThrow(ProblemError);
    expect(() => createCursorCodec().decode(c, 'profiles', 'q')).toThrow(ProblemError);
  });
});

describe('decimals', () => {
  it('counts significant decimal places', () => {
    expect(decimalPlaces(new Big('1.500'))).toBe(1);
    expect(decimalPlaces(new Big('100'))).toBe(0);
    expect(decimalPlaces(new Big('.00000001'))).toBe(8);
  });

  it('validates request amounts exactly', () => {
    expect(parseRequestAmount('0.1', 2, 'USD').plus('0.2').toFixed()).toBe('0.3');
    const outcome = (fn: () => unknown) => {
      try { fn(); } catch (e) { return `${(e as ProblemError).status} ${(e as ProblemError).toBody().type} ${(e as ProblemError).message}`; }
      return 'ok';
    };
    expect(outcome(() => parseRequestAmount('1.234', 2, 'USD'))).toBe('400 about:blank amount 1.234 has 3 decimal places; USD allows at most 2 decimal places');
    expect(outcome(() => parseRequestAmount('00', 2, 'USD'))).toBe('400 about:blank amount must be greater than zero');
    expect(outcome(() => parseRequestAmount('10000000.00', 2, 'USD'))).toBe('ok');
    expect(outcome(() => parseRequestAmount('99999999999999999999999', 2, 'USD'))).toBe('400 about:blank 99999999999999999999999 amount is above the maximum 10000000 USD');
  });

  it('writes amounts as the published examples do: "0", ".25", precision kept otherwise', () => {
    expect(formatAmount(new Big(0), 'USD')).toBe('0');
    expect(formatAmount(new Big('0.000'), 'USDP')).toBe('0');
    expect(formatAmount(new Big('0.25'), 'BTC')).toBe('.25000000');
    expect(formatAmount(new Big('1510.23'), 'USD')).toBe('1510.23');
    expect(formatAmount(new Big('100'), 'USD')).toBe('100.00');
    expect(formatAmount(new Big('88.123456'), 'USDG')).toBe('88.12345600');
    expect(canonicalAmount(new Big('0.50'))).toBe('.5');
    expect(canonicalAmount(new Big('11.10'))).toBe('11.1');
    expect(canonicalAmount(new Big('3'))).toBe('3');
  });
});

describe('isLoopbackAddress', () => {
  it.each([['127.0.0.1', true], ['127.10.0.3', true], ['::1', true], ['::ffff:127.0.0.1', true], ['10.0.0.1', false], ['::ffff:10.0.0.1', false], ['0.0.0.0', false], ['', false], [undefined, false]])('%s → %s', (addr, expected) => {
    expect(isLoopbackAddress(addr)).toBe(expected);
  });
});
