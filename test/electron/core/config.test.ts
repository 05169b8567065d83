// Environments: built-ins always present (sandbox-local in packaged builds only when started with one); a bad user file is reported and ignored.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInEnvironments, defaultScopes, loadEnvironments, localSandboxFromEnv, parseEnvironmentsFile, summarize } from '../../../electron/core/config';

const builtIns = builtInEnvironments({ issuer: 'http://127.0.0.1:5000', api: 'http://127.0.0.1:5001/v2' });
const custom = { id: 'acme-staging', label: 'Acme staging', issuer: 'https://auth.acme.example', apiBase: 'https://api.acme.example/v2', clientId: 'pc-acme' };

describe('environments', () => {
  it('has the three built-ins, sandbox-local first and pointed at the running sandbox, with no client secret', () => {
    expect(builtIns.map((e) => e.id)).toEqual(['sandbox-local', 'paxos-sandbox', 'paxos-production']);
    expect(builtIns[0]).toMatchObject({ issuer: 'http://127.0.0.1:5000', apiBase: 'http://127.0.0.1:5001/v2' });
    expect(builtIns[2]).toMatchObject({ issuer: 'https://oauth.paxos.com/', apiBase: 'https://api.paxos.com/v2' });
    expect(JSON.stringify(builtIns)).not.toMatch(/secret/i);
  });

  it('adds valid custom environments', () => {
    const r = parseEnvironmentsFile(JSON.stringify({ environments: [custom] }), builtIns);
    expect(r.issue).toBeUndefined();
    expect(r.environments.at(-1)).toMatchObject({ ...custom, kind: 'custom' });
  });

  it.each([
    [{ environments: [{ ...custom, issuer: 'http://auth.acme.example' }] }, 'environments.0.issuer'],
    [{ environments: [{ ...custom, id: 'Bad Id' }] }, 'environments.0.id'],
    [{ environments: [{ ...custom, clientSecret: 'x' }] }, 'environments.0'],
    [{ environments: [custom, { ...custom, id: 'sandbox-local' }] }, 'environments.1.id'],
    [{ envs: [] }, 'environments'],
    [[custom], '(top level)'],
  ])('reports a bad file naming the field (%#) and keeps only the built-ins', (file, field) => {
    const r = parseEnvironmentsFile(JSON.stringify(file), builtIns);
    expect(r.issue).toContain(field);
    expect(r.environments).toEqual(builtIns);
  });

  it('treats a missing file as no custom environments and reports unreadable JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-config-'));
    expect(await loadEnvironments(join(dir, 'none.json'))).toEqual({ environments: builtInEnvironments() });
    await writeFile(join(dir, 'bad.json'), '{ nope');
    const r = await loadEnvironments(join(dir, 'bad.json'));
    expect(r.issue).toMatch(/not valid JSON/);
  });

  it.each([
    ['https://oauth.paxos.com', 'https://api.acme.example/v2'],
    ['https://oauth.paxos.com/', 'https://api.paxos.com/v2'],
    ['https://OAuth.Paxos.com:443/', 'https://api.acme.example/v2'],
    ['https://oauth.paxos.com./', 'https://api.acme.example/v2'],
    ['https://oauth.sandbox.paxos.com', 'https://api.acme.example/v2'],
    ['https://oauth.sandbox.paxos.com/some/path', 'https://api.sandbox.paxos.com/v2'],
  ])('refuses a custom environment that reuses a Paxos issuer (%s, api %s): Paxos is reached only through the built-ins', (issuer, apiBase) => {
    const r = parseEnvironmentsFile(JSON.stringify({ environments: [{ ...custom, issuer, apiBase, clientId: 'partner-console' }] }), builtIns);
    expect(r.issue).toMatch(/environments\.0\.issuer is a Paxos sign-in server/);
    expect(r.environments).toEqual(builtIns);
  });

  it('lists extra authorization origins of a custom environment only as https origins', () => {
    const ok = parseEnvironmentsFile(JSON.stringify({ environments: [{ ...custom, authorizationOrigins: ['https://login.acme.example'] }] }), builtIns);
    expect(ok.issue).toBeUndefined();
    expect(ok.environments.at(-1)).toMatchObject({ authorizationOrigins: ['https://login.acme.example'] });
    for (const bad of ['http://login.acme.example', 'file:///x', 'https://login.acme.example/path']) {
      const r = parseEnvironmentsFile(JSON.stringify({ environments: [{ ...custom, authorizationOrigins: [bad] }] }), builtIns);
      expect(r.issue, bad).toContain('environments.0.authorizationOrigins.0');
    }
  });

  it('takes rate-limit overrides of a custom environment, and names the field of a bad one', () => {
    const rateLimits = { windowSeconds: 60, lockoutSeconds: 120, margin: 0.3, perSecond: { balances: 20, token: 0.5 } };
    const ok = parseEnvironmentsFile(JSON.stringify({ environments: [{ ...custom, rateLimits }] }), builtIns);
    expect(ok.issue).toBeUndefined();
    expect(ok.environments.at(-1)).toMatchObject({ rateLimits });
    const bad = parseEnvironmentsFile(JSON.stringify({ environments: [{ ...custom, rateLimits: { perSecond: { balances: -1 } } }] }), builtIns);
    expect(bad.issue).toContain('environments.0.rateLimits.perSecond.balances');
    expect(bad.environments).toEqual(builtIns);
    // The built-ins keep the published limits; the local sandbox takes the scaled ones it runs with.
    expect(builtIns.every((e) => e.rateLimits === undefined)).toBe(true);
    expect(builtInEnvironments({ issuer: 'http://127.0.0.1:1/', api: 'http://127.0.0.1:2/v2', rateLimits: { windowSeconds: 3 } })[0]).toMatchObject({ id: 'sandbox-local', rateLimits: { windowSeconds: 3 } });
  });
});

