// Environments the app can sign in to: built-ins plus custom ones from a user file validated with zod.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DecimalStringSchema, ORDERS_APIS, requiredScopeNames, type EnvironmentSummary, type OrdersApi } from '../../shared/domain';
import { RateLimitsOverrideSchema, type RateLimitsOverride } from './api/rate-limits';

export const APP_ID = 'com.partnerconsole.desktop';
export const CUSTOM_SCHEME = APP_ID;
export const CUSTOM_SCHEME_REDIRECT = `${CUSTOM_SCHEME}:/oauth2/callback`;
export const LOOPBACK_CALLBACK_PATH = '/oauth2/callback';
export const DEFAULT_CLIENT_ID = 'partner-console';

/** Where new orders go when an environment does not say: Paxos's current API (Stablecoin Conversions is deprecated). */
export const DEFAULT_ORDERS_API: OrdersApi = 'orchestrations';

/**
 * The scopes an environment requests unless it lists its own: OpenID's, and the API scopes the app needs with the
 * environment's orders API (shared/scopes.ts, shown on the Session view).
 */
export function defaultScopes(ordersApi: OrdersApi): readonly string[] {
  return ['openid', 'offline_access', ...requiredScopeNames(ordersApi)];
}

export interface Environment extends EnvironmentSummary {
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Resource indicator (RFC 8707) sent with authorization and token requests, if the server needs one. */
  readonly resource?: string;
  /** https origins besides the issuer's where its authorization endpoint may live (custom environments only). */
  readonly authorizationOrigins?: readonly string[];
  /** Overrides of Paxos's published rate limits (window, lockout, margin, per-family rates); absent: the published ones. */
  readonly rateLimits?: RateLimitsOverride;
}

/** Loopback host names as `URL.hostname` spells them. */
export function isLoopbackHost(hostname: string): boolean {
  return ['127.0.0.1', '[::1]', 'localhost'].includes(hostname);
}

const isHttpsOrLoopback = (u: string): boolean => {
  const url = new URL(u);
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
};

const httpsOrLoopback = z.string().url().refine(isHttpsOrLoopback, 'must be an https URL (http only for 127.0.0.1)');

/** Paxos's own authorization servers: reachable only through the built-in environments, with their API and warnings. */
const PAXOS_AUTH_DOMAIN = 'paxos.com';

/** True for https://oauth.paxos.com, https://oauth.sandbox.paxos.com and any other *.paxos.com host, however spelled. */
export function isPaxosHost(u: string): boolean {
  const host = new URL(u).hostname.toLowerCase().replace(/\.$/, '');
  return host === PAXOS_AUTH_DOMAIN || host.endsWith(`.${PAXOS_AUTH_DOMAIN}`);
}

const httpsOrigin = z
  .string()
  .url()
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' && url.origin === u.replace(/\/$/, '');
  }, 'must be an https origin such as https://login.example.com');

const CustomEnvironmentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and -'),
    label: z.string().min(1).max(100),
    issuer: httpsOrLoopback,
    apiBase: httpsOrLoopback,
    clientId: z.string().min(1).max(200),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).min(1).max(20).optional(),
    resource: httpsOrLoopback.optional(),
    authorizationOrigins: z.array(httpsOrigin).max(5).optional(),
    rateLimits: RateLimitsOverrideSchema.optional(),
    /** Which published API orders go through (default: orchestrations). */
    ordersApi: z.enum(ORDERS_APIS).optional(),
  })
  .strict()
  // Production tokens must never go to an API host the operator typed in next to a Paxos issuer: refused, not warned about.
  .refine((c) => !isPaxosHost(c.issuer), { path: ['issuer'], message: 'is a Paxos sign-in server; use the built-in Paxos environments' });

/** What the user file may change about a built-in environment: only which orders API it uses (e.g. an existing customer still on conversions). */
const BuiltInChangeSchema = z.object({ ordersApi: z.enum(ORDERS_APIS) }).strict();

const UserConfigSchema = z
  .object({
    environments: z.array(CustomEnvironmentSchema).max(20),
    /** Built-in environment id → its orders API. */
    builtIns: z.record(z.string().max(40), BuiltInChangeSchema).optional(),
  })
  .strict();

export interface LocalSandbox {
  readonly issuer: string;
  readonly api: string;
  /** The sandbox's rate limits when it runs them scaled (`--rate-limit-scale`): the same window and lockout for the app. */
  readonly rateLimits?: RateLimitsOverride;
  /** The sandbox's approval threshold (USD equivalent), from its ready line; shown before an order that will need approval. */
  readonly approvalThreshold?: string;
}

export interface BuildOptions {
  /**
   * A packaged build (Electron's `app.isPackaged`, passed in by the shell). Packaged builds are never started with the
   * sandbox: they list no `sandbox-local` (so nothing squatting 127.0.0.1:4010 is ever the default) and ignore the
   * PARTNER_CONSOLE_SANDBOX_* variables.
   */
  readonly packaged?: boolean;
}

