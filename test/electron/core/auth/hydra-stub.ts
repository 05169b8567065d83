// A stand-in for Paxos's ORY Hydra on 127.0.0.1: serves the published production discovery document rebased onto loopback,
// a JWKS, and a token endpoint that checks PKCE S256 and issues an RS256 ID token carrying only the claims Hydra lists (`sub`).
import { createHash, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';

const PUBLISHED = JSON.parse(readFileSync(new URL('../../../contract/paxos-v2/oauth-discovery.production.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const PAXOS_ISSUER = 'https://oauth.paxos.com/';

export interface HydraStub {
  /** `http://127.0.0.1:P/` — with the trailing slash, as Paxos's. */
  readonly issuer: string;
  /** The discovery document as served. */
  readonly discovery: Record<string, unknown>;
  /** Call before the callback: the authorization URL the client built (its challenge and nonce are checked later). */
  authorize(url: string): { state: string; code: string };
  /** Form bodies of token requests received. */
  readonly tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

export interface HydraStubOptions {
  /** Extra discovery fields (e.g. to advertise RFC 9207 for a negative test). */
  readonly extraDiscovery?: Record<string, unknown>;
  readonly subject?: string;
}

/** The published document with every `https://oauth.paxos.com/` URL moved to `issuer`. */
function rebase(value: unknown, issuer: string): unknown {
  if (typeof value === 'string') return value.startsWith(PAXOS_ISSUER) ? issuer + value.slice(PAXOS_ISSUER.length) : value;
  if (Array.isArray(value)) return value.map((v) => rebase(v, issuer));
  return value;
}

export async function startHydraStub(options: HydraStubOptions = {}): Promise<HydraStub> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const pending = new Map<string, { challenge: string; nonce: string | null; clientId: string }>();
  const tokenRequests: URLSearchParams[] = [];
  let issuer = '';
  let discovery: Record<string, unknown> = {};

  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') return json(200, discovery);
    if (req.method === 'GET' && req.url === '/.well-known/jwks.json') return json(200, { keys: [jwk] });
    if (req.method === 'POST' && req.url === '/oauth2/token') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        tokenRequests.push(form);
        const attempt = pending.get(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const s256 = createHash('sha256').update(verifier).digest('base64url');
        if (form.get('grant_type') !== 'authorization_code' || !attempt || s256 !== attempt.challenge) return json(400, { error: 'invalid_grant' });
        pending.delete(form.get('code') ?? '');
        void new SignJWT({ ...(attempt.nonce ? { nonce: attempt.nonce } : {}) })
          .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
          .setIssuer(issuer)
          .setSubject(options.subject ?? 'operator-7f3a')
          .setAudience(attempt.clientId)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey)
          .then((idToken) =>
            json(200, { access_token: `at-${randomUUID()}`, refresh_token: `rt-${randomUUID()}`, token_type: 'bearer', expires_in: 3600, scope: 'openid offline_access funding:read_profile', id_token: idToken }),
          );
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  discovery = { ...(Object.fromEntries(Object.entries(PUBLISHED).map(([k, v]) => [k, rebase(v, issuer)]))), ...options.extraDiscovery };

  return {
    issuer,
    discovery,
    tokenRequests,
    authorize(url) {
      const u = new URL(url);
      const code = `code-${randomUUID()}`;
      pending.set(code, { challenge: u.searchParams.get('code_challenge') ?? '', nonce: u.searchParams.get('nonce'), clientId: u.searchParams.get('client_id') ?? '' });
      return { state: u.searchParams.get("state") ?? "", code };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
