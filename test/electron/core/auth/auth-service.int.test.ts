// The sign-in state machine against the real sandbox: restore vs sign-in, two sign-ins at once, cancel during the code exchange, environment switches.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { serviceName } from '../../../../electron/core/auth/auth-service';
import { createMemorySecretStore, type SecretStore } from '../../../../electron/core/auth/secret-store';
import { startSandbox, type Sandbox } from '../../../../sandbox/start';
import { tokenEndpointFaults, type TokenEndpointFaults } from '../../../support/auth-faults';
import { authState, beginSignIn, type CoreHarness, type CoreHarnessOptions, coreTracker, ENV, loginOverHttp, makeCore, until } from '../../../support/core-harness';
import { createFaultyFileSystem } from '../../../support/faulty-fs';
import { gatedStore } from '../../../support/gated-store';
import { introspect } from '../../../support/introspect';
import { FAST } from '../../../support/operations-harness';

const OPS = { subject: 'op-7c1e2a', email: 'ops@partner.test', password: 'sandbox' };
const OPS2 = { subject: 'op-93bd04', email: 'ops2@partner.test', password: 'sandbox' };
const SERVICE = serviceName(ENV);

let sandbox: Sandbox;
const cores = coreTracker();

// The browser's part of each sign-in is the sandbox's real pages answered over HTTP (loginOverHttp): what is under test
// here is the core's state machine, not the pages (test/sandbox/auth/browser-flow.int.test.ts drives those in Chromium).
beforeAll(async () => {
  sandbox = await startSandbox({});
});
afterAll(async () => {
  await sandbox?.close();
});
afterEach(async () => {
  await cores.closeAll();
});

async function core(options: CoreHarnessOptions = {}): Promise<CoreHarness> {
  return cores.track(await makeCore(sandbox, { operationsTuning: FAST, ...options }));
}

const state = authState;

/** Signs in as `who`, leaving the refresh token in `store`, then closes that core (a saved session). */
async function savedSession(store: SecretStore, who: typeof OPS): Promise<string> {
  const h = await core({ store });
  const { pending, url } = await beginSignIn(h);
  h.core.handleDeepLink(await loginOverHttp(url, { email: who.email, password: who.password }));
  const r = await pending;
  if (!r.ok) throw new Error(r.error.message);
  await h.core.close();
  return (await store.get(SERVICE, who.subject))!;
}

async function signInAs(h: CoreHarness, who: typeof OPS) {
  const { pending, url } = await beginSignIn(h);
  expect(h.core.handleDeepLink(await loginOverHttp(url, { email: who.email, password: who.password }))).toBe(true);
  return pending;
}

describe('restore and sign-in', () => {
  it('a revoked saved session restoring in the background neither signs out the session created meanwhile nor deletes its token', async () => {
    const store = gatedStore(createMemorySecretStore());
    await store.set(SERVICE, OPS.subject, 'revoked-refresh-token');
    const h = await core({ store });
    store.hold();
    const starting = h.core.start(); // restore: reads the keychain (held), then refreshes
    await until(() => (store.held() > 0 ? true : undefined));
    const signedIn = await signInAs(h, OPS);
    expect(signedIn.ok && signedIn.value).toMatchObject({ status: 'signedIn', subject: OPS.subject });
    store.release();
    await starting;
    expect(await state(h)).toMatchObject({ status: 'signedIn', subject: OPS.subject });
    const token = await store.get(SERVICE, OPS.subject);
    expect(token).not.toBe('revoked-refresh-token');
    expect(await introspect(sandbox, token!)).toBe(true);
    expect((await h.core.handlers['orders:list']({ limit: 10 })).ok).toBe(true);
  });

  it("a valid saved session of another operator never replaces the operator who signed in meanwhile; it is revoked, not kept", async () => {
    const store = gatedStore(createMemorySecretStore());
    const oscar = await savedSession(store, OPS2);
    const h = await core({ store });
    store.hold();
    const starting = h.core.start();
    await until(() => (store.held() > 0 ? true : undefined));
    expect((await signInAs(h, OPS)).ok).toBe(true);
    store.release();
    await starting;
    expect(await state(h)).toMatchObject({ status: 'signedIn', subject: OPS.subject });
    expect(h.emitted.filter((s) => s.status === 'signedIn').map((s) => (s as { subject: string }).subject)).toEqual([OPS.subject]);
    expect(await store.accounts(SERVICE)).toEqual([OPS.subject]);
    expect(await introspect(sandbox, oscar)).toBe(false);
    const activity = await h.core.handlers['activity:list']({ limit: 50 });
    expect(activity.ok && activity.value.items.map((e) => `${e.operator} ${e.summary}`).join('\n')).not.toContain(OPS2.subject);
  });

  it('sign-out while a saved session is being restored: the restore is dropped, its token revoked and removed', async () => {
    const store = gatedStore(createMemorySecretStore());
    const saved = await savedSession(store, OPS);
    const h = await core({ store });
    store.hold();
    const starting = h.core.start();
    await until(() => (store.held() > 0 ? true : undefined));
    await h.core.handlers['auth:signOut']({});
    store.release();
    await starting;
    expect(await state(h)).toMatchObject({ status: 'signedOut' });
    expect(await store.accounts(SERVICE)).toEqual([]);
    expect(await introspect(sandbox, saved)).toBe(false);
  });
});

