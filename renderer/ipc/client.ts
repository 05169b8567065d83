// The renderer's only door to main: the preload bridge exposed as window.partnerConsole.
import type { PartnerConsoleBridge } from '../../shared/ipc-contract';

declare global {
  interface Window {
    readonly partnerConsole?: PartnerConsoleBridge;
  }
}

/** The bridge, or a clear error if the page was opened outside Partner Console. */
export function bridge(): PartnerConsoleBridge {
  const b = window.partnerConsole;
  if (!b) throw new Error('Partner Console bridge is missing: open this page from the desktop app.');
  return b;
}
