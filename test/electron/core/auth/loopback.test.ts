// Loopback redirect listener: only the callback with the pending attempt's state closes it; anything else gets 400 and it keeps listening.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../../electron/core/app-core';
import { createMemorySecretStore } from '../../../../electron/core/auth/secret-store';
import { builtInEnvironments } from '../../../../electron/core/config';
import { startOAuthStub, type OAuthStub } from '../../oauth-stub';

let stub: OAuthStub;
let dir: string;
let core: Core;
let opened: string[];
let logs: string[];

beforeEach(async () => {
  stub = await startOAuthStub();
  dir = await mkdtemp(join(tmpdir(), 'pc-loopback-'));
  opened = [];
  logs = [];
  core = createCore({
    environments: { environments: builtInEnvironments({ issuer: stub.issuer, api: `${stub.issuer}/v2` }) },
    secretStore: createMemorySecretStore(),
    dataDir: dir,
    openExternal: async (url) => void opened.push(url),
    log: (line) => logs.push(line),
    signInTimeoutMs: 10_000,
  });
  await core.handlers['settings:setEnvironment']({ environment: 'sandbox-local', redirect: 'loopback' });
});
afterEach(async () => {
  await core.close();
  await stub.close();
  await rm(dir, { recursive: true, force: true });
});

async function begin() {
  const pending = core.handlers['auth:signIn']({ environment: 'sandbox-local' });
  for (let i = 0; i < 500 && opened.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  const authorize = new URL(opened[0]!);
  return { pending, redirectUri: authorize.searchParams.get('redirect_uri')!, state: authorize.searchParams.get('state')! };
}

const get = async (url: string) => {
  const res = await request(url, { method: 'GET' });
  await res.body.dump();
  return res.statusCode;
};

describe('loopback listener', () => {
  it('answers 400 to callbacks that are not for the pending attempt and keeps listening for the real one', async () => {
    const { pending, redirectUri, state } = await begin();
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    const junk = [
      `${redirectUri}?code=forged&state=wrong`,
      `${redirectUri}?code=forged`,
      `${redirectUri}?state=${state}`,
      `${redirectUri}?code=forged&state=${state}&state=${state}`,
      `${redirectUri}?code=forged&state=${state}&iss=${encodeURIComponent('https://oauth.paxos.com/')}`,
    ];
    for (const url of junk) expect(await get(url), url).toBe(400);
    expect(await get(redirectUri.replace('/oauth2/callback', '/other'))).toBe(404);
    expect((await core.handlers['auth:getState']({})).ok && (await core.handlers['auth:getState']({}))).toMatchObject({ value: { status: 'signingIn' } });

    expect(await get(`${redirectUri}?code=the-real-code&state=${state}`)).toBe(200);
    const result = await pending;
    expect(stub.codes).toEqual(['the-real-code']); // only the matching callback reached the token endpoint
    expect(!result.ok && result.error.code).toBe('sign_in_failed'); // the stub answers invalid_grant
    await expect(get(`${redirectUri}?code=again&state=${state}`)).rejects.toThrow(); // closed after the match
    expect(logs.join('\n')).not.toMatch(/forged|wrong/);
  });

  it('closes on cancel', async () => {
    const { pending, redirectUri, state } = await begin();
    await core.handlers['auth:cancelSignIn']({});
    expect(!(await pending).ok).toBe(true);
    await expect(get(`${redirectUri}?code=late&state=${state}`)).rejects.toThrow();
    expect(stub.codes).toEqual([]);
  });
});
