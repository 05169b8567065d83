// The API client: the environment's request budget before every send, bearer token from the session, one replay after a
// 401, ref_id-aware retries, a 429 never resent (it starts the lockout), typed errors, zod-checked bodies.
import type { Dispatcher } from 'undici';
import type { z } from 'zod';
import { appError, type AppError } from '../../../shared/app-error';
import { err, ok, type Result } from '../../../shared/result';
import { AuthUnavailableError, type AccessTokenSource } from '../auth/access-token';
import { parseProblem, problemToAppError, type Problem } from './problem';
import { defaultPriority, familyOf, PUBLISHED_RATE_LIMITS, type EndpointFamily, type Priority } from './rate-limits';
import { BudgetRefusal, createRequestBudget, lockoutError, type RequestBudget } from './request-budget';
import { DEFAULT_RETRY_POLICY, isRepeatable, isRetryableStatus, parseRetryAfter, realSleep, retryDelay, type RetryPolicy, type Sleep } from './retry-policy';
import { linkSignals, type LinkedSignal } from './signals';
import { transportError } from './transport-error';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface ApiCall<T> {
  readonly method: HttpMethod;
  /** Path below the API base, starting with '/'. Identifiers in it must already be encoded. */
  readonly path: string;
  /** Query parameters; an array is sent as a repeated parameter (`explode: true`, as Paxos declares its list filters). */
  readonly query?: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** JSON body. A `ref_id` in it makes a POST repeatable. */
  readonly body?: Readonly<Record<string, unknown>>;
  /** Schema of a 2xx body; a body that does not match is `bad_response`. */
  readonly schema: z.ZodType<T>;
  readonly signal?: AbortSignal;
  /** Who goes first when the budget is short: by default orders (`/orchestration`, `/conversion`) `order`, the rest `background`. */
  readonly priority?: Priority;
  /** During a lockout: wait for its end (default) or fail at once with `rate_limited`. */
  readonly whenLockedOut?: 'wait' | 'refuse';
}

/** A failed call: the AppError to report, plus the server's problem (kind, meta) when there was one. */
export interface ApiFailure {
  readonly error: AppError;
  readonly problem: Problem | null;
}

export type ApiResult<T> = Result<T, ApiFailure>;

export interface ApiClientOptions {
  /** e.g. `https://api.paxos.com/v2` */
  readonly baseUrl: string;
  readonly dispatcher: Dispatcher;
  readonly tokens: AccessTokenSource;
  /** The environment's request budget (shared with everything else that calls it); by default one of its own. */
  readonly budget?: RequestBudget;
  /** Aborts every call when the owner closes. */
  readonly signal?: AbortSignal;
  readonly retry?: Partial<RetryPolicy>;
  readonly random?: () => number;
  readonly sleep?: Sleep;
  /** Monotonic ms, for the total-time budget. */
  readonly now?: () => number;
}

export interface ApiClient {
  call<T>(call: ApiCall<T>): Promise<ApiResult<T>>;
}

type Attempt<T> =
  | { readonly kind: 'ok'; readonly value: T }
  | { readonly kind: 'unauthorized'; readonly failure: ApiFailure }
  | { readonly kind: 'rate_limited'; readonly failure: ApiFailure; readonly retryAfterMs: number | null }
  | { readonly kind: 'failed'; readonly failure: ApiFailure; readonly retryable: boolean; readonly retryAfterMs: number | null };

const failure = (error: AppError, problem: Problem | null = null): ApiFailure => ({ error, problem });
const header = (value: string | string[] | undefined): string | undefined => (Array.isArray(value) ? value[0] : value);

function authFailure(error: unknown): ApiFailure {
  if (error instanceof AuthUnavailableError) return failure(error.appError);
  return failure(appError('unauthorized', 'There is no usable session. Sign in again.'));
}

