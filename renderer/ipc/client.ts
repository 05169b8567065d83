// The renderer's only door to main: the preload bridge exposed as window.partnerConsole, wrapped so calls never throw.
import { appError } from '../../shared/error-codes';
import type { PartnerConsoleBridge } from '../../shared/ipc-contract';
import { err, type Result } from '../../shared/result';

declare global {
  interface Window {
    readonly partnerConsole?: PartnerConsoleBridge;
  }
}

/** True when the page runs inside Partner Console (the preload exposed the bridge). */
export function hasBridge(): boolean {
  return window.partnerConsole !== undefined;
}

/** The bridge, or a clear error if the page was opened outside Partner Console. */
export function bridge(): PartnerConsoleBridge {
  const b = window.partnerConsole;
  if (!b) throw new Error('Partner Console bridge is missing: open this page from the desktop app.');
  return b;
}

/** Calls one bridge function; a thrown error (bridge missing, main gone) becomes an `internal` AppError. */
export async function call<T>(run: (b: PartnerConsoleBridge) => Promise<Result<T>>): Promise<Result<T>> {
  try {
    return await run(bridge());
  } catch (e) {
    const message = e instanceof Error && e.message.startsWith('Partner Console bridge') ? e.message : 'Partner Console could not reach its main process.';
    return err(appError('internal', message));
  }
}
