// Binds every contract channel to its core handler: checks the sender frame, parses the payload, returns a Result, never throws.
import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import { appError } from '../../shared/app-error';
import { CHANNELS, channels, type Channel, type ContractHandlers } from '../../shared/ipc-contract';
import { err } from '../../shared/result';

/** Whether a frame may call the core; when not, which check refused it. */
export type SenderVerdict = { readonly allowed: true } | { readonly allowed: false; readonly check: 'top-frame' | 'url' | 'protocol' | 'host'; readonly protocol?: string };

/** Decides whether a frame (by its URL, and whether it is the top frame) may call the core. */
export type SenderPolicy = (frameUrl: string | undefined, isTopFrame: boolean) => SenderVerdict;

/** The log line's reason for each refusal; never the URL itself (it could carry anything). */
function refusal(verdict: Extract<SenderVerdict, { allowed: false }>): string {
  switch (verdict.check) {
    case 'top-frame':
      return 'not the top frame';
    case 'url':
      return 'no valid URL';
    case 'protocol':
      return `protocol ${verdict.protocol ?? '?'} is not the app’s`;
    case 'host':
      return 'host is not the app’s';
  }
}

export interface IpcLog {
  warn(message: string): void;
}

/** Handles one call: the whole path every IPC message takes, exported so tests can drive it exactly as ipcMain would. */
export async function dispatch(
  handlers: ContractHandlers,
  policy: SenderPolicy,
  channel: Channel,
  sender: { url: string | undefined; isTopFrame: boolean },
  payload: unknown,
  log?: IpcLog,
): Promise<unknown> {
  const verdict = policy(sender.url, sender.isTopFrame);
  if (!verdict.allowed) {
    log?.warn(`ipc: refused ${channel}: ${refusal(verdict)}`);
    return err(appError('forbidden_sender', 'This call did not come from Partner Console.'));
  }
  const spec = channels[channel];
  const parsed = spec.request.safeParse(payload ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'request';
    return err(appError('invalid_request', `Invalid ${channel} request: ${where} ${issue?.message ?? 'is invalid'}.`));
  }
  try {
    const handler = handlers[channel] as (req: unknown) => Promise<unknown>;
    const result = await handler(parsed.data);
    const checked = spec.response.safeParse(result);
    if (!checked.success) {
      log?.warn(`ipc: ${channel} produced a response outside the contract`);
      return err(appError('internal', 'Partner Console produced an unexpected response.'));
    }
    return checked.data;
  } catch (e) {
    log?.warn(`ipc: ${channel} handler threw ${e instanceof Error ? e.name : typeof e}`);
    return err(appError('internal', 'Something went wrong inside Partner Console.'));
  }
}

/** Registers every channel with ipcMain exactly once; returns a function that removes them. */
export function registerIpc(handlers: ContractHandlers, policy: SenderPolicy, log?: IpcLog): () => void {
  for (const channel of CHANNELS) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) => {
      const frame = event.senderFrame;
      return dispatch(handlers, policy, channel, { url: frame?.url, isTopFrame: frame !== null && frame?.parent === null }, payload, log);
    });
  }
  return () => {
    for (const channel of CHANNELS) ipcMain.removeHandler(channel);
  };
}

/**
 * The production policy: only the app's own top frame, served from one of `origins` (same protocol and host, port included).
 * Protocol and host are compared one by one: Node gives `app://` URLs the opaque origin "null", so origins cannot be compared whole.
 */
export function originPolicy(origins: readonly string[]): SenderPolicy {
  const allowed = origins.map((o) => new URL(o)).map((u) => ({ protocol: u.protocol, host: u.host }));
  return (frameUrl, isTopFrame) => {
    if (!isTopFrame) return { allowed: false, check: 'top-frame' };
    const url = frameUrl && URL.canParse(frameUrl) ? new URL(frameUrl) : null;
    if (!url) return { allowed: false, check: 'url' };
    const sameProtocol = allowed.filter((a) => a.protocol === url.protocol);
    if (sameProtocol.length === 0) return { allowed: false, check: 'protocol', protocol: url.protocol };
    if (!sameProtocol.some((a) => a.host === url.host)) return { allowed: false, check: 'host' };
    return { allowed: true };
  };
}
