// Query-string helpers shared by the listings: limit, order, comma/repeated lists, RFC 3339 timestamps.
import { ProblemError } from './problems';

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A query value as fastify parses it: absent, once, or repeated. */
export type QueryValue = string | string[] | undefined;

/** JSON schema of a query value that may be given once or repeated. */
export const STRING_OR_LIST = { anyOf: [{ type: 'string', maxLength: 2048 }, { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 2048 } }] } as const;

function bad(detail: string): ProblemError {
  return new ProblemError(400, 'invalid-request', detail);
}

export function single(name: string, value: QueryValue): string | undefined {
  if (Array.isArray(value)) throw bad(`query parameter ${name} may be given only once`);
  return value;
}

export function parseLimit(value: QueryValue): number {
  const raw = single('limit', value);
  if (raw === undefined) return DEFAULT_LIMIT;
  if (!/^[0-9]{1,7}$/.test(raw)) throw bad(`limit must be an integer between 1 and ${MAX_LIMIT}`);
  const n = Number(raw);
  if (n < 1 || n > MAX_LIMIT) throw bad(`limit must be an integer between 1 and ${MAX_LIMIT}, got ${n}`);
  return n;
}

export function parseOrder(value: QueryValue, fallback: 'ASC' | 'DESC'): 'ASC' | 'DESC' {
  const raw = single('order', value);
  if (raw === undefined) return fallback;
  if (raw !== 'ASC' && raw !== 'DESC') throw bad('order must be ASC or DESC');
  return raw;
}

/** `a,b` or `x=a&x=b` → ['a', 'b'] (trimmed, empties dropped, de-duplicated, order kept). */
export function parseList(value: QueryValue): string[] | undefined {
  if (value === undefined) return undefined;
  const parts = (Array.isArray(value) ? value : [value]).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return [...new Set(parts)];
}

const RFC3339_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** RFC 3339 timestamp → epoch ms (sub-ms digits truncated), or 400. */
export function parseTimestamp(name: string, value: QueryValue): number | undefined {
  const raw = single(name, value);
  if (raw === undefined) return undefined;
  const ms = RFC3339_RE.test(raw) ? Date.parse(raw.replace(/(\.\d{3})\d+/, '$1')) : Number.NaN;
  if (Number.isNaN(ms)) throw bad(`${name} must be an RFC 3339 timestamp like 2006-01-02T15:04:05Z`);
  return ms;
}
