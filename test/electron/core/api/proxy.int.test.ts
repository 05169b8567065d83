// EnvHttpProxyAgent: requests go through a local CONNECT / forward proxy, NO_PROXY bypasses it, a refusing proxy is a typed error.
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiDispatcher, type ProxySettings } from '../../../../electron/core/api/dispatcher';
import { createApiClient } from '../../../../electron/core/api/http-client';
import { createPaxosApi } from '../../../../electron/core/api/paxos-api';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';

interface TestProxy {
  readonly url: string;
  /** CONNECT targets, one per tunnel. */
  readonly tunnels: string[];
  /** Absolute-URI requests forwarded without a tunnel. */
  readonly forwarded: string[];
  /** HTTP requests seen inside tunnels (request lines). */
  tunneledRequests(): number;
  refuseConnect(refuse: boolean): void;
  close(): Promise<void>;
}

/** A tiny loopback proxy: CONNECT tunnels (to 127.0.0.1 only) and plain HTTP forwarding, counting what passes. */
async function startProxy(): Promise<TestProxy> {
  const tunnels: string[] = [];
  const forwarded: string[] = [];
  const sockets = new Set<Socket>();
  let tunneled = 0;
  let refuse = false;
  const server = createHttpServer((req, res) => {
    forwarded.push(`${req.method} ${req.url}`);
    const target = new URL(req.url ?? '');
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, method: req.method, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req, client: Socket, head: Buffer) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    if (refuse || host !== '127.0.0.1') {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      client.on('data', (chunk: Buffer) => {
        tunneled += (chunk.toString('latin1').match(/^(GET|POST|DELETE) \/v2\//gm) ?? []).length;
      });
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    forwarded,
    tunneledRequests: () => tunneled,
    refuseConnect: (value) => {
      refuse = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

let sb: ApiSandbox;
let proxy: TestProxy;
beforeAll(async () => {
  [sb, proxy] = await Promise.all([startApiSandbox(), startProxy()]);
});
afterAll(async () => {
  await Promise.all([sb.close(), proxy.close()]);
});

async function run(settings: ProxySettings, calls = 3) {
  const dispatcher = createApiDispatcher({ proxy: settings });
  const api = createPaxosApi(createApiClient({ baseUrl: sb.api, dispatcher, tokens: sb.session(), retry: { maxAttempts: 1 } }));
  try {
    const results = [];
    for (let i = 0; i < calls; i++) results.push(await api.getBalances(sb.seed.profiles[i % 3]!.id));
    return results;
  } finally {
    await dispatcher.close();
  }
}

describe('proxy support (EnvHttpProxyAgent)', () => {
  const origin = () => new URL(sb.api).host;

  it('tunnels every request through the proxy with CONNECT, reusing kept-alive tunnels', async () => {
    const before = { tunnels: proxy.tunnels.length, requests: proxy.tunneledRequests() };
    const results = await run({ httpProxy: proxy.url, noProxy: '' }, 8);
    expect(results.every((r) => r.ok)).toBe(true);
    const opened = proxy.tunnels.slice(before.tunnels);
    expect(opened.length).toBeGreaterThanOrEqual(1);
    expect(opened.length).toBeLessThanOrEqual(2);
    expect(opened.every((target) => target === origin())).toBe(true);
    expect(proxy.tunneledRequests() - before.requests).toBe(8);
  });

  it('forwards absolute-URI requests when tunnelling is off', async () => {
    const before = proxy.forwarded.length;
    const results = await run({ httpProxy: proxy.url, noProxy: '', tunnel: false });
    expect(results.every((r) => r.ok)).toBe(true);
    const seen = proxy.forwarded.slice(before);
    expect(seen).toHaveLength(3);
    expect(seen.every((line) => line.startsWith(`GET http://${origin()}/v2/profiles/`))).toBe(true);
  });

  it('bypasses the proxy for hosts in NO_PROXY', async () => {
    const before = { tunnels: proxy.tunnels.length, forwarded: proxy.forwarded.length };
    const results = await run({ httpProxy: proxy.url, noProxy: 'localhost,127.0.0.1' });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(proxy.tunnels.length).toBe(before.tunnels);
    expect(proxy.forwarded.length).toBe(before.forwarded);
  });

  it('a proxy that refuses the tunnel is a typed network error', async () => {
    proxy.refuseConnect(true);
    try {
      const [res] = await run({ httpProxy: proxy.url, noProxy: '' }, 1);
      expect(res && !res.ok && res.error.error.code).toBe('network');
    } finally {
      proxy.refuseConnect(false);
    }
  });
});
