// Combines abort signals for one operation and unhooks afterwards, so long-lived session signals collect no listeners.
import { setMaxListeners } from 'node:events';

/** Requests in flight at once each hold one listener on the long-lived signals; this many is expected, not a leak. */
const EXPECTED_LISTENERS = 4096;

export interface LinkedSignal {
  readonly signal: AbortSignal;
  /** Removes the listeners from the source signals; call when the operation ends. */
  dispose(): void;
}

/** A signal that aborts (with the first reason) as soon as any source aborts. */
export function linkSignals(sources: readonly (AbortSignal | undefined)[]): LinkedSignal {
  const controller = new AbortController();
  // Shared by the requests in flight with the same signal (each transport adds a listener): as many as on the sources.
  setMaxListeners(EXPECTED_LISTENERS, controller.signal);
  const live = sources.filter((s): s is AbortSignal => s !== undefined);
  const aborted = live.find((s) => s.aborted);
  if (aborted) {
    controller.abort(aborted.reason);
    return { signal: controller.signal, dispose: () => undefined };
  }
  const listeners = live.map((source) => {
    setMaxListeners(EXPECTED_LISTENERS, source);
    const onAbort = (): void => controller.abort(source.reason);
    source.addEventListener('abort', onAbort, { once: true });
    return () => source.removeEventListener('abort', onAbort);
  });
  return { signal: controller.signal, dispose: () => listeners.forEach((remove) => remove()) };
}
