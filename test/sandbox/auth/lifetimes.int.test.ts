// Short lifetimes: access tokens honour accessTokenTtl down to 1–2 s, authorization codes expire.
import type * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../../sandbox/auth/server';
import { createTokenVerifier } from '../../../sandbox/auth/verify-token';
import { OPERATORS, SANDBOX_PASSWORD } from '../../../sandbox/seed';
import { authorizeOverHttp } from './http-flow';
import { authorizationRequest, clientCredentials, discover, exchangeCode, oauthError } from './oauth';

const API_URL = 'http://127.0.0.1:9/v2';
const ops = OPERATORS[0]!;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Started {
  server: AuthServer;
  as: oauth.AuthorizationServer;
}

let twoSecondTokens: Started;
let oneSecondTokens: Started;
let oneSecondCodes: Started;

const logs: string[] = [];

async function start(options: { accessTokenTtl?: number; authorizationCodeTtl?: number }): Promise<Started> {
  const server = await startAuthServer({ apiUrl: API_URL, operators: OPERATORS, log: (line) => logs.push(line), ...options });
  return { server, as: await discover(server.issuer) };
}

beforeAll(async () => {
  [twoSecondTokens, oneSecondTokens, oneSecondCodes] = await Promise.all([
    start({ accessTokenTtl: 2 }),
    start({ accessTokenTtl: 1 }),
    start({ authorizationCodeTtl: 1 }),
  ]);
});

afterAll(async () => {
  await Promise.all([twoSecondTokens, oneSecondTokens, oneSecondCodes].map((s) => s?.server.close()));
});

describe('accessTokenTtl', () => {
  it('gives 1-second tokens when asked', async () => {
    const { server, as } = oneSecondTokens;
    const tokens = await clientCredentials(as, server.tooling);
    expect(tokens.expires_in).toBe(1);
    const [, payload] = tokens.access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(1);
  });

  it('makes user and tooling tokens expire after 2 seconds', async () => {
    const { server, as } = twoSecondTokens;
    const verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
    const request = await authorizationRequest(as);
    const redirect = await authorizeOverHttp(request.url, { email: ops.email, password: SANDBOX_PASSWORD });
    const [user, tooling] = await Promise.all([exchangeCode(as, request, redirect), clientCredentials(as, server.tooling)]);
    expect(user.expires_in).toBe(2);
    expect(tooling.expires_in).toBe(2);
    const verified = await verify(user.access_token);
    expect(verified.exp - verified.iat).toBe(2);
    await expect(verify(tooling.access_token)).resolves.toMatchObject({ clientId: server.tooling.client_id });

    await sleep(2100);
    await expect(verify(user.access_token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
    await expect(verify(tooling.access_token)).rejects.toMatchObject({ code: 'ERR_JWT_EXPIRED' });
  });
});

describe('authorization code lifetime', () => {
  it('rejects an expired code', async () => {
    const { as } = oneSecondCodes;
    const request = await authorizationRequest(as);
    const redirect = await authorizeOverHttp(request.url, { email: ops.email, password: SANDBOX_PASSWORD });
    await sleep(2100);
    expect((await oauthError(exchangeCode(as, request, redirect))).error).toBe('invalid_grant');
    // The response only says "grant request is invalid"; the server log names the reason (an expired
    // code is dropped from storage, so it reads "not found" once the store has noticed).
    expect(logs.some((line) => /^auth grant\.error: invalid_grant \(.*authorization code (is expired|not found)\)$/.test(line))).toBe(true);
  });
});
