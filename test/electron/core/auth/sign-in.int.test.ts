// Sign-in core against the real sandbox: PKCE on the sandbox's real pages (over HTTP), custom-scheme and loopback redirects, junk links, refresh, sign-out.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthState } from '../../../../shared/domain';
import { serviceName } from '../../../../electron/core/auth/auth-service';
import { createMemorySecretStore, type SecretStore } from '../../../../electron/core/auth/secret-store';
import { startSandbox, type Sandbox } from '../../../../sandbox/start';
import { beginSignIn, ENV, loginOverHttp, makeCore as makeTestCore, sandboxEnvironments, testClock, until, type CoreHarness, type CoreHarnessOptions } from '../../../support/core-harness';
import { introspect } from '../../../support/introspect';

const ACME = 'a0000001-0000-4000-8000-000000000001';

let sandbox: Sandbox;

type Harness = CoreHarness;
const makeCore = (store?: SecretStore, extra: Omit<CoreHarnessOptions, 'store'> = {}) => makeTestCore(sandbox, { ...(store ? { store } : {}), ...extra });
const login = (url: string, opts: { scopes?: string[]; deny?: boolean } = {}) => loginOverHttp(url, opts);

async function signedIn(h: Harness, opts: { scopes?: string[] } = {}) {
  const { pending, url } = await beginSignIn(h);
  const redirect = await login(url, opts);
  expect(h.core.handleDeepLink(redirect)).toBe(true); // as the OS passes argv on Linux
  const result = await pending;
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Extract<AuthState, { status: 'signedIn' }>;
}

beforeAll(async () => {
  sandbox = await startSandbox();
});
afterAll(async () => {
  await sandbox?.close();
});

describe('sign-in through the system browser', () => {
  it('signs in with the custom-scheme redirect and ends with the granted scopes, persisted in the store', async () => {
    const h = await makeCore();
    const state = await signedIn(h);
    // Paxos's server lists only `sub` as a claim: the app assumes no name or e-mail.
    expect(state).toMatchObject({ status: 'signedIn', subject: 'op-7c1e2a', email: '', name: '', environment: ENV, persisted: true });
    // The local sandbox's orders go through orchestrations (the built-ins' default): its scopes are asked for, not the conversion ones.
    expect([...state.scopes].sort()).toEqual(['funding:read_profile', 'identity:read_account', 'orchestration:read_orchestration', 'orchestration:write_orchestration']);
    const url = new URL(h.opened[0]!);
    expect(url.searchParams.get('scope')).toBe('openid offline_access funding:read_profile identity:read_account orchestration:read_orchestration orchestration:write_orchestration');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('redirect_uri')).toBe('com.partnerconsole.desktop:/oauth2/callback');
    expect(url.searchParams.get('client_secret')).toBeNull();
    expect(await h.store.accounts(serviceName(ENV))).toEqual(['op-7c1e2a']);
    expect(h.emitted.map((s) => (s as AuthState).status)).toEqual(['signingIn', 'signedIn']);
    await h.close();
  });

  it('signs in with the loopback redirect, and the listener closes after one hit', async () => {
    const h = await makeCore();
    await h.core.handlers['settings:setEnvironment']({ environment: ENV, redirect: 'loopback' });
    const { pending, url } = await beginSignIn(h);
    const redirectUri = new URL(url).searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    // The browser follows the sandbox's redirect to the app's one-time listener itself: nothing goes through the intake.
    const redirect = await login(url);
    expect(redirect.startsWith(`${redirectUri}?`)).toBe(true);
    const landing = await fetch(redirect, { signal: AbortSignal.timeout(10_000) });
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('You can close this tab');
    const result = await pending;
    expect(result.ok && result.value.status).toBe('signedIn');
    await expect(fetch(redirectUri)).rejects.toThrow();
    await h.close();
  });

  it('an environment on the conversions API asks for the conversion scopes instead', async () => {
    const h = await makeCore(undefined, { environments: sandboxEnvironments(sandbox, 'conversions') });
    const state = await signedIn(h);
    expect([...state.scopes].sort()).toEqual(['conversion:read_conversion_stablecoin', 'conversion:write_conversion_stablecoin', 'funding:read_profile', 'identity:read_account']);
    expect(new URL(h.opened[0]!).searchParams.get('scope')).toBe('openid offline_access funding:read_profile identity:read_account conversion:read_conversion_stablecoin conversion:write_conversion_stablecoin');
    await h.close();
  });

  it('grants fewer scopes when the operator unticks some', async () => {
    const h = await makeCore();
    const state = await signedIn(h, { scopes: ['funding:read_profile'] });
    expect(state.scopes).toContain('funding:read_profile');
    expect(state.scopes).not.toContain('orchestration:write_orchestration');
    await h.close();
  });
});

