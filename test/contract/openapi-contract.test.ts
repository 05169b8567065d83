// The contract validator itself: it accepts the spec's own examples and catches each kind of deviation it exists for.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { createOpenApiContract, loadPaxosContract, OPENAPI_PATH, recordTraffic, validateRequest, validateResponse, validateTraffic } from './openapi-contract';

interface Examples { examples?: Record<string, { value: unknown }> }
interface ExampleOperation {
  requestBody?: { content: Record<string, Examples> };
  responses: Record<string, { content?: Record<string, Examples> }>;
}
const doc = JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as {
  paths: Record<string, Record<string, ExampleOperation>>;
  components: { schemas: Record<string, Record<string, unknown>> };
};
const contract = loadPaxosContract();
const P = 'b7b77d82-e6a7-4ae9-9904-36231aedf985';
const CREATE = { profile_id: P, amount: '3', source_asset: 'USD', target_asset: 'USDP' };

/** A concrete URL for a path template (every path parameter of the spec is a string). */
const concrete = (template: string) => template.replace(/\{[^}]+\}/g, 'x1');

describe('the vendored spec', () => {
  it('is the published copy in ../shared when that folder exists', () => {
    let shared: string | undefined;
    try {
      shared = readFileSync(new URL('../../../shared/paxos-v2/openapi.json', import.meta.url), 'utf8');
    } catch {
      shared = undefined; // a clean clone in CI may not have ../shared
    }
    if (shared !== undefined) expect(readFileSync(OPENAPI_PATH, 'utf8')).toBe(shared);
    expect(contract.operations).toContain('GET /identity/accounts');
    expect(contract.operations).toHaveLength(14);
  });
});

describe('the spec’s examples', () => {
  const responseExamples: [string, string, string, string, unknown][] = [];
  const requestExamples: [string, string, string, unknown][] = [];
  for (const [template, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      for (const [status, response] of Object.entries(op.responses)) {
        for (const [type, media] of Object.entries(response.content ?? {})) {
          for (const [name, example] of Object.entries(media.examples ?? {})) responseExamples.push([method.toUpperCase(), template, status, `${type} ${name}`, example.value]);
        }
      }
      for (const media of Object.values(op.requestBody?.content ?? {})) {
        for (const [name, example] of Object.entries(media.examples ?? {})) requestExamples.push([method.toUpperCase(), template, name, example.value]);
      }
    }
  }

  it('found the examples', () => {
    expect(responseExamples.length).toBeGreaterThanOrEqual(14);
    expect(requestExamples.length).toBeGreaterThanOrEqual(1);
  });

  it.each(responseExamples)('accepts response example %s %s %s (%s)', (method, template, status, _name, body) => {
    expect(validateResponse({ method, url: concrete(template), status: Number(status), contentType: 'application/json', body })).toEqual([]);
  });

  it.each(requestExamples)('request example %s %s (%s): only the published typo is reported', (method, template, _name, body) => {
    const issues = validateRequest({ method, url: concrete(template), contentType: 'application/json', body });
    // The published "Create Stablecoin Conversion" request example spells its amount key "amount'" (typo),
    // so it lacks the required `amount`: the validator must say exactly that and nothing else.
    const typo = typeof body === 'object' && body !== null && "amount'" in body;
    expect(issues).toEqual(typo ? [expect.stringMatching(/request body must have required property 'amount' \(amount\)/)] : []);
  });

  it.each(Object.entries(doc.components.schemas).filter(([, s]) => 'example' in s))('accepts the %s schema example', (name, schema) => {
    expect(contract.validateSchema(name, (schema as { example: unknown }).example)).toEqual([]);
  });

  it('accepts the published decimal spellings and rejects others', () => {
    for (const amount of ['0', '.25', '1510.23', '100.00', '1.23103715']) {
      expect(contract.validateSchema('ProfileBalance', { asset: 'BTC', available: amount, trading: amount })).toEqual([]);
    }
    for (const amount of ['1,5', '1e3', '', '1.', 'NaN', ' 1']) {
      expect(contract.validateSchema('ProfileBalance', { asset: 'BTC', available: amount, trading: '0' })).toEqual([expect.stringMatching(/available must match format "decimal"/)]);
    }
  });
});

