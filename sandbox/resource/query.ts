// Query-string helpers shared by the listings: declared-parameter schemas, limit, order, exploded lists, RFC 3339 time filters.
import { badRequest } from './problems';

/** Sandbox assumption (the published contract is silent): limit defaults to 100 and may be at most 1000. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A query value as fastify parses it: absent, once, or repeated. */
export type QueryValue = string | string[] | undefined;

const SCALAR = { type: 'string', maxLength: 2048 } as const;
/** An exploded array parameter (`explode: true`): given once (a string) or repeated (an array). */
const EXPLODED = { anyOf: [SCALAR, { type: 'array', maxItems: 100, items: SCALAR }] } as const;

/** The comparison suffixes of the published `created_at.*` / `updated_at.*` filters of profiles and accounts. */
export const TIME_OPERATORS = ['lt', 'lte', 'eq', 'gte', 'gt'] as const;
export type TimeOperator = (typeof TIME_OPERATORS)[number];

/** `created_at.lt`, `created_at.lte`, … for a field name. */
export function timeParams(field: string): string[] {
  return TIME_OPERATORS.map((op) => `${field}.${op}`);
}

/**
 * Fastify querystring schema that accepts exactly the parameters the operation declares: scalars once, exploded
 * arrays once or repeated. Anything else (an undeclared parameter, a repeated scalar) is a 400 before the handler runs.
 */
export function declaredQuery(scalars: readonly string[], exploded: readonly string[] = []) {
  return {
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries([...scalars.map((n) => [n, SCALAR]), ...exploded.map((n) => [n, EXPLODED])]),
  } as const;
}

/** Values of an exploded parameter: each repetition is one value, commas included (`a,b` is one value). */
export function exploded(value: QueryValue): string[] | undefined {
  if (value === undefined) return undefined;
  return [...new Set(Array.isArray(value) ? value : [value])];
}

export function single(name: string, value: QueryValue): string | undefined {
  if (Array.isArray(value)) throw badRequest(`query parameter ${name} may be given only once`);
  return value;
}

export function parseLimit(value: QueryValue): number {
  const raw = single('limit', value);
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^[0-9]{1,7}$/.test(raw)) throw badRequest(`limit must be an integer between 1 and ${MAX_LIMIT}`);
  const n = Number(raw);
  if (n < 1 || n > MAX_LIMIT) throw badRequest(`limit must be an integer between 1 and ${MAX_LIMIT}, got ${n}`);
  return n;
}

export function parseOrder(value: QueryValue, fallback: 'ASC' | 'DESC'): 'ASC' | 'DESC' {
  const raw = single('order', value);
  if (raw === undefined) return fallback;
  if (raw !== 'ASC' && raw !== 'DESC') throw badRequest('order must be ASC or DESC');
  return raw;
}

/** `order_by`: the only published value is CREATED_AT (also the default). */
export function parseOrderBy(value: QueryValue): 'CREATED_AT' {
  const raw = single('order_by', value);
  if (raw !== undefined && raw !== 'CREATED_AT') throw badRequest('order_by must be CREATED_AT');
  return 'CREATED_AT';
}

export function parseBoolean(name: string, value: QueryValue): boolean | undefined {
  const raw = single(name, value);
  if (raw === undefined) return undefined;
  if (raw !== 'true' && raw !== 'false') throw badRequest(`${name} must be true or false`);
  return raw === 'true';
}

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** RFC 3339 timestamp → epoch ms (sub-ms digits truncated), or 400. */
export function parseTimestamp(name: string, value: QueryValue): number | undefined {
  const raw = single(name, value);
  if (raw === undefined) return undefined;
  const ms = RFC3339_RE.test(raw) ? Date.parse(raw.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  if (Number.isNaN(ms)) throw badRequest(`${name} must be an RFC 3339 timestamp like 2006-01-02T15:04:05Z`);
  return ms;
}

/** The `field.lt … field.gt` filters of a query as a predicate on epoch ms (true when none is given). */
export function timeFilter(field: string, query: Record<string, QueryValue>): { key: (number | null)[]; matches(ms: number): boolean } {
  const bounds = TIME_OPERATORS.map((op) => [op, parseTimestamp(`${field}.${op}`, query[`${field}.${op}`])] as const);
  return {
    key: bounds.map(([, v]) => v ?? null),
    matches(ms) {
      return bounds.every(([op, bound]) => {
        if (bound === undefined) return true;
        switch (op) {
          case 'lt': return ms < bound;
          case 'lte': return ms <= bound;
          case 'eq': return ms === bound;
          case 'gte': return ms >= bound;
          case 'gt': return ms > bound;
        }
      });
    },
  };
}
