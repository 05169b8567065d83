// createCore wiring against the real sandbox: operations follow the session, sign-in/out/expiry are audited, CSV export goes through saveFile.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEntry } from '../../../shared/domain';
import type { SaveFile } from '../../../electron/core/app-core';
import { serviceName } from '../../../electron/core/auth/auth-service';
import { createMemorySecretStore } from '../../../electron/core/auth/secret-store';
import { DEFAULT_CLIENT_ID } from '../../../electron/core/config';
import { startSandbox, type Sandbox } from '../../../sandbox/start';
import { ENV, makeCore as makeTestCore, signIn as signInOverHttp, testClock, until, type CoreHarness, type CoreHarnessOptions } from '../../support/core-harness';
import { FAST } from '../../support/operations-harness';

const ACME = 'a0000001-0000-4000-8000-000000000001';
let sandbox: Sandbox;

type Harness = CoreHarness;
const makeCore = (options: CoreHarnessOptions = {}) => makeTestCore(sandbox, { operationsTuning: FAST, ...options });
const signIn = (h: Harness, opts: { deny?: boolean } = {}) => signInOverHttp(h, opts);

async function activity(h: Harness): Promise<ActivityEntry[]> {
  const res = await h.core.handlers['activity:list']({ limit: 1000 });
  if (!res.ok) throw new Error(res.error.message);
  return res.value.items;
}

const actions = (items: ActivityEntry[]) => items.map((e) => `${e.action}:${e.outcome}`).reverse();

beforeAll(async () => {
  sandbox = await startSandbox({ settleMs: 300 });
});
afterAll(async () => {
  await sandbox?.close();
});

describe('createCore wires operations to the session', () => {
  it('signed out: account and order channels answer signed_out and send nothing; the activity log still lists', async () => {
    const h = await makeCore();
    const profiles = await h.core.handlers['accounts:listProfiles']({ limit: 10, sort: 'name', direction: 'asc' });
    expect(!profiles.ok && profiles.error.code).toBe('signed_out');
    const submit = await h.core.handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '1.00' });
    expect(!submit.ok && submit.error.code).toBe('signed_out');
    expect(await activity(h)).toEqual([]);
    await h.close();
  });

  it('after sign-in: profiles and balances load, a mint settles, and sign-in, order and sign-out are in the activity log', async () => {
    const h = await makeCore();
    const signedIn = await signIn(h);
    expect(signedIn.ok && signedIn.value.status).toBe('signedIn');
    const profiles = await until(async () => {
      const r = await h.core.handlers['accounts:listProfiles']({ limit: 10, sort: 'name', direction: 'asc' });
      return r.ok && r.value.items.length > 0 ? r.value : undefined;
    });
    expect(profiles.items.map((r) => r.profile.nickname)).toContain('Acme Treasury');
    const submitted = await h.core.handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '12.34' });
    if (!submitted.ok) throw new Error(submitted.error.message);
    const settled = await until(async () => {
      const r = await h.core.handlers['orders:get']({ refId: submitted.value.refId });
      return r.ok && r.value.status === 'settled' ? r.value : undefined;
    });
    expect(settled).toMatchObject({ kind: 'mint', asset: 'USDP', amount: '12.34' });
    await h.core.handlers['auth:signOut']({});
    const after = await h.core.handlers['accounts:listProfiles']({ limit: 10, sort: 'name', direction: 'asc' });
    expect(!after.ok && after.error.code).toBe('signed_out');
    const log = await until(async () => {
      const items = await activity(h);
      return items.some((e) => e.action === 'sign_out') ? items : undefined;
    });
    expect(actions(log)).toEqual(['sign_in:ok', 'order_submit:ok', 'order_result:ok', 'sign_out:ok']);
    expect(log.every((e) => e.operator === 'op-7c1e2a' && e.environment === ENV)).toBe(true);
    await h.close();
  });

  it('a denied consent is audited as a failed sign-in', async () => {
    const h = await makeCore();
    const result = await signIn(h, { deny: true });
    expect(!result.ok && result.error.code).toBe('access_denied');
    const log = await until(async () => ((await activity(h)).length ? activity(h) : undefined));
    expect(actions(log)).toEqual(['sign_in:error']);
    await h.close();
  });

  it('a session that ends on its own is audited as expired, and the saved session restores on restart', async () => {
    const store = createMemorySecretStore();
    const dataDir = await mkdtemp(join(tmpdir(), 'pc-core-restart-'));
    const first = await makeCore({ store, dataDir });
    await signIn(first);
    await first.close();

    const clock = testClock();
    const second = await makeCore({ store, dataDir, clock: clock.now });
    await second.core.start();
    const state = await second.core.handlers['auth:getState']({});
    expect(state.ok && state.value.status).toBe('signedIn');
    // Revoke the grant behind the app's back (as an admin would), then let the access token run out (on the core's clock).
    const refresh = (await store.get(serviceName(ENV), 'op-7c1e2a'))!;
    const revoked = await fetch(new URL('oauth2/revoke', sandbox.issuer), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refresh, client_id: DEFAULT_CLIENT_ID }),
    });
    expect(revoked.status).toBe(200);
    clock.advance(2 * 3600_000);
    const balances = await second.core.handlers['accounts:getBalances']({ profileId: ACME, refresh: true });
    expect(!balances.ok && balances.error.code).toBe('session_expired');
    const log = await until(async () => {
      const items = await activity(second);
      return items.some((e) => e.action === 'session_expired') ? items : undefined;
    });
    // The first core's sign-in, the restore, then the expiry: one log across restarts.
    expect(actions(log)).toEqual(['sign_in:ok', 'sign_in:ok', 'session_expired:error']);
    expect(log.map((e) => e.summary).reverse().slice(0, 2)).toEqual(['Signed in as op-7c1e2a', 'Saved session restored for op-7c1e2a']);
    expect(await second.core.handlers['auth:getState']({})).toMatchObject({ ok: true, value: { status: 'signedOut', reason: expect.stringMatching(/expired or was revoked/) } });
    await second.close();
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe('settings', () => {
  it('are read once and kept in memory (the core is the only writer of settings.json)', async () => {
    const h = await makeCore();
    const set = await h.core.handlers['settings:setEnvironment']({ environment: 'paxos-sandbox', redirect: 'loopback' });
    expect(set.ok && set.value).toMatchObject({ environment: 'paxos-sandbox', redirect: 'loopback' });
    expect(JSON.parse(await readFile(join(h.dataDir, 'settings.json'), 'utf8'))).toEqual({ environment: 'paxos-sandbox', redirect: 'loopback' });
    await writeFile(join(h.dataDir, 'settings.json'), JSON.stringify({ environment: 'paxos-production' })); // not the core's doing
    const got = await h.core.handlers['settings:get']({});
    expect(got.ok && got.value).toMatchObject({ environment: 'paxos-sandbox', redirect: 'loopback' });
    await h.close();
  });

  it('an environment change and a redirect change made together both land', async () => {
    const h = await makeCore();
    await Promise.all([
      h.core.handlers['settings:setEnvironment']({ environment: 'paxos-sandbox' }),
      h.core.handlers['settings:setEnvironment']({ environment: 'paxos-sandbox', redirect: 'loopback' }),
      h.core.handlers['settings:setEnvironment']({ environment: 'paxos-production' }),
    ]);
    const got = await h.core.handlers['settings:get']({});
    expect(got.ok && got.value).toMatchObject({ environment: 'paxos-production', redirect: 'loopback' });
    await h.close();
  });
});