describe('packaged builds', () => {
  const started = { issuer: 'http://127.0.0.1:5000', api: 'http://127.0.0.1:5001/v2' };

  it('never list sandbox-local (a packaged build is never started with the sandbox) nor fall back to 127.0.0.1:4010', () => {
    expect(builtInEnvironments(undefined, { packaged: true }).map((e) => e.id)).toEqual(['paxos-sandbox', 'paxos-production']);
    expect(builtInEnvironments(started, { packaged: true }).map((e) => e.id)).toEqual(['paxos-sandbox', 'paxos-production']);
    expect(builtInEnvironments().map((e) => e.id)).toEqual(['sandbox-local', 'paxos-sandbox', 'paxos-production']); // development
  });

  it('ignore the PARTNER_CONSOLE_SANDBOX_* variables', () => {
    const env = { PARTNER_CONSOLE_SANDBOX_ISSUER: started.issuer, PARTNER_CONSOLE_SANDBOX_API: started.api };
    expect(localSandboxFromEnv(env, { packaged: true })).toBeUndefined();
    expect(localSandboxFromEnv(env, { packaged: false })).toEqual(started);
    expect(localSandboxFromEnv({ PARTNER_CONSOLE_SANDBOX_ISSUER: 'file:///x', PARTNER_CONSOLE_SANDBOX_API: started.api }, { packaged: false })).toBeUndefined();
    expect(localSandboxFromEnv({ PARTNER_CONSOLE_SANDBOX_ISSUER: 'https://evil.example', PARTNER_CONSOLE_SANDBOX_API: started.api }, { packaged: false })).toBeUndefined();
  });
});

