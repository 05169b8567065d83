// Result<T, E>: how every fallible operation (and every IPC response) reports success or a typed error. Zod-free (its schema is in ipc-contract.ts).
import type { AppError } from './app-error';

export type Result<T, E = AppError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}
