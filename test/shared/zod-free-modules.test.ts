// The zod-free shared modules (what the renderer imports at runtime) and the schema modules that re-export them for main and tests.
import { describe, expect, it } from 'vitest';
import * as appErrorModule from '../../shared/app-error';
import * as domain from '../../shared/domain';
import * as constants from '../../shared/domain-constants';
import * as errorCodes from '../../shared/error-codes';
import * as scopes from '../../shared/scopes';

describe('zod-free shared modules', () => {
  it('domain.ts re-exports the very same constants', () => {
    for (const name of ['ASSETS', 'STABLECOINS', 'ASSET_DECIMALS', 'ORDER_KINDS', 'ORDER_STATUSES', 'ENVIRONMENT_KINDS', 'ACTIVITY_ACTIONS'] as const) {
      expect(domain[name], name).toBe(constants[name]);
    }
    for (const name of ['REQUIRED_SCOPES', 'REQUIRED_SCOPE_NAMES', 'WRITE_CONVERSION_SCOPE'] as const) {
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
    expect(appErrorModule.AppErrorSchema.shape.code.options).toEqual([...errorCodes.APP_ERROR_CODES]);
  });

  it('appError() builds what AppErrorSchema accepts', () => {
    const e = errorCodes.appError('forbidden_scope', scopes.notPermittedMessage(scopes.WRITE_CONVERSION_SCOPE), { detail: { scope: scopes.WRITE_CONVERSION_SCOPE } });
    expect(appErrorModule.AppErrorSchema.parse(e)).toEqual(e);
    expect(e.message).toBe('Not permitted — sign in again and grant conversion:write_conversion_stablecoin.');
    expect(errorCodes.appError('internal', 'x'.repeat(600)).message).toHaveLength(500);
  });

  it('REQUIRED_SCOPE_NAMES lists every required scope once', () => {
    expect(scopes.REQUIRED_SCOPE_NAMES).toEqual(scopes.REQUIRED_SCOPES.map((r) => r.scope));
    expect(new Set(scopes.REQUIRED_SCOPE_NAMES).size).toBe(scopes.REQUIRED_SCOPES.length);
    expect(scopes.REQUIRED_SCOPE_NAMES).toContain(scopes.WRITE_CONVERSION_SCOPE);
  });
});
