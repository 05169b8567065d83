// IPC fuzz over every contract channel through register.ts's dispatch and the real core: typed errors, never a throw, no state change.
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from '../../electron/core/app-core';
import { createMemorySecretStore, type SecretStore } from '../../electron/core/auth/secret-store';
import { builtInEnvironments } from '../../electron/core/config';
import { AppErrorSchema } from '../../shared/app-error';
import { CHANNELS, channels, type Channel } from '../../shared/ipc-contract';
import { startOAuthStub, type OAuthStub } from '../electron/oauth-stub';

// The same stand-in as every other file that mocks electron: unit files share one module graph (isolate: false).
vi.mock('electron', () => import('../electron/fake-electron'));
const { dispatch, originPolicy } = await import('../../electron/ipc/register');

/** Payloads per channel and phase; FUZZ_RUNS raises it for the long form. */
const RUNS = Math.max(20, Math.round(Number(process.env['FUZZ_RUNS'] ?? 400) / 4));
const APP = 'app://partner-console';
const SENDER = { url: `${APP}/index.html`, isTopFrame: true };
const policy = originPolicy([APP]);
const REF = '6f1c7e8a-1b2c-4d3e-8f90-1234567890ab';

/** One valid request per channel, the base the near-valid payloads are mutated from. */
const VALID: Record<Channel, Record<string, unknown>> = {
  'auth:getState': {},
  'auth:signIn': { environment: 'sandbox-local' },
  'auth:cancelSignIn': {},
  'auth:signOut': {},
  'accounts:listProfiles': { limit: 10, search: 'acme', sort: 'total', direction: 'desc' },
  'accounts:getProfile': { profileId: 'p1' },
  'accounts:getBalances': { profileId: 'p1', refresh: true },
  'accounts:setVisible': { profileIds: ['p1', 'p2'] },
  'orders:submit': { kind: 'mint', profileId: 'p1', asset: 'USDP', amount: '1.00' },
  'orders:list': { profileId: 'p1', statuses: ['created'], limit: 5 },
  'orders:get': { refId: REF },
  'orders:cancel': { refId: REF },
  'activity:list': { limit: 5, before: 'x' },
  'activity:exportCsv': {},
  'limits:get': {},
  'settings:get': {},
  'settings:setEnvironment': { environment: 'paxos-sandbox', redirect: 'loopback' },
};

let stub: OAuthStub;
let dir: string;
let store: SecretStore;
let core: Core;
const opened: string[] = [];
const saved: string[] = [];
const events: string[] = [];
const figures = { payloads: 0, senders: 0, invalidRequest: 0, forbiddenSender: 0, threw: 0 };

beforeAll(async () => {
  stub = await startOAuthStub();
  dir = await mkdtemp(join(tmpdir(), 'pc-ipc-fuzz-'));
  store = createMemorySecretStore();
  core = createCore({
    environments: { environments: builtInEnvironments({ issuer: stub.issuer, api: `${stub.issuer}/v2` }) },
    secretStore: store,
    dataDir: dir,
    openExternal: async (url) => void opened.push(url),
    saveFile: async (name) => {
      saved.push(name);
      return null;
    },
  });
  for (const name of ['auth:changed', 'orders:changed', 'accounts:changed', 'activity:changed'] as const) core.events.on(name, () => void events.push(name));
});
afterAll(async () => {
  await core.close();
  await stub.close();
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(
    `ipc fuzz: ${figures.payloads} malformed payloads over ${CHANNELS.length} channels -> ${figures.invalidRequest} invalid_request; ${figures.senders} foreign senders -> ${figures.forbiddenSender} forbidden_sender; ${figures.threw} throws; no state change\n`,
  );
});

/** What a call could change: auth state, settings, keychain, browser, save dialog, events, files in the data dir. */
async function snapshot(): Promise<string> {
  const files: Record<string, string> = {};
  for (const name of (await readdir(dir)).sort()) files[name] = await readFile(join(dir, name), 'utf8');
  return JSON.stringify({
    auth: await core.handlers['auth:getState']({}),
    settings: await core.handlers['settings:get']({}),
    keychain: await store.accounts('com.partnerconsole.desktop/sandbox-local'),
    opened: opened.length,
    saved: saved.length,
    events: events.length,
    files,
  });
}

