// renderer/src/lib/errors.ts: AppErrors become main's plain message plus what to do next, never the raw code.
import { describe, expect, it } from 'vitest';
import { appError, APP_ERROR_CODES } from '../../../shared/app-error';
import { describeError } from '../../../renderer/src/lib/errors';

describe('describeError', () => {
  it("keeps main's message and adds the next step", () => {
    expect(describeError(appError('access_denied', 'Access was denied in the browser, so you are not signed in.'))).toEqual({
      message: 'Access was denied in the browser, so you are not signed in.',
      nextStep: 'To use Partner Console, try again and choose Allow in the browser.',
    });
  });
  it('names a missing scope', () => {
    const e = appError('forbidden_scope', 'Not permitted.', { detail: { missingScope: 'funding:read_profile' } });
    expect(describeError(e).nextStep).toContain('Missing permission: funding:read_profile.');
  });
  it('does not repeat a scope the message already names, and offers a new consent', () => {
    const e = appError('forbidden_scope', 'Not permitted — sign in again and grant conversion:write_conversion_stablecoin.', { detail: { missingScope: 'conversion:write_conversion_stablecoin' } });
    expect(describeError(e)).toEqual({ message: e.message, nextStep: 'Sign in again and leave that permission ticked on the consent page.' });
  });
  it('has words for every code when main sent none', () => {
    for (const code of APP_ERROR_CODES) {
      const { message } = describeError(appError(code, ''));
      expect(message.length).toBeGreaterThan(10);
      if (code.includes('_')) expect(message).not.toContain(code); // no raw snake_case codes
    }
  });
});
