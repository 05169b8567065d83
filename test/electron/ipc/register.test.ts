// register.ts: every channel registered once with ipcMain; foreign senders, bad payloads and throwing handlers become typed errors.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNELS, type ContractHandlers } from '../../../shared/ipc-contract';
import { ok } from '../../../shared/result';
import { ipcMain, resetFakeElectron } from '../fake-electron';

vi.mock('electron', () => import('../fake-electron'));

const { dispatch, originPolicy, registerIpc } = await import('../../../electron/ipc/register');

const APP = 'app://partner-console';
const calls: Array<[string, unknown]> = [];
function handlers(overrides: Partial<ContractHandlers> = {}): ContractHandlers {
  const base = Object.fromEntries(
    CHANNELS.map((c) => [
      c,
      async (req: unknown) => {
        calls.push([c, req]);
        return ok({ status: 'signedOut' });
      },
    ]),
  );
  return { ...base, ...overrides } as ContractHandlers;
}
const frame = (url: string, top = true) => ({ senderFrame: { url, parent: top ? null : {} } });

describe('registerIpc', () => {
  beforeEach(() => {
    resetFakeElectron();
    calls.length = 0;
  });

  it('registers every contract channel exactly once and removes them all', () => {
    const unregister = registerIpc(handlers(), originPolicy([APP]));
    expect([...ipcMain.registrations].sort()).toEqual([...CHANNELS].sort());
    expect(new Set(ipcMain.registrations).size).toBe(ipcMain.registrations.length);
    unregister();
    expect(ipcMain.handlers.size).toBe(0);
  });

  it('passes a parsed request from the app frame to the handler', async () => {
    registerIpc(handlers(), originPolicy([APP]));
    const result = await ipcMain.handlers.get('auth:getState')!(frame(`${APP}/index.html`), {});
    expect(result).toEqual({ ok: true, value: { status: 'signedOut' } });
    expect(calls).toEqual([['auth:getState', {}]]);
  });

  it.each([
    ['another origin', 'https://evil.example/'],
    ['a file URL', 'file:///etc/passwd'],
    ['an app-looking host', 'app://partner-console.evil/'],
    ['no URL', ''],
  ])('rejects a sender from %s without calling the core', async (_n, url) => {
    registerIpc(handlers(), originPolicy([APP]));
    const result = (await ipcMain.handlers.get('auth:signOut')!(frame(url), {})) as { ok: boolean; error: { code: string } };
    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('forbidden_sender');
    expect(calls).toEqual([]);
  });

  it('rejects a sub-frame of the app origin', async () => {
    registerIpc(handlers(), originPolicy([APP]));
    const result = (await ipcMain.handlers.get('auth:getState')!(frame(`${APP}/index.html`, false), {})) as { error: { code: string } };
    expect(result.error.code).toBe('forbidden_sender');
  });

  it.each([
    ['a sub-frame', `${APP}/index.html`, false, 'not the top frame'],
    ['no URL', '', true, 'no valid URL'],
    ['a URL that does not parse', 'app//partner-console', true, 'no valid URL'],
    ['another protocol', 'https://partner-console/index.html', true, 'protocol https: is not the app’s'],
    ['another host', 'app://partner-console.evil/index.html', true, 'host is not the app’s'],
    ['another port', 'app://partner-console:444/index.html', true, 'host is not the app’s'],
  ])('logs which check refused %s, without the URL', async (_n, url, top, reason) => {
    const warnings: string[] = [];
    registerIpc(handlers(), originPolicy([APP]), { warn: (line) => warnings.push(line) });
    await ipcMain.handlers.get('auth:signOut')!(frame(url, top), {});
    expect(warnings).toEqual([`ipc: refused auth:signOut: ${reason}`]);
    expect(calls).toEqual([]);
  });
});

describe('originPolicy', () => {
  it('compares protocol and host with each allowed origin (app:// has the opaque origin "null" in Node)', () => {
    expect(new URL(`${APP}/index.html`).origin).toBe('null'); // why an origin string compare cannot work for app://
    const policy = originPolicy([APP, 'http://localhost:5173']);
    expect(policy(`${APP}/index.html`, true)).toEqual({ allowed: true });
    expect(policy(`${APP}/`, true)).toEqual({ allowed: true });
    expect(policy('http://localhost:5173/src/main.tsx', true)).toEqual({ allowed: true });
    expect(policy('http://localhost:5174/', true)).toEqual({ allowed: false, check: 'host' });
    expect(policy('app://localhost:5173/', true)).toEqual({ allowed: false, check: 'host' });
    expect(policy('https://localhost:5173/', true)).toEqual({ allowed: false, check: 'protocol', protocol: 'https:' });
  });
});

describe('dispatch', () => {
  const policy = originPolicy([APP]);
  const sender = { url: `${APP}/index.html`, isTopFrame: true };

  it('rejects an invalid payload with invalid_request naming the field, and calls nothing', async () => {
    calls.length = 0;
    const r = (await dispatch(handlers(), policy, 'orders:submit', sender, { kind: 'burn', profileId: 'p1', asset: 'USDP', amount: '1' })) as {
      error: { code: string; message: string };
    };
    expect(r.error.code).toBe('invalid_request');
    expect(r.error.message).toContain('kind');
    expect(calls).toEqual([]);
  });

  it('turns a throwing handler into an internal error without leaking its message', async () => {
    const r = (await dispatch(
      handlers({ 'auth:getState': async () => Promise.reject(new Error('refresh_token=abc123 leaked')) }),
      policy,
      'auth:getState',
      sender,
      {},
    )) as { error: { code: string; message: string } };
    expect(r.error.code).toBe('internal');
    expect(JSON.stringify(r)).not.toContain('abc123');
  });

  it('refuses a handler response outside the contract (e.g. with a token field)', async () => {
    const leaky = handlers({
      'auth:getState': async () => ok({ status: 'signedOut', accessToken: 'secret-token' } as never),
    });
    const r = await dispatch(leaky, policy, 'auth:getState', sender, {});
    expect(JSON.stringify(r)).not.toContain('secret-token');
    expect((r as { error: { code: string } }).error.code).toBe('internal');
  });

  it('fills request defaults from the schema', async () => {
    calls.length = 0;
    await dispatch(handlers(), policy, 'accounts:listProfiles', sender, {});
    expect(calls[0]).toEqual(['accounts:listProfiles', { limit: 100, sort: 'name', direction: 'asc' }]);
  });
});
