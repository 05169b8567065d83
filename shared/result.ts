// Result<T, E>: how every fallible operation (and every IPC response) reports success or a typed error.
import { z } from 'zod';
import { AppErrorSchema, type AppError } from './app-error';

export type Result<T, E = AppError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}

/** zod schema for `Result<T, AppError>` over a value schema; used by the IPC contract. */
export function resultSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value }).strict(),
    z.object({ ok: z.literal(false), error: AppErrorSchema }).strict(),
  ]);
}
