// Deep-link intake for the shell: queues links that arrive before the core exists, then hands each to it (never navigates to them).
import { deepLinkFromArgv } from './core/auth/redirect';
import { CUSTOM_SCHEME } from './core/config';

export interface DeepLinkIntake {
  /** A link from open-url (macOS) or the loopback listener. */
  push(url: string): void;
  /** argv from the first instance or a second-instance event (Windows/Linux). */
  pushArgv(argv: readonly string[]): void;
  /** Connects the consumer; queued links are delivered in order. */
  attach(consume: (url: string) => void): void;
}

export function createDeepLinkIntake(): DeepLinkIntake {
  const queue: string[] = [];
  let consumer: ((url: string) => void) | undefined;
  const push = (url: string) => {
    if (consumer) consumer(url);
    else if (queue.length < 16) queue.push(url);
  };
  return {
    push,
    pushArgv(argv) {
      const link = deepLinkFromArgv(argv, CUSTOM_SCHEME);
      if (link) push(link);
    },
    attach(consume) {
      consumer = consume;
      for (const url of queue.splice(0)) consume(url);
    },
  };
}