describe('rejected redirects', () => {
  it('drops junk links (wrong or missing state, other scheme/path, another environment) and keeps waiting', async () => {
    const h = await makeCore();
    const { pending, url } = await beginSignIn(h);
    const state = new URL(url).searchParams.get('state')!;
    const junk = [
      'com.partnerconsole.desktop:/oauth2/callback?code=abc&state=wrong',
      'com.partnerconsole.desktop:/oauth2/callback?code=abc',
      `com.partnerconsole.desktop:/other?code=abc&state=${state}`,
      `https://evil.example/oauth2/callback?code=abc&state=${state}`,
      `com.partnerconsole.desktop:/oauth2/callback?code=abc&state=${state}&state=${state}`,
      'not a url at all',
    ];
    for (const link of junk) expect(h.core.handleDeepLink(link)).toBe(false);
    expect(await h.core.handlers['auth:getState']({})).toMatchObject({ ok: true, value: { status: 'signingIn' } });
    expect(h.emitted.map((e) => e.status)).toEqual(['signingIn']);
    expect(h.logs.join('\n')).not.toContain('code=abc');
    const redirect = await login(url);
    expect(h.core.handleDeepLink(redirect)).toBe(true);
    expect((await pending).ok).toBe(true);
    // replaying the same callback after completion is dropped
    expect(h.core.handleDeepLink(redirect)).toBe(false);
    await h.close();
  });

  it('drops a callback whose iss is another issuer (RFC 9207) without exchanging its code, and keeps waiting for the real one', async () => {
    const h = await makeCore();
    const { pending, url } = await beginSignIn(h);
    const real = await login(url);
    const forged = new URL(real);
    forged.searchParams.set('iss', 'http://127.0.0.1:1');
    expect(h.core.handleDeepLink(forged.href)).toBe(false);
    expect(h.logs).toContain('auth: dropped a redirect link (issuer_mismatch)');
    expect((await h.core.handlers['auth:getState']({})).ok && (await h.core.handlers['auth:getState']({}))).toMatchObject({ value: { status: 'signingIn' } });
    expect(h.core.handleDeepLink(real)).toBe(true);
    expect((await pending).ok).toBe(true);
    await h.close();
  });

  it('reports access_denied in plain words when consent is denied', async () => {
    const h = await makeCore();
    const { pending, url } = await beginSignIn(h);
    const redirect = await login(url, { deny: true });
    h.core.handleDeepLink(redirect);
    const result = await pending;
    expect(!result.ok && result.error).toMatchObject({ code: 'access_denied', message: expect.stringMatching(/denied/) });
    await h.close();
  });

  it('ignores a callback that arrives after cancel or after the timeout', async () => {
    const h = await makeCore(undefined, { signInTimeoutMs: 1500 });
    const first = await beginSignIn(h);
    const redirect = await login(first.url);
    await h.core.handlers['auth:cancelSignIn']({});
    expect(!(await first.pending).ok).toBe(true);
    expect(h.core.handleDeepLink(redirect)).toBe(false);

    const second = await beginSignIn(h);
    const late = await login(second.url);
    const timedOut = await second.pending;
    expect(!timedOut.ok && timedOut.error.code).toBe('timeout');
    expect(h.core.handleDeepLink(late)).toBe(false);
    await h.close();
  });

  it('a second signIn while one waits joins it: no second browser tab, one outcome; after cancel a new attempt starts', async () => {
    const h = await makeCore();
    const first = await beginSignIn(h);
    const second = h.core.handlers['auth:signIn']({ environment: ENV }); // joins at once: an attempt is pending
    await h.core.handlers['auth:cancelSignIn']({});
    expect(await first.pending).toEqual(await second);
    expect(h.opened).toHaveLength(1);
    const stale = await login(first.url);
    expect(h.core.handleDeepLink(stale)).toBe(false);
    const third = await beginSignIn(h);
    expect(h.opened).toHaveLength(2);
    const fresh = await login(third.url);
    expect(h.core.handleDeepLink(fresh)).toBe(true);
    expect((await third.pending).ok).toBe(true);
    await h.close();
  });
});

