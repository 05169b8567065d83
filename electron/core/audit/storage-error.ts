// StorageError: a local append-only file (order journal, activity log) could not be written; carries a plain-words `storage` AppError.
import { appError, type AppError } from '../../../shared/app-error';

const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the disk is read-only',
  EACCES: 'permission was denied',
  EPERM: 'permission was denied',
  EIO: 'the disk reported an error',
  EBADF: 'the file is already closed',
};

const REMEDY = 'Free some disk space or check the disk, then try again.';

/** Why a write failed, in words; only the errno code of `error` is looked at (never its message or path). */
function causeOf(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  return CAUSES[code] ?? (/^[A-Z][A-Z0-9_]{1,19}$/.test(code) ? `file error ${code}` : 'file error');
}

export class StorageError extends Error {
  /** "Partner Console could not write its order journal (the disk is full)." */
  readonly summary: string;
  /** The `storage` AppError: the summary and what to do. */
  readonly appError: AppError;
  constructor(what: string, cause: unknown) {
    const summary = `Partner Console could not write its ${what} (${causeOf(cause)}).`;
    super(summary);
    this.name = 'StorageError';
    this.summary = summary;
    this.appError = appError('storage', `${summary} ${REMEDY}`, { retryable: true });
  }

  /** The `storage` AppError with what it meant for the operator's action ("The order was not sent."). */
  withConsequence(consequence: string): AppError {
    return appError('storage', `${this.summary} ${consequence} ${REMEDY}`, { retryable: true });
  }
}
