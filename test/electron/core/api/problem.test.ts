// problem+json → AppError for the problems Paxos publishes: typed slugs, about:blank, and the missing-scope detail in both spellings.
import { describe, expect, it } from 'vitest';
import { parseProblem, problemToAppError } from '../../../../electron/core/api/problem';

const P = 'application/problem+json; charset=utf-8';
const PAXOS = 'https://developer.paxos.com/docs/v2/problems/';
const problem = (body: object) => parseProblem((body as { status: number }).status, P, JSON.stringify(body));
const map = (body: object, ctx = {}) => problemToAppError(problem(body), ctx);
const blank = (status: number, title: string, detail: string) => ({ type: 'about:blank', title, status, detail });

describe('parseProblem', () => {
  it('takes the slug of a published problem type and nothing of about:blank', () => {
    expect(problem({ type: `${PAXOS}insufficient-funds`, title: 'Insufficient Funds', status: 403 }).kind).toBe('insufficient-funds');
    expect(problem(blank(409, 'Already Exists', 'x')).kind).toBe('');
    expect(problem(blank(403, 'Forbidden', 'x')).kind).toBe('');
  });

  it('copes with non-problem bodies (HTML error pages, garbage JSON)', () => {
    const html = parseProblem(502, 'text/html', '<html><body><h1>502 Bad Gateway</h1></body></html>');
    expect(problemToAppError(html).code).toBe('unavailable');
    const garbage = parseProblem(400, 'application/json', '{not json');
    expect(garbage).toMatchObject({ status: 400, detail: '', meta: null });
    expect(problemToAppError(garbage).code).toBe('validation');
  });
});

describe('problemToAppError', () => {
  it.each([
    [blank(400, 'Bad Request', '11000 amount is above the maximum 10000 USD'), 'validation'],
    [blank(401, 'Unauthorized', 'token expired'), 'unauthorized'],
    [{ type: `${PAXOS}insufficient-funds`, title: 'Insufficient Funds', status: 403, detail: 'd' }, 'insufficient_funds'],
    [blank(403, 'Forbidden', 'profile is disabled'), 'forbidden'],
    [blank(404, 'Not Found', 'conversion with id x not found for customer with id y'), 'not_found'],
    [{ type: `${PAXOS}already-exists`, title: 'Already Exists', status: 409, detail: 'd' }, 'already_exists'],
    [blank(409, 'Conflict', 'd'), 'conflict'],
    [{ type: `${PAXOS}rejected`, title: 'Rejected', status: 400, detail: 'd' }, 'validation'],
    [{ type: `${PAXOS}expired`, title: 'Expired', status: 400, detail: 'd' }, 'validation'],
    [blank(429, 'Too Many Requests', ''), 'rate_limited'],
    [blank(500, 'Internal Server Error', ''), 'unavailable'],
    [blank(503, 'Service Unavailable', ''), 'unavailable'],
    [blank(302, 'Found', ''), 'bad_response'],
  ])('%j → %s', (body, code) => {
    expect(map(body).code).toBe(code);
  });

  it("parses the missing scope from the guides' spelling, never the granted one", () => {
    const e = map(blank(403, 'Forbidden', "insufficient scopes: found 'conversion:read_conversion_stablecoin', required one of '[conversion:write_conversion_stablecoin]'"));
    expect(e.code).toBe('forbidden_scope');
    expect(e.message).toBe('Not permitted — sign in again and grant conversion:write_conversion_stablecoin.');
    expect(e.detail).toEqual({ missingScope: 'conversion:write_conversion_stablecoin' });
  });

  it("parses the missing scope from the OpenAPI examples' spelling", () => {
    const e = map(blank(403, 'Forbidden', 'insufficient scopes: found "conversion:write_conversion_stablecoin" required one of "[conversion:read_conversion_stablecoin]"'));
    expect(e.detail).toEqual({ missingScope: 'conversion:read_conversion_stablecoin' });
  });

  it('names the first of several acceptable scopes, and copes with nothing granted', () => {
    const e = map(blank(403, 'Forbidden', "insufficient scopes: found '', required one of '[funding:read_profile funding:write_profile]'"));
    expect(e.detail).toEqual({ missingScope: 'funding:read_profile' });
  });

  it('a scope 403 whose scope cannot be read still says a permission is missing, without echoing junk', () => {
    const e = map(blank(403, 'Forbidden', "insufficient scopes: found 'a', required one of '[<script>]'"));
    expect(e.code).toBe('forbidden_scope');
    expect(e.detail).toBeUndefined();
    expect(e.message).not.toContain('<script>');
  });

  it('any other 403 is not a scope problem', () => {
    const e = map(blank(403, 'Forbidden', 'action not allowed for this profile'));
    expect(e.code).toBe('forbidden');
    expect(e.message).toContain('action not allowed for this profile');
  });

  it('carries the published insufficient-funds figures (the example misspells available) and sanitised detail', () => {
    const e = map({
      type: `${PAXOS}insufficient-funds`,
      title: 'Insufficient Funds',
      status: 403,
      detail: 'insufficient <b>USD</b> funds in profile b821ff88: 999 needed, 358.24 available',
      meta: { asset: 'USD', "available'": '358.24', needed: '999', profile_id: 'b821ff88' },
    });
    expect(e.message).toContain('insufficient USD funds');
    expect(e.message).not.toContain('<');
    expect(e.detail).toEqual({ asset: 'USD', needed: '999' });
  });

  it('reports Retry-After on rate limiting and marks it retryable', () => {
    const e = map(blank(429, 'Too Many Requests', 'slow down'), { retryAfterMs: 3000 });
    expect(e).toMatchObject({ code: 'rate_limited', retryable: true, detail: { retryAfterSeconds: '3' } });
  });
});
