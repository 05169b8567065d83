// Environments the app can sign in to: built-ins plus custom ones from a user file validated with zod.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { REQUIRED_SCOPE_NAMES, type EnvironmentSummary } from '../../shared/domain';

export const APP_ID = 'com.partnerconsole.desktop';
export const CUSTOM_SCHEME = APP_ID;
export const CUSTOM_SCHEME_REDIRECT = `${CUSTOM_SCHEME}:/oauth2/callback`;
export const LOOPBACK_CALLBACK_PATH = '/oauth2/callback';
export const DEFAULT_CLIENT_ID = 'partner-console';

/** The API scopes every environment requests: the ones the app needs (shared/domain.ts, shown on the Session view). */
export const API_SCOPES: readonly string[] = REQUIRED_SCOPE_NAMES;
export const DEFAULT_SCOPES: readonly string[] = ['openid', 'offline_access', ...API_SCOPES];

export interface Environment extends EnvironmentSummary {
  readonly clientId: string;
  readonly scopes: readonly string[];
  /** Resource indicator (RFC 8707) sent with authorization and token requests, if the server needs one. */
  readonly resource?: string;
}

const httpsOrLoopback = z
  .string()
  .url()
  .refine((u) => {
    const url = new URL(u);
    return url.protocol === 'https:' || (url.protocol === 'http:' && ['127.0.0.1', '[::1]', 'localhost'].includes(url.hostname));
  }, 'must be an https URL (http only for 127.0.0.1)');

const CustomEnvironmentSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'must be lowercase letters, digits and -'),
    label: z.string().min(1).max(100),
    issuer: httpsOrLoopback,
    apiBase: httpsOrLoopback,
    clientId: z.string().min(1).max(200),
    scopes: z.array(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/)).min(1).max(20).optional(),
    resource: httpsOrLoopback.optional(),
  })
  .strict();

const UserConfigSchema = z.object({ environments: z.array(CustomEnvironmentSchema).max(20) }).strict();

export interface LocalSandbox {
  readonly issuer: string;
  readonly api: string;
}

/** The built-in environments. `sandbox-local` points at the sandbox that `npm start` launched (if any). */
export function builtInEnvironments(local?: LocalSandbox): Environment[] {
  const common = { clientId: DEFAULT_CLIENT_ID, scopes: DEFAULT_SCOPES };
  return [
    // Signs in exactly as against Paxos (no RFC 8707 `resource`): the sandbox binds API scopes to its API by itself.
    { id: 'sandbox-local', label: 'Local sandbox', kind: 'sandbox-local', issuer: local?.issuer ?? 'http://127.0.0.1:4010/', apiBase: local?.api ?? 'http://127.0.0.1:4011/v2', ...common },
    // Paxos's issuers carry a trailing slash (ORY Hydra); oauth4webapi compares the discovered issuer exactly.
    { id: 'paxos-sandbox', label: 'Paxos sandbox', kind: 'paxos-sandbox', issuer: 'https://oauth.sandbox.paxos.com/', apiBase: 'https://api.sandbox.paxos.com/v2', ...common },
    { id: 'paxos-production', label: 'Paxos production', kind: 'paxos-production', issuer: 'https://oauth.paxos.com/', apiBase: 'https://api.paxos.com/v2', ...common },
  ];
}

export interface LoadedEnvironments {
  readonly environments: Environment[];
  /** A plain-words problem with the user's file, naming the field; the built-ins are still available. */
  readonly issue?: string;
}

/** Reads custom environments from `path` (JSON). A missing file is fine; a bad one is reported and ignored. */
export async function loadEnvironments(path: string | undefined, local?: LocalSandbox): Promise<LoadedEnvironments> {
  const builtIns = builtInEnvironments(local);
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
  const custom: Environment[] = [];
  for (const [i, c] of parsed.data.environments.entries()) {
    if (taken.has(c.id)) return { environments: builtIns, issue: `${path}: environments.${i}.id "${c.id}" is already used; using the built-in environments.` };
    taken.add(c.id);
    custom.push({ ...c, kind: 'custom', scopes: c.scopes ?? DEFAULT_SCOPES });
  }
  return { environments: [...builtIns, ...custom] };
}

export function summarize(env: Environment): EnvironmentSummary {
  return { id: env.id, label: env.label, kind: env.kind, issuer: env.issuer, apiBase: env.apiBase };
}
