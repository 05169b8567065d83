// Child process for the crash tests: submits orders and SIGKILLs itself at a chosen point (a journal record, a torn write, an answer), optionally with ENOSPC/EIO on the journal.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { JWK } from 'jose';
import type { AppendFileSystem } from '../../../../electron/core/audit/append-fs';
import { CoreEvents } from '../../../../electron/core/events';
import { createOperations } from '../../../../electron/core/operations';
import { JOURNAL_FILE } from '../../../../electron/core/orders/journal';
import { createTestIssuer, createTestTokenSource } from '../../../support/api-tokens';
import { createFaultyFileSystem, type FaultCode } from '../../../support/faulty-fs';

export type CrashPoint = 'after-intent' | 'after-sent' | 'after-commit';

export interface ChildOrder {
  readonly kind: 'mint' | 'redeem';
  readonly profileId: string;
  readonly asset: 'USDP' | 'PYUSD' | 'USDG';
  readonly amount: string;
}

/** Where a `run` child kills itself; `external`: the parent kills it (a timer, or the server seeing a POST). */
export type ChildKill =
  | { readonly at: 'record'; readonly nth: number }
  /** At the nth journal write, puts part of it on disk (half, all but the newline, or all of it unsynced), then dies. */
  | { readonly at: 'torn-write'; readonly nth: number; readonly keep: Keep }
  /** After the nth answer to a submission (only those with the error `code`, if given): the operator quits on it. */
  | { readonly at: 'answer'; readonly nth: number; readonly code?: string }
  | { readonly at: 'external' };

export type Keep = 'part' | 'json' | 'all';

/** A disk fault on the journal, armed at the nth write (after start-up) that carries a record of `on`, held for `holdMs`. */
export interface FaultPlan {
  readonly on: 'intent' | 'sent' | 'accepted' | 'any';
  readonly nth: number;
  readonly fault: 'short-write' | 'write' | 'fsync';
  readonly code: FaultCode;
  /** For short writes: how much of the write reaches the disk. */
  readonly keep: Keep;
  readonly truncateFails: boolean;
  readonly holdMs: number;
}

