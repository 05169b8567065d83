// AppError: the closed set of error codes the app reports, across IPC and in the UI (zod schema here; codes and helpers in error-codes.ts).
import { z } from 'zod';
import { APP_ERROR_CODES } from './error-codes';

// Zod-free parts, re-exported so main and tests keep importing them from here. The renderer imports them from
// ./error-codes and ./scopes instead, so zod stays out of its bundle.
export { APP_ERROR_CODES, appError, type AppErrorCode } from './error-codes';
export { notPermittedMessage } from './scopes';

export const AppErrorSchema = z
  .object({
    code: z.enum(APP_ERROR_CODES),
    /** Plain-words message safe to show to the operator (never a token, never raw HTML). */
    message: z.string().max(500),
    /** Whether trying again later may succeed. */
    retryable: z.boolean().optional(),
    /** Extra structured detail safe to show (e.g. the scope that is missing). */
    detail: z.record(z.string(), z.string().max(500)).optional(),
  })
  .strict();

export type AppError = z.infer<typeof AppErrorSchema>;
