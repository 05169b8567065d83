// The order journal: append-only, fsync'd JSON lines in the data dir; every order is written here before it is sent.
import { join } from 'node:path';
import { z } from 'zod';
import { APP_ERROR_CODES } from '../../../shared/app-error';
import { AssetSchema, DecimalStringSchema, IdSchema, IsoTimeSchema, OrderKindSchema, OrdersApiSchema, StablecoinSchema, type OrdersApi } from '../../../shared/domain';
import { CONVERSION_STATUSES, isServerStatusOf, ORCHESTRATION_STATUSES, type ServerStatus } from '../../../shared/order-statuses';
import type { AppendFileSystem } from '../audit/append-fs';
import { openJsonlFile } from '../audit/jsonl-file';

export const JOURNAL_FILE = 'orders-journal.jsonl';

const RefId = z.uuid();
const ServerStatusSchema = z.enum([...CONVERSION_STATUSES, ...ORCHESTRATION_STATUSES]);

/**
 * Record versions: 1 for orders sent through Stablecoin Conversions (as every earlier build wrote), 2 for orders sent
 * through Orchestrations. A build that knows only version 1 skips version-2 records instead of taking an orchestration
 * for a conversion (and resending it as one).
 */
export const JOURNAL_VERSION: Readonly<Record<OrdersApi, 1 | 2>> = { conversions: 1, orchestrations: 2 };

/** The API an intent was sent through: journals written before the field existed were all conversions. */
export function ordersApiOf(intent: { readonly ordersApi?: OrdersApi | undefined }): OrdersApi {
  return intent.ordersApi ?? 'conversions';
}

/**
 * The journal's record shapes. Writing is strict (nothing but these fields reaches the disk); reading strips unknown
 * fields, so a journal that a newer build extended with optional fields still loads here and no order is lost.
 */
function journalSchemas(mode: 'write' | 'read') {
  const object = <S extends z.ZodRawShape>(shape: S) => (mode === 'write' ? z.strictObject(shape) : z.object(shape));
  const intent = object({
    kind: OrderKindSchema,
    profileId: IdSchema,
    asset: StablecoinSchema,
    amount: DecimalStringSchema,
    sourceAsset: AssetSchema,
    targetAsset: AssetSchema,
    /** The delegated user's identity and account, sent with the order when both were known (absent otherwise). */
    identityId: IdSchema.optional(),
    accountId: IdSchema.optional(),
  });
  const base = { v: z.union([z.literal(1), z.literal(2)]), refId: RefId, at: IsoTimeSchema };
  const record = z.discriminatedUnion('type', [
    object({
      ...base,
      type: z.literal('intent'),
      /** Subject of the operator who submitted the order: only they see it, and reconciliation runs for them. */
      operator: z.string().min(1).max(200),
      /**
       * The submitter's e-mail, so activity entries written after their session ended still name them.
       * Optional: journals written before it was recorded have only `operator`.
       */
      operatorEmail: z.string().min(1).max(200).optional(),
      environment: z.string().min(1).max(40),
      /**
       * The API the order is sent through, and always followed up through. Absent means conversions: journals written
       * before the field existed hold only conversions (the orders service always writes it).
       */
      ordersApi: OrdersApiSchema.optional(),
      /**
       * The profile's nickname when the order was submitted (sanitised server text), for activity summaries.
       * Optional: older journals lack it, and summaries then name the profile by id alone.
       */
      profileNickname: z.string().min(1).max(200).optional(),
      order: intent,
    }),
    object({ ...base, type: z.literal('sent') }),
    object({
      ...base,
      type: z.literal('accepted'),
      id: IdSchema,
      status: ServerStatusSchema,
      /** The server's reason for a FAILED orchestration (sanitised, capped). */
      failReason: z.string().max(500).optional(),
    }),
    object({ ...base, type: z.literal('rejected'), error: object({ code: z.enum(APP_ERROR_CODES), message: z.string().max(500) }) }),
    object({ ...base, type: z.literal('unknown'), problem: z.string().max(500) }),
  ]);
  return { intent, record };
}

const WRITE = journalSchemas('write');
const READ = journalSchemas('read');
/** Everything needed to send the order again with the same ref_id, without asking anyone. */
export const OrderIntentSchema = WRITE.intent;
export type OrderIntent = z.infer<typeof OrderIntentSchema>;
export const JournalRecordSchema = WRITE.record;
export type JournalRecord = z.infer<typeof JournalRecordSchema>;
export type IntentRecord = Extract<JournalRecord, { type: 'intent' }>;

/** Where an order is, as far as the journal knows. `accepted` and `rejected` are final for the submission. */
export type EntryState =
  | { readonly phase: 'intent' }
  | { readonly phase: 'sent' }
  | { readonly phase: 'unknown'; readonly problem: string }
  | { readonly phase: 'accepted'; readonly serverId: string; readonly status: ServerStatus; readonly failReason?: string }
  | { readonly phase: 'rejected'; readonly error: { readonly code: (typeof APP_ERROR_CODES)[number]; readonly message: string } };

export interface JournalEntry {
  readonly refId: string;
  readonly intent: IntentRecord;
  /** The API the order went through (ordersApiOf(intent)). */
  readonly ordersApi: OrdersApi;
  readonly state: EntryState;
  /** A `sent` record exists: the POST may have reached the server. */
  readonly sent: boolean;
  readonly updatedAt: string;
}

export function isFinal(entry: JournalEntry): boolean {
  return entry.state.phase === 'accepted' || entry.state.phase === 'rejected';
}

