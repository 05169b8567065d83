// The request budget of one environment, shared by every caller of its API and token endpoint: a sliding window per
// endpoint family kept below the published limit, priority queues (orders, then visible, then background) once a window
// is spent, and the lockout a 429 starts, during which nothing is sent.
import { appError, type AppError } from '../../../shared/app-error';
import { allowanceOf, ENDPOINT_FAMILIES, PRIORITIES, PUBLISHED_RATE_LIMITS, type EndpointFamily, type Priority, type RateLimits } from './rate-limits';

/** Wall-clock time and timers, injected so tests can move time by hand. */
export interface Scheduler {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `run` after `ms`; returns the cancel function. */
  setTimeout(run: () => void, ms: number): () => void;
}

export const realScheduler: Scheduler = {
  now: () => Date.now(),
  setTimeout(run, ms) {
    // A budget's timer alone never keeps the process alive (whoever waits on it has its own reason to run).
    const timer = setTimeout(run, Math.max(0, ms));
    timer.unref();
    return () => clearTimeout(timer);
  },
};

export type BudgetState = { readonly status: 'open' } | { readonly status: 'lockedOut'; readonly since: number; readonly until: number };

/** What a caller waits for: one request of `family`. */
export interface AcquireOptions {
  readonly family: EndpointFamily;
  readonly priority: Priority;
  readonly signal?: AbortSignal | undefined;
  /**
   * During a lockout: `wait` (default) until it ends, or `refuse` at once with a `rate_limited` error (work that has not
   * been recorded anywhere yet, such as the checks before a new order is journaled, is refused rather than held).
   */
  readonly whenLockedOut?: 'wait' | 'refuse';
}

/** Thrown by acquire(): the budget refused (lockout with `refuse`) or was closed. */
export class BudgetRefusal extends Error {
  constructor(readonly appError: AppError) {
    super(appError.message);
    this.name = 'BudgetRefusal';
  }
}

export interface BudgetSnapshot {
  readonly state: BudgetState;
  /** Requests let through since the budget was made, per family. */
  readonly sent: Readonly<Record<EndpointFamily, number>>;
  /** Requests in the current window, per family (0 when limits are off). */
  readonly inWindow: Readonly<Record<EndpointFamily, number>>;
  /** Requests waiting, per priority. */
  readonly queued: Readonly<Record<Priority, number>>;
  /** Lockouts started (429s that began or lengthened one). */
  readonly lockouts: number;
}

export interface RequestBudget {
  /** Counts one request and returns true when it may be sent at once (no lockout, nobody ahead, room in the window). */
  tryAcquire(family: EndpointFamily, priority: Priority): boolean;
  /** Resolves when one request of the family may be sent now (and counts it); rejects with BudgetRefusal or the signal's reason. */
  acquire(options: AcquireOptions): Promise<void>;
  /** A 429 arrived: nothing is sent until the published lockout (or a longer Retry-After) has passed. */
  lockout(retryAfterMs?: number | null): void;
  state(): BudgetState;
  /** Called on every state change (lockout begins or ends); returns the unsubscribe. */
  onChange(listener: (state: BudgetState) => void): () => void;
  snapshot(): BudgetSnapshot;
  /** Rejects everything waiting and stops the timers. */
  close(): void;
}

/** Time of day for messages, e.g. "12:09" (the renderer shows its own, from the ISO time in `detail.until`). */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
}

/** The error for work refused (or cut short) by a lockout; `what` says what happens until `time` (e.g. "12:09"). */
export function lockoutError(until: number, what: (time: string) => string = (time) => `Requests to Paxos are paused until ${time}, when the limit resets.`): AppError {
  return appError('rate_limited', `Paxos is limiting requests from this computer (HTTP 429). ${what(clockTime(until))}`, {
    retryable: true,
    detail: { until: new Date(until).toISOString() },
  });
}

interface Waiter {
  readonly priority: Priority;
  readonly refuseWhenLocked: boolean;
  resolve(): void;
  reject(reason: unknown): void;
  done: boolean;
  cleanup(): void;
}