describe('orders API per environment', () => {
  const ORCHESTRATION_SCOPES = ['openid', 'offline_access', 'funding:read_profile', 'identity:read_account', 'orchestration:read_orchestration', 'orchestration:write_orchestration'];
  const CONVERSION_SCOPES = ['openid', 'offline_access', 'funding:read_profile', 'identity:read_account', 'conversion:read_conversion_stablecoin', 'conversion:write_conversion_stablecoin'];

  it('built-ins go through orchestrations and request its scopes; the renderer sees which API', () => {
    for (const e of builtIns) expect(e, e.id).toMatchObject({ ordersApi: 'orchestrations', scopes: ORCHESTRATION_SCOPES });
    expect(summarize(builtIns[1]!)).toEqual({ id: 'paxos-sandbox', label: 'Paxos sandbox', kind: 'paxos-sandbox', issuer: 'https://oauth.sandbox.paxos.com/', apiBase: 'https://api.sandbox.paxos.com/v2', ordersApi: 'orchestrations' });
    expect(defaultScopes('conversions')).toEqual(CONVERSION_SCOPES);
  });

  it('a custom environment says which API it uses (default orchestrations) and requests that API’s scopes unless it lists its own', () => {
    const r = parseEnvironmentsFile(
      JSON.stringify({ environments: [{ ...custom, ordersApi: 'conversions' }, { ...custom, id: 'acme-new' }, { ...custom, id: 'acme-own', ordersApi: 'conversions', scopes: ['openid', 'x:y'] }] }),
      builtIns,
    );
    expect(r.issue).toBeUndefined();
    expect(r.environments.slice(-3).map((e) => [e.id, e.ordersApi, e.scopes])).toEqual([
      ['acme-staging', 'conversions', CONVERSION_SCOPES],
      ['acme-new', 'orchestrations', ORCHESTRATION_SCOPES],
      ['acme-own', 'conversions', ['openid', 'x:y']],
    ]);
    const bad = parseEnvironmentsFile(JSON.stringify({ environments: [{ ...custom, ordersApi: 'quotes' }] }), builtIns);
    expect(bad.issue).toContain('environments.0.ordersApi');
    expect(bad.environments).toEqual(builtIns);
  });

  it('the file may switch a built-in to conversions (an existing customer) — and nothing else about it', () => {
    const r = parseEnvironmentsFile(JSON.stringify({ environments: [], builtIns: { 'paxos-production': { ordersApi: 'conversions' } } }), builtIns);
    expect(r.issue).toBeUndefined();
    expect(r.environments.map((e) => [e.id, e.ordersApi])).toEqual([['sandbox-local', 'orchestrations'], ['paxos-sandbox', 'orchestrations'], ['paxos-production', 'conversions']]);
    expect(r.environments[2]).toMatchObject({ issuer: 'https://oauth.paxos.com/', apiBase: 'https://api.paxos.com/v2', scopes: CONVERSION_SCOPES });
    for (const [file, field] of [
      [{ environments: [], builtIns: { 'paxos-production': { ordersApi: 'conversions', apiBase: 'https://evil.example/v2' } } }, 'builtIns.paxos-production'],
      [{ environments: [], builtIns: { 'acme-staging': { ordersApi: 'conversions' } } }, 'builtIns.acme-staging'],
      [{ environments: [], builtIns: { 'paxos-production': { ordersApi: 'fast' } } }, 'builtIns.paxos-production.ordersApi'],
    ] as const) {
      const refused = parseEnvironmentsFile(JSON.stringify(file), builtIns);
      expect(refused.issue, field).toContain(field);
      expect(refused.environments).toEqual(builtIns);
    }
  });

  it('only the local sandbox knows an approval threshold: from its ready line through PARTNER_CONSOLE_SANDBOX_APPROVAL_THRESHOLD', () => {
    const env = { PARTNER_CONSOLE_SANDBOX_ISSUER: 'http://127.0.0.1:5000', PARTNER_CONSOLE_SANDBOX_API: 'http://127.0.0.1:5001/v2', PARTNER_CONSOLE_SANDBOX_APPROVAL_THRESHOLD: '10000' };
    const local = localSandboxFromEnv(env, { packaged: false });
    expect(local).toEqual({ issuer: env.PARTNER_CONSOLE_SANDBOX_ISSUER, api: env.PARTNER_CONSOLE_SANDBOX_API, approvalThreshold: '10000' });
    const [sandbox, ...paxos] = builtInEnvironments(local);
    expect(summarize(sandbox!)).toMatchObject({ id: 'sandbox-local', approvalThreshold: '10000' });
    for (const e of paxos) expect(summarize(e)).not.toHaveProperty('approvalThreshold');
    expect(localSandboxFromEnv({ ...env, PARTNER_CONSOLE_SANDBOX_APPROVAL_THRESHOLD: '1e4' }, { packaged: false })).not.toHaveProperty('approvalThreshold');
    expect(builtInEnvironments({ ...local!, approvalThreshold: '-5' })[0]).not.toHaveProperty('approvalThreshold');
  });
});
