// A create POST with ref_id, settled to the record it made: the 2xx body, the existing record a 409 `already-exists`
// carries for this ref_id, or, when neither says which, a read-back by ref_id. Shared by conversions and orchestrations.
import type { z } from 'zod';
import { err, ok } from '../../../shared/result';
import type { ApiFailure, ApiResult } from './http-client';

export interface CreatedByRef<T> {
  readonly record: T;
  /** True when the server already had a record with this ref_id (409 with `meta.existing`). */
  readonly existed: boolean;
}

export interface SettleCreateOptions<W extends { readonly ref_id?: string | undefined }, T> {
  readonly refId: string;
  /** The wire schema of one record, for the `existing` of a 409. */
  readonly schema: z.ZodType<W>;
  /** The record the app can track, or null when the body lacks what it needs (its id, a status it knows). */
  readonly track: (wire: W) => T | null;
  /** Reads the record back by ref_id (null: none). */
  readonly readBack: () => Promise<ApiResult<T | null>>;
  /** The failure when the server confirmed but nothing says which record it is. */
  readonly untrackable: () => ApiFailure;
}

export async function settleCreate<W extends { readonly ref_id?: string | undefined }, T>(res: ApiResult<W>, options: SettleCreateOptions<W, T>): Promise<ApiResult<CreatedByRef<T>>> {
  let existed = false;
  if (res.ok) {
    const record = options.track(res.value);
    if (record) return ok({ record, existed });
  } else {
    if (res.error.error.code !== 'already_exists') return res;
    existed = true;
    const existing = options.schema.safeParse(res.error.problem?.meta?.['existing']);
    const record = existing.success && existing.data.ref_id === options.refId ? options.track(existing.data) : null;
    if (record) return ok({ record, existed });
  }
  // Landed (200, or 409 for this ref_id) but the body did not say which record: read it back by ref_id.
  const found = await options.readBack();
  if (found.ok && found.value) return ok({ record: found.value, existed });
  return err(found.ok ? options.untrackable() : found.error);
}
