// An undici interceptor that counts requests: issued (handed to the dispatcher), on the wire (written to a socket), peaks, by path.
import type { Dispatcher } from 'undici';

export interface DispatchMeter {
  /** Wraps `dispatcher`; every request sent through the result is counted. Close the original, not the result. */
  wrap(dispatcher: Dispatcher): Dispatcher;
  /** Requests handed to the dispatcher and not finished yet (including ones queued inside a pool). */
  issued(): number;
  /** Most requests issued and unfinished at once since reset(). */
  peakIssued(): number;
  /** Most requests written to a socket and not yet answered at once since reset(): what the server sees. */
  peakOnWire(): number;
  /** Requests started since reset() whose path starts with `prefix`. */
  count(prefix?: string): number;
  /** Transport-level failures (onResponseError) since reset(). */
  transportErrors(): number;
  /**
   * From the first request whose path matches to the end of the last one, in ms since reset() (performance.now()
   * clock), with how many matched: the throughput of one kind of request inside a longer run.
   */
  span(match: (path: string) => boolean): { count: number; ms: number };
  reset(): void;
}

type Handler = Dispatcher.DispatchHandler;

export function createDispatchMeter(): DispatchMeter {
  let issued = 0;
  let onWire = 0;
  let peakIssued = 0;
  let peakOnWire = 0;
  let errors = 0;
  let paths: string[] = [];
  let timings: Array<{ path: string; start: number; end: number }> = [];

  const interceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler: Handler) => {
    issued += 1;
    peakIssued = Math.max(peakIssued, issued);
    paths.push(opts.path);
    const timing = { path: opts.path, start: performance.now(), end: NaN };
    timings.push(timing);
    let written = false;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      timing.end = performance.now();
      issued -= 1;
      if (written) onWire -= 1;
    };
    const wrapped: Handler = {
      onRequestStart(controller, context) {
        if (!written) {
          written = true;
          onWire += 1;
          peakOnWire = Math.max(peakOnWire, onWire);
        }
        handler.onRequestStart?.(controller, context);
      },
      onRequestUpgrade(controller, statusCode, headers, socket) {
        handler.onRequestUpgrade?.(controller, statusCode, headers, socket);
      },
      onResponseStart(controller, statusCode, headers, statusMessage) {
        handler.onResponseStart?.(controller, statusCode, headers, statusMessage);
      },
      onResponseData(controller, chunk) {
        handler.onResponseData?.(controller, chunk);
      },
      onResponseEnd(controller, trailers) {
        finish();
        handler.onResponseEnd?.(controller, trailers);
      },
      onResponseError(controller, error) {
        errors += 1;
        finish();
        handler.onResponseError?.(controller, error);
      },
    };
    return dispatch(opts, wrapped);
  };

  return {
    wrap: (dispatcher) => dispatcher.compose(interceptor),
    issued: () => issued,
    peakIssued: () => peakIssued,
    peakOnWire: () => peakOnWire,
    count: (prefix = '') => paths.filter((p) => p.startsWith(prefix)).length,
    transportErrors: () => errors,
    span(match) {
      const matched = timings.filter((t) => match(t.path) && !Number.isNaN(t.end));
      if (matched.length === 0) return { count: 0, ms: 0 };
      return { count: matched.length, ms: Math.max(...matched.map((t) => t.end)) - Math.min(...matched.map((t) => t.start)) };
    },
    reset() {
      timings = [];
      peakIssued = issued;
      peakOnWire = onWire;
      errors = 0;
      paths = [];
    },
  };
}
