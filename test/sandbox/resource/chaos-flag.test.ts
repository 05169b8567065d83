// Unit tests of the pure pieces: --chaos flag parsing, the seeded PRNG, chaos decisions, cursors, decimals, loopback check.
import Big from 'big.js';
import { describe, expect, it } from 'vitest';
import { createChaos, mulberry32, normalizeChaosOptions, parseChaosFlag } from '../../../sandbox/resource/chaos';
import { createCursorCodec } from '../../../sandbox/resource/cursor';
import { decimalPlaces, parseRequestAmount } from '../../../sandbox/resource/decimal';
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
  });

  it.each(['latency', 'error-rate=2', 'error-rate=-0.1', 'foo=1', 'latency=1.5', 'retry-after=1', 'seed=abc', 'latency=1e3'])('rejects %j', (flag) => {
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
    const kindOf = (fn: () => unknown) => {
      try { fn(); } catch (e) { return (e as ProblemError).kind; }
      return 'ok';
    };
    expect(kindOf(() => parseRequestAmount('1.234', 2, 'USD'))).toBe('invalid-precision');
    expect(kindOf(() => parseRequestAmount('00', 2, 'USD'))).toBe('invalid-amount');
    expect(kindOf(() => parseRequestAmount('10000000.00', 2, 'USD'))).toBe('ok');
    expect(kindOf(() => parseRequestAmount('99999999999999999999999', 2, 'USD'))).toBe('limit-exceeded');
  });
});

describe('isLoopbackAddress', () => {
  it.each([['127.0.0.1', true], ['127.10.0.3', true], ['::1', true], ['::ffff:127.0.0.1', true], ['10.0.0.1', false], ['::ffff:10.0.0.1', false], ['0.0.0.0', false], ['', false], [undefined, false]])('%s → %s', (addr, expected) => {
    expect(isLoopbackAddress(addr)).toBe(expected);
  });
});
