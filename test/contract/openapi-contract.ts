// Validates HTTP requests and responses against the published Paxos v2 OpenAPI 3.0 document (ajv, draft-04 dialect).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { fromSchema } from '@openapi-contrib/openapi-schema-to-json-schema';
import type { ErrorObject, ValidateFunction } from 'ajv';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';

import type { Exchange } from './traffic-recorder';

export { recordTraffic, type Exchange, type TrafficLog } from './traffic-recorder';

/** The vendored copy of `../shared/paxos-v2/openapi.json` (see test/contract/paxos-v2/README.md). */
export const OPENAPI_PATH = fileURLToPath(new URL('./paxos-v2/openapi.json', import.meta.url));

/** Problem `type`s Paxos publishes: `about:blank` or a slug under the v2 problems base. */
export const PAXOS_PROBLEM_BASE = 'https://developer.paxos.com/docs/v2/problems/';
const PROBLEM_TYPE_PATTERN = '^(about:blank|https://developer\\.paxos\\.com/docs/v2/problems/[a-z0-9]+(-[a-z0-9]+)*)$';

/** A decimal string as the published examples write them: "0", ".25", "1510.23", "100.00" (sign allowed). */
export const DECIMAL_PATTERN = /^-?(?:[0-9]+|[0-9]*\.[0-9]+)$/;

export interface RequestSample {
  method: string;
  /** Path and query relative to the `/v2` base, raw as sent (`/profiles?ids=a&ids=b`); a leading `/v2` or an origin is stripped. */
  url: string;
  contentType?: string | undefined;
  /** Parsed JSON, or the raw text as sent (parsed here when the content type is JSON). */
  body?: unknown;
}

export interface ResponseSample {
  method: string;
  url: string;
  status: number;
  contentType?: string | undefined;
  /** Parsed JSON, or the raw payload text. */
  body?: unknown;
}

export interface OpenApiContract {
  /** Readable issues; an empty list means the request matches the spec. */
  validateRequest(sample: RequestSample): string[];
  /** Readable issues; an empty list means the response matches the spec for its status code. */
  validateResponse(sample: ResponseSample): string[];
  /** Issues of `value` against `#/components/schemas/<name>`; empty = valid. */
  validateSchema(name: string, value: unknown): string[];
  /** `GET /profiles` style keys of every operation in the document. */
  readonly operations: readonly string[];
}

interface Parameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'cookie';
  required?: boolean;
  style?: string;
  explode?: boolean;
  schema?: Record<string, unknown>;
}
interface MediaType { schema?: Record<string, unknown> }
interface Operation {
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content?: Record<string, MediaType> };
  responses?: Record<string, { content?: Record<string, MediaType> }>;
}
interface OpenApiDocument {
  servers?: { url: string }[];
  paths: Record<string, Record<string, Operation> & { parameters?: Parameter[] }>;
  components: { schemas: Record<string, Record<string, unknown>> };
}

interface CompiledOperation {
  key: string;
  template: string;
  regex: RegExp;
  pathNames: string[];
  operation: Operation;
  params: Parameter[];
  pathValidator: ValidateFunction;
  queryValidator: ValidateFunction;
  queryArrays: Map<string, boolean>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const DOC_ID = 'paxos-v2.json';

function convert(schema: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _ignored, ...json } = fromSchema(schema, { cloneSchema: true }) as Record<string, unknown>;
  return json;
}

function newAjv(coerce: boolean): Ajv04 {
  const ajv = new Ajv04({ strict: true, allErrors: true, coerceTypes: coerce ? 'array' : false, useDefaults: false });
  addFormats(ajv);
  ajv.addFormat('decimal', { type: 'string', validate: (value: string) => DECIMAL_PATTERN.test(value) });
  // The document root holds the converted component schemas; `#/components/schemas/X` refs resolve inside it.
  ajv.addKeyword('components');
  return ajv;
}

