// Paxos v2 Orchestration shapes as published (zod; every field optional, as in the contract) and what the app tracks of one.
import { z } from 'zod';
import { IdSchema, IsoTimeSchema } from '../../../shared/domain';
import { ORCHESTRATION_STATUSES, type OrchestrationStatus } from '../../../shared/order-statuses';
import { sanitizeServerText } from './text';
import { CursorSchema, MAX_PAGE_ITEMS, WireDecimalSchema } from './wire';

export const OrchestrationStatusSchema = z.enum(ORCHESTRATION_STATUSES);

/** Longest failure reason kept (sanitised) for the journal and the UI. */
export const FAIL_REASON_MAX = 300;

/**
 * `Orchestration`: the contract requires no field, so any subset parses; unknown fields (transfers, rule id, customer id …)
 * are dropped. `toTrackedOrchestration` keeps what the app needs: its id, a status it knows, and a failure reason.
 */
export const OrchestrationWireSchema = z.object({
  id: IdSchema.optional(),
  profile_id: z.string().max(128).optional(),
  ref_id: z.string().max(128).optional(),
  source_asset: z.string().max(40).optional(),
  destination_asset: z.string().max(40).optional(),
  source_amount: WireDecimalSchema.optional(),
  status: z.string().max(40).optional(),
  fail_reason: z.object({ detail: z.string().max(5000).optional() }).optional(),
  created_at: IsoTimeSchema.optional(),
  updated_at: IsoTimeSchema.optional(),
});
export type OrchestrationWire = z.output<typeof OrchestrationWireSchema>;

/**
 * `ListOrchestrationsResponse` declares the list twice, as `orchestrations` and as `items`, and requires neither: either
 * (or both, read once each by id) is accepted, and a body with neither is an empty page.
 */
export const OrchestrationsPageWireSchema = z
  .object({
    orchestrations: z.array(OrchestrationWireSchema).max(MAX_PAGE_ITEMS).optional(),
    items: z.array(OrchestrationWireSchema).max(MAX_PAGE_ITEMS).optional(),
    next_page_cursor: CursorSchema.optional(),
  })
  .transform(({ orchestrations = [], items = [], next_page_cursor }) => {
    const seen = new Set<string>();
    const all: OrchestrationWire[] = [];
    for (const o of [...orchestrations, ...items]) {
      const key = o.id ?? o.ref_id;
      if (key !== undefined && seen.has(key)) continue;
      if (key !== undefined) seen.add(key);
      all.push(o);
    }
    return { items: all, ...(next_page_cursor !== undefined ? { next_page_cursor } : {}) };
  });

/** An orchestration as the app tracks it. */
export interface TrackedOrchestration {
  readonly id: string;
  readonly status: OrchestrationStatus;
  readonly refId: string | null;
  /** `fail_reason.detail` of a FAILED one, sanitised; null otherwise or when the server gave none. */
  readonly failReason: string | null;
}

/** The trackable part of an orchestration, or null when the server left out its id or sent a status the app does not know. */
export function toTrackedOrchestration(w: OrchestrationWire): TrackedOrchestration | null {
  const status = OrchestrationStatusSchema.safeParse(w.status);
  if (!w.id || !status.success) return null;
  const reason = status.data === 'FAILED' ? sanitizeServerText(w.fail_reason?.detail, FAIL_REASON_MAX) : '';
  return { id: w.id, status: status.data, refId: w.ref_id ?? null, failReason: reason === '' ? null : reason };
}
