// The authorization URL from discovery reaches the system browser only if it is https (http on loopback for a loopback issuer) on the issuer's origin.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../../../electron/core/app-core';
import { checkAuthorizationUrl } from '../../../../electron/core/auth/authorize-url';
import { createMemorySecretStore } from '../../../../electron/core/auth/secret-store';
import { builtInEnvironments, type Environment } from '../../../../electron/core/config';
import { startOAuthStub, type OAuthStub } from '../../oauth-stub';

const paxos = builtInEnvironments().find((e) => e.id === 'paxos-production')!;
const local: Environment = { ...builtInEnvironments({ issuer: 'http://127.0.0.1:4010', api: 'http://127.0.0.1:4011/v2' })[0]! };

describe('checkAuthorizationUrl', () => {
  it.each([
    ['https://oauth.paxos.com/oauth2/auth?client_id=x', paxos],
    ['https://OAUTH.paxos.com:443/oauth2/auth', paxos],
    ['http://127.0.0.1:4010/oauth2/auth?x=1', local],
  ])('allows %s', (url, env) => {
    expect(checkAuthorizationUrl(url, env)).toEqual({ ok: true });
  });

  it.each([
    ['file:///etc/passwd', paxos, 'scheme_not_allowed'],
    ['smb://oauth.paxos.com/share', paxos, 'scheme_not_allowed'],
    ['search-ms:query=x&crumb=location:%5C%5Cevil%5Cshare', paxos, 'scheme_not_allowed'],
    ['javascript:alert(1)', paxos, 'scheme_not_allowed'],
    ['http://oauth.paxos.com/oauth2/auth', paxos, 'scheme_not_allowed'],
    ['https://evil.example/oauth2/auth', paxos, 'origin_not_allowed'],
    ['https://oauth.paxos.com.evil.example/oauth2/auth', paxos, 'origin_not_allowed'],
    ['https://oauth.paxos.com:8443/oauth2/auth', paxos, 'origin_not_allowed'],
    ['https://user:pw@oauth.paxos.com/oauth2/auth', paxos, 'credentials_in_url'],
    ['http://127.0.0.1:1/oauth2/auth', local, 'origin_not_allowed'],
    ['http://192.168.1.10:4010/oauth2/auth', local, 'scheme_not_allowed'],
    ['not a url', paxos, 'not_a_url'],
  ])('refuses %s', (url, env, reason) => {
    expect(checkAuthorizationUrl(url, env)).toEqual({ ok: false, reason });
  });

  it('allows another https origin only when the environment lists it', () => {
    const env: Environment = { ...paxos, id: 'acme', kind: 'custom', issuer: 'https://id.acme.example', authorizationOrigins: ['https://login.acme.example'] };
    expect(checkAuthorizationUrl('https://login.acme.example/authorize', env)).toEqual({ ok: true });
    expect(checkAuthorizationUrl('https://other.acme.example/authorize', env)).toEqual({ ok: false, reason: 'origin_not_allowed' });
  });
});

describe('sign-in against a process squatting the sandbox port', () => {
  let stub: OAuthStub | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await stub?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['file:///etc/passwd', 'file'],
    ['smb://attacker.example/share', 'smb'],
    ['search-ms:query=invoice&crumb=location:%5C%5Cattacker.example%5Cshare', 'search-ms'],
    ['https://attacker.example/authorize', 'another origin'],
  ])('never opens %s (%s) and ends the attempt with a config error', async (endpoint) => {
    stub = await startOAuthStub({ authorizationEndpoint: () => endpoint });
    dir = await mkdtemp(join(tmpdir(), 'pc-authz-'));
    const opened: string[] = [];
    const logs: string[] = [];
    const core = createCore({
      environments: { environments: builtInEnvironments({ issuer: stub.issuer, api: `${stub.issuer}/v2` }) },
      secretStore: createMemorySecretStore(),
      dataDir: dir,
      openExternal: async (url) => void opened.push(url),
      log: (line) => logs.push(line),
    });
    const result = await core.handlers['auth:signIn']({ environment: 'sandbox-local' });
    expect(opened).toEqual([]);
    expect(!result.ok && result.error).toMatchObject({ code: 'config', message: expect.stringMatching(/will not open/) });
    expect((await core.handlers['auth:getState']({})).ok && (await core.handlers['auth:getState']({}))).toMatchObject({ value: { status: 'signedOut' } });
    expect(logs.join('\n')).not.toContain(endpoint.slice(0, 12));
    await core.close();
  });
});