/** The path and query of a call below the base path (identifiers in the path already encoded; list filters repeated). */
function pathOf(basePath: string, call: ApiCall<unknown>): string {
  if (call.query === undefined) return basePath + call.path;
  let query = '';
  for (const [key, value] of Object.entries(call.query ?? {})) {
    if (value === undefined) continue;
    for (const one of typeof value === 'string' ? [value] : value) query += `${query === '' ? '?' : '&'}${encodeURIComponent(key)}=${encodeURIComponent(one)}`;
  }
  return basePath + call.path + query;
}

/** The call was cancelled (sign-out, the owner closing, or the caller's signal). */
const cancelled = <T>(): ApiResult<T> => err(failure(transportError(null, true)));

function badResponse(call: ApiCall<unknown>, why: string): ApiFailure {
  return failure(appError('bad_response', `The server sent a response Partner Console does not understand (${call.method} ${call.path.split('/').slice(0, 3).join('/')}: ${why}).`));
}

export function createApiClient(options: ApiClientOptions): ApiClient {
  const policy: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? realSleep;
  const now = options.now ?? (() => performance.now());
  const budget = options.budget ?? createRequestBudget(PUBLISHED_RATE_LIMITS);
  const baseUrl = new URL(options.baseUrl);
  const origin = baseUrl.origin;
  const basePath = baseUrl.pathname.replace(/\/+$/, '');
  /** The session's and the owner's signals linked once per session (a call links its own signal to that one only). */
  let sessionSignals: { source: AbortSignal; linked: LinkedSignal } | null = null;
  const ownerSignal = (): AbortSignal => {
    const source = options.tokens.signal;
    if (!options.signal) return source;
    if (sessionSignals?.source !== source) {
      sessionSignals?.linked.dispose();
      sessionSignals = { source, linked: linkSignals([source, options.signal]) };
    }
    return sessionSignals.linked.signal;
  };
  /**
   * A call's signal linked to the owner's, shared by the calls in flight with the same signal (a balance fan-out sends
   * thousands with one) and unhooked when the last of them ends.
   */
  const shared = new Map<AbortSignal, { owner: AbortSignal; linked: LinkedSignal; users: number }>();
  function linkCall(callSignal: AbortSignal): { signal: AbortSignal; release(): void } {
    const owner = ownerSignal();
    let link = shared.get(callSignal);
    if (!link || link.owner !== owner) {
      link = { owner, linked: linkSignals([owner, callSignal]), users: 0 };
      shared.set(callSignal, link);
    }
    const used = link;
    used.users += 1;
    return {
      signal: used.linked.signal,
      release() {
        used.users -= 1;
        if (used.users > 0) return;
        used.linked.dispose();
        if (shared.get(callSignal) === used) shared.delete(callSignal);
      },
    };
  }

  /** Waits for the budget to let one request of this call through; null when it may go, else the failure to return. */
  function admit(call: ApiCall<unknown>, signal: AbortSignal): ApiFailure | null | Promise<ApiFailure | null> {
    const family = familyOf(call.path);
    const priority = call.priority ?? defaultPriority(family);
    // Most requests go at once: no promise to wait on then.
    if (!signal.aborted && budget.tryAcquire(family, priority)) return null;
    return waitForBudget(call, family, priority, signal);
  }

  async function waitForBudget(call: ApiCall<unknown>, family: EndpointFamily, priority: Priority, signal: AbortSignal): Promise<ApiFailure | null> {
    try {
      await budget.acquire({ family, priority, signal, whenLockedOut: call.whenLockedOut ?? 'wait' });
      return null;
    } catch (error) {
      if (error instanceof BudgetRefusal) return failure(error.appError);
      // Aborted: by sign-out (then say so, as the session does) or by the caller.
      try {
        await options.tokens.getAccessToken();
      } catch (auth) {
        return authFailure(auth);
      }
      return failure(transportError(null, true));
    }
  }

  async function attempt<T>(call: ApiCall<T>, token: string, signal: AbortSignal): Promise<Attempt<T>> {
    const headers: Record<string, string> = { accept: 'application/json, application/problem+json', authorization: `Bearer ${token}` };
    let body: string | undefined;
    if (call.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    let status: number;
    let responseHeaders: Record<string, string | string[] | undefined>;
    let text: string;
    try {
      const res = await options.dispatcher.request({ origin, path: pathOf(basePath, call), method: call.method, headers, body: body ?? null, signal });
      status = res.statusCode;
      responseHeaders = res.headers;
      text = await res.body.text();
    } catch (error) {
      const appErr = transportError(error, signal.aborted);
      return { kind: 'failed', failure: failure(appErr), retryable: appErr.code === 'network' || appErr.code === 'timeout', retryAfterMs: null };
    }
    const contentType = header(responseHeaders['content-type']);
    if (status >= 200 && status < 300) {
      if (!contentType || !/json/i.test(contentType)) return { kind: 'failed', failure: badResponse(call, 'not JSON'), retryable: false, retryAfterMs: null };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { kind: 'failed', failure: badResponse(call, 'malformed JSON'), retryable: false, retryAfterMs: null };
      }
      const parsed = call.schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue ? `${issue.path.slice(0, 4).join('.') || 'body'} ${issue.code}` : 'shape';
        return { kind: 'failed', failure: badResponse(call, where.slice(0, 80)), retryable: false, retryAfterMs: null };
      }
      return { kind: 'ok', value: parsed.data };
    }
    const problem = parseProblem(status, contentType, text);
    const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(responseHeaders['retry-after'], Date.now()) : null;
    const appErr = problemToAppError(problem, { wwwAuthenticate: header(responseHeaders['www-authenticate']), retryAfterMs });
    if (status === 401) return { kind: 'unauthorized', failure: failure(appErr, problem) };
    if (status === 429) return { kind: 'rate_limited', failure: failure(appErr, problem), retryAfterMs };
    return { kind: 'failed', failure: failure(appErr, problem), retryable: isRetryableStatus(status), retryAfterMs };
  }

  async function run<T>(call: ApiCall<T>, signal: AbortSignal): Promise<ApiResult<T>> {
    const repeatable = isRepeatable(call.method, call.body);
    const started = now();
    let token: string;
    const admitted = admit(call, signal);
    const refused = admitted === null ? null : await admitted;
    if (refused) return err(refused);
    try {
      token = await options.tokens.getAccessToken();
    } catch (error) {
      return err(authFailure(error));
    }
    let replayed = false;
    for (let retry = 0; ; ) {
      if (signal.aborted) return cancelled();
      const outcome = await attempt(call, token, signal);
      if (outcome.kind === 'ok') return ok(outcome.value);
      if (outcome.kind === 'rate_limited') {
        // Paxos throttles the whole IP for 5 minutes after a 429: never resent; the budget holds everything until then.
        budget.lockout(outcome.retryAfterMs);
        const state = budget.state();
        return err(state.status === 'lockedOut' ? { ...outcome.failure, error: lockoutError(state.until) } : outcome.failure);
      }
      if (outcome.kind === 'unauthorized') {
        // The server refused the token before doing anything: refresh once (shared with concurrent callers) and replay.
        if (replayed) return err(outcome.failure);
        replayed = true;
        try {
          token = await options.tokens.refreshAfterUnauthorized(token);
        } catch (error) {
          return err(authFailure(error));
        }
        const again = await admit(call, signal);
        if (again) return err(again);
        continue;
      }
      if (signal.aborted) return cancelled();
      if (!repeatable || !outcome.retryable) return err(outcome.failure);
      const delay = retryDelay({ retry, elapsedMs: now() - started, retryAfterMs: outcome.retryAfterMs, policy, random });
      if (delay === null) return err(outcome.failure);
      try {
        await sleep(delay, signal);
      } catch {
        return cancelled();
      }
      retry += 1;
      const again = await admit(call, signal);
      if (again) return err(again);
      try {
        token = await options.tokens.getAccessToken();
      } catch (error) {
        return err(authFailure(error));
      }
    }
  }

  return {
    async call<T>(call: ApiCall<T>): Promise<ApiResult<T>> {
      if (!call.signal) return run(call, ownerSignal());
      const linked = linkCall(call.signal);
      try {
        return await run(call, linked.signal);
      } finally {
        linked.release();
      }
    },
  };
}
