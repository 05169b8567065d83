// problem+json → AppError: every status/kind the API uses maps to the closed set of codes with operator-safe text.
import { describe, expect, it } from 'vitest';
import { parseProblem, problemToAppError } from '../../../../electron/core/api/problem';

const P = 'application/problem+json; charset=utf-8';
const body = (kind: string, status: number, detail: string, meta?: object) =>
  JSON.stringify({ type: `https://sandbox.partnerconsole.test/problems/${kind}`, title: 'T', status, detail, ...(meta ? { meta } : {}) });
const map = (status: number, kind: string, detail = 'd', meta?: object, ctx = {}) => problemToAppError(parseProblem(status, P, body(kind, status, detail, meta)), ctx);

describe('problemToAppError', () => {
  it.each([
    [400, 'invalid-amount', 'validation'],
    [400, 'invalid-precision', 'validation'],
    [401, 'invalid-token', 'unauthorized'],
    [403, 'insufficient-scope', 'forbidden_scope'],
    [403, 'not-delegated', 'not_delegated'],
    [403, 'insufficient-funds', 'insufficient_funds'],
    [403, 'something-else', 'forbidden_scope'],
    [404, 'not-found', 'not_found'],
    [409, 'already-exists', 'already_exists'],
    [409, 'not-cancellable', 'conflict'],
    [413, 'payload-too-large', 'validation'],
    [429, 'rate-limited', 'rate_limited'],
    [500, 'internal', 'unavailable'],
    [503, 'unavailable', 'unavailable'],
    [302, 'moved', 'bad_response'],
  ])('HTTP %i %s → %s', (status, kind, code) => {
    expect(map(status, kind).code).toBe(code);
  });

  it('names the missing scope from meta or from the Bearer challenge, in plain words', () => {
    const fromMeta = map(403, 'insufficient-scope', 'x', { required_scope: 'conversion:write_conversion_stablecoin' });
    expect(fromMeta.message).toBe('Not permitted — sign in again and grant conversion:write_conversion_stablecoin.');
    expect(fromMeta.detail).toEqual({ missingScope: 'conversion:write_conversion_stablecoin' });
    const fromHeader = map(403, 'insufficient-scope', 'x', undefined, { wwwAuthenticate: 'Bearer realm="r", error="insufficient_scope", scope="funding:read_profile"' });
    expect(fromHeader.detail).toEqual({ missingScope: 'funding:read_profile' });
  });

  it('carries insufficient-funds figures and sanitised server detail', () => {
    const e = map(403, 'insufficient-funds', 'insufficient <b>USD</b> funds', { asset: 'USD', needed: '10', available: '1.00' });
    expect(e.message).toContain('insufficient USD funds');
    expect(e.message).not.toContain('<');
    expect(e.detail).toEqual({ asset: 'USD', needed: '10', available: '1.00' });
  });

  it('reports Retry-After on rate limiting and marks it retryable', () => {
    const e = map(429, 'rate-limited', 'slow down', undefined, { retryAfterMs: 3000 });
    expect(e).toMatchObject({ code: 'rate_limited', retryable: true, detail: { retryAfterSeconds: '3' } });
  });

  it('copes with non-problem bodies (HTML error pages, garbage JSON)', () => {
    const html = parseProblem(502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(problemToAppError(html).code).toBe('unavailable');
    const garbage = parseProblem(400, 'application/json', '{not json');
    expect(garbage).toMatchObject({ status: 400, detail: '', meta: null });
    expect(problemToAppError(garbage).code).toBe('validation');
  });

  it('falls back to the title when type is about:blank', () => {
    expect(parseProblem(409, P, JSON.stringify({ type: 'about:blank', title: 'Already Exists', status: 409 })).kind).toBe('already-exists');
  });
});
