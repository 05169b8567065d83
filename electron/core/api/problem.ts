// Turns an HTTP error response (RFC 9457 problem+json or not) into a typed AppError with operator-safe text.
import { appError, notPermittedMessage, type AppError } from '../../../shared/app-error';
import { sanitizeServerText } from './text';

/** What the client keeps of an error response: enough to decide (kind, meta) and to explain (sanitised detail). */
export interface Problem {
  readonly status: number;
  /**
   * The slug of a typed problem (`https://developer.paxos.com/docs/v2/problems/<slug>` → `insufficient-funds`), lower
   * case; empty for `about:blank` (Paxos's generic problems, decided by the status alone).
   */
  readonly kind: string;
  /** Sanitised `title`. */
  readonly title: string;
  /** Sanitised `detail`. */
  readonly detail: string;
  /** `meta` object as sent (unvalidated: read it only through a schema). */
  readonly meta: Readonly<Record<string, unknown>> | null;
  /** The raw `detail` when it is the published missing-scope sentence (parsed by `missingScopeOf`, never shown raw). */
  readonly scopeDetail: string | null;
}

function kindOf(type: unknown): string {
  if (typeof type !== 'string' || type === 'about:blank') return '';
  const last = type.split(/[/#]/).filter((s) => s !== '').pop() ?? '';
  return last
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
}

/** Paxos's missing-scope detail, in both published spellings (quotes `'…'` or `"…"`, with or without the comma). */
const INSUFFICIENT_SCOPES = /^insufficient scopes: found (['"])(.{0,2000}?)\1,? required one of (['"])\[(.{0,2000}?)\]\3$/;

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
  const meta = body['meta'];
  const rawDetail = body['detail'];
  return {
    status,
    kind: kindOf(body['type']),
    title: sanitizeServerText(body['title'], 100),
    detail: sanitizeServerText(rawDetail ?? body['message'] ?? body['error'], 300),
    meta: typeof meta === 'object' && meta !== null && !Array.isArray(meta) ? (meta as Record<string, unknown>) : null,
    scopeDetail: status === 403 && typeof rawDetail === 'string' && INSUFFICIENT_SCOPES.test(rawDetail) ? rawDetail : null,
  };
}

/** Scope names as Paxos writes them (`conversion:write_conversion_stablecoin`); anything else is not echoed. */
const SCOPE_TOKEN = /^[A-Za-z0-9_.:-]{1,100}$/;

/**
 * The scope a 403 says is missing: the first of the "required one of" list in Paxos's detail sentence (never the "found"
 * list, which is what the session already has), else `scope="…"` of an RFC 6750 Bearer challenge; null if neither is usable.
 */
export function missingScopeOf(problem: Problem, wwwAuthenticate: string | undefined): string | null {
  const required = problem.scopeDetail ? INSUFFICIENT_SCOPES.exec(problem.scopeDetail)?.[4] : undefined;
  const fromDetail = required?.split(/[\s,]+/).find((s) => s !== '');
  if (fromDetail !== undefined) return SCOPE_TOKEN.test(fromDetail) ? fromDetail : null;
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
    if (problem.scopeDetail !== null || /insufficient[_ ]scope/.test(context.wwwAuthenticate ?? '')) {
      const scope = missingScopeOf(problem, context.wwwAuthenticate);
      return scope
        ? appError('forbidden_scope', notPermittedMessage(scope), { detail: { missingScope: scope } })
        : appError('forbidden_scope', 'Not permitted — sign in again and grant the missing permission.');
    }
    if (kind === 'insufficient-funds') {
      return appError('insufficient_funds', withDetail('The available balance is lower than the amount.', problem), {
        detail: metaStrings(problem, ['asset', 'needed', 'available']),
      });
    }
    // Not a scope problem: the server refused this action on this resource only.
    return appError('forbidden', withDetail('The server refused this action.', problem));
  }
  if (status === 404) return appError('not_found', withDetail('Not found.', problem));
  if (status === 409) {
    if (kind === 'already-exists') return appError('already_exists', withDetail('This request was already received.', problem));
    return appError('conflict', withDetail('The order is in a state that does not allow this.', problem));
  }
  if (kind === 'rejected') return appError('validation', withDetail('Paxos rejected the request.', problem));
  if (kind === 'expired') return appError('validation', withDetail('The request expired before it was completed.', problem));
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