describe('session', () => {
  it('restores from the stored refresh token, and sign-out revokes it and empties the store', async () => {
    const store = createMemorySecretStore();
    const a = await makeCore(store);
    await signedIn(a);
    const saved = (await store.get(serviceName(ENV), 'op-7c1e2a'))!;
    expect(saved).toBeTruthy();
    await a.close();

    const b = await makeCore(store);
    await b.core.start();
    const restored = await b.core.handlers['auth:getState']({});
    expect(restored.ok && restored.value).toMatchObject({ status: 'signedIn', subject: 'op-7c1e2a' });
    const rotated = (await store.get(serviceName(ENV), 'op-7c1e2a'))!;
    expect(rotated).not.toBe(saved); // rotation: the restore used and replaced it
    expect(await introspect(sandbox, rotated)).toBe(true);

    await b.core.handlers['auth:signOut']({});
    expect(await store.accounts(serviceName(ENV))).toEqual([]);
    expect(await introspect(sandbox, rotated)).toBe(false);
    expect(await b.core.handlers['auth:getState']({})).toEqual({ ok: true, value: { status: 'signedOut' } });
    await b.close();
  });

  it('a revoked saved session restores to signed-out with a reason and is removed', async () => {
    const store = createMemorySecretStore();
    await store.set(serviceName(ENV), 'op-7c1e2a', 'not-a-real-refresh-token');
    const h = await makeCore(store);
    await h.core.start();
    const state = await h.core.handlers['auth:getState']({});
    expect(state.ok && state.value).toMatchObject({ status: 'signedOut', reason: expect.stringMatching(/expired or was revoked/) });
    expect(await store.accounts(serviceName(ENV))).toEqual([]);
    await h.close();
  });

  it('nothing the core emits, logs or writes contains a token, from sign-in through a refresh to sign-out', async () => {
    const store = createMemorySecretStore();
    const clock = testClock();
    const h = await makeCore(store, { clock: clock.now }); // records every event and log line from here on
    await signedIn(h);
    const refreshTokens = [(await store.get(serviceName(ENV), 'op-7c1e2a'))!];
    const listed = await until(async () => {
      const r = await h.core.handlers['accounts:listProfiles']({ limit: 10, sort: 'name', direction: 'asc' });
      return r.ok && !r.value.loading ? r.value : undefined;
    });
    expect(listed.items.map((row) => row.profile.id)).toContain(ACME);
    clock.advance(2 * 3600_000); // the access token has expired on the core's clock: the next call refreshes first
    const balances = await h.core.handlers['accounts:getBalances']({ profileId: ACME, refresh: true });
    expect(balances.ok && balances.value.status).toBe('ready');
    refreshTokens.push((await store.get(serviceName(ENV), 'op-7c1e2a'))!);
    expect(refreshTokens[1]).not.toBe(refreshTokens[0]); // it did refresh (rotation)
    await h.core.handlers['auth:signOut']({});
    await until(() => (h.events.some(([name, e]) => name === 'activity:changed' && (e as { action: string }).action === 'sign_out') ? true : undefined));

    expect(new Set(h.events.map(([name]) => name))).toEqual(new Set(['auth:changed', 'accounts:changed', 'activity:changed']));
    const files = await readdir(h.dataDir);
    expect(files).toContain('activity-log.jsonl');
    const written = (await Promise.all(files.map((f) => readFile(join(h.dataDir, f), 'utf8')))).join('\n');
    const surface = JSON.stringify(h.events) + h.logs.join('\n') + written + JSON.stringify(await h.core.handlers['auth:getState']({}));
    for (const token of refreshTokens) expect(surface).not.toContain(token);
    expect(surface).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/); // no JWT (access or ID token)
    await h.close();
  });
});