/** The built-in environments. In development `sandbox-local` points at the sandbox `npm start` launched (default ports otherwise). */
export function builtInEnvironments(local?: LocalSandbox, options: BuildOptions = {}): Environment[] {
  const common = { clientId: DEFAULT_CLIENT_ID, scopes: defaultScopes(DEFAULT_ORDERS_API), ordersApi: DEFAULT_ORDERS_API };
  // Paxos's issuers carry a trailing slash (ORY Hydra); oauth4webapi compares the discovered issuer exactly.
  const paxos: Environment[] = [
    { id: 'paxos-sandbox', label: 'Paxos sandbox', kind: 'paxos-sandbox', issuer: 'https://oauth.sandbox.paxos.com/', apiBase: 'https://api.sandbox.paxos.com/v2', ...common },
    { id: 'paxos-production', label: 'Paxos production', kind: 'paxos-production', issuer: 'https://oauth.paxos.com/', apiBase: 'https://api.paxos.com/v2', ...common },
  ];
  if (options.packaged) return paxos;
  // Signs in exactly as against Paxos (no RFC 8707 `resource`): the sandbox binds API scopes to its API by itself.
  const threshold = local?.approvalThreshold !== undefined && DecimalStringSchema.safeParse(local.approvalThreshold).success ? { approvalThreshold: local.approvalThreshold } : {};
  const sandbox: Environment = {
    id: 'sandbox-local',
    label: 'Local sandbox',
    kind: 'sandbox-local',
    issuer: local?.issuer ?? 'http://127.0.0.1:4010/',
    apiBase: local?.api ?? 'http://127.0.0.1:4011/v2',
    ...common,
    ...threshold,
    ...(local?.rateLimits ? { rateLimits: local.rateLimits } : {}),
  };
  return [sandbox, ...paxos];
}

/**
 * The sandbox `npm start` launched, from PARTNER_CONSOLE_SANDBOX_ISSUER / _API (and _APPROVAL_THRESHOLD, a decimal, from
 * its ready line): development only (ignored when packaged), and only loopback http(s) URLs.
 */
export function localSandboxFromEnv(env: Readonly<Record<string, string | undefined>>, options: BuildOptions): LocalSandbox | undefined {
  if (options.packaged) return undefined;
  const issuer = env['PARTNER_CONSOLE_SANDBOX_ISSUER'];
  const api = env['PARTNER_CONSOLE_SANDBOX_API'];
  const loopback = (u: string | undefined): u is string => u !== undefined && URL.canParse(u) && ['http:', 'https:'].includes(new URL(u).protocol) && isLoopbackHost(new URL(u).hostname);
  if (!loopback(issuer) || !loopback(api)) return undefined;
  const threshold = env['PARTNER_CONSOLE_SANDBOX_APPROVAL_THRESHOLD'];
  return { issuer, api, ...(threshold !== undefined && DecimalStringSchema.safeParse(threshold).success ? { approvalThreshold: threshold } : {}) };
}

export interface LoadedEnvironments {
  readonly environments: Environment[];
  /** A plain-words problem with the user's file, naming the field; the built-ins are still available. */
  readonly issue?: string;
}

/** Reads custom environments from `path` (JSON). A missing file is fine; a bad one is reported and ignored. */
export async function loadEnvironments(path: string | undefined, local?: LocalSandbox, options: BuildOptions = {}): Promise<LoadedEnvironments> {
  const builtIns = builtInEnvironments(local, options);
  if (!path) return { environments: builtIns };
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { environments: builtIns };
    return { environments: builtIns, issue: `Could not read ${path}: ${(e as NodeJS.ErrnoException).code ?? 'read error'}` };
  }
  return parseEnvironmentsFile(text, builtIns, path);
}

export function parseEnvironmentsFile(text: string, builtIns: Environment[], path = 'environments.json'): LoadedEnvironments {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { environments: builtIns, issue: `${path} is not valid JSON; using the built-in environments.` };
  }
  const parsed = UserConfigSchema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const field = first ? first.path.join('.') || '(top level)' : '(top level)';
    return { environments: builtIns, issue: `${path}: ${field} ${first?.message ?? 'is invalid'}; using the built-in environments.` };
  }
  const taken = new Set(builtIns.map((e) => e.id));
  const changes = parsed.data.builtIns ?? {};
  const unknown = Object.keys(changes).find((id) => !taken.has(id));
  if (unknown !== undefined) return { environments: builtIns, issue: `${path}: builtIns.${unknown} is not a built-in environment; using the built-in environments.` };
  const custom: Environment[] = [];
  for (const [i, c] of parsed.data.environments.entries()) {
    if (taken.has(c.id)) return { environments: builtIns, issue: `${path}: environments.${i}.id "${c.id}" is already used; using the built-in environments.` };
    taken.add(c.id);
    const ordersApi = c.ordersApi ?? DEFAULT_ORDERS_API;
    custom.push({ ...c, kind: 'custom', ordersApi, scopes: c.scopes ?? defaultScopes(ordersApi) });
  }
  const changed = builtIns.map((e) => {
    const ordersApi = changes[e.id]?.ordersApi;
    return ordersApi === undefined || ordersApi === e.ordersApi ? e : { ...e, ordersApi, scopes: defaultScopes(ordersApi) };
  });
  return { environments: [...changed, ...custom] };
}

export function summarize(env: Environment): EnvironmentSummary {
  return {
    id: env.id,
    label: env.label,
    kind: env.kind,
    issuer: env.issuer,
    apiBase: env.apiBase,
    ordersApi: env.ordersApi,
    ...(env.approvalThreshold !== undefined ? { approvalThreshold: env.approvalThreshold } : {}),
  };
}