/** Applies one record; returns null when the record does not follow from the entry (it is then not written or ignored). */
export function foldRecord(entry: JournalEntry | undefined, record: JournalRecord): JournalEntry | null {
  if (record.type === 'intent') {
    const ordersApi = ordersApiOf(record);
    if (entry || record.v !== JOURNAL_VERSION[ordersApi]) return null;
    return { refId: record.refId, intent: record, ordersApi, state: { phase: 'intent' }, sent: false, updatedAt: record.at };
  }
  if (!entry || record.v !== JOURNAL_VERSION[entry.ordersApi]) return null;
  const phase = entry.state.phase;
  const next = (state: EntryState, sent = entry.sent): JournalEntry => ({ ...entry, state, sent, updatedAt: record.at });
  switch (record.type) {
    case 'sent':
      return phase === 'accepted' || phase === 'rejected' ? null : next({ phase: 'sent' }, true);
    case 'unknown':
      return phase === 'accepted' || phase === 'rejected' ? null : next({ phase: 'unknown', problem: record.problem });
    case 'rejected':
      return phase === 'accepted' || phase === 'rejected' ? null : next({ phase: 'rejected', error: record.error });
    case 'accepted':
      // A status of the other API does not follow (an orchestration is never CREATED, a conversion never PENDING).
      if (phase === 'rejected' || !isServerStatusOf(entry.ordersApi, record.status)) return null;
      if (entry.state.phase === 'accepted' && (entry.state.serverId !== record.id || entry.state.status === record.status)) return null;
      return next({ phase: 'accepted', serverId: record.id, status: record.status, ...(record.failReason !== undefined ? { failReason: record.failReason } : {}) });
  }
}

/** A record to append, without the version and time the journal adds (the version follows from the order's API). */
export type JournalInput = JournalRecord extends infer R ? (R extends JournalRecord ? Omit<R, 'v' | 'at'> : never) : never;

export interface Journal {
  get(refId: string): JournalEntry | undefined;
  /** All entries in the order their intents were written. */
  entries(): JournalEntry[];
  /**
   * Writes and fsyncs the record, then returns the new entry; a record that does not follow is skipped (entry unchanged).
   * The entry changes only once the record is durable. Rejects with StorageError (code `storage`) if it cannot be written.
   */
  append(input: JournalInput): Promise<JournalEntry | undefined>;
  /** False from a failed write until the file has been repaired. */
  writable(): boolean;
  /** Repairs the file after a failed write; rejects with StorageError while it cannot be written. */
  ensureWritable(): Promise<void>;
  /** What reading the file found: a torn last line, corrupt lines, and records that did not follow. */
  readonly recovery: { readonly tornTail: boolean; readonly corruptLines: number; readonly skippedRecords: number };
  close(): Promise<void>;
}

export interface JournalOptions {
  readonly dataDir: string;
  readonly clock: () => Date;
  /** Called after each record is durable (diagnostics and crash tests). */
  readonly afterWrite?: (record: JournalRecord) => void | Promise<void>;
  /** The file-system seam (tests inject ENOSPC/EIO through it). */
  readonly fileSystem?: AppendFileSystem;
}

export async function openJournal(options: JournalOptions): Promise<Journal> {
  /** What is on disk and fsync'd: the only state anyone reads. */
  const durable = new Map<string, JournalEntry>();
  /** Entries as they will be once the records queued behind the disk are durable; used only to fold the next append. */
  const ahead = new Map<string, JournalEntry>();
  const file = await openJsonlFile(join(options.dataDir, JOURNAL_FILE), {
    label: 'order journal',
    ...(options.fileSystem ? { fileSystem: options.fileSystem } : {}),
    // A failed batch rejects everything pending, so nothing queued will be written: fold from the disk again.
    onWriteFailed: () => ahead.clear(),
  });
  let skippedRecords = 0;
  for (const value of file.values) {
    const parsed = READ.record.safeParse(value);
    const folded = parsed.success ? foldRecord(durable.get(parsed.data.refId), parsed.data) : null;
    if (folded) durable.set(folded.refId, folded);
    else skippedRecords += 1;
  }

  return {
    get: (refId) => durable.get(refId),
    entries: () => [...durable.values()],
    recovery: { tornTail: file.tornTail, corruptLines: file.corruptLines, skippedRecords },
    writable: () => file.appender.writable(),
    ensureWritable: () => file.appender.ensureWritable(),
    async append(input) {
      const current = ahead.get(input.refId) ?? durable.get(input.refId);
      const api = input.type === 'intent' ? ordersApiOf(input) : current?.ordersApi;
      if (api === undefined) return durable.get(input.refId); // a record for no known order does not follow
      const record = JournalRecordSchema.parse({ ...input, v: JOURNAL_VERSION[api], at: options.clock().toISOString() });
      const folded = foldRecord(current, record);
      if (!folded) return durable.get(record.refId);
      // Folded in the same synchronous step that queues the line, so the file and the fold see one order of records.
      ahead.set(record.refId, folded);
      await file.appender.append(record); // StorageError: nothing of it is visible, and the tail was cut (else it is before the next write)
      // Appends resolve in queue order, so a later record of the same order becomes visible after this one.
      durable.set(record.refId, folded);
      if (ahead.get(record.refId) === folded) ahead.delete(record.refId);
      await options.afterWrite?.(record);
      return durable.get(record.refId);
    },
    close: () => file.appender.close(),
  };
}
