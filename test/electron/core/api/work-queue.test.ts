// Bounded concurrency: never more than the limit at once, items pushed while running still run, abort drains early.
import { describe, expect, it } from 'vitest';
import { linkSignals } from '../../../../electron/core/api/signals';
import { runBounded, startWorkQueue } from '../../../../electron/core/api/work-queue';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('work queue', () => {
  it('runs everything with at most `concurrency` at once, including items pushed later', async () => {
    let running = 0;
    let peak = 0;
    const done: number[] = [];
    const queue = startWorkQueue<number>(
      3,
      async (n) => {
        running += 1;
        peak = Math.max(peak, running);
        await tick();
        running -= 1;
        done.push(n);
      },
      new AbortController().signal,
    );
    queue.push([1, 2, 3, 4, 5]);
    await tick();
    queue.push([6, 7, 8]);
    queue.end();
    await queue.done;
    expect(peak).toBe(3);
    expect(done.sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('keeps going when a worker throws, and stops starting work once aborted', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const queue = startWorkQueue<number>(
      1,
      async (n) => {
        started.push(n);
        if (n === 1) throw new Error('boom');
        if (n === 2) controller.abort();
        await tick();
      },
      controller.signal,
    );
    queue.push([1, 2, 3, 4]);
    await queue.done;
    expect(started).toEqual([1, 2]);
    expect(queue.pending()).toBe(2);
  });

  it('runBounded resolves for an empty list', async () => {
    await expect(runBounded([], 4, async () => undefined, new AbortController().signal)).resolves.toBeUndefined();
  });
});

describe('linkSignals', () => {
  it('aborts with the first source and unhooks on dispose', () => {
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals([a.signal, undefined, b.signal]);
    b.abort('why');
    expect(linked.signal.aborted).toBe(true);
    expect(linked.signal.reason).toBe('why');
    const second = linkSignals([a.signal]);
    second.dispose();
    a.abort();
    expect(second.signal.aborted).toBe(false);
    expect(linkSignals([b.signal]).signal.aborted).toBe(true);
  });
});
