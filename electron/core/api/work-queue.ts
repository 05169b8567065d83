// Bounded-concurrency work: a queue that can keep growing while it runs (balance fan-out), and a one-shot helper.

export interface WorkQueue<T> {
  /** Adds items; they start as soon as fewer than `concurrency` are running. */
  push(items: readonly T[]): void;
  /** No more items will be pushed: `done` resolves once the running ones finish. */
  end(): void;
  /** Resolves when ended and drained, or when the signal aborted and nothing is running any more. */
  readonly done: Promise<void>;
  /** Items not started yet. */
  pending(): number;
}

/** Runs `worker` over pushed items with at most `concurrency` at once. Worker rejections are swallowed (handle errors inside). */
export function startWorkQueue<T>(concurrency: number, worker: (item: T) => Promise<void>, signal: AbortSignal): WorkQueue<T> {
  const limit = Math.max(1, Math.floor(concurrency));
  let items: T[] = [];
  let head = 0;
  let active = 0;
  let ended = false;
  let resolveDone!: () => void;
  const done = new Promise<void>((resolve) => {
    resolveDone = resolve;
  });

  const settled = (): void => {
    active -= 1;
    pump();
  };

  function pump(): void {
    while (!signal.aborted && active < limit && head < items.length) {
      const item = items[head] as T;
      head += 1;
      active += 1;
      // One handler for both outcomes (no extra promises per item: a fan-out runs thousands).
      worker(item).then(settled, settled);
    }
    if (head > 1024 && head * 2 > items.length) {
      items = items.slice(head);
      head = 0;
    }
    if (active === 0 && (signal.aborted || (ended && head >= items.length))) resolveDone();
  }

  signal.addEventListener('abort', pump, { once: true });
  return {
    push(more) {
      if (ended || signal.aborted) return;
      for (const item of more) items.push(item);
      pump();
    },
    end() {
      ended = true;
      pump();
    },
    done,
    pending: () => items.length - head,
  };
}

/** Runs `worker` over `items` with at most `concurrency` at once and waits for all. */
export async function runBounded<T>(items: readonly T[], concurrency: number, worker: (item: T) => Promise<void>, signal: AbortSignal): Promise<void> {
  const queue = startWorkQueue(concurrency, worker, signal);
  queue.push(items);
  queue.end();
  await queue.done;
}
