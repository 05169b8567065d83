// Turns an HTTP error response (RFC 9457 problem+json or not) into a typed AppError with operator-safe text.
import { appError, notPermittedMessage, type AppError } from '../../../shared/app-error';
import { sanitizeServerText } from './text';

/** What the client keeps of an error response: enough to decide (kind, meta) and to explain (sanitised detail). */
export interface Problem {
  readonly status: number;
  /** Last path segment of the problem `type` (or the slugged title), lower case, e.g. `insufficient-funds`. */
  readonly kind: string;
  /** Sanitised `title`. */
  readonly title: string;
  /** Sanitised `detail`. */
  readonly detail: string;
  /** `meta` object as sent (unvalidated: read it only through a schema). */
  readonly meta: Readonly<Record<string, unknown>> | null;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

function kindOf(type: unknown, title: string): string {
  if (typeof type === 'string' && type !== 'about:blank') {
    const last = type.split(/[/#]/).filter((s) => s !== '').pop();
    if (last) return slug(last);
  }
  return slug(title);
}

/** Parses a response body into a Problem. Bodies that are not problem+json (HTML error pages, empty) still yield one. */
export function parseProblem(status: number, contentType: string | undefined, text: string): Problem {
  let body: Record<string, unknown> = {};
  if (contentType && /json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = {};
    }
  }
  const title = sanitizeServerText(body['title'], 100);
  const meta = body['meta'];
  return {
    status,
    kind: kindOf(body['type'], title),
    title,
    detail: sanitizeServerText(body['detail'] ?? body['message'] ?? body['error'], 300),
    meta: typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : null,
  };
}

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]{1,100}$/;

/** The scope the server says is missing: `meta.required_scope`, or `scope="..."` in the Bearer challenge. */
export function missingScopeOf(problem: Problem, wwwAuthenticate: string | undefined): string | null {
  const fromMeta = problem.meta?.['required_scope'];
  if (typeof fromMeta === 'string' && SCOPE_TOKEN.test(fromMeta)) return fromMeta;
  const match = wwwAuthenticate ? /scope="([^"]{1,200})"/.exec(wwwAuthenticate) : null;
  const fromHeader = match?.[1]?.split(' ')[0];
  return fromHeader && SCOPE_TOKEN.test(fromHeader) ? fromHeader : null;
}

/** The plain-words message the operator sees when a scope is missing; also used when the app knows before asking. */
export { notPermittedMessage };

function withDetail(message: string, problem: Problem): string {
  return problem.detail === '' ? message : `${message} The server said: ${problem.detail}`;
}

function metaStrings(problem: Problem, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = problem.meta?.[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = sanitizeServerText(String(value), 100);
  }
  return out;
}

export interface ProblemContext {
  readonly wwwAuthenticate?: string | undefined;
  readonly retryAfterMs?: number | null;
}

/** Maps a problem to the app's closed set of error codes. */
export function problemToAppError(problem: Problem, context: ProblemContext = {}): AppError {
  const { status, kind } = problem;
  if (status === 401) return appError('unauthorized', 'The server did not accept your session. Sign in again.');
  if (status === 403) {
    if (kind.includes('scope')) {
      const scope = missingScopeOf(problem, context.wwwAuthenticate);
      return scope
        ? appError('forbidden_scope', notPermittedMessage(scope), { detail: { missingScope: scope } })
        : appError('forbidden_scope', withDetail('Not permitted — sign in again and grant the missing permission.', problem));
    }
    if (kind === 'not-delegated') return appError('not_delegated', 'This profile is not delegated to you.', { detail: metaStrings(problem, ['profile_id']) });
    if (kind === 'insufficient-funds') {
      return appError('insufficient_funds', withDetail('The available balance is lower than the amount.', problem), {
        detail: metaStrings(problem, ['asset', 'needed', 'available']),
      });
    }
    return appError('forbidden_scope', withDetail('Not permitted.', problem));
  }
  if (status === 404) return appError('not_found', withDetail('Not found.', problem));
  if (status === 409) {
    if (kind === 'already-exists') return appError('already_exists', withDetail('This request was already received.', problem));
    return appError('conflict', withDetail('The order is in a state that does not allow this.', problem));
  }
  if (status === 429) {
    const seconds = context.retryAfterMs ? Math.ceil(context.retryAfterMs / 1000) : null;
    return appError('rate_limited', `The server is limiting requests. Try again${seconds ? ` in ${seconds} s` : ' shortly'}.`, {
      retryable: true,
      ...(seconds ? { detail: { retryAfterSeconds: String(seconds) } } : {}),
    });
  }
  if (status >= 500) return appError('unavailable', `The server is unavailable (HTTP ${status}). Try again shortly.`, { retryable: true });
  if (status >= 400) return appError('validation', withDetail('The server rejected the request.', problem));
  return appError('bad_response', `The server answered with an unexpected status (HTTP ${status}).`);
}
