// createOperations: everything after sign-in (API client, accounts, orders, activity log) as handlers for createCore to wire.
import type { Dispatcher } from 'undici';
import { appError } from '../../shared/app-error';
import type { ActivityEntry, OrdersApi } from '../../shared/domain';
import type { Channel, ContractHandlers } from '../../shared/ipc-contract';
import { err, ok, type Result } from '../../shared/result';
import { createAccountsService } from './accounts/accounts-service';
import { createApiDispatcher, type DispatcherOptions } from './api/dispatcher';
import { createConversionsGateway } from './api/conversions-gateway';
import { createApiClient } from './api/http-client';
import { createOrchestrationsGateway } from './api/orchestrations-gateway';
import type { OrdersGateways } from './api/orders-gateway';
import { createPaxosApi } from './api/paxos-api';
import { PUBLISHED_RATE_LIMITS } from './api/rate-limits';
import { createRequestBudget, lockoutError, type RequestBudget } from './api/request-budget';
import { realSleep, type RetryPolicy, type Sleep } from './api/retry-policy';
import type { AppendFileSystem } from './audit/append-fs';
import { openAuditLog, type AuditInput, type AuditLog } from './audit/audit-log';
import { StorageError } from './audit/storage-error';
import type { AccessTokenSource } from './auth/access-token';
import { DEFAULT_ORDERS_API } from './config';
import type { CoreEvents } from './events';
import { openJournal, type Journal, type JournalRecord } from './orders/journal';
import { createKeyedQueue } from './orders/keyed-queue';
import { createOrdersService, type OrdersService } from './orders/orders-service';
import type { OrderRuntime } from './orders/runtime';
import { createStatusPoller, DEFAULT_POLL_SCHEDULE, type PollSchedule, type StatusPoller } from './orders/status-poller';

/** The contract channels createOperations answers (createCore forwards each of them to the current environment's operations). */
export const OPERATIONS_CHANNELS = [
  'accounts:listProfiles',
  'accounts:getProfile',
  'accounts:getBalances',
  'accounts:setVisible',
  'orders:submit',
  'orders:list',
  'orders:get',
  'orders:cancel',
  'activity:list',
] as const satisfies readonly Channel[];
export type OperationsChannel = (typeof OPERATIONS_CHANNELS)[number];
export type OperationsHandlers = Pick<ContractHandlers, OperationsChannel>;

/** Knobs for tests and benchmarks; production uses the defaults. */
export interface OperationsTuning {
  readonly retry?: Partial<RetryPolicy>;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  /** Monotonic ms for retry budgets. */
  readonly now?: () => number;
  /** Used only when no dispatcher is passed in. */
  readonly dispatcherOptions?: DispatcherOptions;
  /** Background balance requests in flight at once (default 32; the pool has 48 connections, the rest are for the screen and orders). */
  readonly balanceConcurrency?: number;
  /** Balances older than this are re-read by a refresh (default 5 minutes). */
  readonly balancesStaleAfterMs?: number;
  readonly poll?: Partial<PollSchedule>;
  readonly recheckDelaysMs?: readonly number[];
  readonly resendWindowMs?: number;
  /** Called after each journal record is durable (crash tests). */
  readonly afterJournalWrite?: (record: JournalRecord) => void | Promise<void>;
  /** The file-system seam under the journal and activity log (tests inject ENOSPC/EIO through it). */
  readonly fileSystem?: AppendFileSystem;
  /** Sees exceptions a handler turned into `internal` errors (a bug); for diagnostics only. */
  readonly onUnexpectedError?: (error: unknown) => void;
}

export interface OperationsOptions {
  /** The session: access tokens, single-flight refresh after 401, sign-out signal, scopes, operator. */
  readonly tokens: AccessTokenSource;
  /** API base of the environment, e.g. `http://127.0.0.1:4011/v2`. */
  readonly apiBase: string;
  /** Environment id, recorded with every journal entry and activity entry. */
  readonly environment: string;
  /**
   * The environment's orders API: where new orders go (default: orchestrations, as for the built-ins). Orders already in
   * the journal are always followed up through the API they were sent through.
   */
  readonly ordersApi?: OrdersApi;
  /** Where `orders-journal.jsonl` and `activity-log.jsonl` live. */
  readonly dataDir: string;
  readonly events: CoreEvents;
  readonly clock?: () => Date;
  /** An undici dispatcher to send through (not closed by close()); by default one is created (EnvHttpProxyAgent, pooled). */
  readonly dispatcher?: Dispatcher;
  /**
   * The environment's request budget, shared with its token requests (not closed by close()); by default one of its own
   * with the published limits.
   */
  readonly budget?: RequestBudget;
  readonly tuning?: OperationsTuning;
  /**
   * The journal and activity log are opened only once this settles: the previous environment's operations closing
   * them (they are the same files), so two instances never have them open at once.
   */
  readonly openAfter?: Promise<unknown>;
}

