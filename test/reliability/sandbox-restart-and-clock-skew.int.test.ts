// The sandbox as a separate process: restarted mid-session (new keys, no grants), and the app's clock 5 minutes off the server's.
import { createServer } from 'node:net';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { serviceName } from '../../electron/core/auth/auth-service';
import { createMemorySecretStore } from '../../electron/core/auth/secret-store';
import { authState, type CoreHarness, type CoreHarnessOptions, coreTracker, ENV, freshBalances, makeCore, signIn, until } from '../support/core-harness';
import { introspect } from '../support/introspect';
import { FAST } from '../support/operations-harness';
import { spawnSandbox, type SandboxProcess } from '../support/sandbox-process';

const SERVICE = serviceName(ENV);
const OPS = 'op-7c1e2a';
const ACME = 'a0000001-0000-4000-8000-000000000001';
const TTL_S = 2;
const figures: string[] = [];

const cores = coreTracker();
const children: SandboxProcess[] = [];

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function sandboxOn(authPort: number, apiPort: number): Promise<SandboxProcess> {
  const child = await spawnSandbox(['--auth-port', String(authPort), '--api-port', String(apiPort), '--access-token-ttl', String(TTL_S), '--settle-ms', '300']);
  children.push(child);
  return child;
}

afterAll(async () => {
  process.stdout.write(`sandbox restart and clock skew:\n${figures.map((f) => `  ${f}`).join('\n')}\n`);
});
afterEach(async () => {
  vi.useRealTimers();
  await cores.closeAll();
  await Promise.allSettled(children.splice(0).map((c) => c.stop()));
});

async function core(sandbox: SandboxProcess, options: CoreHarnessOptions = {}): Promise<CoreHarness> {
  return cores.track(await makeCore(sandbox.ready, { operationsTuning: FAST, ...options }));
}
const state = authState;
const balances = (h: CoreHarness) => freshBalances(h, ACME);
const pastExpiry = () => new Promise((r) => setTimeout(r, TTL_S * 1000 + 300));

describe('sandbox restarted mid-session', () => {
  it('while it is down calls fail retryably and the session is kept; once it is back (new keys, no grants) the app signs out with a clear reason; signing in again works; the order stays in the journal', async () => {
    const [authPort, apiPort] = [await freePort(), await freePort()];
    const first = await sandboxOn(authPort, apiPort);
    const h = await core(first);
    expect((await signIn(h)).ok).toBe(true);
    const order = await h.core.handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '3.5' });
    if (!order.ok) throw new Error(order.error.message);

    await first.stop();
    await pastExpiry();
    expect(await balances(h)).toMatch(/^error:/);
    expect(await state(h)).toMatchObject({ status: 'signedIn', subject: OPS });
    expect(await h.store.accounts(SERVICE)).toEqual([OPS]);

    const second = await sandboxOn(authPort, apiPort);
    expect(second.ready.issuer).toBe(first.ready.issuer);
    await balances(h);
    const out = await until(async () => {
      const s = await state(h);
      return s.status === 'signedOut' ? s : undefined;
    });
    expect(out).toEqual({ status: 'signedOut', reason: 'Your session expired or was revoked. Sign in again.' });
    expect(await h.store.accounts(SERVICE)).toEqual([]);

    expect((await signIn(h)).ok).toBe(true);
    expect(await balances(h)).toBe('ok');
    const listed = await h.core.handlers['orders:list']({ limit: 50 });
    expect(listed.ok && listed.value.items.map((o) => o.refId)).toContain(order.value.refId);
    figures.push('sandbox down: calls answer a retryable error, session and keychain kept; back with new keys and no grants: signed out with "expired or was revoked", keychain emptied; sign-in works again; journal keeps the order');
  });
});

describe('clock skew', () => {
  it.each([
    ['+5 min', 5],
    ['-5 min', -5],
  ])('the app’s clock %s off the server: sign-in, API calls, refresh and restore all work', async (_label, minutes) => {
    const sandbox = await sandboxOn(0, 0);
    vi.useFakeTimers({ toFake: ['Date'], shouldAdvanceTime: true, now: Date.now() + minutes * 60_000 });
    const store = createMemorySecretStore();
    const h = await core(sandbox, { store });
    expect((await signIn(h)).ok).toBe(true);
    expect(await balances(h)).toBe('ok');
    const saved = (await store.get(SERVICE, OPS))!;
    await pastExpiry();
    expect(await balances(h)).toBe('ok'); // refreshed with the skewed clock
    const rotated = (await store.get(SERVICE, OPS))!;
    expect(rotated).not.toBe(saved);
    await h.core.close();
    const again = await core(sandbox, { store });
    await again.core.start();
    expect(await state(again)).toMatchObject({ status: 'signedIn', subject: OPS });
    expect(await introspect({ issuer: sandbox.ready.issuer, tooling: sandbox.ready.tooling }, (await store.get(SERVICE, OPS))!)).toBe(true);
    figures.push(`clock ${minutes > 0 ? '+' : ''}${minutes} min: sign-in, API call, refresh after expiry and restore all succeed`);
  });
});
