// Polls accepted orders whose server status may still change (CREATED; PENDING, PROCESSING) with growing, jittered intervals until final.
import type { AppErrorCode } from '../../../shared/app-error';
import { isOpenServerStatus } from '../../../shared/order-statuses';
import { applyServerOrder } from './outcomes';
import { gatewayOf, type OrderRuntime } from './runtime';

export interface PollSchedule {
  /** First wait after an order is created (ms). */
  readonly initialMs: number;
  /** Longest wait between two polls (ms) of an order that is under way. */
  readonly maxMs: number;
  /** Growth of the wait after each poll that found the order unchanged. */
  readonly factor: number;
  /**
   * Longest wait between two polls of an order awaiting approval (PENDING can last hours: someone else must act).
   * Default: four times `maxMs`.
   */
  readonly awaitingMaxMs?: number;
}

/** In production an order awaiting approval is asked about at most once a minute (4 × maxMs). */
export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialMs: 1000, maxMs: 15_000, factor: 1.6 };

/** Errors that polling cannot fix; the order is picked up again at the next start or sign-in. */
const STOP_CODES: ReadonlySet<AppErrorCode> = new Set(['cancelled', 'signed_out', 'session_expired', 'unauthorized', 'forbidden_scope', 'forbidden', 'not_found']);

export interface StatusPoller {
  watch(refId: string): void;
  /** Orders being polled now. */
  watching(): number;
}

export function createStatusPoller(runtime: OrderRuntime, schedule: PollSchedule): StatusPoller {
  /** Order → the session signal its poll loop runs under (a loop of an ended session does not block a new one). */
  const active = new Map<string, AbortSignal>();
  const awaitingMax = schedule.awaitingMaxMs ?? schedule.maxMs * 4;

  async function poll(refId: string, signal: AbortSignal): Promise<void> {
    let wait = schedule.initialMs;
    while (!signal.aborted) {
      // ±20 % jitter so many orders created together do not poll in lockstep.
      await runtime.sleep(Math.round(wait * (0.8 + 0.4 * runtime.random())), signal);
      const entry = runtime.journal.get(refId);
      if (!entry || entry.state.phase !== 'accepted' || !isOpenServerStatus(entry.state.status)) return;
      const known = entry.state.status;
      const res = await gatewayOf(runtime, entry).get(entry.state.serverId, signal);
      if (res.ok && res.value.status !== known) {
        const now = await applyServerOrder(runtime, refId, res.value);
        if (now?.state.phase !== 'accepted' || !isOpenServerStatus(now.state.status)) return;
        wait = schedule.initialMs; // it moved (e.g. approved): follow it closely again
        continue;
      }
      if (!res.ok && STOP_CODES.has(res.error.error.code)) return;
      wait = Math.min(known === 'PENDING' ? awaitingMax : schedule.maxMs, wait * schedule.factor);
    }
  }

  return {
    watch(refId) {
      const running = active.get(refId);
      if (running && !running.aborted) return;
      const signal = runtime.sessionSignal();
      active.set(refId, signal);
      void poll(refId, signal)
        .catch(() => undefined)
        .finally(() => {
          if (active.get(refId) === signal) active.delete(refId);
        });
    },
    watching: () => active.size,
  };
}
