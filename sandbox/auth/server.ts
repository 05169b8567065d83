// Starts the authorization server on 127.0.0.1: node http server, fresh keys and secrets, interactions, oidc-provider.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import type { SeedOperator } from '../seed';
import { TOOLING_CLIENT_ID, type ToolingCredentials } from './clients';
import { createInteractionHandler } from './interactions';
import { createProvider } from './provider';

export const LOOPBACK_HOST = '127.0.0.1';

export interface AuthServerOptions {
  /** The /v2 base URL (resource indicator and token audience). */
  apiUrl: string;
  operators: readonly SeedOperator[];
  /** 0 (default) picks a free port. */
  port?: number;
  /** Access token lifetime in seconds (default 3600). */
  accessTokenTtl?: number;
  /** Authorization code lifetime in seconds (default 60). */
  authorizationCodeTtl?: number;
  /** RFC 9207 `iss` in authorization responses, advertised in discovery (default off, as on Paxos). */
  rfc9207Iss?: boolean;
  /** Rate limit of `/oauth2/token` per client IP: true means answer 429 (the sandbox's limiter, shared with the API). */
  throttleToken?: (ip: string) => boolean;
  log?: (line: string) => void;
}

export interface AuthServer {
  /** `http://127.0.0.1:{port}/` (trailing slash, like Paxos's `https://oauth.paxos.com/`) */
  issuer: string;
  port: number;
  tooling: ToolingCredentials;
  close(): Promise<void>;
}

async function generateSigningKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, kid: randomBytes(8).toString('hex'), alg: 'ES256', use: 'sig' };
}

function assertPositiveSeconds(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`${name} must be a whole number of seconds ≥ 1`);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK_HOST, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

export async function startAuthServer(options: AuthServerOptions): Promise<AuthServer> {
  const accessTokenTtl = options.accessTokenTtl ?? 3600;
  const authorizationCodeTtl = options.authorizationCodeTtl ?? 60;
  assertPositiveSeconds('accessTokenTtl', accessTokenTtl);
  assertPositiveSeconds('authorizationCodeTtl', authorizationCodeTtl);
  const log = options.log ?? (() => undefined);
  const tooling: ToolingCredentials = { client_id: TOOLING_CLIENT_ID, client_secret: randomBytes(32).toString('base64url') };
  const signingKey = await generateSigningKey();

  const server = createServer();
  const port = await listen(server, options.port ?? 0);
  const issuer = `http://${LOOPBACK_HOST}:${port}/`;
  try {
    const provider = createProvider({
      issuer,
      apiUrl: options.apiUrl,
      operators: options.operators,
      tooling,
      signingKey,
      cookieKey: randomBytes(32).toString('base64url'),
      cookieSuffix: String(port),
      accessTokenTtl,
      authorizationCodeTtl,
      rfc9207Iss: options.rfc9207Iss ?? false,
      log,
    });
    const interactions = createInteractionHandler({ provider, operators: options.operators, apiUrl: options.apiUrl, log });
    const delegate = provider.callback();
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const pathname = new URL(req.url ?? '/', issuer).pathname;
      if (pathname === '/oauth2/token' && options.throttleToken?.(req.socket.remoteAddress ?? '')) {
        // As the API's 429 (a sandbox assumption: Paxos documents neither the body nor a Retry-After for the token endpoint).
        res.writeHead(429, { 'content-type': 'application/problem+json; charset=utf-8' });
        res.end(JSON.stringify({ type: 'about:blank', title: 'Too Many Requests', status: 429, detail: 'too many requests: this IP is throttled; try again later' }));
        return;
      }
      interactions(req, res, pathname)
        .then((handled) => {
          if (!handled) delegate(req, res);
        })
        .catch((error: unknown) => {
          log(`auth request failed: ${String(error)}`);
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    });
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  return { issuer, port, tooling, close: () => closeServer(server) };
}