describe('requests', () => {
  it('accepts repeated exploded parameters and coerces typed values', () => {
    expect(validateRequest({ method: 'GET', url: `/profiles/${P}/balances?assets=USD&assets=USDP` })).toEqual([]);
    expect(validateRequest({ method: 'GET', url: '/v2/profiles?limit=1000&order=DESC&order_by=CREATED_AT&ids=a&ids=b&created_at.gte=2024-01-02T09:00:00Z' })).toEqual([]);
    expect(validateRequest({ method: 'GET', url: `/profiles/${P}?include_deactivated=true` })).toEqual([]);
    expect(validateRequest({ method: 'GET', url: 'http://127.0.0.1:1/v2/identity/accounts?identity_id=i&limit=5' })).toEqual([]);
  });

  it('flags an undeclared query parameter', () => {
    expect(validateRequest({ method: 'GET', url: '/conversion/stablecoins?statuses=CREATED&limit=5' })).toEqual([
      expect.stringMatching(/query must NOT have additional properties \(statuses\)/),
    ]);
  });

  it('flags a comma-joined value of an exploded array parameter', () => {
    expect(validateRequest({ method: 'GET', url: `/profiles/${P}/balances?assets=USD,USDP` })).toEqual([
      expect.stringMatching(/assets="USD,USDP" is a comma-joined list/),
    ]);
    expect(validateRequest({ method: 'GET', url: `/profiles/${P}/balances?assets=USD%2CUSDP` })).toHaveLength(1);
  });

  it('flags wrong types, enums, repeats and formats in the query', () => {
    expect(validateRequest({ method: 'GET', url: '/profiles?limit=abc' })).toEqual([expect.stringMatching(/query\/limit must be integer/)]);
    expect(validateRequest({ method: 'GET', url: '/profiles?limit=99999999999' })).toContainEqual(expect.stringMatching(/query\/limit must be <= 2147483647/));
    expect(validateRequest({ method: 'GET', url: '/profiles?order=UP' })).toEqual([expect.stringMatching(/query\/order must be equal to one of the allowed values \(DESC, ASC\)/)]);
    expect(validateRequest({ method: 'GET', url: '/profiles?limit=1&limit=2' })).toEqual([expect.stringMatching(/limit is given 2 times/)]);
    expect(validateRequest({ method: 'GET', url: '/conversion/stablecoins?created_at.begin=yesterday' })).toEqual([expect.stringMatching(/must match format "date-time"/)]);
  });

  it('flags unknown paths and methods', () => {
    expect(validateRequest({ method: 'GET', url: '/profiles/x/nope' })).toEqual([expect.stringMatching(/matches no path/)]);
    expect(validateRequest({ method: 'PUT', url: '/profiles' })).toEqual([expect.stringMatching(/PUT is not an operation of \/profiles/)]);
  });

  it('validates JSON bodies: required fields, types, patterns, content type', () => {
    const post = (body: unknown, contentType = 'application/json') => validateRequest({ method: 'POST', url: '/conversion/stablecoins', contentType, body });
    expect(post(CREATE)).toEqual([]);
    expect(post(JSON.stringify(CREATE))).toEqual([]);
    const { source_asset: _s, ...missing } = CREATE;
    expect(post(missing)).toEqual([expect.stringMatching(/request body must have required property 'source_asset'/)]);
    expect(post({ ...CREATE, amount: '1,000' })).toEqual([expect.stringMatching(/request body\/amount must match pattern/)]);
    expect(post({ ...CREATE, amount: 3 })).toEqual([expect.stringMatching(/request body\/amount must be string/)]);
    expect(post({ ...CREATE, metadata: { a: 1 } })).toEqual([expect.stringMatching(/request body\/metadata\/a must be string/)]);
    expect(post('{"profile_id":')).toEqual(['request body is not valid JSON']);
    expect(post(CREATE, 'text/plain')).toEqual([expect.stringMatching(/content-type text\/plain is not one of application\/json/)]);
    expect(post(undefined)).toEqual([expect.stringMatching(/requires a request body/)]);
    expect(validateRequest({ method: 'GET', url: '/profiles', contentType: 'application/json', body: {} })).toEqual([expect.stringMatching(/takes no request body/)]);
    expect(validateRequest({ method: 'POST', url: `/sandbox/profiles/${P}/deposit`, contentType: 'application/json', body: { asset: 'USD', amount: '5', crypto_network: 'MOON' } }))
      .toEqual([expect.stringMatching(/crypto_network must be equal to one of the allowed values/)]);
  });
});