function describe(errors: readonly ErrorObject[] | null | undefined, where: string): string[] {
  return (errors ?? []).map((e) => {
    const params = e.params as Record<string, unknown>;
    // ajv's message already names a pattern or format; name the property or the allowed values it leaves out.
    const extra = params['additionalProperty'] ?? params['missingProperty'] ?? params['allowedValues'];
    const detail = extra === undefined ? '' : ` (${Array.isArray(extra) ? extra.join(', ') : String(extra)})`;
    return `${where}${e.instancePath} ${e.message ?? 'is invalid'}${detail}`;
  });
}

function mediaEssence(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function parseBody(body: unknown, contentType: string | undefined, where: string): { value?: unknown; issue?: string } {
  if (typeof body !== 'string') return { value: body };
  const essence = mediaEssence(contentType);
  if (body === '') return { value: undefined };
  if (essence === 'application/json' || essence?.endsWith('+json')) {
    try {
      return { value: JSON.parse(body) };
    } catch {
      return { issue: `${where} is not valid JSON` };
    }
  }
  return { value: body };
}

/** Splits `url` into the spec-relative path and the raw query string. */
function splitUrl(url: string, basePath: string): { path: string; query: string } {
  const parsed = new URL(url, 'http://contract.invalid');
  let path = parsed.pathname;
  if (basePath !== '' && (path === basePath || path.startsWith(`${basePath}/`))) path = path.slice(basePath.length) || '/';
  return { path, query: parsed.search.replace(/^\?/, '') };
}

/** Builds a contract from an OpenAPI 3.0 document (the vendored Paxos v2 one by default, see `loadPaxosContract`). */
export function createOpenApiContract(document: OpenApiDocument): OpenApiContract {
  const components = Object.fromEntries(Object.entries(document.components.schemas).map(([name, schema]) => [name, convert(schema)]));
  const root = { id: DOC_ID, components: { schemas: components } };
  const strict = newAjv(false);
  const coercing = newAjv(true);
  strict.addSchema(root);
  coercing.addSchema(root);
  /** Rewrites `#/components/...` refs so a schema compiled on its own still points into the document. */
  const anchor = (schema: Record<string, unknown>): Record<string, unknown> =>
    JSON.parse(JSON.stringify(convert(schema)).replaceAll('"$ref":"#/', `"$ref":"${DOC_ID}#/`)) as Record<string, unknown>;
  const basePath = new URL(document.servers?.[0]?.url ?? 'http://x/').pathname.replace(/\/$/, '');

  const compiled: CompiledOperation[] = [];
  for (const [template, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method] as Operation | undefined;
      if (!operation) continue;
      const params = [...(item.parameters ?? []), ...(operation.parameters ?? [])];
      const pathNames: string[] = [];
      const pattern = template.split('/').map((segment) => {
        const m = /^\{(.+)\}$/.exec(segment);
        if (!m?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        pathNames.push(m[1]);
        return '([^/]+)';
      }).join('/');
      const objectSchema = (where: 'path' | 'query') => {
        const own = params.filter((p) => p.in === where);
        return {
          type: 'object',
          properties: Object.fromEntries(own.map((p) => [p.name, anchor(p.schema ?? {})])),
          required: own.filter((p) => p.required || where === 'path').map((p) => p.name),
          additionalProperties: false,
        };
      };
      const drop = ({ required, ...rest }: { required: string[] } & Record<string, unknown>) => (required.length === 0 ? rest : { ...rest, required });
      compiled.push({
        key: `${method.toUpperCase()} ${template}`,
        template,
        regex: new RegExp(`^${pattern}$`),
        pathNames,
        operation,
        params,
        pathValidator: strict.compile(drop(objectSchema('path'))),
        queryValidator: coercing.compile(drop(objectSchema('query'))),
        queryArrays: new Map(params.filter((p) => p.in === 'query' && p.schema?.['type'] === 'array')
          .map((p) => [p.name, p.explode ?? (p.style ?? 'form') === 'form'])),
      });
    }
  }
  // Static segments win over templated ones when two templates match the same path.
  const specificity = (op: CompiledOperation) => op.template.split('/').filter((s) => !s.startsWith('{')).length;
  compiled.sort((a, b) => specificity(b) - specificity(a));

  const schemaValidators = new Map<string, ValidateFunction>();
  const validatorFor = (schema: Record<string, unknown>): ValidateFunction => {
    const key = JSON.stringify(schema);
    let validate = schemaValidators.get(key);
    if (!validate) {
      validate = strict.compile(anchor(schema));
      schemaValidators.set(key, validate);
    }
    return validate;
  };
  const problemRules = { type: 'object', required: ['type', 'title', 'status'], properties: { type: { type: 'string', pattern: PROBLEM_TYPE_PATTERN }, title: { type: 'string' }, status: { type: 'integer' } } };
  const publishedProblem = strict.compile('Problem' in components ? { allOf: [{ $ref: `${DOC_ID}#/components/schemas/Problem` }, problemRules] } : problemRules);

  function find(method: string, url: string): { op: CompiledOperation; pathValues: Record<string, string>; query: string; undecodable: string[] } | string {
    const { path, query } = splitUrl(url, basePath);
    const candidates = compiled.filter((op) => op.regex.test(path));
    if (candidates.length === 0) return `${method} ${path} matches no path of the spec`;
    const op = candidates.find((c) => c.key.startsWith(`${method.toUpperCase()} `));
    if (!op) return `${method.toUpperCase()} is not an operation of ${candidates[0]?.template ?? path}`;
    const values = op.regex.exec(path)?.slice(1) ?? [];
    const pathValues: Record<string, string> = {};
    const undecodable: string[] = [];
    for (const [i, name] of op.pathNames.entries()) {
      try {
        pathValues[name] = decodeURIComponent(values[i] ?? '');
      } catch {
        pathValues[name] = values[i] ?? '';
        undecodable.push(`path ${name} "${values[i] ?? ''}" is not valid percent-encoding`);
      }
    }
    return { op, pathValues, query, undecodable };
  }

  function queryIssues(op: CompiledOperation, raw: string): string[] {
    const issues: string[] = [];
    const search = new URLSearchParams(raw);
    const values: Record<string, unknown> = {};
    for (const name of new Set(search.keys())) {
      const all = search.getAll(name);
      const exploded = op.queryArrays.get(name);
      if (exploded === true) {
        for (const v of all) if (v.includes(',')) issues.push(`query ${name}="${v}" is a comma-joined list; ${name} is exploded: repeat the parameter per value`);
        values[name] = all;
      } else if (exploded === false) {
        if (all.length > 1) issues.push(`query ${name} is repeated but is not exploded: join its values with commas`);
        values[name] = all.join(',').split(',');
      } else {
        if (all.length > 1) issues.push(`query ${name} is given ${all.length} times but takes one value`);
        values[name] = all[0];
      }
    }
    if (!op.queryValidator(values)) issues.push(...describe(op.queryValidator.errors, 'query'));
    return issues;
  }

  return {
    operations: compiled.map((op) => op.key),
    validateSchema(name, value) {
      if (!Object.hasOwn(components, name)) return [`#/components/schemas/${name} does not exist`];
      const validate = validatorFor({ $ref: `#/components/schemas/${name}` });
      return validate(value) ? [] : describe(validate.errors, name);
    },
    validateRequest(sample) {
      const found = find(sample.method, sample.url);
      if (typeof found === 'string') return [found];
      const { op, pathValues, query } = found;
      const issues: string[] = [...found.undecodable];
      if (!op.pathValidator(pathValues)) issues.push(...describe(op.pathValidator.errors, 'path'));
      issues.push(...queryIssues(op, query));
      const declared = op.operation.requestBody;
      const parsed = parseBody(sample.body, sample.contentType, 'request body');
      if (parsed.issue) return [...issues, parsed.issue];
      if (!declared) {
        if (parsed.value !== undefined) issues.push(`${op.key} takes no request body`);
        return issues;
      }
      if (parsed.value === undefined) {
        if (declared.required) issues.push(`${op.key} requires a request body`);
        return issues;
      }
      const essence = mediaEssence(sample.contentType);
      const media = essence === undefined ? undefined : declared.content?.[essence];
      if (!media) return [...issues, `request content-type ${String(sample.contentType)} is not one of ${Object.keys(declared.content ?? {}).join(', ')}`];
      if (media.schema) {
        const validate = validatorFor(media.schema);
        if (!validate(parsed.value)) issues.push(...describe(validate.errors, 'request body'));
      }
      return issues;
    },
    validateResponse(sample) {
      const found = find(sample.method, sample.url);
      if (typeof found === 'string') return [found];
      const { op } = found;
      const where = `${op.key} ${sample.status}`;
      const parsed = parseBody(sample.body, sample.contentType, `${where} body`);
      if (parsed.issue) return [parsed.issue];
      const responses = op.operation.responses ?? {};
      const declared = responses[String(sample.status)] ?? responses[`${String(sample.status)[0]}XX`] ?? responses['default'];
      const essence = mediaEssence(sample.contentType);
      const issues: string[] = [];
      if (declared) {
        const content = declared.content ?? {};
        // application/problem+json is a +json type: it is accepted where the spec declares application/json.
        const media = essence === undefined ? undefined : content[essence] ?? (essence.endsWith('+json') ? content['application/json'] : undefined);
        if (Object.keys(content).length === 0) {
          if (parsed.value !== undefined) issues.push(`${where}: the spec declares no body`);
        } else if (!media) {
          issues.push(`${where}: content-type ${String(sample.contentType)} is not one of ${Object.keys(content).join(', ')}`);
        } else if (media.schema) {
          const validate = validatorFor(media.schema);
          if (!validate(parsed.value)) issues.push(...describe(validate.errors, `${where} body`));
        }
      } else if (sample.status < 400) {
        issues.push(`${where}: status ${sample.status} is not declared by ${op.key}`);
      } else if (essence !== 'application/problem+json') {
        issues.push(`${where}: an undeclared error status must be application/problem+json, got ${String(sample.contentType)}`);
      }
      // Every error body, declared or not, is a Problem of a published type (about:blank or a documented slug).
      if (sample.status >= 400) {
        if (!publishedProblem(parsed.value)) issues.push(...describe(publishedProblem.errors, `${where} problem`));
        const status = (parsed.value as { status?: unknown } | undefined)?.status;
        if (status !== undefined && status !== sample.status) issues.push(`${where} problem: status ${String(status)} differs from the HTTP status`);
      }
      return issues;
    },
  };
}

let defaultContract: OpenApiContract | undefined;

/** The contract of the vendored Paxos v2 document (built once, on first use). */
export function loadPaxosContract(): OpenApiContract {
  defaultContract ??= createOpenApiContract(JSON.parse(readFileSync(OPENAPI_PATH, 'utf8')) as OpenApiDocument);
  return defaultContract;
}

/** Issues of one request against the Paxos v2 document; empty = valid. */
export function validateRequest(sample: RequestSample): string[] {
  return loadPaxosContract().validateRequest(sample);
}

/** Issues of one response against the Paxos v2 document for its status code; empty = valid. */
export function validateResponse(sample: ResponseSample): string[] {
  return loadPaxosContract().validateResponse(sample);
}

/**
 * Validates every completed exchange under the spec's base path (`/v2/...`; other paths, e.g. `/_sandbox/*`, are not
 * part of the contract and are skipped). Each issue is prefixed with the request line. `requests: false` skips the
 * request checks (for runs that send bad input on purpose), `responses: false` the response checks.
 */
export function validateTraffic(
  exchanges: readonly Exchange[],
  options: { requests?: boolean; responses?: boolean; contract?: OpenApiContract } = {},
): string[] {
  const contract = options.contract ?? loadPaxosContract();
  const issues: string[] = [];
  for (const e of exchanges) {
    if (e.status === undefined || !/^\/v2(\/|\?|$)/.test(e.url)) continue;
    const line = `${e.method} ${e.url} → ${e.status}`;
    const request = options.requests === false ? [] : contract.validateRequest({ method: e.method, url: e.url, contentType: e.requestContentType, body: e.requestBody });
    const response = options.responses === false ? [] : contract.validateResponse({ method: e.method, url: e.url, status: e.status, contentType: e.contentType, body: e.payload });
    issues.push(...request.map((i) => `${line}: request: ${i}`), ...response.map((i) => `${line}: response: ${i}`));
  }
  return issues;
}

export type { OpenApiDocument };
