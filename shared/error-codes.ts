// Zod-free AppError codes and the appError() constructor; the AppError zod schema (and type) live in shared/app-error.ts.
import type { AppError } from './app-error';

export const APP_ERROR_CODES = [
  'invalid_request', // an IPC payload or form value failed validation before anything was done
  'forbidden_sender', // an IPC call from a frame that is not the app's own
  'validation', // the server rejected the request as invalid (HTTP 400)
  'unauthorized', // no valid session, or the server refused the token (HTTP 401)
  'signed_out', // the operation needs a signed-in session
  'session_expired', // refresh failed with invalid_grant: sign in again
  'forbidden_scope', // the granted scopes do not cover the operation
  'forbidden', // the server refused this action on this resource (HTTP 403 that is not about scopes or funds)
  'insufficient_funds', // available balance is lower than the amount
  'already_exists', // a conversion with this ref_id already exists
  'not_found', // unknown profile, order or conversion
  'conflict', // the resource is in a state that forbids the operation (e.g. cancel a settled order)
  'rate_limited', // HTTP 429 after retries
  'unavailable', // the server failed (5xx) after retries
  'network', // the connection failed or was reset
  'timeout', // the server did not answer in time
  'cancelled', // the operation was cancelled (sign-out, user cancel, superseded)
  'sign_in_failed', // the authorization server refused or the redirect was invalid
  'access_denied', // the operator denied consent
  'config', // environment or configuration problem
  'keychain_unavailable', // OS keychain missing or locked
  'storage', // a local file (journal, log, export) could not be read or written
  'bad_response', // the server answered with a body that does not match the API
  'internal', // a bug: an unexpected exception, reported without its internals
] as const;

export type AppErrorCode = (typeof APP_ERROR_CODES)[number];

export function appError(code: AppErrorCode, message: string, extra: Omit<AppError, 'code' | 'message'> = {}): AppError {
  return { code, message: message.slice(0, 500), ...extra };
}
