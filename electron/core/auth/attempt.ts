// One interactive sign-in attempt: its phase, the browser wait (redirect, timeout, cancel) and what stopped it.
import type { AppError } from '../../../shared/app-error';
import type { AuthState, RedirectMode } from '../../../shared/domain';
import { err, type Result } from '../../../shared/result';
import type { Environment } from '../config';
import type { LoopbackListener } from './loopback';
import type { AuthorizationRequest } from './oauth-client';
import type { ExpectedRedirect } from './redirect';

/**
 * `starting`: loopback listener, discovery and the authorization URL (no browser yet).
 * `browser`: the system browser was asked to open the URL; exactly one matching redirect is taken.
 * `exchanging`: the redirect was taken; the code is being exchanged and the session stored. No further link is accepted.
 */
export type AttemptPhase = 'starting' | 'browser' | 'exchanging';

export interface Attempt {
  readonly environment: Environment;
  readonly redirect: RedirectMode;
  readonly startedAt: number;
  phase: AttemptPhase;
  request: AuthorizationRequest | undefined;
  loopback: LoopbackListener | undefined;
  /** Why the attempt was stopped from outside (cancel, sign-out, close), once it was. */
  stopped: AppError | undefined;
  /** Aborted when the attempt is stopped: the code exchange in flight is abandoned. */
  readonly controller: AbortController;
  /** Resolves with the redirect's parameters, or the error that ended the wait (denied, timed out, cancelled). */
  readonly callback: Promise<Result<URLSearchParams>>;
  /** Ends the browser wait (first call wins). */
  finish(outcome: Result<URLSearchParams>): void;
  /** The attempt's outcome: every caller that joined the attempt gets this one promise. */
  readonly result: Promise<Result<AuthState>>;
  settle(result: Result<AuthState>): void;
  timer: NodeJS.Timeout | undefined;
}

export function createAttempt(environment: Environment, redirect: RedirectMode, startedAt: number): Attempt {
  let finish!: (outcome: Result<URLSearchParams>) => void;
  const callback = new Promise<Result<URLSearchParams>>((resolve) => (finish = resolve));
  let settle!: (result: Result<AuthState>) => void;
  const result = new Promise<Result<AuthState>>((resolve) => (settle = resolve));
  return {
    environment,
    redirect,
    startedAt,
    phase: 'starting',
    request: undefined,
    loopback: undefined,
    stopped: undefined,
    controller: new AbortController(),
    callback,
    finish,
    result,
    settle,
    timer: undefined,
  };
}

/** What a redirect must match for this attempt, once its authorization request exists. */
export function expectedRedirect(attempt: Attempt): ExpectedRedirect | null {
  const request = attempt.request;
  if (!request || attempt.phase !== 'browser') return null;
  return { redirectUri: request.redirectUri, state: request.state, issuer: request.issuer, issRequired: request.issRequired };
}

/** Stops the attempt from outside: ends the browser wait, aborts the exchange, stops the timer and the loopback listener. */
export function stopAttempt(attempt: Attempt, reason: AppError): void {
  attempt.stopped ??= reason;
  attempt.finish(err(reason));
  attempt.controller.abort();
  releaseAttempt(attempt);
}

/** Stops the timer and closes the loopback listener (idempotent). */
export function releaseAttempt(attempt: Attempt): void {
  clearTimeout(attempt.timer);
  void attempt.loopback?.close();
}
