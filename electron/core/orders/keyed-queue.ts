// Runs tasks one after another per key (an order's ref_id), so a poll, a read and a cancel never apply outcomes of one order at once.

export interface KeyedQueue {
  /** Runs `task` after every earlier task of `key` has settled; resolves or rejects with it. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>;
}

export function createKeyedQueue(): KeyedQueue {
  const tails = new Map<string, Promise<unknown>>();
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(task, task);
      const tail = result.catch(() => undefined);
      tails.set(key, tail);
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key);
      });
      return result;
    },
  };
}