/** A FIFO of timestamps (or waiters) with a moving head, compacted now and then. */
class Fifo<T> {
  private items: T[] = [];
  private head = 0;
  get size(): number {
    return this.items.length - this.head;
  }
  count(live: (item: T) => boolean): number {
    let n = 0;
    for (let i = this.head; i < this.items.length; i++) if (live(this.items[i] as T)) n += 1;
    return n;
  }
  push(item: T): void {
    this.items.push(item);
  }
  peek(): T | undefined {
    return this.items[this.head];
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head] as T;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
  drain(): T[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

interface FamilyState {
  readonly allowance: number;
  readonly ceilings: Readonly<Record<Priority, number>>;
  readonly sentAt: Fifo<number>;
  readonly waiting: Readonly<Record<Priority, Fifo<Waiter>>>;
  sent: number;
  cancelWake: (() => void) | null;
  wakeAt: number;
}

/**
 * Background work may fill 90 % of a window and visible work 95 %, so the last slots stay free for what the operator
 * is looking at and for orders.
 */
const CEILING_SHARE: Readonly<Record<Priority, number>> = { order: 1, visible: 0.95, background: 0.9 };

/** `limits` 'off' keeps no window (benchmarks, tests that measure raw speed); a 429 still starts the published lockout. */
export function createRequestBudget(limits: RateLimits | 'off', scheduler: Scheduler = realScheduler): RequestBudget {
  const lockoutMs = limits === 'off' ? PUBLISHED_RATE_LIMITS.lockoutMs : limits.lockoutMs;
  const windowMs = limits === 'off' ? 0 : limits.windowMs;
  const families = Object.fromEntries(
    ENDPOINT_FAMILIES.map((family) => {
      const allowance = limits === 'off' ? Infinity : allowanceOf(limits, family);
      const ceilings = Object.fromEntries(PRIORITIES.map((p) => [p, allowance === Infinity ? Infinity : Math.max(1, Math.floor(allowance * CEILING_SHARE[p]))])) as Record<Priority, number>;
      const waiting = Object.fromEntries(PRIORITIES.map((p) => [p, new Fifo<Waiter>()])) as Record<Priority, Fifo<Waiter>>;
      const state: FamilyState = { allowance, ceilings, sentAt: new Fifo<number>(), waiting, sent: 0, cancelWake: null, wakeAt: Infinity };
      return [family, state];
    }),
  ) as Record<EndpointFamily, FamilyState>;
  let state: BudgetState = { status: 'open' };
  let cancelLockoutTimer: (() => void) | null = null;
  let lockouts = 0;
  let closed = false;
  const listeners = new Set<(state: BudgetState) => void>();

  const notify = (): void => {
    for (const listener of [...listeners]) {
      try {
        listener(state);
      } catch {
        // A failing listener must not stop the budget.
      }
    }
  };
  const lockedUntil = (now: number): number => (state.status === 'lockedOut' && state.until > now ? state.until : 0);

  /** Requests in the window ending now (old timestamps are dropped as a side effect). */
  function used(f: FamilyState, now: number): number {
    if (f.allowance === Infinity) return 0;
    while (f.sentAt.size > 0 && (f.sentAt.peek() as number) <= now - windowMs) f.sentAt.shift();
    return f.sentAt.size;
  }

  function record(f: FamilyState, now: number): void {
    f.sent += 1;
    if (f.allowance !== Infinity) f.sentAt.push(now);
  }

  function firstWaiter(f: FamilyState): Fifo<Waiter> | undefined {
    for (const p of PRIORITIES) {
      const queue = f.waiting[p];
      while (queue.size > 0 && (queue.peek() as Waiter).done) queue.shift();
      if (queue.size > 0) return queue;
    }
    return undefined;
  }

  /** Wakes the family when the oldest request in its window leaves it. */
  function wakeLater(f: FamilyState, now: number): void {
    const oldest = f.sentAt.peek();
    if (oldest === undefined) return;
    const at = oldest + windowMs + 1;
    if (f.cancelWake && f.wakeAt <= at) return;
    f.cancelWake?.();
    f.wakeAt = at;
    f.cancelWake = scheduler.setTimeout(() => {
      f.cancelWake = null;
      f.wakeAt = Infinity;
      pump(f);
    }, at - now);
  }

  /** Lets waiters through, highest priority first, while the window has room and no lockout runs. */
  function pump(f: FamilyState): void {
    if (closed) return;
    const now = scheduler.now();
    if (lockedUntil(now)) return; // the lockout's end pumps every family
    for (;;) {
      const queue = firstWaiter(f);
      if (!queue) return;
      const waiter = queue.peek() as Waiter;
      // Lower priorities have lower ceilings: if the first waiter cannot go, none can.
      if (used(f, now) >= f.ceilings[waiter.priority]) {
        wakeLater(f, now);
        return;
      }
      queue.shift();
      record(f, now);
      waiter.done = true;
      waiter.cleanup();
      waiter.resolve();
    }
  }

  /** Counts one request and returns true if it may go now: no one of the same or a higher priority waits, and the window has room. */
  function goesNow(f: FamilyState, priority: Priority, now: number): boolean {
    for (const p of PRIORITIES) {
      const q = f.waiting[p];
      while (q.size > 0 && (q.peek() as Waiter).done) q.shift();
      if (q.size > 0) return false;
      if (p === priority) break;
    }
    if (used(f, now) >= f.ceilings[priority]) return false;
    record(f, now);
    return true;
  }

  function endLockout(): void {
    cancelLockoutTimer = null;
    state = { status: 'open' };
    notify();
    for (const family of ENDPOINT_FAMILIES) pump(families[family]);
  }

  function refuseQueued(error: AppError): void {
    for (const family of ENDPOINT_FAMILIES) {
      for (const p of PRIORITIES) {
        const queue = families[family].waiting[p];
        const keep: Waiter[] = [];
        for (const w of queue.drain()) {
          if (w.done) continue;
          if (w.refuseWhenLocked) {
            w.done = true;
            w.cleanup();
            w.reject(new BudgetRefusal(error));
          } else keep.push(w);
        }
        for (const w of keep) queue.push(w);
      }
    }
  }

  return {
    tryAcquire(family, priority) {
      if (closed) return false;
      const now = scheduler.now();
      return !lockedUntil(now) && goesNow(families[family], priority, now);
    },

    acquire({ family, priority, signal, whenLockedOut = 'wait' }) {
      if (closed) return Promise.reject(new BudgetRefusal(appError('cancelled', 'Partner Console is shutting down.')));
      if (signal?.aborted) return Promise.reject(signal.reason);
      const f = families[family];
      const now = scheduler.now();
      const locked = lockedUntil(now);
      if (locked && whenLockedOut === 'refuse') return Promise.reject(new BudgetRefusal(lockoutError(locked, (time) => `Nothing new is sent until ${time}, when the limit resets.`)));
      if (!locked && goesNow(f, priority, now)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const onAbort = (): void => {
          if (waiter.done) return;
          waiter.done = true;
          reject(signal?.reason);
          pump(f); // the next one may go now
        };
        const waiter: Waiter = {
          priority,
          refuseWhenLocked: whenLockedOut === 'refuse',
          resolve,
          reject,
          done: false,
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        f.waiting[priority].push(waiter);
        if (!locked) pump(f);
      });
    },

    lockout(retryAfterMs) {
      if (closed) return;
      const now = scheduler.now();
      const until = now + Math.max(lockoutMs, retryAfterMs ?? 0);
      if (state.status === 'lockedOut' && state.until >= until) return;
      lockouts += 1;
      state = { status: 'lockedOut', since: state.status === 'lockedOut' ? state.since : now, until };
      cancelLockoutTimer?.();
      cancelLockoutTimer = scheduler.setTimeout(endLockout, until - now);
      refuseQueued(lockoutError(until, (time) => `Nothing new is sent until ${time}, when the limit resets.`));
      notify();
    },

    state: () => state,

    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    snapshot() {
      const now = scheduler.now();
      const per = <T>(fn: (f: FamilyState) => T) => Object.fromEntries(ENDPOINT_FAMILIES.map((family) => [family, fn(families[family])])) as Record<EndpointFamily, T>;
      const queued = Object.fromEntries(PRIORITIES.map((p) => [p, ENDPOINT_FAMILIES.reduce((n, family) => n + families[family].waiting[p].count((w) => !w.done), 0)])) as Record<Priority, number>;
      return { state, sent: per((f) => f.sent), inWindow: per((f) => used(f, now)), queued, lockouts };
    },

    close() {
      if (closed) return;
      closed = true;
      cancelLockoutTimer?.();
      cancelLockoutTimer = null;
      const error = new BudgetRefusal(appError('cancelled', 'Partner Console is shutting down.'));
      for (const family of ENDPOINT_FAMILIES) {
        const f = families[family];
        f.cancelWake?.();
        f.cancelWake = null;
        for (const p of PRIORITIES) {
          for (const w of f.waiting[p].drain()) {
            if (w.done) continue;
            w.done = true;
            w.cleanup();
            w.reject(error);
          }
        }
      }
      listeners.clear();
    },
  };
}
