// Loopback redirect fallback (RFC 8252 §7.3): a one-shot listener on 127.0.0.1, ephemeral port, closed after the callback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_CALLBACK_PATH } from '../config';

const DONE_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner Console</title>
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"></head>
<body style="font-family:system-ui,sans-serif;padding:2rem"><h1>You can close this tab</h1>
<p>Return to Partner Console to continue.</p></body></html>`;

export interface LoopbackListener {
  /** http://127.0.0.1:{port}/oauth2/callback */
  readonly redirectUri: string;
  /** Resolves with the full callback URL on the first request to the callback path. */
  readonly callback: Promise<string>;
  close(): Promise<void>;
}

export async function startLoopbackListener(): Promise<LoopbackListener> {
  let settle: ((url: string) => void) | undefined;
  const callback = new Promise<string>((resolve) => {
    settle = resolve;
  });
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    if (req.method !== 'GET' || url.pathname !== LOOPBACK_CALLBACK_PATH || !settle) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', connection: 'close' }).end(DONE_PAGE);
    const { port } = server.address() as AddressInfo;
    const deliver = settle;
    settle = undefined;
    deliver(`http://127.0.0.1:${port}${req.url ?? ''}`);
    void close();
  });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return { redirectUri: `http://127.0.0.1:${port}${LOOPBACK_CALLBACK_PATH}`, callback, close };
}
