// The sandbox's own state for e2e assertions: a separate operator sign-in (never the core's tokens) reading /v2 directly.
import * as oauth from 'oauth4webapi';
import { CUSTOM_SCHEME_REDIRECT, DEFAULT_CLIENT_ID, defaultScopes } from '../../electron/core/config';
import type { Sandbox } from '../../sandbox/start';
import { loginOverHttp } from '../support/core-harness';

export interface Conversion {
  readonly id: string;
  readonly profile_id: string;
  readonly amount: string;
  readonly source_asset: string;
  readonly target_asset: string;
  readonly status: 'CREATED' | 'SETTLED' | 'CANCELLED';
  readonly ref_id?: string;
}

export interface Orchestration {
  readonly id: string;
  readonly profile_id: string;
  readonly ref_id: string;
  readonly source_asset: string;
  readonly destination_asset: string;
  readonly source_amount: string;
  readonly status: 'PENDING' | 'PROCESSING' | 'COMPLETED' | 'FAILED' | 'REJECTED';
  readonly metadata?: Record<string, string>;
}

export interface Reply {
  readonly status: number;
  readonly body: unknown;
}

/** What the resource server holds for one operator, read with that operator's own token. */
export interface SandboxTruth {
  /** Available balance per asset, as the server formats it. */
  balances(profileId: string): Promise<Record<string, string>>;
  /** Every conversion of the operator (newest first), optionally of one profile. */
  conversions(profileId?: string): Promise<Conversion[]>;
  /** A conversion created directly on the server (someone else spending the funds). */
  convert(body: { profile_id: string; amount: string; source_asset: string; target_asset: string }): Promise<Reply>;
  /** Every orchestration of the operator (newest first), optionally of one profile. */
  orchestrations(profileId?: string): Promise<Orchestration[]>;
  /** This operator approves or refuses an orchestration on the sandbox's loopback approval endpoint (outside /v2). */
  decide(orchestrationId: string, decision: 'approve' | 'reject'): Promise<Reply>;
}

const insecure = { [oauth.allowInsecureRequests]: true } as const;
const client: oauth.Client = { client_id: DEFAULT_CLIENT_ID };

/** Its own authorization-code + PKCE sign-in on the sandbox's pages (over plain HTTP: the browser is not what is checked here). */
async function operatorToken(sandbox: Sandbox, email: string, password: string): Promise<string> {
  const issuer = new URL(sandbox.issuer);
  const as = await oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, insecure));
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const url = new URL(as.authorization_endpoint!);
  url.search = new URLSearchParams({
    client_id: DEFAULT_CLIENT_ID,
    response_type: 'code',
    redirect_uri: CUSTOM_SCHEME_REDIRECT,
    // The read scopes of both orders APIs: the truth of conversions and of orchestrations alike.
    scope: [...new Set([...defaultScopes('conversions'), ...defaultScopes('orchestrations')])].join(' '),
    code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
    code_challenge_method: 'S256',
    state,
  }).toString();
  const redirect = await loginOverHttp(url.href, { email, password });
  const params = oauth.validateAuthResponse(as, client, new URL(redirect), state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, CUSTOM_SCHEME_REDIRECT, verifier, insecure);
  return (await oauth.processAuthorizationCodeResponse(as, client, response)).access_token;
}

export function sandboxTruth(sandbox: Sandbox, operator = { email: 'ops@partner.test', password: 'sandbox' }): SandboxTruth {
  let token: Promise<string> | undefined;
  async function call(method: 'GET' | 'POST', path: string, body?: unknown, base = sandbox.api): Promise<Reply> {
    token ??= operatorToken(sandbox, operator.email, operator.password);
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${await token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
  }
  async function get<T>(path: string): Promise<T> {
    const reply = await call('GET', path);
    if (reply.status !== 200) throw new Error(`sandbox ${path}: HTTP ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body as T;
  }
  return {
    async balances(profileId) {
      const { items } = await get<{ items: Array<{ asset: string; available: string }> }>(`/profiles/${encodeURIComponent(profileId)}/balances`);
      return Object.fromEntries(items.map((b) => [b.asset, b.available]));
    },
    async conversions(profileId) {
      const all: Conversion[] = [];
      let cursor: string | undefined;
      do {
        const query = new URLSearchParams({ limit: '1000', ...(profileId ? { profile_id: profileId } : {}), ...(cursor ? { page_cursor: cursor } : {}) });
        const page = await get<{ items: Conversion[]; next_page_cursor?: string }>(`/conversion/stablecoins?${query}`);
        all.push(...page.items);
        cursor = page.next_page_cursor;
      } while (cursor);
      return all;
    },
    convert: (body) => call('POST', '/conversion/stablecoins', body),
    async orchestrations(profileId) {
      const all: Orchestration[] = [];
      let cursor: string | undefined;
      do {
        const query = new URLSearchParams({ limit: '1000', ...(profileId ? { profile_id: profileId } : {}), ...(cursor ? { page_cursor: cursor } : {}) });
        const page = await get<{ orchestrations?: Orchestration[]; items?: Orchestration[]; next_page_cursor?: string }>(`/orchestration/orchestrations?${query}`);
        all.push(...(page.orchestrations ?? page.items ?? []));
        cursor = page.next_page_cursor;
      } while (cursor);
      return all;
    },
    decide: (orchestrationId, decision) => call('POST', `/_sandbox/approvals/${encodeURIComponent(orchestrationId)}`, { decision }, new URL(sandbox.api).origin),
  };
}

/** Revokes a refresh token at the sandbox's RFC 7009 endpoint, as the app's public client would; its grant dies with it. */
export async function revokeRefreshToken(sandbox: Sandbox, refreshToken: string): Promise<void> {
  const res = await fetch(new URL('oauth2/revoke', sandbox.issuer), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token: refreshToken, token_type_hint: 'refresh_token', client_id: DEFAULT_CLIENT_ID }),
    signal: AbortSignal.timeout(10_000),
  });
  if (res.status !== 200) throw new Error(`revocation answered HTTP ${res.status}`);
}
