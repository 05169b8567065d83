// A wall clock and timers moved by hand, for the request budget (electron/core/api/request-budget.ts `Scheduler`).
import type { Scheduler } from '../../electron/core/api/request-budget';

export interface ManualClock {
  readonly scheduler: Scheduler;
  now(): number;
  /** Moves time ahead by `ms`, firing the timers due on the way, in order (and letting promise callbacks run after each). */
  advance(ms: number): Promise<void>;
  /** Lets pending promise callbacks run. */
  settle(): Promise<void>;
}

export function manualClock(start = Date.parse('2026-12-01T12:00:00Z')): ManualClock {
  let now = start;
  let timers: Array<{ at: number; run: () => void }> = [];
  const settle = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    scheduler: {
      now: () => now,
      setTimeout(run, ms) {
        const timer = { at: now + Math.max(0, ms), run };
        timers.push(timer);
        return () => {
          timers = timers.filter((t) => t !== timer);
        };
      },
    },
    now: () => now,
    async advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
        await settle();
      }
      now = end;
      await settle();
    },
    settle,
  };
}
