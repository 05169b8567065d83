// settings.json: read once, then kept in memory (the core is its only writer); writes are atomic and land in call order.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSettingsStore } from '../../../electron/core/settings-store';

let dir: string;
const file = () => join(dir, 'settings.json');

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings store', () => {
  it('reads the file once: later changes on disk are not re-read', async () => {
    await writeFile(file(), JSON.stringify({ environment: 'paxos-sandbox', redirect: 'loopback' }));
    const store = createSettingsStore(dir);
    expect(await store.read()).toEqual({ environment: 'paxos-sandbox', redirect: 'loopback' });
    await writeFile(file(), JSON.stringify({ environment: 'paxos-production' }));
    expect(await store.read()).toEqual({ environment: 'paxos-sandbox', redirect: 'loopback' });
    await rm(file());
    expect(await store.read()).toEqual({ environment: 'paxos-sandbox', redirect: 'loopback' });
  });

  it('answers from memory after a write, and a new store (the next start) reads what was written', async () => {
    const store = createSettingsStore(dir);
    expect(await store.read()).toEqual({});
    await store.write({ environment: 'paxos-sandbox' });
    await writeFile(file(), 'not json');
    expect(await store.read()).toEqual({ environment: 'paxos-sandbox' });
    await store.write({ environment: 'sandbox-local', redirect: 'loopback' });
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({ environment: 'sandbox-local', redirect: 'loopback' });
    expect(await createSettingsStore(dir).read()).toEqual({ environment: 'sandbox-local', redirect: 'loopback' });
  });

  it('writes started together land in call order: the last one is on disk and in memory', async () => {
    const store = createSettingsStore(dir);
    await Promise.all(['a', 'b', 'c', 'd'].map((env) => store.write({ environment: `env-${env}` })));
    expect(await store.read()).toEqual({ environment: 'env-d' });
    expect(JSON.parse(await readFile(file(), 'utf8'))).toEqual({ environment: 'env-d' });
  });

  it('updates started together each land: one changes the environment, the other the redirect mode', async () => {
    const store = createSettingsStore(dir);
    await store.write({ environment: 'sandbox-local', redirect: 'custom-scheme' });
    await Promise.all([store.update({ environment: 'paxos-sandbox' }), store.update({ redirect: 'loopback' })]);
    expect(await store.read()).toEqual({ environment: 'paxos-sandbox', redirect: 'loopback' });
    expect(await createSettingsStore(dir).read()).toEqual({ environment: 'paxos-sandbox', redirect: 'loopback' });
  });

  it('starts from defaults when the file is missing, unreadable or not settings', async () => {
    expect(await createSettingsStore(dir).read()).toEqual({});
    await writeFile(file(), '{"environment": 42}');
    expect(await createSettingsStore(dir).read()).toEqual({});
  });
});
