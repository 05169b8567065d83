// Serves a renderer build on 127.0.0.1 exactly as app:// does (same path mapping, MIME types, CSP header), plus named extra files.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { APP_ORIGIN, CONTENT_SECURITY_POLICY, resolveRendererFile } from '../../electron/core/renderer-files';

export interface RendererServer {
  /** http://127.0.0.1:<port> */
  readonly origin: string;
  close(): Promise<void>;
}

/** `extraFiles`: URL path → JavaScript file served from the same origin (so the CSP's script-src 'self' admits it). */
export async function serveRenderer(rendererDir: string, extraFiles: Readonly<Record<string, string>> = {}): Promise<RendererServer> {
  const server = createServer((req, res) => {
    void (async () => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return res.writeHead(405).end();
      const pathname = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
      // Chromium asks for a favicon on http:; the app:// window never does, and the build has none.
      if (pathname === '/favicon.ico') return res.writeHead(204).end();
      const extra = extraFiles[pathname];
      const file = extra ? { path: extra, mime: 'text/javascript; charset=utf-8' } : resolveRendererFile(`${APP_ORIGIN}${pathname}`, rendererDir);
      if (!file) return res.writeHead(404).end();
      try {
        const body = await readFile(file.path);
        res.writeHead(200, {
          'content-type': file.mime,
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        res.writeHead(404).end();
      }
    })();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections(); // Chromium's keep-alive sockets would hold close() open
      }),
  };
}
