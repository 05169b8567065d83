// renderer/src/lib/convert.ts: the mint/redeem form's precision, Max, validation and balances-after, all as exact decimal strings.
import { describe, expect, it } from 'vitest';
import type { BalancesState } from '../../../shared/domain';
import { checkConversion, maxAmount, precisionAsset } from '../../../renderer/src/lib/convert';

const balances: BalancesState = {
  status: 'ready',
  items: [
    { asset: 'USD', available: '250000.00', trading: '0.00' },
    { asset: 'USDP', available: '1200.50000000', trading: '0' },
    { asset: 'PYUSD', available: '0.004999', trading: '0' },
  ],
  others: [{ asset: 'BTC', available: '1.23103715', trading: '0.25' }],
  totalUsd: '251200.504999',
  loadedAt: '2026-01-01T00:00:00Z',
};

describe('precisionAsset', () => {
  it('uses the side with fewer decimals, so both assets can hold the amount', () => {
    expect(precisionAsset('mint', 'USDP')).toBe('USD');
    expect(precisionAsset('redeem', 'PYUSD')).toBe('USD');
  });
});

describe('maxAmount', () => {
  it('is the source balance cut (never rounded up) to the order precision', () => {
    expect(maxAmount({ kind: 'mint', asset: 'USDP', amount: '' }, balances)).toBe('250000.00');
    expect(maxAmount({ kind: 'redeem', asset: 'USDP', amount: '' }, balances)).toBe('1200.50');
  });
  it('is undefined when nothing usable is there or balances are not loaded', () => {
    expect(maxAmount({ kind: 'redeem', asset: 'PYUSD', amount: '' }, balances)).toBeUndefined();
    expect(maxAmount({ kind: 'redeem', asset: 'USDG', amount: '' }, balances)).toBeUndefined();
    expect(maxAmount({ kind: 'mint', asset: 'USDG', amount: '' }, { status: 'loading' })).toBeUndefined();
  });
});

describe('checkConversion', () => {
  it('plans a mint with the exact balances after', () => {
    const r = checkConversion({ kind: 'mint', asset: 'USDP', amount: '1000.1' }, balances);
    expect(r).toEqual({
      ok: true,
      plan: { kind: 'mint', asset: 'USDP', amount: '1000.1', source: 'USD', target: 'USDP', sourceAvailable: '250000.00', sourceAfter: '248999.9', targetAfter: '2200.6' },
    });
  });
  it('credits a target the profile does not hold yet from zero', () => {
    const r = checkConversion({ kind: 'mint', asset: 'USDG', amount: '0.01' }, balances);
    expect(r.ok && r.plan.targetAfter).toBe('0.01');
  });
  it('rejects too many decimals, bad formats and zero with parseAmount messages', () => {
    expect(checkConversion({ kind: 'mint', asset: 'USDP', amount: '1.234' }, balances)).toMatchObject({ ok: false, message: 'USD allows at most 2 decimal places.' });
    expect(checkConversion({ kind: 'mint', asset: 'USDP', amount: '1e3' }, balances)).toMatchObject({ ok: false, empty: false });
    expect(checkConversion({ kind: 'mint', asset: 'USDP', amount: '0' }, balances)).toMatchObject({ ok: false, message: 'The amount must be greater than zero.' });
    expect(checkConversion({ kind: 'mint', asset: 'USDP', amount: '' }, balances)).toMatchObject({ ok: false, empty: true });
  });
  it('checks the balance, exactly at the boundary', () => {
    expect(checkConversion({ kind: 'redeem', asset: 'USDP', amount: '1200.50' }, balances).ok).toBe(true);
    expect(checkConversion({ kind: 'redeem', asset: 'USDP', amount: '1200.51' }, balances)).toMatchObject({ ok: false, message: 'That is more than the 1,200.50000000 USDP available.' });
  });
  it('refuses to judge without loaded balances', () => {
    expect(checkConversion({ kind: 'mint', asset: 'USDP', amount: '1' }, { status: 'error', message: 'x' })).toMatchObject({ ok: false, message: expect.stringContaining('not loaded') });
  });
});
