// Preload: exposes window.partnerConsole with one named function per contract channel and one subscriber per event.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { EventName, EventPayload, PartnerConsoleBridge } from '../shared/ipc-contract';

function subscribe<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, payload: EventPayload<E>) => listener(payload);
  ipcRenderer.on(event, wrapped);
  return () => {
    ipcRenderer.removeListener(event, wrapped);
  };
}

const bridge: PartnerConsoleBridge = {
  getAuthState: () => ipcRenderer.invoke('auth:getState', {}),
  signIn: (request) => ipcRenderer.invoke('auth:signIn', request),
  cancelSignIn: () => ipcRenderer.invoke('auth:cancelSignIn', {}),
  signOut: () => ipcRenderer.invoke('auth:signOut', {}),
  listProfiles: (request) => ipcRenderer.invoke('accounts:listProfiles', request),
  getProfile: (request) => ipcRenderer.invoke('accounts:getProfile', request),
  getBalances: (request) => ipcRenderer.invoke('accounts:getBalances', request),
  submitOrder: (request) => ipcRenderer.invoke('orders:submit', request),
  listOrders: (request) => ipcRenderer.invoke('orders:list', request),
  getOrder: (request) => ipcRenderer.invoke('orders:get', request),
  cancelOrder: (request) => ipcRenderer.invoke('orders:cancel', request),
  listActivity: (request) => ipcRenderer.invoke('activity:list', request),
  exportActivityCsv: () => ipcRenderer.invoke('activity:exportCsv', {}),
  getSettings: () => ipcRenderer.invoke('settings:get', {}),
  setEnvironment: (request) => ipcRenderer.invoke('settings:setEnvironment', request),
  onAuthChanged: (listener) => subscribe('auth:changed', listener),
  onOrdersChanged: (listener) => subscribe('orders:changed', listener),
  onAccountsChanged: (listener) => subscribe('accounts:changed', listener),
  onActivityChanged: (listener) => subscribe('activity:changed', listener),
};

contextBridge.exposeInMainWorld('partnerConsole', bridge);
