// Preload: exposes window.partnerConsole with one named function per contract channel and one subscriber per event.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { BRIDGE_EVENTS, BRIDGE_METHODS } from '../shared/bridge-methods';
import type { Channel, EventName, PartnerConsoleBridge } from '../shared/ipc-contract';

/** The named function for one channel: it can only ever reach `channel` (there is no generic invoke). */
function invoker(channel: Channel): (request?: unknown) => Promise<unknown> {
  return (request) => ipcRenderer.invoke(channel, request ?? {});
}

function subscriber(event: EventName): (listener: (payload: unknown) => void) => () => void {
  return (listener) => {
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => {
      ipcRenderer.removeListener(event, wrapped);
    };
  };
}

// Built from the one name → channel table (shared/bridge-methods.ts), whose shape PartnerConsoleBridge is derived from.
const bridge = Object.fromEntries([
  ...Object.entries(BRIDGE_METHODS).map(([name, channel]) => [name, invoker(channel)]),
  ...Object.entries(BRIDGE_EVENTS).map(([name, event]) => [name, subscriber(event)]),
]) as PartnerConsoleBridge;

contextBridge.exposeInMainWorld('partnerConsole', bridge);
