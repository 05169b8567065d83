// The activity log: an append-only JSON-lines record of every operator action (who, when, where, what, result); never a token.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { ActivityEntrySchema, type ActivityEntry } from '../../../shared/domain';
import { sanitizeServerText } from '../api/text';
import type { CoreEvents } from '../events';
import { activityCsv } from './csv';
import type { AppendFileSystem } from './append-fs';
import { openJsonlFile, type JsonlAppender } from './jsonl-file';

export const AUDIT_FILE = 'activity-log.jsonl';

export type ActivityAction = ActivityEntry['action'];

/** What a caller records; time, id, and (unless given) operator and environment are filled in. */
export interface AuditInput {
  readonly action: ActivityAction;
  readonly outcome: 'ok' | 'error';
  /** Plain words; sanitised and capped before it is stored. */
  readonly summary: string;
  readonly refId?: string | null;
  /** Defaults to the signed-in operator (e-mail, else subject). Pass it for sign-out, when the session is already gone. */
  readonly operator?: string;
  readonly environment?: string;
}

export interface AuditLogOptions {
  readonly dataDir: string;
  readonly environment: string;
  readonly events: CoreEvents;
  readonly clock: () => Date;
  /** The current operator, or null when signed out. */
  readonly currentOperator: () => string | null;
  /** The file-system seam (tests inject ENOSPC/EIO through it). */
  readonly fileSystem?: AppendFileSystem;
}

export interface AuditLog {
  /** Appends and fsyncs the entry, then lists and emits it. Rejects with StorageError (`storage`) if it cannot be written. */
  record(input: AuditInput): Promise<ActivityEntry>;
  /** False from a failed write until the file has been repaired. */
  writable(): boolean;
  /** Repairs the file after a failed write; rejects with StorageError while it cannot be written. */
  ensureWritable(): Promise<void>;
  /** Newest first; `before` is the id of the last entry of the previous page. */
  list(query: { limit: number; before?: string | undefined }): ActivityEntry[];
  /** The whole log as RFC 4180 CSV (formula-safe) and how many entries it holds. */
  csv(): { text: string; rows: number };
  close(): Promise<void>;
}

export async function openAuditLog(options: AuditLogOptions): Promise<AuditLog> {
  const file = await openJsonlFile(join(options.dataDir, AUDIT_FILE), { label: 'activity log', ...(options.fileSystem ? { fileSystem: options.fileSystem } : {}) });
  const entries: ActivityEntry[] = [];
  for (const value of file.values) {
    const parsed = ActivityEntrySchema.safeParse(value);
    if (parsed.success) entries.push(parsed.data);
  }
  const appender: JsonlAppender = file.appender;

  return {
    async record(input) {
      const entry = ActivityEntrySchema.parse({
        id: randomUUID(),
        at: options.clock().toISOString(),
        operator: sanitizeServerText(input.operator ?? options.currentOperator() ?? 'unknown', 200) || 'unknown',
        environment: (input.environment ?? options.environment).slice(0, 40),
        action: input.action,
        outcome: input.outcome,
        summary: sanitizeServerText(input.summary, 500),
        refId: input.refId ?? null,
      } satisfies ActivityEntry);
      await appender.append(entry); // only a durable entry is listed
      entries.push(entry);
      try {
        options.events.emit('activity:changed', entry);
      } catch {
        // Ignored: the entry is stored; `activity:list` returns it.
      }
      return entry;
    },
    list({ limit, before }) {
      let end = entries.length;
      if (before !== undefined) {
        const index = entries.findIndex((e) => e.id === before);
        end = index === -1 ? 0 : index;
      }
      return entries.slice(Math.max(0, end - limit), end).reverse();
    },
    writable: () => appender.writable(),
    ensureWritable: () => appender.ensureWritable(),
    csv: () => ({ text: activityCsv(entries), rows: entries.length }),
    close: () => appender.close(),
  };
}
