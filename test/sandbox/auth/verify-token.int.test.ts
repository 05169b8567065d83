// createTokenVerifier against live authorization servers: accepts their JWTs, rejects anything else.
import { exportJWK, generateKeyPair, SignJWT, UnsecuredJWT } from 'jose';
import type * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../../sandbox/auth/server';
import { createTokenVerifier } from '../../../sandbox/auth/verify-token';
import { OPERATORS } from '../../../sandbox/seed';
import { clientCredentials, discover } from './oauth';

const API_URL = 'http://127.0.0.1:9/v2';

let server: AuthServer;
let other: AuthServer;
let as: oauth.AuthorizationServer;
let otherAs: oauth.AuthorizationServer;

beforeAll(async () => {
  [server, other] = await Promise.all([
    startAuthServer({ apiUrl: API_URL, operators: OPERATORS }),
    startAuthServer({ apiUrl: API_URL, operators: OPERATORS }),
  ]);
  [as, otherAs] = await Promise.all([discover(server.issuer), discover(other.issuer)]);
});

afterAll(async () => {
  await Promise.all([server?.close(), other?.close()]);
});

describe('createTokenVerifier', () => {
  it('returns client, scopes and times of a valid token', async () => {
    const verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
    const tokens = await clientCredentials(as, server.tooling, 'funding:read_profile conversion:read_conversion_stablecoin');
    const verified = await verify(tokens.access_token);
    expect(verified).toEqual({
      clientId: server.tooling.client_id,
      scopes: ['funding:read_profile', 'conversion:read_conversion_stablecoin'],
      iat: expect.any(Number),
      exp: expect.any(Number),
    });
    expect(Math.abs(verified.iat - Date.now() / 1000)).toBeLessThan(5);
  });

  it('rejects a token from another sandbox, even one sharing the API audience', async () => {
    const verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
    const foreign = await clientCredentials(otherAs, other.tooling);
    await expect(verify(foreign.access_token)).rejects.toThrow();
  });

  it('rejects a token for another audience', async () => {
    const verify = createTokenVerifier({ issuer: server.issuer, audience: 'http://127.0.0.1:10/v2' });
    const tokens = await clientCredentials(as, server.tooling);
    await expect(verify(tokens.access_token)).rejects.toMatchObject({ code: 'ERR_JWT_CLAIM_VALIDATION_FAILED', claim: 'aud' });
  });

  it('rejects a tampered token', async () => {
    const verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
    const [header, payload, signature] = (await clientCredentials(as, server.tooling)).access_token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, scope: 'conversion:write_conversion_stablecoin' })).toString('base64url');
    await expect(verify(`${header}.${forged}.${signature}`)).rejects.toMatchObject({ code: 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED' });
  });

  it('rejects unsigned tokens and tokens signed with a key the issuer does not publish', async () => {
    const verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
    const claims = { client_id: 'partner-console', sub: OPERATORS[0]!.sub, scope: 'funding:read_profile' };
    const unsigned = new UnsecuredJWT(claims).setIssuer(server.issuer).setAudience(API_URL).setIssuedAt().setExpirationTime('1h').encode();
    await expect(verify(unsigned)).rejects.toThrow();

    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = (await exportJWK(publicKey)).x;
    const rogue = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', ...(kid ? { kid } : {}) })
      .setIssuer(server.issuer)
      .setAudience(API_URL)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(privateKey);
    await expect(verify(rogue)).rejects.toThrow();
  });

  it('rejects garbage', async () => {
    const verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
    await expect(verify('not-a-jwt')).rejects.toThrow();
    await expect(verify('')).rejects.toThrow();
  });
});
