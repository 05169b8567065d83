// The app's undici dispatcher: one keep-alive pool per origin with timeouts, behind EnvHttpProxyAgent (HTTP(S)_PROXY, NO_PROXY).
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';

export interface ProxySettings {
  /** Overrides HTTP_PROXY / http_proxy. */
  readonly httpProxy?: string;
  /** Overrides HTTPS_PROXY / https_proxy. */
  readonly httpsProxy?: string;
  /** Overrides NO_PROXY / no_proxy ('' = proxy everything). */
  readonly noProxy?: string;
  /** CONNECT tunnel for http:// targets too (undici's default, true); false sends absolute-URI requests to the proxy. */
  readonly tunnel?: boolean;
}

export interface DispatcherOptions {
  /** Connections per origin (the pool size). Default 48: 32 for background balances, the rest for the screen and orders. */
  readonly connections?: number;
  readonly connectTimeoutMs?: number;
  /** Time to receive the response headers. */
  readonly headersTimeoutMs?: number;
  /** Time between body chunks. */
  readonly bodyTimeoutMs?: number;
  readonly keepAliveTimeoutMs?: number;
  /** Largest response body accepted (bytes). */
  readonly maxResponseBytes?: number;
  /** Explicit proxy settings; by default the environment variables are read. */
  readonly proxy?: ProxySettings;
}

export const DISPATCHER_DEFAULTS = {
  connections: 48,
  connectTimeoutMs: 10_000,
  headersTimeoutMs: 20_000,
  bodyTimeoutMs: 20_000,
  keepAliveTimeoutMs: 30_000,
  maxResponseBytes: 16 * 1024 * 1024,
} as const;

/** Creates the dispatcher the API client sends through. Whoever creates it closes it. */
export function createApiDispatcher(options: DispatcherOptions = {}): Dispatcher {
  const proxy = options.proxy ?? {};
  return new EnvHttpProxyAgent({
    connections: options.connections ?? DISPATCHER_DEFAULTS.connections,
    connectTimeout: options.connectTimeoutMs ?? DISPATCHER_DEFAULTS.connectTimeoutMs,
    headersTimeout: options.headersTimeoutMs ?? DISPATCHER_DEFAULTS.headersTimeoutMs,
    bodyTimeout: options.bodyTimeoutMs ?? DISPATCHER_DEFAULTS.bodyTimeoutMs,
    keepAliveTimeout: options.keepAliveTimeoutMs ?? DISPATCHER_DEFAULTS.keepAliveTimeoutMs,
    keepAliveMaxTimeout: 10 * 60_000,
    maxResponseSize: options.maxResponseBytes ?? DISPATCHER_DEFAULTS.maxResponseBytes,
    pipelining: 1,
    ...(proxy.httpProxy !== undefined ? { httpProxy: proxy.httpProxy } : {}),
    ...(proxy.httpsProxy !== undefined ? { httpsProxy: proxy.httpsProxy } : {}),
    // Read once here, as HTTP(S)_PROXY are (otherwise undici reads the environment again for every request).
    noProxy: proxy.noProxy ?? process.env['no_proxy'] ?? process.env['NO_PROXY'] ?? '',
    ...(proxy.tunnel !== undefined ? { proxyTunnel: proxy.tunnel } : {}),
  });
}
