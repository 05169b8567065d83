// Applies what the server said about an order: journal record, `orders:changed`, activity entry, balance refresh, polling.
import type { AppError } from '../../../shared/app-error';
import type { Conversion } from '../api/wire';
import type { JournalEntry } from './journal';
import { describeOrder } from './order-view';
import { auditOrder, publish, type OrderRuntime } from './runtime';

/** The server has (or had) a conversion for this ref_id: first acceptance or a later status change. */
export async function applyConversion(rt: OrderRuntime, refId: string, conversion: Conversion): Promise<JournalEntry | undefined> {
  const before = rt.journal.get(refId);
  if (!before) return undefined;
  const firstAcceptance = before.state.phase !== 'accepted';
  const entry = await rt.journal.append({ type: 'accepted', refId, id: conversion.id, status: conversion.status });
  if (entry !== before) {
    publish(rt, entry);
    // The source is debited at creation, the target credited at settlement, the source refunded at cancellation.
    void rt.accounts.refreshBalances(before.intent.order.profileId, undefined, rt.sessionSignal()).catch(() => undefined);
  }
  if (firstAcceptance && entry?.state.phase === 'accepted') {
    await auditOrder(rt, before, { action: 'order_result', outcome: 'ok', summary: `${describeOrder(before)}: accepted as conversion ${conversion.id} (${conversion.status})`, refId });
  }
  if (entry?.state.phase === 'accepted' && entry.state.status === 'CREATED') rt.watch(refId);
  return entry;
}

/** The server refused the order; nothing moved. */
export async function applyRejected(rt: OrderRuntime, refId: string, error: AppError): Promise<JournalEntry | undefined> {
  const entry = await rt.journal.append({ type: 'rejected', refId, error: { code: error.code, message: error.message } });
  publish(rt, entry);
  if (entry) await auditOrder(rt, entry, { action: 'order_result', outcome: 'error', summary: `${describeOrder(entry)}: rejected — ${error.message}`, refId });
  return entry;
}

/** The outcome could not be established (reset, timeout, sign-out mid-send); reconciliation by ref_id settles it. */
export async function applyUnknown(rt: OrderRuntime, refId: string, problem: string): Promise<JournalEntry | undefined> {
  const before = rt.journal.get(refId);
  const entry = await rt.journal.append({ type: 'unknown', refId, problem: problem.slice(0, 500) });
  publish(rt, entry);
  if (entry && before?.state.phase !== 'unknown') {
    await auditOrder(rt, entry, { action: 'order_result', outcome: 'error', summary: `${describeOrder(entry)}: not confirmed yet — ${problem}`, refId });
  }
  return entry;
}
