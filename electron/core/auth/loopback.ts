// Loopback redirect fallback (RFC 8252 §7.3): a listener on 127.0.0.1 (ephemeral port) that closes once the matching callback arrives.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { LOOPBACK_CALLBACK_PATH } from '../config';

const PAGE_HEADERS = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'" };

const page = (title: string, text: string) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner Console</title></head>
<body style="font-family:system-ui,sans-serif;padding:2rem"><h1>${title}</h1><p>${text}</p></body></html>`;

const DONE_PAGE = page('You can close this tab', 'Return to Partner Console to continue.');
const NOT_THIS_PAGE = page('This link is not for Partner Console', 'It does not belong to the sign-in that is waiting. Return to Partner Console.');

export interface LoopbackListenerOptions {
  /** Whether a callback URL belongs to the pending sign-in; only a `true` answer completes it and closes the listener. */
  readonly accept: (url: string) => boolean;
}

export interface LoopbackListener {
  /** http://127.0.0.1:{port}/oauth2/callback */
  readonly redirectUri: string;
  /** Resolves with the full callback URL of the first accepted request. */
  readonly callback: Promise<string>;
  close(): Promise<void>;
}

export async function startLoopbackListener(options: LoopbackListenerOptions): Promise<LoopbackListener> {
  let settle: ((url: string) => void) | undefined;
  const callback = new Promise<string>((resolve) => {
    settle = resolve;
  });
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' || path !== LOOPBACK_CALLBACK_PATH || !settle) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    const { port } = server.address() as AddressInfo;
    const url = `http://127.0.0.1:${port}${req.url ?? ''}`;
    if (!options.accept(url)) {
      // Not the pending attempt's callback (wrong or missing state, repeated parameters …): keep waiting for the real one.
      res.writeHead(400, PAGE_HEADERS).end(NOT_THIS_PAGE);
      return;
    }
    res.writeHead(200, { ...PAGE_HEADERS, connection: 'close' }).end(DONE_PAGE);
    const deliver = settle;
    settle = undefined;
    deliver(url);
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
