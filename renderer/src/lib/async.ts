// Async state as a discriminated union (idle | loading | ready | error), with small constructors and readers.
import type { AppError } from '../../../shared/app-error';

export type Async<T> =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly previous?: T }
  | { readonly status: 'ready'; readonly value: T }
  | { readonly status: 'error'; readonly error: AppError; readonly previous?: T };

export const idle = { status: 'idle' } as const;

export function loading<T>(previous?: T): Async<T> {
  return previous === undefined ? { status: 'loading' } : { status: 'loading', previous };
}

export function ready<T>(value: T): Async<T> {
  return { status: 'ready', value };
}

export function failed<T>(error: AppError, previous?: T): Async<T> {
  return previous === undefined ? { status: 'error', error } : { status: 'error', error, previous };
}

/** The current value, or the last one while reloading or after a failed reload. */
export function valueOf<T>(state: Async<T>): T | undefined {
  if (state.status === 'ready') return state.value;
  if (state.status === 'loading' || state.status === 'error') return state.previous;
  return undefined;
}
