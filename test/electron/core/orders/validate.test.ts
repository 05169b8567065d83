// Order validation before anything is written: direction, amount precision on both sides, scope, and funds.
import { describe, expect, it } from 'vitest';
import { totalUsd } from '../../../../electron/core/accounts/balances-state';
import { checkAmount, checkFunds, checkWriteScope, direction } from '../../../../electron/core/orders/validate';
import type { Amount } from '../../../../shared/money';

describe('order validation', () => {
  it('mint is USD → stablecoin, redeem the reverse', () => {
    expect(direction('mint', 'PYUSD')).toEqual({ sourceAsset: 'USD', targetAsset: 'PYUSD' });
    expect(direction('redeem', 'USDG')).toEqual({ sourceAsset: 'USDG', targetAsset: 'USD' });
  });

  it.each([
    ['mint', '10.5', 'ok'],
    ['mint', '10.505', 'precision'],
    ['redeem', '0.01', 'ok'],
    ['redeem', '0.001', 'precision'],
    ['mint', '0', 'zero'],
    ['mint', '0.00', 'zero'],
    ['mint', '-1', 'negative'],
    ['mint', '1e3', 'format'],
    ['mint', ' 1', 'format'],
    ['mint', '', 'empty'],
  ] as const)('%s %j → %s', (kind, amount, expected) => {
    const res = checkAmount({ kind, profileId: 'p', asset: 'USDP', amount });
    expect(res.ok ? 'ok' : res.error.detail?.['reason']).toBe(expected);
    if (!res.ok) expect(res.error.code).toBe('invalid_request');
  });

  it('canonicalises the amount', () => {
    const res = checkAmount({ kind: 'mint', profileId: 'p', asset: 'USDG', amount: '007.50' });
    expect(res.ok && res.value.amount).toBe('7.5');
  });

  it('needs the write scope of the orders API when scopes are known', () => {
    expect(checkWriteScope(['conversion:write_conversion_stablecoin'], 'conversions').ok).toBe(true);
    expect(checkWriteScope(['orchestration:write_orchestration'], 'orchestrations').ok).toBe(true);
    expect(checkWriteScope([], 'orchestrations').ok).toBe(true);
    const denied = checkWriteScope(['funding:read_profile'], 'conversions');
    expect(!denied.ok && denied.error).toMatchObject({ code: 'forbidden_scope', message: 'Not permitted — sign in again and grant conversion:write_conversion_stablecoin.' });
    // The other API's write scope does not do: each API has its own.
    const other = checkWriteScope(['conversion:write_conversion_stablecoin'], 'orchestrations');
    expect(!other.ok && other.error).toMatchObject({ code: 'forbidden_scope', detail: { missingScope: 'orchestration:write_orchestration' } });
  });

  it('compares the available balance of the source asset exactly', () => {
    const balances = [{ asset: 'USD' as const, available: '10.00', trading: '0.00' }];
    expect(checkFunds(balances, 'USD', '10' as Amount).ok).toBe(true);
    const short = checkFunds(balances, 'USD', '10.01' as Amount);
    expect(!short.ok && short.error).toMatchObject({ code: 'insufficient_funds', detail: { asset: 'USD', needed: '10.01', available: '10.00' } });
    expect(checkFunds(balances, 'USDP', '0.01' as Amount).ok).toBe(false);
  });

  it('totals balances exactly across assets (no float drift)', () => {
    expect(
      totalUsd([
        { asset: 'USD', available: '0.10', trading: '0.20' },
        { asset: 'USDP', available: '1200.50000001', trading: '0.00000000' },
        { asset: 'PYUSD', available: '0.000001', trading: '0' },
      ]),
    ).toBe('1200.80000101');
    expect(totalUsd([])).toBe('0');
  });
});
