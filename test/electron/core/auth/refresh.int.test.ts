// Refresh storm: with 2 s access tokens, 200 concurrent callers after expiry cause exactly one token request, and no reuse.
import { Agent, type Dispatcher } from 'undici';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../../../electron/core/auth/auth-service';
import { createMemorySecretStore } from '../../../../electron/core/auth/secret-store';
import type { Session } from '../../../../electron/core/auth/session';
import { builtInEnvironments } from '../../../../electron/core/config';
import { startSandbox, type Sandbox } from '../../../../sandbox/start';
import { introspect } from '../../../support/introspect';
import { launchBrowser, loginAndConsent } from '../../../support/browser';

let sandbox: Sandbox;
let browser: Browser;
beforeAll(async () => {
  [sandbox, browser] = await Promise.all([startSandbox({ accessTokenTtl: 2 }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
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
    const auth = createAuthService({
      environments: builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api }),
      store,
      openExternal: async (u) => void opened.push(u),
      now: Date.now,
      dispatcher: counting,
      log: () => undefined,
      onChange: (_s, s) => {
        session = s;
      },
    });
    const pending = auth.signIn('sandbox-local', 'custom-scheme');
    while (!opened[0]) await new Promise((r) => setTimeout(r, 20));
    const context = await browser.newContext();
    auth.handleRedirect(await loginAndConsent(context, opened[0], { email: 'ops@partner.test', password: 'sandbox' }));
    expect((await pending).ok).toBe(true);
    await context.close();
    const s = session as unknown as Session;
    const first = await s.getAccessToken();
    expect(tokenRequests).toHaveLength(1); // the code exchange

    await new Promise((r) => setTimeout(r, 2200)); // past expiry
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
