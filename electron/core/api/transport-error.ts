// Turns a failure below HTTP (socket reset, refused, timeouts, abort) into a typed AppError without leaking internals.
import { appError, type AppError } from '../../../shared/app-error';

const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

function codeOf(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return null;
}

/** `aborted`: the request's signal fired (sign-out, close, caller cancel) — reported as `cancelled` whatever undici threw. */
export function transportError(error: unknown, aborted: boolean): AppError {
  if (aborted) return appError('cancelled', 'The request was cancelled (signed out or closed).');
  const code = codeOf(error);
  if (code !== null && TIMEOUT_CODES.has(code)) return appError('timeout', 'The server did not answer in time.', { retryable: true, detail: { code } });
  if (code === 'UND_ERR_RES_EXCEEDED_MAX_SIZE') return appError('bad_response', 'The server sent a response that is too large.');
  return appError('network', 'Could not reach the server (the connection failed or was reset).', {
    retryable: true,
    ...(code !== null ? { detail: { code } } : {}),
  });
}
