// Contract: the sandbox's authorization server looks like Paxos's (Hydra discovery fields, trailing-slash issuer, no
// RFC 9207 iss unless asked), and its real tokens, obtained without `resource`, get spec-valid /v2 answers.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATORS, SANDBOX_PASSWORD } from '../../sandbox/seed';
import { startSandbox, type Sandbox } from '../../sandbox/start';
import { authorizeOverHttp } from '../sandbox/auth/http-flow';
import { authorizationRequest, discover, exchangeCode } from '../sandbox/auth/oauth';
import { recordTraffic, validateTraffic, type TrafficLog } from './openapi-contract';

const HYDRA = JSON.parse(readFileSync(new URL('./paxos-v2/oauth-discovery.production.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ops = OPERATORS[0]!;

let plain: Sandbox;
let rfc9207: Sandbox;
let traffic: TrafficLog;

beforeAll(async () => {
  [plain, rfc9207] = await Promise.all([
    startSandbox({ instrumentApi: (app) => { traffic = recordTraffic(app); } }),
    startSandbox({ rfc9207Iss: true }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain?.close(), rfc9207?.close()]);
});

const discovery = async (issuer: string) => (await (await fetch(new URL('.well-known/openid-configuration', issuer))).json()) as Record<string, unknown>;

/** Signs ops@partner.test in through the real pages; the request names API scopes but no `resource`. */
async function signIn(sandbox: Sandbox) {
  const as = await discover(sandbox.issuer);
  const request = await authorizationRequest(as);
  expect(new URL(request.url).searchParams.has('resource')).toBe(false);
  const redirect = await authorizeOverHttp(request.url, { email: ops.email, password: SANDBOX_PASSWORD });
  return { redirect, tokens: await exchangeCode(as, request, redirect) };
}

describe('discovery', () => {
  it('has exactly the field set of Paxos’s production (Hydra) document and a trailing-slash issuer', async () => {
    const document = await discovery(plain.issuer);
    expect(Object.keys(document).sort()).toEqual(Object.keys(HYDRA).sort());
    expect(HYDRA['issuer']).toBe('https://oauth.paxos.com/');
    expect(document['issuer']).toBe(plain.issuer);
    expect(plain.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    // Same endpoint paths as Hydra's, on the sandbox's origin.
    for (const field of ['authorization_endpoint', 'token_endpoint', 'jwks_uri', 'userinfo_endpoint', 'revocation_endpoint', 'end_session_endpoint']) {
      expect(new URL(String(document[field])).pathname).toBe(new URL(String(HYDRA[field])).pathname);
      expect(new URL(String(document[field])).origin).toBe(new URL(plain.issuer).origin);
    }
    expect(document['claims_supported']).toEqual(HYDRA['claims_supported']);
  });

  it('adds only authorization_response_iss_parameter_supported with the RFC 9207 flag', async () => {
    const document = await discovery(rfc9207.issuer);
    expect(Object.keys(document).sort()).toEqual([...Object.keys(HYDRA), 'authorization_response_iss_parameter_supported'].sort());
  });
});

describe('authorization responses', () => {
  it('carry no iss by default, and the code still works', async () => {
    const { redirect, tokens } = await signIn(plain);
    const params = new URL(redirect).searchParams;
    expect(params.get('code')).toBeTruthy();
    expect(params.has('iss')).toBe(false);
    expect(typeof tokens.access_token).toBe('string');
  });

  it('carry the issuer as iss with the flag', async () => {
    const { redirect } = await signIn(rfc9207);
    expect(new URL(redirect).searchParams.get('iss')).toBe(rfc9207.issuer);
  });
});

describe('a signed-in operator’s calls (token obtained without resource)', () => {
  it('get answers that validate against the spec', async () => {
    const { tokens } = await signIn(plain);
    const get = async (path: string) => (await fetch(`${plain.api}${path}`, { headers: { authorization: `Bearer ${tokens.access_token}` } })).status;
    const blue = plain.seed.profiles[1]!;
    expect([
      await get('/profiles'),
      await get('/identity/accounts'),
      await get(`/profiles/${blue.id}/balances?assets=USD&assets=PAXG`),
      await get(`/identity/accounts/${blue.account_id!}`),
      await get('/conversion/stablecoins?limit=5'),
      await get('/profiles?statuses=CREATED'),
    ]).toEqual([200, 200, 200, 200, 200, 400]);
    const exchanges = traffic.completed();
    expect(exchanges).toHaveLength(6);
    expect(validateTraffic(exchanges, { requests: false })).toEqual([]);
  });
});
