// Turns an AppError into plain words for the operator: main's own message (already plain words) plus what to do next.
import type { AppError, AppErrorCode } from '../../../shared/app-error';

/** Used only when main sent no message. */
const FALLBACK: Readonly<Record<AppErrorCode, string>> = {
  invalid_request: 'Partner Console could not send that request.',
  forbidden_sender: 'That request did not come from Partner Console.',
  validation: 'The server did not accept these values.',
  unauthorized: 'The server no longer accepts your session.',
  signed_out: 'You are signed out.',
  session_expired: 'Your session has ended.',
  forbidden_scope: 'You did not give Partner Console permission to do this.',
  forbidden: 'The server refused this action.',
  insufficient_funds: 'The balance is too low for this amount.',
  already_exists: 'This order had already been submitted.',
  not_found: 'That could not be found.',
  conflict: 'This can no longer be done.',
  rate_limited: 'The server is busy.',
  unavailable: 'This is not available right now.',
  network: 'Partner Console could not reach the server.',
  timeout: 'The server took too long to answer.',
  cancelled: 'That was cancelled.',
  sign_in_failed: 'Signing in did not work.',
  access_denied: 'Access was denied in the browser.',
  config: 'There is a problem with the environment settings.',
  keychain_unavailable: 'The system keychain is not available.',
  storage: 'A file on this computer could not be read or written.',
  bad_response: 'The server sent an answer Partner Console does not understand.',
  internal: 'Something went wrong inside Partner Console.',
};

/** What the operator can do about it. */
const NEXT_STEP: Readonly<Partial<Record<AppErrorCode, string>>> = {
  unauthorized: 'Sign in again to continue.',
  signed_out: 'Sign in to continue.',
  session_expired: 'Sign in again to continue.',
  forbidden_scope: 'Sign in again and leave that permission ticked on the consent page.',
  insufficient_funds: 'Lower the amount, then review the order again.',
  access_denied: 'To use Partner Console, try again and choose Allow in the browser.',
  rate_limited: 'Wait a moment, then try again.',
  network: 'Check your connection, then try again.',
  timeout: 'Try again in a moment.',
  keychain_unavailable: 'You can still work; you will need to sign in again after quitting.',
};

export interface PlainError {
  readonly message: string;
  readonly nextStep?: string;
}

export function describeError(error: AppError): PlainError {
  const message = error.message.trim() || FALLBACK[error.code] || FALLBACK.internal;
  const scope = error.detail?.['missingScope'] ?? error.detail?.['scope'];
  const named = scope !== undefined && !message.includes(scope) ? `Missing permission: ${scope}.` : '';
  const steps = [named, NEXT_STEP[error.code] ?? ''].filter(Boolean).join(' ');
  return steps ? { message, nextStep: steps } : { message };
}
