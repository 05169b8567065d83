// Faults between the app and a real authorization server: hold token requests, or send them to a loopback server answering 500.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { discover } from './discovery';

export interface TokenEndpointFaults {
  /** Give this to createCore: every request goes through it. */
  readonly dispatcher: Dispatcher;
  /** Token requests seen (including held and failed ones). */
  requests(): number;
  /** Holds every token request from now on until release(). */
  hold(): void;
  /** Lets held requests (and later ones) through. */
  release(): void;
  /** Token requests waiting in hold(). */
  held(): number;
  /** While set, token requests are answered by a loopback server with this HTTP status and body instead. */
  fail(status: number | null, body?: unknown): void;
  close(): Promise<void>;
}

/** Wraps the path of `issuer`'s token endpoint (from discovery) with hold/fail switches. */
export async function tokenEndpointFaults(issuer: string): Promise<TokenEndpointFaults> {
  const endpoint = new URL((await discover(issuer)).token_endpoint);
  let failure: { status: number; body: unknown } | null = null;
  const faultServer: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const f = failure ?? { status: 500, body: { error: 'server_error' } };
      res.writeHead(f.status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(f.body));
    });
  });
  await new Promise<void>((resolve) => faultServer.listen(0, '127.0.0.1', resolve));
  const faultOrigin = `http://127.0.0.1:${(faultServer.address() as AddressInfo).port}`;

  let count = 0;
  let gate: { promise: Promise<void>; open: () => void; waiting: number } | null = null;
  const agent = new Agent();
  const dispatcher = agent.compose((dispatch) => (opts, handler) => {
    const isToken = String(opts.origin ?? '') === endpoint.origin && opts.path.split('?')[0] === endpoint.pathname && opts.method === 'POST';
    if (!isToken) return dispatch(opts, handler);
    count += 1;
    const send = () => (failure ? dispatch({ ...opts, origin: faultOrigin }, handler) : dispatch(opts, handler));
    if (!gate) return send();
    const g = gate;
    g.waiting += 1;
    void g.promise.then(() => {
      g.waiting -= 1;
      send();
    });
    return true;
  });

  const release = () => {
    const g = gate;
    gate = null;
    g?.open();
  };

  return {
    dispatcher,
    requests: () => count,
    hold() {
      if (gate) return;
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open, waiting: 0 };
    },
    release,
    held: () => gate?.waiting ?? 0,
    fail(status, body = { error: 'server_error', error_description: 'injected' }) {
      failure = status === null ? null : { status, body };
    },
    async close() {
      release();
      await agent.close();
      await new Promise<void>((resolve) => {
        faultServer.closeAllConnections();
        faultServer.close(() => resolve());
      });
    },
  };
}

/** Revokes a refresh token at the server (RFC 7009, as the public client), as an administrator or another device would. */
export async function revokeOnServer(issuer: string, token: string, clientId = 'partner-console'): Promise<void> {
  const endpoint = (await discover(issuer)).revocation_endpoint;
  if (!endpoint) throw new Error('the server advertises no revocation endpoint');
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: 'refresh_token', client_id: clientId }),
  });
  if (!res.ok) throw new Error(`revocation failed with HTTP ${res.status}`);
}
