// The page side of the preload-equivalent bridge for Chromium tests and benchmarks: one function per channel over an exposed binding.
import type { Channel, EventName } from '../../shared/ipc-contract';

/**
 * Plain JS (no transpiled helpers) defining window.partnerConsole: one function per channel calling window.__pcInvoke, one
 * subscriber per event fed by window.__pcDeliver. Payloads cross as JSON text: Playwright's own argument serialization
 * takes ~1 s for a 1,000-row page, JSON a few ms.
 */
export function bridgeScript(invoke: Readonly<Record<string, Channel>>, events: Readonly<Record<string, EventName>>): string {
  return `(() => {
  const invokeMethods = ${JSON.stringify(invoke)};
  const eventMethods = ${JSON.stringify(events)};
  const listeners = new Map(Object.values(eventMethods).map((event) => [event, new Set()]));
  const bridge = {};
  for (const [name, channel] of Object.entries(invokeMethods)) {
    bridge[name] = async (request) => JSON.parse(await window.__pcInvoke(channel, JSON.stringify(request === undefined ? {} : request)));
  }
  for (const [name, event] of Object.entries(eventMethods)) {
    bridge[name] = (listener) => {
      const set = listeners.get(event);
      const wrapped = (payload) => listener(payload);
      set.add(wrapped);
      return () => { set.delete(wrapped); };
    };
  }
  Object.defineProperty(window, 'partnerConsole', { value: Object.freeze(bridge), enumerable: true });
  Object.defineProperty(window, '__pcDeliver', {
    value: (batch) => {
      for (const [event, payload] of JSON.parse(batch)) {
        for (const listener of [...(listeners.get(event) || [])]) {
          try { listener(payload); } catch (e) { console.error(e); }
        }
      }
    },
  });
})();`;
}
