// Refresh storm: 200 concurrent callers after expiry (on the injected clock) cause exactly one token request, and no reuse.
import { Agent, type Dispatcher } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../../../electron/core/auth/auth-service';
import { createMemorySecretStore } from '../../../../electron/core/auth/secret-store';
import type { Session } from '../../../../electron/core/auth/session';
import { builtInEnvironments } from '../../../../electron/core/config';
import { startSandbox, type Sandbox } from '../../../../sandbox/start';
import { loginOverHttp, testClock } from '../../../support/core-harness';
import { introspect } from '../../../support/introspect';

let sandbox: Sandbox;
beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('session refresh', () => {
  it('single-flights 200 concurrent refreshes after expiry, never reuses a rotated token, and sign-out revokes', async () => {
    const tokenRequests: string[] = [];
    const counting: Dispatcher = new Agent().compose((dispatch) => (opts, handler) => {
      if (opts.path.startsWith('/oauth2/token')) tokenRequests.push(opts.path);
      return dispatch(opts, handler);
    });
    let session: Session | null = null;
    const opened: string[] = [];
    const store = createMemorySecretStore();
    const clock = testClock();
    const auth = createAuthService({
      environments: builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api }),
      store,
      openExternal: async (u) => void opened.push(u),
      now: clock.now,
      dispatcher: counting,
      log: () => undefined,
      onChange: (_s, s) => {
        session = s;
      },
    });
    const pending = auth.signIn('sandbox-local', 'custom-scheme');
    while (!opened[0]) await new Promise((r) => setTimeout(r, 20));
    auth.handleRedirect(await loginOverHttp(opened[0]));
    expect((await pending).ok).toBe(true);
    const s = session as unknown as Session;
    const first = await s.getAccessToken();
    expect(tokenRequests).toHaveLength(1); // the code exchange

    clock.advance(2 * 3600_000); // past expiry (the server's tokens live 1 h; the session goes by the clock it is given)
    const tokens = await Promise.all(Array.from({ length: 200 }, () => s.getAccessToken()));
    expect(tokenRequests).toHaveLength(2); // exactly one refresh for 200 callers
    expect(new Set(tokens).size).toBe(1);
    expect(tokens[0]).not.toBe(first);

    // a 401 with the old token shares the newest token instead of refreshing again
    expect(await s.refreshAfterUnauthorized(first)).toBe(tokens[0]);
    expect(tokenRequests).toHaveLength(2);
    // a 401 with the current token refreshes once for all concurrent callers
    const again = await Promise.all(Array.from({ length: 50 }, () => s.refreshAfterUnauthorized(tokens[0]!)));
    expect(tokenRequests).toHaveLength(3);
    expect(new Set(again).size).toBe(1);

    // If a rotated-out token had been presented, reuse detection would have revoked the grant: it is still alive.
    const current = (await store.get('com.partnerconsole.desktop/sandbox-local', 'op-7c1e2a'))!;
    expect(await introspect(sandbox, current)).toBe(true);

    await auth.signOut();
    expect(await introspect(sandbox, current)).toBe(false);
    expect(s.signal.aborted).toBe(true);
    await expect(s.getAccessToken()).rejects.toThrow(/signed out/);
    expect(await store.accounts('com.partnerconsole.desktop/sandbox-local')).toEqual([]);
  });
});
