// Money parsing/formatting/arithmetic: examples from the issue plus fast-check properties against an integer model.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ASSET_DECIMALS, ASSETS, type Asset } from '../../shared/domain';
import { addAmounts, compareAmounts, formatAmount, parseAmount, subtractAmounts, sumAmounts, toAssetPrecision } from '../../shared/money';

const asset = fc.constantFrom(...ASSETS);

/** A decimal string built from integer parts, with its exact value in minor units as a bigint. */
const decimalFor = (a: Asset) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 14n }), fc.integer({ min: 0, max: ASSET_DECIMALS[a] }))
    .chain(([whole, places]) =>
      fc.bigInt({ min: 0n, max: 10n ** BigInt(places) - 1n }).map((frac) => {
        const fracStr = places === 0 ? '' : frac.toString().padStart(places, '0');
        const text = places === 0 ? whole.toString() : `${whole}.${fracStr}`;
        const minor = whole * 10n ** BigInt(ASSET_DECIMALS[a]) + (places === 0 ? 0n : frac * 10n ** BigInt(ASSET_DECIMALS[a] - places));
        return { text, minor };
      }),
    );

function minorUnits(value: string, a: Asset): bigint {
  const [w = '0', f = ''] = value.split('.');
  return BigInt(w) * 10n ** BigInt(ASSET_DECIMALS[a]) + BigInt(f.padEnd(ASSET_DECIMALS[a], '0') || '0');
}

describe('parseAmount', () => {
  it.each(['1e3', '-1', '0', '0.00', '.', '1.', '.5', ' 1', '1 ', '1 000', '+1', '1,5', '0x10', 'NaN', 'Infinity', '', '١٢'])('rejects %j', (input) => {
    expect(parseAmount(input, 'USD').ok).toBe(false);
  });

  it('explains each rejection with a code', () => {
    const code = (s: string, a: Asset = 'USD') => {
      const r = parseAmount(s, a);
      return r.ok ? 'ok' : r.error.code;
    };
    expect([code(''), code('-1'), code('1e3'), code('0'), code('1.234'), code('1234567890123456')]).toEqual([
      'empty',
      'negative',
      'format',
      'zero',
      'precision',
      'too_large',
    ]);
  });

  it('enforces per-asset precision as published: USD 2, USDP 8, PYUSD 6, USDG 8', () => {
    expect(parseAmount('1.23', 'USD').ok).toBe(true);
    expect(parseAmount('1.234', 'USD').ok).toBe(false);
    expect(parseAmount('1.12345678', 'USDP').ok).toBe(true);
    expect(parseAmount('1.123456789', 'USDP').ok).toBe(false);
    expect(parseAmount('1.123456', 'PYUSD').ok).toBe(true);
    expect(parseAmount('1.1234567', 'PYUSD').ok).toBe(false);
    expect(parseAmount('1.12345678', 'USDG').ok).toBe(true);
    expect(parseAmount('1.123456789', 'USDG').ok).toBe(false);
  });

  it('canonicalises without changing the value', () => {
    expect(parseAmount('0012.50', 'USD')).toEqual({ ok: true, value: '12.5' });
    expect(parseAmount('100', 'USDP')).toEqual({ ok: true, value: '100' });
  });

  it('accepts every positive amount within precision, and keeps its exact value (property)', () => {
    fc.assert(
      fc.property(asset.chain((a) => decimalFor(a).map((d) => ({ a, ...d }))), ({ a, text, minor }) => {
        const r = parseAmount(text, a);
        if (minor === 0n) return !r.ok && r.error.code === 'zero';
        return r.ok && minorUnits(r.value, a) === minor;
      }),
    );
  });

  it('rejects anything with more decimals than the asset allows (property)', () => {
    fc.assert(
      fc.property(asset, fc.nat({ max: 1_000_000 }), fc.integer({ min: 1, max: 9 }), (a, whole, digit) => {
        const text = `${whole}.${'0'.repeat(ASSET_DECIMALS[a])}${digit}`;
        const r = parseAmount(text, a);
        return !r.ok && r.error.code === 'precision';
      }),
    );
  });

  it('never accepts strings outside the strict grammar (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 12 }), asset, (s, a) => {
        const r = parseAmount(s, a);
        return !r.ok || /^\d+(\.\d+)?$/.test(s);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('arithmetic and comparison', () => {
  it('add, subtract, compare and sum are exact (property, against bigint minor units)', () => {
    fc.assert(
      fc.property(decimalFor('USDP'), decimalFor('USDP'), (x, y) => {
        const sum = addAmounts(x.text, y.text);
        const diff = subtractAmounts(x.text, y.text);
        const cmp = compareAmounts(x.text, y.text);
        const expectedCmp = x.minor < y.minor ? -1 : x.minor > y.minor ? 1 : 0;
        const diffMinor = diff.startsWith('-') ? -minorUnits(diff.slice(1), 'USDP') : minorUnits(diff, 'USDP');
        return (
          minorUnits(sum, 'USDP') === x.minor + y.minor &&
          diffMinor === x.minor - y.minor &&
          cmp === expectedCmp &&
          minorUnits(sumAmounts([x.text, y.text, '0']), 'USDP') === x.minor + y.minor
        );
      }),
    );
  });

  it('handles values a float would get wrong', () => {
    expect(addAmounts('0.1', '0.2')).toBe('0.3');
    expect(compareAmounts('9007199254740993.01', '9007199254740992.99')).toBe(1);
    expect(subtractAmounts('1', '1.00000001')).toBe('-0.00000001');
  });

  it('throws on non-decimal input rather than guessing', () => {
    expect(() => compareAmounts('1e3', '1')).toThrow(TypeError);
  });
});

describe('formatAmount', () => {
  it('groups thousands and pads to the asset decimals', () => {
    expect(formatAmount('1234567.5', 'USD')).toBe('1,234,567.50');
    expect(formatAmount('0', 'USDP')).toBe('0.00000000');
    expect(formatAmount('1000', 'PYUSD')).toBe('1,000.000000');
    expect(formatAmount('-1234.5', 'USD')).toBe('-1,234.50');
  });

  it('rounds down, never showing more than exists', () => {
    expect(toAssetPrecision('1.239', 'USD')).toBe('1.23');
  });

  it('round-trips: formatting then removing separators gives the same value (property)', () => {
    fc.assert(
      fc.property(asset.chain((a) => decimalFor(a).map((d) => ({ a, ...d }))), ({ a, text, minor }) => {
        return minorUnits(formatAmount(text, a).replaceAll(',', ''), a) === minor;
      }),
    );
  });
});