export interface CrashChildConfig {
  readonly api: string;
  readonly dataDir: string;
  readonly jwk: JWK;
  readonly ordersApi: 'orchestrations' | 'conversions';
  /** One order killed at a named point (crash.int.test.ts). */
  readonly crashPoint?: CrashPoint;
  readonly order?: ChildOrder;
  /**
   * The crash suite (test/reliability/order-crash.int.test.ts): reconciles what the last run left, then submits `orders`
   * (`concurrency` at a time) until it is killed. Reports on stdout, one JSON line each: ready, fault, answer, kill, done.
   */
  readonly run?: { readonly orders: readonly ChildOrder[]; readonly concurrency: number; readonly kill: ChildKill; readonly faults: readonly FaultPlan[] };
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as CrashChildConfig;
const report = (line: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(line)}\n`); // a pipe: written synchronously
const die = (point?: string): void => {
  if (point) report({ e: 'kill', point });
  process.kill(process.pid, 'SIGKILL');
};

const run = config.run;
const faulty = createFaultyFileSystem();
let reported = 0;
const reportInjected = (): void => {
  for (; reported < faulty.injected.length; reported++) report({ e: 'fault', op: faulty.injected[reported] });
};
const planned = (run?.faults ?? []).map((plan) => ({ plan, seen: 0 }));
let journalWrites = 0;
/** Fault plans count only the writes of this run's own orders, not those of the start-up reconciliation. */
let submitting = false;
const keepBytes = (keep: Keep, length: number): number => (keep === 'part' ? Math.max(1, Math.floor(length / 2)) : keep === 'json' ? length - 1 : length);

/** The faulty file system, plus the suite's torn-write kill and fault plans on the journal's writes. */
const fileSystem: AppendFileSystem = {
  async openAppend(path) {
    const handle = await faulty.openAppend(path);
    if (basename(path) !== JOURNAL_FILE) return handle;
    const observed = <A extends unknown[], T>(op: (...args: A) => Promise<T>) => async (...args: A): Promise<T> => {
      try {
        return await op(...args);
      } finally {
        reportInjected();
      }
    };
    return {
      ...handle,
      write: observed(async (data: Uint8Array) => {
        journalWrites += 1;
        if (run?.kill.at === 'torn-write' && journalWrites === run.kill.nth) {
          await handle.write(data.subarray(0, keepBytes(run.kill.keep, data.length)));
          die(`torn-write:${run.kill.keep}`);
        }
        const text = Buffer.from(data).toString('utf8');
        for (const p of submitting ? planned : []) {
          if (p.plan.on !== 'any' && !text.includes(`"type":"${p.plan.on}"`)) continue;
          p.seen += 1;
          if (p.seen !== p.plan.nth) continue;
          const { fault, code, truncateFails, holdMs } = p.plan;
          faulty.faults.set(JOURNAL_FILE, {
            ...(fault === 'short-write' ? { shortWrite: { bytes: keepBytes(p.plan.keep, data.length), code } } : fault === 'write' ? { write: code } : { sync: code }),
            ...(truncateFails ? { truncate: 'EIO' as const } : {}),
          });
          setTimeout(() => faulty.faults.delete(JOURNAL_FILE), holdMs);
        }
        return handle.write(data);
      }),
      sync: observed(() => handle.sync()),
      truncate: observed((length: number) => handle.truncate(length)),
    };
  },
};

const issuer = await createTestIssuer(config.jwk);
let records = 0;
const ops = createOperations({
  tokens: createTestTokenSource(issuer),
  apiBase: config.api,
  environment: 'sandbox-local',
  ordersApi: config.ordersApi,
  dataDir: config.dataDir,
  events: new CoreEvents(),
  tuning: {
    fileSystem,
    ...(run ? { retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5_000 }, poll: { initialMs: 40, maxMs: 150, factor: 1.5 } } : {}),
    recheckDelaysMs: [],
    // `intent` / `sent` are durable when this runs: dying here is a crash right after the fsync.
    afterJournalWrite: (record) => {
      records += 1;
      if (run?.kill.at === 'record' && records === run.kill.nth) die(`after-${record.type}`);
      if ((config.crashPoint === 'after-intent' && record.type === 'intent') || (config.crashPoint === 'after-sent' && record.type === 'sent')) die();
    },
    // With the sandbox resetting every committed write, the first wait before a resend comes after the POST landed.
    ...(run
      ? {}
      : {
          sleep: async () => {
            if (config.crashPoint === 'after-commit') die();
          },
        }),
  },
});

if (run) {
  await ops.start(); // reconciles whatever the previous run left unfinished
  report({ e: 'ready' });
  submitting = true;
  let next = 0;
  let answers = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < run.orders.length; i = next++) {
      const res = await ops.handlers['orders:submit'](run.orders[i]!);
      report(res.ok ? { e: 'answer', i, ok: true, status: res.value.status } : { e: 'answer', i, ok: false, code: res.error.code, message: res.error.message });
      const kill = run.kill;
      if (kill.at !== 'answer' || (kill.code !== undefined && (res.ok || res.error.code !== kill.code))) continue;
      answers += 1;
      if (answers === kill.nth) die(kill.code ? `after-answer:${kill.code}` : 'after-answer');
    }
  };
  await Promise.all(Array.from({ length: run.concurrency }, worker));
  report({ e: 'done' });
  // The parent kills an idle child (polls may still be running); exit on our own if it never does.
  setTimeout(() => process.exit(3), 30_000);
} else {
  await ops.handlers['orders:submit'](config.order!);
  process.stderr.write('crash-child: the crash point was never reached\n');
  process.exit(3);
}
