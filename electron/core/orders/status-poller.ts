// Polls CREATED orders with growing, jittered intervals until the server reports SETTLED or CANCELLED.
import type { AppErrorCode } from '../../../shared/app-error';
import { applyConversion } from './outcomes';
import type { OrderRuntime } from './runtime';

export interface PollSchedule {
  /** First wait after an order is created (ms). */
  readonly initialMs: number;
  /** Longest wait between two polls (ms). */
  readonly maxMs: number;
  /** Growth of the wait after each poll that found the order still CREATED. */
  readonly factor: number;
}

export const DEFAULT_POLL_SCHEDULE: PollSchedule = { initialMs: 1000, maxMs: 15_000, factor: 1.6 };

/** Errors that polling cannot fix; the order is picked up again at the next start or sign-in. */
const STOP_CODES: ReadonlySet<AppErrorCode> = new Set(['cancelled', 'signed_out', 'session_expired', 'unauthorized', 'forbidden_scope', 'forbidden', 'not_found']);

export interface StatusPoller {
  watch(refId: string): void;
  /** Orders being polled now. */
  watching(): number;
}

export function createStatusPoller(rt: OrderRuntime, schedule: PollSchedule): StatusPoller {
  /** Order → the session signal its poll loop runs under (a loop of an ended session does not block a new one). */
  const active = new Map<string, AbortSignal>();

  async function poll(refId: string, signal: AbortSignal): Promise<void> {
    let wait = schedule.initialMs;
    while (!signal.aborted) {
      // ±20 % jitter so many orders created together do not poll in lockstep.
      await rt.sleep(Math.round(wait * (0.8 + 0.4 * rt.random())), signal);
      const entry = rt.journal.get(refId);
      if (!entry || entry.state.phase !== 'accepted' || entry.state.status !== 'CREATED') return;
      const res = await rt.api.getConversion(entry.state.conversionId, signal);
      if (res.ok && res.value.status !== 'CREATED') {
        await applyConversion(rt, refId, res.value);
        return;
      }
      if (!res.ok && STOP_CODES.has(res.error.error.code)) return;
      wait = Math.min(schedule.maxMs, wait * schedule.factor);
    }
  }

  return {
    watch(refId) {
      const running = active.get(refId);
      if (running && !running.aborted) return;
      const signal = rt.sessionSignal();
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