describe('one sign-in attempt at a time', () => {
  it('two sign-ins at once open one browser tab and share one outcome', async () => {
    const h = await core();
    const first = h.core.handlers['auth:signIn']({ environment: ENV });
    const second = h.core.handlers['auth:signIn']({ environment: ENV });
    const url = await until(() => h.opened[0]);
    const redirect = await loginOverHttp(url, { email: OPS.email, password: OPS.password });
    expect(h.core.handleDeepLink(redirect)).toBe(true);
    const [a, b] = await Promise.all([first, second]);
    expect(a.ok && a.value).toMatchObject({ status: 'signedIn', subject: OPS.subject });
    expect(b).toEqual(a);
    expect(h.opened).toHaveLength(1);
    expect(h.core.handleDeepLink(redirect)).toBe(false); // the one link is accepted once
  });

  it('a sign-in for another environment while one is waiting is refused and changes nothing', async () => {
    const h = await core();
    const { pending } = await beginSignIn(h);
    const other = await h.core.handlers['auth:signIn']({ environment: 'paxos-sandbox' });
    expect(!other.ok && other.error.code).toBe('conflict');
    const settings = await h.core.handlers['settings:get']({});
    expect(settings.ok && settings.value.environment).toBe(ENV);
    expect(await state(h)).toMatchObject({ status: 'signingIn', environment: ENV });
    expect(h.opened).toHaveLength(1);
    await h.core.handlers['auth:cancelSignIn']({});
    expect(!(await pending).ok).toBe(true);
  });

  it('a code exchange that completes after Cancel does not sign in, and keeps nothing', async () => {
    const faults: TokenEndpointFaults = await tokenEndpointFaults(sandbox.issuer);
    try {
      const h = await core({ dispatcher: faults.dispatcher });
      const { pending, url } = await beginSignIn(h);
      const redirect = await loginOverHttp(url, { email: OPS.email, password: OPS.password });
      faults.hold();
      expect(h.core.handleDeepLink(redirect)).toBe(true);
      await until(() => (faults.held() > 0 ? true : undefined));
      const cancelled = await h.core.handlers['auth:cancelSignIn']({});
      expect(cancelled.ok && cancelled.value).toMatchObject({ status: 'signedOut', reason: 'Sign-in was cancelled.' });
      faults.release();
      const result = await pending;
      expect(!result.ok && result.error.code).toBe('cancelled');
      await new Promise((r) => setTimeout(r, 300)); // anything the late exchange might still do
      expect(await state(h)).toMatchObject({ status: 'signedOut' });
      expect(h.emitted.some((s) => s.status === 'signedIn')).toBe(false);
      expect(await h.store.accounts(SERVICE)).toEqual([]);
      const orders = await h.core.handlers['orders:list']({ limit: 10 });
      expect(!orders.ok && orders.error.code).toBe('signed_out');
    } finally {
      await faults.close();
    }
  });
});

describe('environments while signed in', () => {
  it('auth:signIn for another environment is refused with a typed error; the session, its operations and the settings are untouched', async () => {
    const fileSystem = createFaultyFileSystem();
    const h = await core({ operationsTuning: { ...FAST, fileSystem } });
    expect((await signInAs(h, OPS)).ok).toBe(true);
    await until(async () => {
      const r = await h.core.handlers['activity:list']({ limit: 10 });
      return r.ok && r.value.items.some((e) => e.action === 'sign_in') ? true : undefined;
    });
    const refused = await h.core.handlers['auth:signIn']({ environment: 'paxos-sandbox' });
    expect(!refused.ok && refused.error).toMatchObject({ code: 'conflict', message: expect.stringMatching(/Sign out first/) });
    const switched = await h.core.handlers['settings:setEnvironment']({ environment: 'paxos-production' });
    expect(!switched.ok && switched.error.code).toBe('conflict');
    const settings = await h.core.handlers['settings:get']({});
    expect(settings.ok && settings.value.environment).toBe(ENV);
    expect(await state(h)).toMatchObject({ status: 'signedIn', environment: ENV });
    expect(h.opened).toHaveLength(1);
    expect((await h.core.handlers['orders:list']({ limit: 10 })).ok).toBe(true);
    const activity = await h.core.handlers['activity:list']({ limit: 10 });
    expect(activity.ok && activity.value.items.map((e) => `${e.environment}:${e.action}:${e.outcome}`)).toEqual([`${ENV}:sign_in:ok`]);
    expect(fileSystem.maxOpen('orders-journal.jsonl')).toBe(1);
    expect(fileSystem.maxOpen('activity-log.jsonl')).toBe(1);
  });
});
