// Page-side stand-in for `electron` when the real electron/preload.ts is bundled into a Chromium page (test/support/shell-bundles.ts).
// contextBridge.exposeInMainWorld puts the API on window; ipcRenderer.invoke goes to the harness binding `__pcInvoke`
// (which calls the real electron/ipc/register.ts), and events the harness hands to `__pcDeliver` reach ipcRenderer.on listeners.

type Listener = (event: { sender: unknown }, payload: unknown) => void;

interface StandInWindow {
  /** Exposed by the harness (Playwright binding): channel and JSON payload in, JSON response out. */
  __pcInvoke(channel: string, json: string): Promise<string>;
}

const page = window as unknown as StandInWindow;
const listeners = new Map<string, Set<Listener>>();

export const contextBridge = {
  exposeInMainWorld(key: string, api: Record<string, unknown>): void {
    // Electron refuses to overwrite and hands the page a frozen copy; the page cannot replace or extend the bridge.
    if (key in window) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    Object.defineProperty(window, key, { value: Object.freeze({ ...api }), enumerable: true });
  },
};

export const ipcRenderer = {
  /** Payloads cross as JSON text: Playwright's own argument serialization takes ~1 s for a 1,000-row page, JSON a few ms. */
  async invoke(channel: string, payload: unknown): Promise<unknown> {
    return JSON.parse(await page.__pcInvoke(channel, JSON.stringify(payload))) as unknown;
  },
  on(channel: string, listener: Listener) {
    if (!listeners.has(channel)) listeners.set(channel, new Set());
    listeners.get(channel)!.add(listener);
    return ipcRenderer;
  },
  removeListener(channel: string, listener: Listener) {
    listeners.get(channel)?.delete(listener);
    return ipcRenderer;
  },
};

/** Main → renderer: the harness delivers a JSON batch of [event, payload] pairs, as webContents.send would one by one. */
Object.defineProperty(window, '__pcDeliver', {
  value: (batch: string) => {
    for (const [channel, payload] of JSON.parse(batch) as Array<[string, unknown]>) {
      for (const listener of [...(listeners.get(channel) ?? [])]) {
        try {
          listener({ sender: ipcRenderer }, payload);
        } catch (e) {
          console.error(e);
        }
      }
    }
  },
});
