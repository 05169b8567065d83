// Main-side stand-in for `electron` when the real electron/ipc/register.ts runs outside Electron (test/support/shell-bundles.ts):
// an ipcMain that keeps the registered handlers, and invokeMain, which calls one the way Electron does for ipcRenderer.invoke.

/** The part of IpcMainInvokeEvent register.ts reads. */
export interface StandInFrame {
  readonly url: string;
  /** null for the top frame, as WebFrameMain.parent. */
  readonly parent: unknown;
}

type Handler = (event: { senderFrame: StandInFrame | null }, payload: unknown) => unknown;

const handlers = new Map<string, Handler>();

export const ipcMain = {
  handle(channel: string, handler: Handler): void {
    if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    handlers.set(channel, handler);
  },
  removeHandler(channel: string): void {
    handlers.delete(channel);
  },
};

/** What ipcRenderer.invoke(channel, payload) from `senderFrame` gets back; rejects, as Electron does, when nothing handles it. */
export async function invokeMain(channel: string, senderFrame: StandInFrame, payload: unknown): Promise<unknown> {
  const handler = handlers.get(channel);
  if (!handler) throw new Error(`No handler registered for '${channel}'`);
  return handler({ senderFrame }, payload);
}

/** Channels with a handler now (to check that registerIpc registered, and its clean-up removed, every one). */
export function registeredChannels(): string[] {
  return [...handlers.keys()];
}
