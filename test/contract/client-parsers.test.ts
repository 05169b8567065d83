// The client's parsers accept every example the published Paxos v2 contract gives, and a body with only its required fields.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OrchestrationsPageWireSchema, OrchestrationWireSchema, toTrackedOrchestration } from '../../electron/core/api/orchestration-wire';
import { parseProblem, problemToAppError } from '../../electron/core/api/problem';
import {
  BalancesWireSchema,
  BalanceWireSchema,
  ConversionsPageWireSchema,
  ConversionWireSchema,
  IdentityAccountsPageWireSchema,
  IdentityAccountWireSchema,
  ProfilesPageWireSchema,
  ProfileWireSchema,
  toConversion,
  toHoldings,
} from '../../electron/core/api/wire';

interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: string[];
  required?: string[];
  properties?: Record<string, Schema>;
  items?: Schema;
}
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, { schema?: Schema; examples?: Record<string, { value: unknown }> }> }>;
}
const spec = JSON.parse(readFileSync(new URL('./paxos-v2/openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema & { example?: unknown }> };
};

const operations = new Map<string, Operation>();
for (const methods of Object.values(spec.paths)) for (const op of Object.values(methods)) operations.set(op.operationId, op);

/** The parser the client uses for each success response it reads. */
const PARSERS: Record<string, z.ZodType> = {
  ListProfiles: ProfilesPageWireSchema,
  GetProfile: ProfileWireSchema,
  ListProfileBalances: BalancesWireSchema,
  GetProfileBalance: BalanceWireSchema,
  ListAccounts: IdentityAccountsPageWireSchema,
  GetAccount: IdentityAccountWireSchema,
  ListStablecoinConversions: ConversionsPageWireSchema,
  CreateStablecoinConversion: ConversionWireSchema,
  GetStablecoinConversion: ConversionWireSchema,
  CancelStablecoinConversion: ConversionWireSchema,
  ListOrchestrations: OrchestrationsPageWireSchema,
  CreateOrchestration: OrchestrationWireSchema,
  GetOrchestration: OrchestrationWireSchema,
};

const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(spec.components.schemas[schema.$ref.split('/').pop()!]!) : schema);

/** A value with only the schema's required fields (recursively), each of the declared type. */
function requiredOnly(raw: Schema): unknown {
  const schema = resolve(raw);
  if (schema.enum) return schema.enum[0];
  switch (schema.type) {
    case 'object':
      return Object.fromEntries((schema.required ?? []).map((name) => [name, requiredOnly(schema.properties![name]!)]));
    case 'array':
      return [];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return false;
    default:
      return schema.format === 'decimal' ? '0' : schema.format === 'date-time' ? '2026-01-01T00:00:00Z' : 'x1';
  }
}

const successCases = [...operations.values()].flatMap((op) => {
  const parser = PARSERS[op.operationId];
  const content = op.responses['200']?.content?.['application/json'];
  if (!parser || !content) return [];
  const examples = Object.entries(content.examples ?? {}).map(([name, ex]) => ({ op: op.operationId, name, value: ex.value, parser }));
  return [...examples, { op: op.operationId, name: 'required fields only', value: requiredOnly(content.schema!), parser }];
});

describe('client parsers accept the published examples', () => {
  it('covers every endpoint the client reads, with at least one example or a required-only body each', () => {
    expect(new Set(successCases.map((c) => c.op))).toEqual(new Set(Object.keys(PARSERS)));
    expect(successCases.filter((c) => c.name !== 'required fields only').length).toBeGreaterThanOrEqual(8);
  });

  it.each(successCases.map((c) => [c.op, c.name, c] as const))('%s — %s', (_op, _name, c) => {
    const parsed = c.parser.safeParse(c.value);
    expect(parsed.success ? 'ok' : parsed.error.issues).toBe('ok');
  });

  it('keeps every holding of the all-assets example: the traded ones as balances, the rest as other holdings', () => {
    const ex = operations.get('ListProfileBalances')!.responses['200']!.content!['application/json']!.examples!['All Assets']!.value;
    const holdings = toHoldings(BalancesWireSchema.parse(ex));
    expect(holdings.balances).toEqual([{ asset: 'USD', available: '1510.23', trading: '100.00' }]);
    expect(holdings.others.map((o) => o.asset)).toEqual(['EUR', 'SGD', 'BTC', 'ETH', 'PAXG', 'BCH', 'SOL']);
    expect(holdings.others.find((o) => o.asset === 'BTC')).toEqual({ asset: 'BTC', available: '1.23103715', trading: '0.25' });
  });

  it('tracks the example conversions by id and status, and reads none from a body that lacks them', () => {
    const list = ConversionsPageWireSchema.parse(operations.get('ListStablecoinConversions')!.responses['200']!.content!['application/json']!.examples!['List Stablecoin Conversions']!.value);
    expect(list.items.map(toConversion)).toEqual([
      { id: '38a2c6b4-167c-4c98-a190-406efc4121aa', status: 'SETTLED', refId: '497266c5214043a29f9854096e9a9103' },
      { id: 'a490536f-3842-4823-8c84-056728243064', status: 'SETTLED', refId: '4fecc881b73744e4a4e858017689da7d' },
    ]);
    expect(toConversion(ConversionWireSchema.parse({}))).toBeNull();
  });
});

describe('orchestrations: the published example and the shapes the contract allows', () => {
  const example = spec.components.schemas['Orchestration']!.example as Record<string, unknown>;

  it('tracks the published Orchestration example by id, status and ref_id', () => {
    expect(toTrackedOrchestration(OrchestrationWireSchema.parse(example))).toEqual({ id: 'e5f6a7b8-9c0d-1e2f-3a4b-c5d6e7f8a9b0', status: 'PROCESSING', refId: 'orch-usdc-usdg-a3b1c2d4', failReason: null });
  });

  it('reads a list sent as `orchestrations`, as `items`, or as both (each orchestration once); neither is an empty page', () => {
    const other = { ...example, id: 'f5f6a7b8-9c0d-1e2f-3a4b-c5d6e7f8a9b0', ref_id: 'r2' };
    const ids = (body: unknown) => OrchestrationsPageWireSchema.parse(body).items.map((o) => o.id);
    expect(ids({ orchestrations: [example] })).toEqual([example['id']]);
    expect(ids({ items: [example], next_page_cursor: 'c' })).toEqual([example['id']]);
    expect(ids({ orchestrations: [example, other], items: [other, example] })).toEqual([example['id'], other.id]);
    expect(ids({})).toEqual([]);
    expect(OrchestrationsPageWireSchema.parse({ items: [], next_page_cursor: 'c2' }).next_page_cursor).toBe('c2');
  });

  it('keeps the failure reason of a FAILED one (sanitised, capped) and reads none from other statuses or untrackable bodies', () => {
    const failed = toTrackedOrchestration(OrchestrationWireSchema.parse({ ...example, status: 'FAILED', fail_reason: { detail: `<i>bank</i> rejected\n${'x'.repeat(400)}` } }));
    expect(failed?.status).toBe('FAILED');
    expect(failed?.failReason).toMatch(/^bank rejected x+…$/);
    expect(failed?.failReason?.length).toBeLessThanOrEqual(300);
    expect(toTrackedOrchestration(OrchestrationWireSchema.parse({ ...example, status: 'FAILED' }))?.failReason).toBeNull();
    expect(toTrackedOrchestration(OrchestrationWireSchema.parse({ ...example, status: 'COMPLETED', fail_reason: { detail: 'stale' } }))?.failReason).toBeNull();
    expect(toTrackedOrchestration(OrchestrationWireSchema.parse({ ...example, status: 'CREATED' }))).toBeNull(); // a conversion status
    expect(toTrackedOrchestration(OrchestrationWireSchema.parse({ status: 'PENDING' }))).toBeNull();
    expect(toTrackedOrchestration(OrchestrationWireSchema.parse({}))).toBeNull();
  });

  it('reads the existing orchestration of an already-exists problem', () => {
    const body = { type: 'https://developer.paxos.com/docs/v2/problems/already-exists', title: 'Already Exists', status: 409, detail: 'exists', meta: { existing: { ...example, status: 'PENDING' } } };
    const problem = parseProblem(409, 'application/problem+json', JSON.stringify(body));
    expect(problemToAppError(problem).code).toBe('already_exists');
    expect(toTrackedOrchestration(OrchestrationWireSchema.parse(problem.meta?.['existing']))).toMatchObject({ status: 'PENDING', refId: 'orch-usdc-usdg-a3b1c2d4' });
  });
});

describe('client error mapping accepts the published problem examples', () => {
  const problems = [...operations.values()].flatMap((op) =>
    Object.entries(op.responses)
      .filter(([status]) => status !== '200')
      .flatMap(([status, r]) => Object.entries(r.content?.['application/json']?.examples ?? {}).map(([name, ex]) => ({ op: op.operationId, status: Number(status), name, value: ex.value }))),
  );

  it.each(problems.map((p) => [p.op, p.name, p] as const))('%s — %s', (_op, name, p) => {
    const error = problemToAppError(parseProblem(p.status, 'application/problem+json', JSON.stringify(p.value)));
    const expected: Record<string, string> = {
      'Insufficient scopes': 'forbidden_scope',
      'insufficient scopes': 'forbidden_scope',
      'insufficient funds': 'insufficient_funds',
      'Already Exists': 'already_exists',
      'Not Found': 'not_found',
      'Conversion limit exceeded': 'validation',
    };
    expect(error.code).toBe(expected[name]);
    if (error.code === 'forbidden_scope') {
      // The scope named as missing is the required one, never the one the example says was found.
      const detail = (p.value as { detail: string }).detail;
      const required = /required one of ['"]\[([^\]]+)\]/.exec(detail)![1];
      expect(error.detail).toEqual({ missingScope: required });
    }
    if (p.status === 409) {
      const existing = (p.value as { meta: { existing: unknown } }).meta.existing;
      expect(toConversion(ConversionWireSchema.parse(existing))).toMatchObject({ status: 'SETTLED', refId: 'refid-1' });
    }
  });

  it('found problem examples for every documented error status', () => {
    expect(problems.length).toBeGreaterThanOrEqual(8);
  });
});