/** Payloads the channel's schema refuses: anything at all, and near-valid ones (one field broken, an extra key, a key missing …). */
function malformed(channel: Channel): fc.Arbitrary<unknown> {
  const base = VALID[channel];
  const keys = Object.keys(base);
  const hostileValue = fc.oneof(
    fc.anything({ maxDepth: 2 }),
    fc.constantFrom(null, undefined, NaN, Infinity, -1, 1e308, '', ' ', '\u0000', 'x'.repeat(10_000), [], {}, true),
    fc.string({ unit: 'binary', maxLength: 60 }),
  );
  const nearValid = fc.oneof(
    ...(keys.length ? [fc.tuple(fc.constantFrom(...keys), hostileValue).map(([k, v]) => ({ ...base, [k]: v }))] : []),
    ...(keys.length ? [fc.constantFrom(...keys).map((k) => Object.fromEntries(Object.entries(base).filter(([key]) => key !== k)))] : []),
    fc.tuple(fc.string({ minLength: 1, maxLength: 20 }), hostileValue).map(([k, v]) => ({ ...base, [`x${k}`]: v })),
    fc.constantFrom(
      JSON.parse('{"__proto__": {"polluted": true}}') as unknown,
      JSON.parse('{"constructor": {"prototype": {"polluted": true}}}') as unknown,
      { ...base, toString: 'x' },
      [base],
      JSON.stringify(base),
    ),
  );
  return fc.oneof(fc.anything({ maxDepth: 3 }), nearValid).filter((p) => !channels[channel].request.safeParse(p ?? {}).success);
}

async function call(channel: Channel, payload: unknown, sender = SENDER): Promise<{ ok: false; error: { code: string } }> {
  let result: unknown;
  try {
    result = await dispatch(core.handlers, policy, channel, sender, payload);
  } catch {
    figures.threw += 1;
    throw new Error(`${channel}: dispatch threw`);
  }
  const shape = channels[channel].response.safeParse(result);
  expect(shape.success, `${channel}: a response outside the contract`).toBe(true);
  const r = result as { ok: boolean; error?: unknown };
  expect(r.ok, `${channel}: accepted ${JSON.stringify(payload)?.slice(0, 200)}`).toBe(false);
  expect(AppErrorSchema.safeParse(r.error).success).toBe(true);
  return result as { ok: false; error: { code: string } };
}

async function fuzzChannel(channel: Channel): Promise<void> {
  const before = await snapshot();
  await fc.assert(
    fc.asyncProperty(malformed(channel), async (payload) => {
      figures.payloads += 1;
      const r = await call(channel, payload);
      expect(r.error.code).toBe('invalid_request');
      figures.invalidRequest += 1;
    }),
    { numRuns: RUNS },
  );
  // A valid payload from anywhere but the app's own top frame never reaches the core.
  const foreign = fc
    .record({ url: fc.oneof(fc.webUrl(), fc.string(), fc.constantFrom(`${APP}/index.html`, 'app://partner-console.evil/', 'file:///etc/passwd', '')), isTopFrame: fc.boolean() })
    .filter((s) => !policy(s.url, s.isTopFrame).allowed);
  await fc.assert(
    fc.asyncProperty(foreign, async (sender) => {
      figures.senders += 1;
      const r = await call(channel, VALID[channel], sender);
      expect(r.error.code).toBe('forbidden_sender');
      figures.forbiddenSender += 1;
    }),
    { numRuns: Math.max(10, Math.round(RUNS / 5)) },
  );
  expect(await snapshot(), `${channel} changed state`).toBe(before);
}

describe('IPC fuzz through register.ts dispatch', () => {
  it.each(CHANNELS.map((c) => [c]))('%s (signed out): malformed payloads and foreign senders get typed errors and change nothing', async (channel) => {
    await fuzzChannel(channel);
  });

  it('while a sign-in waits for the browser: no malformed call on any channel disturbs it', async () => {
    const pending = core.handlers['auth:signIn']({ environment: 'sandbox-local' });
    for (let i = 0; i < 500 && opened.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const waiting = await core.handlers['auth:getState']({});
    expect(waiting.ok && waiting.value.status).toBe('signingIn');
    for (const channel of CHANNELS) await fuzzChannel(channel);
    expect(await core.handlers['auth:getState']({})).toEqual(waiting);
    expect(opened).toHaveLength(1);
    await core.handlers['auth:cancelSignIn']({});
    expect(!(await pending).ok).toBe(true);
  });

  it('polluted nothing', () => {
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