describe('responses', () => {
  const get = (url: string, status: number, body: unknown, contentType = 'application/json') => validateResponse({ method: 'GET', url, status, contentType, body });

  it('catches a profile without `type` and an invalid enum', () => {
    expect(get('/profiles', 200, { items: [{ id: P, nickname: 'n', identity_id: 'i' }] })).toEqual([expect.stringMatching(/body\/items\/0 must have required property 'type'/)]);
    expect(get(`/profiles/${P}`, 200, { id: P, nickname: 'n', type: 'DEGENERATE' })).toEqual([expect.stringMatching(/body\/type must be equal to one of the allowed values \(NORMAL, DEFAULT\)/)]);
  });

  it('accepts a response with only the required fields and extra fields where the schema allows them', () => {
    expect(get('/profiles', 200, { items: [{ id: P, nickname: 'n', type: 'DEFAULT' }] })).toEqual([]);
    expect(get(`/profiles/${P}/balances/BTC`, 200, { asset: 'BTC', available: '0', trading: '.25' })).toEqual([]);
    expect(get('/identity/accounts', 200, { items: [{ id: 'a', identity_id: 'i', profile_id: P, type: 'BROKERAGE', summary_status: 'APPROVED', members: [{ identity_id: 'i', roles: ['BENEFICIAL_OWNER'] }] }] })).toEqual([]);
    expect(get('/identity/accounts/a', 200, { id: 'a', members: [{ roles: [] }] })).toEqual([expect.stringMatching(/members\/0 must have required property 'identity_id'/)]);
  });

  it('validates the body of the JSON string as sent', () => {
    expect(get(`/profiles/${P}`, 200, JSON.stringify({ id: P, nickname: 'n', type: 'NORMAL' }))).toEqual([]);
    expect(get(`/profiles/${P}`, 200, '{"id":')).toEqual([expect.stringMatching(/body is not valid JSON/)]);
  });

  it('flags undeclared success statuses and foreign content types', () => {
    expect(get('/profiles', 201, { items: [] })).toEqual([expect.stringMatching(/status 201 is not declared/)]);
    expect(get('/profiles', 200, '<html/>', 'text/html')).toEqual([expect.stringMatching(/content-type text\/html is not one of application\/json/)]);
  });

  const problem = (type: string, status: number, extra: Record<string, unknown> = {}) => ({ type, title: 'T', status, detail: 'd', ...extra });
  const PROBLEM = 'application/problem+json; charset=utf-8';

  it('accepts published problem types on declared and undeclared error statuses', () => {
    expect(get('/profiles', 401, problem('about:blank', 401), PROBLEM)).toEqual([]);
    expect(get(`/profiles/${P}`, 404, problem('about:blank', 404), PROBLEM)).toEqual([]);
    expect(validateResponse({ method: 'POST', url: '/conversion/stablecoins', status: 409, contentType: PROBLEM, body: problem('https://developer.paxos.com/docs/v2/problems/already-exists', 409, { meta: { existing: {} } }) })).toEqual([]);
    expect(validateResponse({ method: 'POST', url: '/conversion/stablecoins', status: 403, contentType: 'application/json', body: problem('https://developer.paxos.com/docs/v2/problems/insufficient-funds', 403) })).toEqual([]);
  });

  it('catches a problem with a foreign type, a non-problem content type, a missing title and a status mismatch', () => {
    expect(get('/profiles', 403, problem('https://sandbox.partnerconsole.test/problems/not-delegated', 403), PROBLEM)).toEqual([expect.stringMatching(/problem\/type must match pattern/)]);
    expect(get('/profiles', 403, problem('https://developer.paxos.com/docs/v2/problems/Not_Delegated', 403), PROBLEM)).not.toEqual([]);
    expect(get('/profiles', 400, problem('about:blank', 400), 'application/json')).toEqual([expect.stringMatching(/undeclared error status must be application\/problem\+json/)]);
    const { title: _t, ...untitled } = problem('about:blank', 404);
    expect(get(`/profiles/${P}`, 404, untitled, PROBLEM)).toEqual([expect.stringMatching(/must have required property 'title'/)]);
    expect(get(`/profiles/${P}`, 404, problem('about:blank', 403), PROBLEM)).toEqual([expect.stringMatching(/status 403 differs from the HTTP status/)]);
    expect(get(`/profiles/${P}`, 404, problem('about:blank', 700), PROBLEM)).toEqual([expect.stringMatching(/status must be < 600/), expect.stringMatching(/differs/)]);
  });
});

