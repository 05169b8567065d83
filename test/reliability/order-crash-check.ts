// The crash suite's invariants: the journal on disk against the server (duplicates, orders lost, orders the operator was told were not sent).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Big from 'big.js';
import { foldRecord, JOURNAL_FILE, type JournalEntry, type JournalRecord } from '../../electron/core/orders/journal';
import type { ApiSandbox } from '../support/api-sandbox';

export interface ServerOrder {
  readonly api: 'orchestrations' | 'conversions';
  readonly id: string;
  readonly refId: string | undefined;
  readonly status: string;
}

export async function serverOrders(sb: ApiSandbox): Promise<ServerOrder[]> {
  const [orchestrations, conversions] = await Promise.all([sb.orchestrations(), sb.conversions()]);
  return [
    ...orchestrations.map((o) => ({ api: 'orchestrations' as const, id: o.id, refId: o.ref_id, status: o.status })),
    ...conversions.map((c) => ({ api: 'conversions' as const, id: c.id, refId: c.ref_id, status: c.status })),
  ];
}

/** The journal as a restart reads it: whole lines, plus a last line that is whole JSON without its newline; folded by the app's rules. */
export async function journalOnDisk(dataDir: string): Promise<JournalEntry[]> {
  const text = await readFile(join(dataDir, JOURNAL_FILE), 'utf8').catch(() => '');
  const entries = new Map<string, JournalEntry>();
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let record: JournalRecord;
    try {
      record = JSON.parse(line) as JournalRecord;
    } catch {
      continue; // a torn tail (or a corrupt line): skipped, as the app does
    }
    const folded = foldRecord(entries.get(record.refId), record);
    if (folded) entries.set(folded.refId, folded);
  }
  return [...entries.values()];
}

/** What the child answered for one order, found again by its amount (unique in a lane). */
export interface Answer {
  readonly amount: string;
  readonly ok: boolean;
  readonly code?: string | undefined;
  readonly message?: string | undefined;
}

export interface LaneCheck {
  readonly journaled: number;
  readonly onServer: number;
  readonly byApi: Record<'orchestrations' | 'conversions', number>;
  readonly duplicates: string[];
  /** On the server, not in the journal. */
  readonly orphans: string[];
  /** Unfinished, or final but disagreeing with the server. */
  readonly lost: string[];
  /** Accepted, but its status is not the server's (yet). */
  readonly stale: string[];
  /** Answered "not sent" (or refused, or rejected) and yet on the server. */
  readonly phantoms: string[];
  /** Answered "not sent yet, but may still be sent after a restart" (the journal could not be repaired). */
  readonly hedged: number;
  /** Answered with an order, and not on the server. */
  readonly unheard: string[];
}

/** The answer said no order was or will be created: any error but "it was sent" and "it may still be sent after a restart". */
const toldNotSent = (a: Answer): boolean => !a.ok && !(a.code === 'storage' && /The order was sent|may still send it/.test(a.message ?? ''));

export function compare(entries: readonly JournalEntry[], server: readonly ServerOrder[], answers: readonly Answer[], reconciled: boolean): LaneCheck {
  const byRef = new Map<string, ServerOrder[]>();
  for (const o of server) byRef.set(o.refId ?? `(no ref_id) ${o.id}`, [...(byRef.get(o.refId ?? `(no ref_id) ${o.id}`) ?? []), o]);
  const journaled = new Map(entries.map((e) => [e.refId, e]));
  const duplicates = [...byRef].filter(([ref, orders]) => orders.length > 1 || ref.startsWith('(no ref_id)')).map(([ref, orders]) => `${ref}: ${orders.length} orders`);
  const orphans = [...byRef.keys()].filter((ref) => !journaled.has(ref)).map((ref) => `${ref}: on the server, not in the journal`);
  const lost: string[] = [];
  const stale: string[] = [];
  for (const e of entries) {
    const there = byRef.get(e.refId)?.[0];
    const s = e.state;
    if (s.phase === 'accepted') {
      if (!there) lost.push(`${e.refId}: accepted as ${s.serverId}, not on the server`);
      else if (there.id !== s.serverId || there.api !== e.ordersApi) lost.push(`${e.refId}: accepted as ${e.ordersApi} ${s.serverId}, server has ${there.api} ${there.id}`);
      else if (there.status !== s.status) stale.push(`${e.refId}: ${s.status}, server ${there.status}`);
    } else if (s.phase === 'rejected') {
      if (there) lost.push(`${e.refId}: rejected (${s.error.message}), yet on the server as ${there.id}`);
    } else if (reconciled) {
      lost.push(`${e.refId}: still ${s.phase} after reconciliation${there ? ` (server has ${there.id})` : ''}`);
    }
  }
  const phantoms: string[] = [];
  for (const a of answers.filter(toldNotSent)) {
    const entry = entries.find((e) => new Big(e.intent.order.amount).eq(a.amount));
    const there = entry && byRef.get(entry.refId)?.[0];
    if (!there) continue;
    phantoms.push(`${entry.refId} (${a.amount}): answered ${a.code} "${a.message}", yet on the server as ${there.id}`);
  }
  const unheard = answers
    .filter((a) => a.ok)
    .map((a) => entries.find((e) => new Big(e.intent.order.amount).eq(a.amount)))
    .filter((e) => !e || !byRef.has(e.refId))
    .map((e) => `${e?.refId ?? '(no intent)'}: answered with an order, not on the server`);
  return {
    journaled: entries.length,
    onServer: server.length,
    byApi: { orchestrations: entries.filter((e) => e.ordersApi === 'orchestrations').length, conversions: entries.filter((e) => e.ordersApi === 'conversions').length },
    duplicates,
    orphans,
    lost,
    stale,
    phantoms,
    hedged: answers.filter((a) => !a.ok && /may still send it/.test(a.message ?? '')).length,
    unheard,
  };
}
