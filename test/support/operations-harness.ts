// Helpers for operations tests: a fresh data dir, an operations instance on the sandbox with fast test timings, event waits.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreEvents } from '../../electron/core/events';
import type { RequestBudget } from '../../electron/core/api/request-budget';
import { createOperations, type Operations, type OperationsHandlers, type OperationsTuning } from '../../electron/core/operations';
import { channels, events as eventSchemas, EVENTS } from '../../shared/ipc-contract';
import type { Order, OrdersApi } from '../../shared/domain';
import type { ApiSandbox, TestTokenSource } from './api-sandbox';

/** Timings that keep tests fast: quick retries, quick polls, no background re-checks unless asked. */
export const FAST: OperationsTuning = {
  retry: { maxAttempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 10_000 },
  poll: { initialMs: 40, maxMs: 150, factor: 1.5 },
  recheckDelaysMs: [],
  onUnexpectedError: (error) => console.error('operations: unexpected error', error),
};

export interface OpsHandle {
  readonly ops: Operations;
  /** The handlers, each answer checked against the IPC contract's response schema (as electron/ipc/register.ts does). */
  readonly handlers: OperationsHandlers;
  /** Answers and events that did not match the contract; a test should end with none. */
  readonly contractViolations: string[];
  readonly events: CoreEvents;
  readonly session: TestTokenSource;
  readonly orders: Map<string, Order[]>;
  /** Resolves with the order once `predicate` holds for an `orders:changed` event (or already held). */
  waitForOrder(refId: string, predicate: (o: Order) => boolean, timeoutMs?: number): Promise<Order>;
}

/**
 * `ordersApi`: where new orders go (the operations' default, orchestrations, when absent); tests of conversions say so.
 * `budget`: the environment's request budget (e.g. limits with a short lockout); one of the operations' own when absent.
 */
export function openOperations(sb: ApiSandbox, dataDir: string, options: { session?: TestTokenSource; tuning?: OperationsTuning; ordersApi?: OrdersApi; budget?: RequestBudget } = {}): OpsHandle {
  const events = new CoreEvents();
  events.setMaxListeners(0); // tests wait on hundreds of orders at once, one listener each
  const session = options.session ?? sb.session();
  const orders = new Map<string, Order[]>();
  events.on('orders:changed', (o) => orders.set(o.refId, [...(orders.get(o.refId) ?? []), o]));
  const ops = createOperations({
    tokens: session,
    apiBase: sb.api,
    environment: 'sandbox-local',
    dataDir,
    events,
    ...(options.ordersApi ? { ordersApi: options.ordersApi } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
    tuning: { ...FAST, ...options.tuning },
  });
  const contractViolations: string[] = [];
  for (const name of EVENTS) {
    events.on(name, (payload: unknown) => {
      const checked = eventSchemas[name].safeParse(payload);
      if (!checked.success) contractViolations.push(`event ${name}: ${checked.error.message}`);
    });
  }
  const handlers = Object.fromEntries(
    Object.entries(ops.handlers).map(([channel, handler]) => [
      channel,
      async (request: unknown) => {
        const result = await (handler as (r: unknown) => Promise<unknown>)(request);
        const checked = channels[channel as keyof OperationsHandlers].response.safeParse(result);
        if (!checked.success) contractViolations.push(`${channel}: ${checked.error.message}`);
        return result;
      },
    ]),
  ) as unknown as OperationsHandlers;
  return {
    ops,
    handlers,
    contractViolations,
    events,
    session,
    orders,
    waitForOrder(refId, predicate, timeoutMs = 10_000) {
      const seen = orders.get(refId)?.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          events.off('orders:changed', listener);
          reject(new Error(`timed out waiting for order ${refId}; saw ${JSON.stringify(orders.get(refId)?.map((o) => o.status))}`));
        }, timeoutMs);
        const listener = (o: Order): void => {
          if (o.refId === refId && predicate(o)) {
            clearTimeout(timer);
            events.off('orders:changed', listener);
            resolve(o);
          }
        };
        events.on('orders:changed', listener);
      });
    },
  };
}

/** Closes the operations, then the sandbox and the data directory; returns the contract violations seen until then. */
export async function closeOperations(h: OpsHandle, sb: ApiSandbox, data: { remove(): Promise<void> }): Promise<string[]> {
  const violations = [...h.contractViolations];
  await h.ops.close();
  await sb.close();
  await data.remove();
  return violations;
}

export async function tempDataDir(prefix: string): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Every file under `dir`, as text, for leak scans. */
export async function readAllFiles(dir: string): Promise<Array<{ path: string; text: string }>> {
  const out: Array<{ path: string; text: string }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out.push({ path, text: await readFile(path, 'utf8') });
  }
  return out;
}

export async function journalLines(dir: string): Promise<Array<Record<string, unknown>>> {
  try {
    return (await readFile(join(dir, 'orders-journal.jsonl'), 'utf8'))
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  } catch {
    return [];
  }
}
