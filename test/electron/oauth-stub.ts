// A minimal authorization server on 127.0.0.1 for shell and intake tests: OIDC discovery plus a token endpoint that records codes and answers invalid_grant.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface OAuthStubOptions {
  /** What discovery advertises as `authorization_endpoint` (default `${issuer}/authorize`): a port squatter's choice. */
  readonly authorizationEndpoint?: (issuer: string) => string;
}

export interface OAuthStub {
  readonly issuer: string;
  /** The `code` of every token request received, in order. */
  readonly codes: string[];
  close(): Promise<void>;
}

export async function startOAuthStub(options: OAuthStubOptions = {}): Promise<OAuthStub> {
  const codes: string[] = [];
  let issuer = '';
  const server: Server = createServer((req, res) => {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && req.url === '/.well-known/openid-configuration') {
      json(200, {
        issuer,
        authorization_endpoint: options.authorizationEndpoint?.(issuer) ?? `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        response_types_supported: ['code'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['none'],
      });
      return;
    }
    if (req.method === 'POST' && req.url === '/token') {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => {
        codes.push(new URLSearchParams(body).get('code') ?? '');
        json(400, { error: 'invalid_grant', error_description: 'stub' });
      });
      return;
    }
    json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    issuer,
    codes,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