describe('a custom document', () => {
  it('uses the document it is given (non-exploded arrays are comma-joined)', () => {
    const custom = createOpenApiContract({
      servers: [{ url: 'https://example.test/api' }],
      paths: { '/things': { get: { parameters: [{ name: 'tags', in: 'query', explode: false, schema: { type: 'array', items: { type: 'string' } } }], responses: { '200': {} } } } },
      components: { schemas: {} },
    });
    expect(custom.validateRequest({ method: 'GET', url: '/api/things?tags=a,b' })).toEqual([]);
    expect(custom.validateRequest({ method: 'GET', url: '/things?tags=a&tags=b' })).toEqual([expect.stringMatching(/repeated but is not exploded/)]);
    expect(custom.validateResponse({ method: 'GET', url: '/things', status: 200, body: '{}', contentType: 'application/json' })).toEqual([expect.stringMatching(/declares no body/)]);
  });
});

describe('recordTraffic + validateTraffic', () => {
  it('records raw URLs, request bodies, statuses and payloads of a fastify app, and validates them', async () => {
    const app = Fastify();
    const log = recordTraffic(app);
    app.get('/v2/profiles', async () => ({ items: [{ id: P, nickname: 'n' }] }));
    app.post('/v2/conversion/stablecoins', async (request) => ({ ...(request.body as object), id: 'c1', status: 'CREATED' }));
    app.get('/_sandbox/chaos', async () => ({}));
    try {
      await app.inject({ method: 'GET', url: '/v2/profiles?statuses=A,B&limit=2' });
      await app.inject({ method: 'POST', url: '/v2/conversion/stablecoins', headers: { 'content-type': 'application/json' }, payload: JSON.stringify({ ...CREATE, amount: 'x' }) });
      await app.inject({ method: 'GET', url: '/_sandbox/chaos' });
    } finally {
      await app.close();
    }
    expect(log.exchanges.map((e) => [e.method, e.url, e.status])).toEqual([
      ['GET', '/v2/profiles?statuses=A,B&limit=2', 200],
      ['POST', '/v2/conversion/stablecoins', 200],
      ['GET', '/_sandbox/chaos', 200],
    ]);
    expect(JSON.parse(log.exchanges[1]!.requestBody!)).toEqual({ ...CREATE, amount: 'x' });
    expect(log.exchanges[1]!.contentType).toMatch(/^application\/json/);
    expect(validateTraffic(log.completed())).toEqual([
      expect.stringMatching(/^GET \/v2\/profiles\?statuses=A,B&limit=2 → 200: request: query must NOT have additional properties \(statuses\)/),
      expect.stringMatching(/^GET \/v2\/profiles.*: response: .*items\/0 must have required property 'type'/),
      expect.stringMatching(/^POST \/v2\/conversion\/stablecoins → 200: request: request body\/amount must match pattern/),
      expect.stringMatching(/^POST \/v2\/conversion\/stablecoins → 200: response: .*body\/amount must match format "decimal"/),
    ]);
    expect(validateTraffic(log.completed(), { requests: false })).toHaveLength(2);
    log.clear();
    expect(log.exchanges).toEqual([]);
  });

  it('records requests that a plugin’s own hook answers before the recorder’s onRequest runs', async () => {
    const app = Fastify();
    await app.register(async (v2) => {
      v2.addHook('onRequest', async (_request, reply) => reply.code(503).header('content-type', 'application/problem+json').send('{"type":"about:blank","title":"Service Unavailable","status":503}'));
      v2.get('/profiles', async () => ({ items: [] }));
    }, { prefix: '/v2' });
    const log = recordTraffic(app);
    try {
      expect((await app.inject({ method: 'GET', url: '/v2/profiles?limit=1' })).statusCode).toBe(503);
    } finally {
      await app.close();
    }
    expect(log.completed().map((e) => [e.url, e.status, e.contentType?.split(';')[0]])).toEqual([['/v2/profiles?limit=1', 503, 'application/problem+json']]);
    expect(validateTraffic(log.completed())).toEqual([]);
  });
});