export interface Operations {
  readonly handlers: OperationsHandlers;
  /** The activity log as CSV text (RFC 4180, formula-safe); the shell writes it where the operator chooses. */
  exportCsv(): Promise<{ text: string; rows: number }>;
  /** Records an operator action (sign-in, sign-out, session expiry …). Operator defaults to the signed-in one. */
  recordAudit(entry: AuditInput): Promise<Result<ActivityEntry>>;
  /**
   * Call at start-up when a session exists and after every sign-in: reconciles the operator's unfinished orders by
   * ref_id (resolves when done), resumes status polling, and starts loading profiles and balances in the background.
   * When the session's signal aborts (sign-out) the operator's cached profiles are dropped and polling stops.
   */
  start(): Promise<void>;
  /** Resolves when the current profile listing and balance fan-out have finished (tests, benchmarks). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

/** The journal and the activity log once both files are open, and the orders service built on them. */
interface JournaledServices {
  readonly journal: Journal;
  readonly audit: AuditLog;
  readonly orders: OrdersService;
}

const unexpected = () => err(appError('internal', 'Something unexpected went wrong in Partner Console; nothing further was sent.'));

export const DEFAULT_BALANCE_CONCURRENCY = 32;

export function createOperations(options: OperationsOptions): Operations {
  const { tokens, events, tuning = {} } = options;
  const clock = options.clock ?? (() => new Date());
  const sleep = tuning.sleep ?? realSleep;
  const random = tuning.random ?? Math.random;
  const lifetime = new AbortController();
  /** Cancels this session's background work (polls, re-checks, sends) on sign-out and close; not the auth Session. */
  let sessionWork = new AbortController();
  /** The session signal start() last subscribed to; a different one means a new sign-in. */
  let boundSessionSignal: AbortSignal | null = null;
  const dispatcher = options.dispatcher ?? createApiDispatcher(tuning.dispatcherOptions);
  const budget = options.budget ?? createRequestBudget(PUBLISHED_RATE_LIMITS);
  const client = createApiClient({
    baseUrl: options.apiBase,
    dispatcher,
    budget,
    tokens,
    signal: lifetime.signal,
    random,
    sleep,
    ...(tuning.retry ? { retry: tuning.retry } : {}),
    ...(tuning.now ? { now: tuning.now } : {}),
  });
  const api = createPaxosApi(client);
  const gateways: OrdersGateways = { orchestrations: createOrchestrationsGateway(client), conversions: createConversionsGateway(api) };
  const accounts = createAccountsService({
    api,
    events,
    clock,
    scopes: () => tokens.scopes(),
    concurrency: tuning.balanceConcurrency ?? DEFAULT_BALANCE_CONCURRENCY,
    ...(tuning.balancesStaleAfterMs !== undefined ? { staleAfterMs: tuning.balancesStaleAfterMs } : {}),
    lifetime: lifetime.signal,
  });
  const operatorLabel = (): string | null => {
    const op = tokens.operator();
    return op ? op.email || op.subject : null;
  };
  let poller: StatusPoller | undefined;

  const services: Promise<JournaledServices> = (async () => {
    await options.openAfter?.catch(() => undefined);
    const [journal, audit] = await Promise.all([
      openJournal({
        dataDir: options.dataDir,
        clock,
        ...(tuning.afterJournalWrite ? { afterWrite: tuning.afterJournalWrite } : {}),
        ...(tuning.fileSystem ? { fileSystem: tuning.fileSystem } : {}),
      }),
      openAuditLog({
        dataDir: options.dataDir,
        environment: options.environment,
        events,
        clock,
        currentOperator: operatorLabel,
        ...(tuning.fileSystem ? { fileSystem: tuning.fileSystem } : {}),
      }),
    ]);
    const runtime: OrderRuntime = {
      gateways,
      journal,
      outcomes: createKeyedQueue(),
      accounts,
      events,
      clock,
      sleep,
      random,
      async audit(input) {
        try {
          await audit.record(input);
        } catch {
          // The activity log is best effort here; the journal is the record that keeps orders safe.
        }
      },
      async storageReady() {
        try {
          await journal.ensureWritable();
          await audit.ensureWritable();
          return ok(true);
        } catch (error) {
          return err(error instanceof StorageError ? error.withConsequence('New orders are refused until it can be written.') : appError('storage', 'Partner Console could not write its files.', { retryable: true }));
        }
      },
      sessionSignal: () => sessionWork.signal,
      watch: (refId) => poller?.watch(refId),
      currentOperator: () => tokens.operator(),
    };
    poller = createStatusPoller(runtime, { ...DEFAULT_POLL_SCHEDULE, ...tuning.poll });
    const orders = createOrdersService({
      runtime,
      tokens,
      environment: options.environment,
      ordersApi: options.ordersApi ?? DEFAULT_ORDERS_API,
      ...(tuning.resendWindowMs !== undefined ? { resendWindowMs: tuning.resendWindowMs } : {}),
      ...(tuning.recheckDelaysMs ? { recheckDelaysMs: tuning.recheckDelaysMs } : {}),
    });
    return { journal, audit, orders };
  })();
  services.catch(() => undefined);

  /** Every handler: waits for the services, never throws, and is awaited by close(). */
  const inFlight = new Set<Promise<unknown>>();
  function guard<A extends unknown[], T>(run: (s: JournaledServices, ...args: A) => Promise<Result<T>>): (...args: A) => Promise<Result<T>> {
    return (...args) => {
      const p = (async (): Promise<Result<T>> => {
        if (lifetime.signal.aborted) return err(appError('cancelled', 'Partner Console is shutting down.'));
        let s: JournaledServices;
        try {
          s = await services;
        } catch {
          return err(appError('internal', `Could not open the order journal or activity log in ${options.dataDir}.`));
        }
        try {
          return await run(s, ...args);
        } catch (error) {
          if (error instanceof StorageError) return err(error.appError); // a disk fault, not a bug
          tuning.onUnexpectedError?.(error);
          return unexpected();
        }
      })();
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
      return p;
    };
  }

  /**
   * Orders during a lockout are refused before anything is journaled or sent (docs/operator-guide.md): nothing is lost
   * (the form keeps its input) and nothing can go twice. Orders journaled earlier wait in the budget and go first after it.
   */
  function refuseDuringLockout(s: JournaledServices, request: Parameters<OperationsHandlers['orders:submit']>[0]): Promise<Result<never>> | null {
    const state = budget.state();
    if (state.status !== 'lockedOut') return null;
    const error = lockoutError(state.until, (time) => `New orders are refused until ${time}, when the limit resets. This order was not sent and not recorded; submit it again then.`);
    return (async () => {
      const operator = tokens.operator();
      const what = `${request.kind === 'mint' ? 'Mint' : 'Redeem'} ${request.amount} ${request.asset} for ${request.profileId}`;
      try {
        await s.audit.record({ action: 'order_submit', outcome: 'error', summary: `${what}: refused before sending — ${error.message}`, ...(operator ? { operator: operator.email || operator.subject } : {}) });
      } catch {
        // The refusal stands without its log line.
      }
      return err(error);
    })();
  }

  const handlers: OperationsHandlers = {
    'accounts:listProfiles': guard((_s, request) => accounts.listProfiles(request)),
    'accounts:getProfile': guard((_s, request) => accounts.getProfile(request)),
    'accounts:getBalances': guard((_s, request) => accounts.getBalances(request)),
    'accounts:setVisible': guard((_s, request) => accounts.setVisible(request)),
    'orders:submit': guard((s, request) => refuseDuringLockout(s, request) ?? s.orders.submit(request)),
    'orders:list': guard((s, request) => s.orders.list(request)),
    'orders:get': guard((s, request) => s.orders.get(request)),
    'orders:cancel': guard((s, request) => s.orders.cancel(request)),
    'activity:list': guard(async (s, request) => ok({ items: s.audit.list(request) })),
  };

  function endSession(): void {
    sessionWork.abort();
    accounts.reset();
  }

  return {
    handlers,
    exportCsv: async () => (await services).audit.csv(),
    recordAudit: guard(async (s, entry: AuditInput) => ok(await s.audit.record(entry))),

    async start() {
      const s = await services;
      const sessionSignal = tokens.signal;
      if (lifetime.signal.aborted || !tokens.operator() || sessionSignal.aborted) return;
      if (boundSessionSignal !== sessionSignal) {
        boundSessionSignal = sessionSignal;
        if (sessionWork.signal.aborted) sessionWork = new AbortController();
        const current = sessionWork;
        sessionSignal.addEventListener('abort', () => current === sessionWork && endSession(), { once: true });
      }
      void accounts.load().catch(() => undefined);
      await s.orders.reconcileAll();
    },

    settled: () => accounts.settled(),

    async close() {
      if (lifetime.signal.aborted) return;
      lifetime.abort();
      endSession();
      await Promise.allSettled([...inFlight]);
      try {
        const s = await services;
        await Promise.allSettled([s.journal.close(), s.audit.close()]);
      } catch {
        // Nothing was opened.
      }
      if (!options.dispatcher) await dispatcher.close();
      if (!options.budget) budget.close();
    },
  };
}
