// startSandbox and the CLI: both servers on loopback, wired so that the API accepts this issuer's tokens only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start';
import { OPERATORS, SANDBOX_PASSWORD } from '../../sandbox/seed';
import { spawnSandbox } from '../support/sandbox-process';
import { authorizeOverHttp } from './auth/http-flow';
import { authorizationRequest, clientCredentials, discover, exchangeCode } from './auth/oauth';

let sandbox: Sandbox;
let second: Sandbox;

beforeAll(async () => {
  [sandbox, second] = await Promise.all([startSandbox(), startSandbox({ accessTokenTtl: 5, seedProfiles: 3 })]);
});

afterAll(async () => {
  await Promise.all([sandbox?.close(), second?.close()]);
});

async function toolingToken(target: Sandbox): Promise<string> {
  return (await clientCredentials(await discover(target.issuer), target.tooling)).access_token;
}

function adminUrl(target: Sandbox): string {
  return `${new URL(target.api).origin}/_sandbox/chaos`;
}

describe('startSandbox', () => {
  it('listens on loopback ephemeral ports and reports issuer, api, tooling and seed', async () => {
    expect(sandbox.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(sandbox.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
    expect(new URL(sandbox.api).port).not.toBe(new URL(sandbox.issuer).port);
    expect(sandbox.tooling.client_id).toBe('sandbox-tooling');
    expect(sandbox.tooling.client_secret.length).toBeGreaterThanOrEqual(32);
    expect(sandbox.seed.operators.map((o) => o.email)).toEqual(['ops@partner.test', 'ops2@partner.test', 'idle@partner.test']);
    const as = await discover(sandbox.issuer);
    expect(as.issuer).toBe(sandbox.issuer);
  });

  it('passes accessTokenTtl and seedProfiles through', async () => {
    expect(second.seed.profiles).toHaveLength(sandbox.seed.profiles.length + 3);
    const tokens = await clientCredentials(await discover(second.issuer), second.tooling);
    expect(tokens.expires_in).toBe(5);
  });

  it('lets the tooling token through the admin endpoint of its own sandbox only', async () => {
    const [own, foreign] = await Promise.all([toolingToken(sandbox), toolingToken(second)]);
    const ok = await fetch(adminUrl(sandbox), { headers: { authorization: `Bearer ${own}` } });
    expect(ok.status).toBe(200);
    const rejected = await fetch(adminUrl(sandbox), { headers: { authorization: `Bearer ${foreign}` } });
    expect(rejected.status).toBe(401);
    expect(rejected.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
  });

  it('serves /v2 to an operator token from the sign-in flow (audience = the API URL)', async () => {
    const as = await discover(sandbox.issuer);
    const request = await authorizationRequest(as);
    const redirect = await authorizeOverHttp(request.url, { email: OPERATORS[1]!.email, password: SANDBOX_PASSWORD });
    const tokens = await exchangeCode(as, request, redirect);
    const response = await fetch(`${sandbox.api}/profiles`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { items: { id: string }[] };
    const expected = sandbox.seed.profiles.filter((p) => p.operator === OPERATORS[1]!.sub).map((p) => p.id);
    expect(body.items.map((p) => p.id).sort()).toEqual(expected.sort());
  });

  it('stops listening on close()', async () => {
    const temporary = await startSandbox();
    await temporary.close();
    await expect(fetch(new URL('.well-known/openid-configuration', temporary.issuer))).rejects.toThrow();
    await expect(fetch(`${temporary.api}/profiles`)).rejects.toThrow();
  });
});

describe('sandbox CLI', () => {
  it('prints exactly one JSON ready line on stdout and exits 0 on SIGTERM', async () => {
    const cli = await spawnSandbox(['--auth-port', '0', '--api-port', '0', '--access-token-ttl', '60']);
    let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    try {
      const { ready } = cli;
      expect(Object.keys(ready)).toEqual(['event', 'issuer', 'api', 'approvalThreshold', 'tooling', 'rateLimits']);
      // The CLI behaves like Paxos by default: the published limits, window and lockout, reported in the ready line.
      expect(ready.rateLimits).toEqual({ enabled: true, scale: 1, windowSeconds: 300, lockoutSeconds: 300, perSecond: { orders: 50, profiles: 50, balances: 50, identity: 10, sandbox: 50, token: 1, other: 50 } });
      expect(ready.event).toBe('ready');
      expect(ready.approvalThreshold).toBe('10000');
      expect(ready.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect(ready.api).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/v2$/);
      expect(Object.keys(ready.tooling)).toEqual(['client_id', 'client_secret']);
      const tokens = await clientCredentials(await discover(ready.issuer), ready.tooling);
      expect(tokens.expires_in).toBe(60);
      const admin = await fetch(`${new URL(ready.api).origin}/_sandbox/chaos`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
      expect(admin.status).toBe(200);
    } finally {
      ended = await cli.stop('SIGTERM');
    }
    expect(ended).toEqual({ code: 0, signal: null });
    expect(cli.stdout().split('\n')).toEqual([expect.stringMatching(/^\{"event":"ready",/), '']);
  });

  it('--rfc9207-iss turns on RFC 9207 (advertised in discovery)', async () => {
    const cli = await spawnSandbox(['--rfc9207-iss']);
    try {
      const as = await discover(cli.ready.issuer);
      expect(as.authorization_response_iss_parameter_supported).toBe(true);
    } finally {
      await cli.stop('SIGTERM');
    }
    const plain = await discover(sandbox.issuer);
    expect(plain.authorization_response_iss_parameter_supported).toBeUndefined();
  });

  it('--rate-limit-scale shortens the window and the lockout (0 turns limits off), reported in the ready line', async () => {
    const [scaled, off] = await Promise.all([spawnSandbox(['--rate-limit-scale', '0.01']), spawnSandbox(['--rate-limit-scale', '0'])]);
    try {
      expect(scaled.ready.rateLimits).toMatchObject({ enabled: true, scale: 0.01, windowSeconds: 3, lockoutSeconds: 3 });
      expect(off.ready.rateLimits).toEqual({ enabled: false });
    } finally {
      await Promise.all([scaled.stop('SIGTERM'), off.stop('SIGTERM')]);
    }
    await expect(spawnSandbox(['--rate-limit-scale', 'fast'])).rejects.toThrow(/exited \(code 2\)[\s\S]*--rate-limit-scale must be a number/);
  });

  it('--approval-threshold sets the amount above which orchestrations wait for approval, and reports it in the ready line', async () => {
    const cli = await spawnSandbox(['--approval-threshold', '250.5']);
    try {
      expect(cli.ready.approvalThreshold).toBe('250.5');
    } finally {
      await cli.stop('SIGTERM');
    }
    await expect(spawnSandbox(['--approval-threshold', 'lots'])).rejects.toThrow(/exited \(code 2\)[\s\S]*--approval-threshold: the approval threshold must be a decimal amount/);
  });

  it('rejects an unknown flag with a one-line error and exit code 2', async () => {
    await expect(spawnSandbox(['--no-such-flag'])).rejects.toThrow(/exited \(code 2\)[\s\S]*stderr:\nsandbox: Unknown option '--no-such-flag'.*\n$/);
  });
});
