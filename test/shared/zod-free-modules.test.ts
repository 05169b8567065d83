// The zod-free shared modules (what the renderer imports at runtime) and the schema modules that re-export them for main and tests.
import { describe, expect, it } from 'vitest';
import * as appErrorModule from '../../shared/app-error';
import * as domain from '../../shared/domain';
import * as constants from '../../shared/domain-constants';
import * as errorCodes from '../../shared/error-codes';
import * as scopes from '../../shared/scopes';

describe('zod-free shared modules', () => {
  it('domain.ts re-exports the very same constants', () => {
    for (const name of ['ASSETS', 'STABLECOINS', 'ASSET_DECIMALS', 'ORDER_KINDS', 'ORDER_STATUSES', 'ORDERS_APIS', 'ENVIRONMENT_KINDS', 'ACTIVITY_ACTIONS'] as const) {
      expect(domain[name], name).toBe(constants[name]);
    }
    for (const name of ['ORDER_SCOPES', 'requiredScopes', 'requiredScopeNames', 'writeScopeFor'] as const) {
      expect(domain[name], name).toBe(scopes[name]);
    }
  });

  it('app-error.ts re-exports the very same codes and helpers', () => {
    expect(appErrorModule.APP_ERROR_CODES).toBe(errorCodes.APP_ERROR_CODES);
    expect(appErrorModule.appError).toBe(errorCodes.appError);
    expect(appErrorModule.notPermittedMessage).toBe(scopes.notPermittedMessage);
  });

  it('schemas are built from the zod-free constants', () => {
    expect(domain.AssetSchema.options).toEqual([...constants.ASSETS]);
    expect(domain.StablecoinSchema.options).toEqual([...constants.STABLECOINS]);
    expect(domain.OrderKindSchema.options).toEqual([...constants.ORDER_KINDS]);
    expect(domain.OrderStatusSchema.options).toEqual([...constants.ORDER_STATUSES]);
    expect(domain.OrdersApiSchema.options).toEqual([...constants.ORDERS_APIS]);
    expect(appErrorModule.AppErrorSchema.shape.code.options).toEqual([...errorCodes.APP_ERROR_CODES]);
  });

  it('appError() builds what AppErrorSchema accepts', () => {
    const write = scopes.writeScopeFor('conversions');
    const e = errorCodes.appError('forbidden_scope', scopes.notPermittedMessage(write), { detail: { scope: write } });
    expect(appErrorModule.AppErrorSchema.parse(e)).toEqual(e);
    expect(e.message).toBe('Not permitted — sign in again and grant conversion:write_conversion_stablecoin.');
    expect(errorCodes.appError('internal', 'x'.repeat(600)).message).toHaveLength(500);
  });

  it('each orders API needs its own read and write scopes, besides the profile scope and the optional identity scope', () => {
    expect(scopes.requiredScopeNames('orchestrations')).toEqual(['funding:read_profile', 'identity:read_account', 'orchestration:read_orchestration', 'orchestration:write_orchestration']);
    expect(scopes.requiredScopeNames('conversions')).toEqual(['funding:read_profile', 'identity:read_account', 'conversion:read_conversion_stablecoin', 'conversion:write_conversion_stablecoin']);
    for (const api of constants.ORDERS_APIS) {
      expect(scopes.requiredScopeNames(api)).toContain(scopes.writeScopeFor(api));
      expect(scopes.requiredScopes(api).filter((r) => r.optional).map((r) => r.scope)).toEqual(['identity:read_account']);
      for (const r of scopes.requiredScopes(api)) expect(scopes.scopePurpose(r.scope)).toBe(r.purpose);
    }
    expect(scopes.scopePurpose('openid')).toBeUndefined();
  });
});