describe('activity:exportCsv', () => {
  it('saves the log where the operator chose, reports a cancelled dialog, and turns a write failure into a storage error', async () => {
    const saved: Array<{ name: string; contents: string }> = [];
    let answer: 'save' | 'cancel' | 'fail' = 'save';
    const saveFile: SaveFile = async (name, contents) => {
      if (answer === 'cancel') return null;
      if (answer === 'fail') throw Object.assign(new Error('EACCES: permission denied, open /secret/path'), { code: 'EACCES' });
      saved.push({ name, contents });
      return { path: `/chosen/${name}` };
    };
    const h = await makeCore({ saveFile });
    await signIn(h);
    await until(async () => ((await activity(h)).length ? true : undefined));

    const ok = await h.core.handlers['activity:exportCsv']({});
    expect(ok.ok && ok.value).toMatchObject({ status: 'saved', rows: 1 });
    expect(saved[0]!.name).toMatch(/^partner-console-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    expect(saved[0]!.contents.split('\r\n')[0]).toBe('time,operator,environment,action,outcome,summary,ref_id,id');
    expect(saved[0]!.contents).toContain(',op-7c1e2a,sandbox-local,sign_in,ok,');

    answer = 'cancel';
    const cancelled = await h.core.handlers['activity:exportCsv']({});
    expect(cancelled.ok && cancelled.value).toEqual({ status: 'cancelled' });

    answer = 'fail';
    const failed = await h.core.handlers['activity:exportCsv']({});
    expect(!failed.ok && failed.error.code).toBe('storage');
    expect(!failed.ok && failed.error.message).not.toContain('/secret/path');
    await h.close();
  });

  it('without a save hook the channel says it is unavailable', async () => {
    const h = await makeCore();
    const res = await h.core.handlers['activity:exportCsv']({});
    expect(!res.ok && res.error.code).toBe('unavailable');
    await h.close();
  });

  it('the activity file holds no token', async () => {
    const store = createMemorySecretStore();
    const h = await makeCore({ store });
    await signIn(h);
    const refresh = (await store.get(serviceName(ENV), 'op-7c1e2a'))!;
    await h.core.handlers['auth:signOut']({});
    await until(async () => ((await activity(h)).some((e) => e.action === 'sign_out') ? true : undefined));
    const text = await readFile(join(h.dataDir, 'activity-log.jsonl'), 'utf8');
    expect(text).toContain('sign_out');
    expect(text).not.toContain(refresh);
    await h.close();
  });
});
