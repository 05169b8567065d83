// Builds the oidc-provider instance: clients, keys, routes, scopes/resource indicators, token lifetimes, policies.
import Provider, { errors, type Client, type KoaContextWithOIDC } from 'oidc-provider';
import type { JWK } from 'jose';
import type { SeedOperator } from '../seed';
import { createFindAccount } from './accounts';
import { createMemoryAdapter } from './memory-adapter';
import { clientMetadata, PARTNER_CONSOLE_CLIENT_ID, type ToolingCredentials } from './clients';
import { pageHeaders } from './http-util';
import { hydraShape } from './hydra-shape';
import { renderErrorPage, renderLogoutPage, renderSignedOutPage } from './pages';
import { API_SCOPES, OIDC_SCOPES, isApiScope, splitScope } from './scopes';

/** Endpoint paths, as on Paxos's issuer (ORY Hydra); introspection is the sandbox's own, for tooling, and unadvertised. */
export const AUTH_ROUTES = {
  authorization: '/oauth2/auth',
  token: '/oauth2/token',
  userinfo: '/userinfo',
  revocation: '/oauth2/revoke',
  introspection: '/oauth2/introspect',
  jwks: '/.well-known/jwks.json',
  end_session: '/oauth2/sessions/logout',
} as const;

const DAY = 24 * 60 * 60;

export interface ProviderOptions {
  issuer: string;
  /** The /v2 base URL: the only resource indicator, and the `aud` of every API access token. */
  apiUrl: string;
  operators: readonly SeedOperator[];
  tooling: ToolingCredentials;
  /** Private ES256 signing key (with `kid`). */
  signingKey: JWK;
  /** Secret for signing the provider's cookies. */
  cookieKey: string;
  /** Suffix for cookie names so two sandboxes on 127.0.0.1 do not share cookies. */
  cookieSuffix: string;
  accessTokenTtl: number;
  authorizationCodeTtl: number;
  /** RFC 9207: `iss` in authorization responses and `authorization_response_iss_parameter_supported` (off, as on Paxos). */
  rfc9207Iss: boolean;
  log: (line: string) => void;
}

interface ResourceServerInfo {
  scope: string;
  audience: string;
  accessTokenFormat: 'jwt';
  accessTokenTTL: number;
  jwt: { sign: { alg: 'ES256' } };
}

function resourceIndicators(options: ProviderOptions) {
  return {
    enabled: true,
    /** API scopes (or the tooling client) imply the API resource; OpenID-only requests get no resource. */
    defaultResource: async (ctx: KoaContextWithOIDC, client: Client, oneOf?: string | string[]) => {
      if (oneOf) return oneOf;
      const wantsApi = splitScope(ctx.oidc.params?.['scope']).some(isApiScope);
      return wantsApi || client.clientId === options.tooling.client_id ? options.apiUrl : undefined;
    },
    useGrantedResource: async () => true,
    getResourceServerInfo: async (_ctx: unknown, indicator: string): Promise<ResourceServerInfo> => {
      if (indicator !== options.apiUrl) throw new errors.InvalidTarget('unknown resource indicator');
      return {
        scope: API_SCOPES.join(' '),
        audience: options.apiUrl,
        accessTokenFormat: 'jwt',
        accessTokenTTL: options.accessTokenTtl,
        jwt: { sign: { alg: 'ES256' } },
      };
    },
  };
}

function ttl(options: ProviderOptions) {
  const accessTtl = (_ctx: unknown, token: { resourceServer?: { accessTokenTTL?: number } }) =>
    token.resourceServer?.accessTokenTTL ?? options.accessTokenTtl;
  return {
    AccessToken: accessTtl,
    ClientCredentials: accessTtl,
    AuthorizationCode: options.authorizationCodeTtl,
    IdToken: 60 * 60,
    RefreshToken: 14 * DAY,
    Interaction: 60 * 60,
    Session: 14 * DAY,
    Grant: 14 * DAY,
  };
}

async function renderError(ctx: KoaContextWithOIDC, out: Record<string, string | undefined>): Promise<void> {
  for (const [name, value] of Object.entries(pageHeaders())) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = renderErrorPage({
    title: 'Cannot continue',
    message: out['error_description'] ?? 'The request could not be completed.',
    details: { error: out['error'] },
  });
}

/** The sign-out page of the end-session endpoint (advertised as on Hydra): our markup around oidc-provider's form. */
async function logoutSource(ctx: KoaContextWithOIDC, form: string): Promise<void> {
  for (const [name, value] of Object.entries(pageHeaders())) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = renderLogoutPage(form);
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  for (const [name, value] of Object.entries(pageHeaders())) ctx.set(name, value);
  ctx.type = 'html';
  ctx.body = renderSignedOutPage();
}

/** Token owners may introspect/revoke their own tokens; the tooling client may introspect any token. */
function introspectionAllowed(tooling: ToolingCredentials) {
  return async (_ctx: unknown, client: Client, token: { clientId: string }) =>
    client.clientId === tooling.client_id || client.clientId === token.clientId;
}

async function revocationAllowed(_ctx: unknown, client: Client, token: { clientId: string }): Promise<boolean> {
  return client.clientId === token.clientId;
}

/**
 * oidc-provider drops `offline_access` unless the request carries `prompt=consent` (OIDC Core §11).
 * The app is native, so it sees the consent page on every authorization anyway; for its GET requests
 * without any `prompt`, the sandbox reads the request as `prompt=consent` so offline_access is honoured.
 */
function offlineAccessWithoutPrompt(): (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void> {
  return async (ctx, next) => {
    if (ctx.method === 'GET' && ctx.path === AUTH_ROUTES.authorization) {
      const { client_id: clientId, scope, prompt } = ctx.query;
      if (clientId === PARTNER_CONSOLE_CLIENT_ID && prompt === undefined && splitScope(scope).includes('offline_access')) {
        ctx.query = { ...ctx.query, prompt: 'consent' };
      }
    }
    await next();
  };
}

function logEvents(provider: Provider, log: (line: string) => void): void {
  provider.on('server_error', (_ctx: unknown, error: Error) => log(`auth server_error: ${error.stack ?? error.message}`));
  for (const event of ['authorization.error', 'grant.error', 'introspection.error', 'revocation.error', 'userinfo.error']) {
    provider.on(event, (_ctx: unknown, error: { error?: string; error_description?: string; error_detail?: string }) => {
      const why = [error.error_description, error.error_detail].filter(Boolean).join('; ');
      log(`auth ${event}: ${error.error ?? 'error'}${why ? ` (${why})` : ''}`);
    });
  }
}

export function createProvider(options: ProviderOptions): Provider {
  const { cookieSuffix: suffix } = options;
  const provider = new Provider(options.issuer, {
    adapter: createMemoryAdapter(),
    clients: clientMetadata(options.tooling),
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    responseTypes: ['code'],
    clientDefaults: { id_token_signed_response_alg: 'ES256' },
    jwks: { keys: [options.signingKey] },
    findAccount: createFindAccount(options.operators),
    scopes: [...OIDC_SCOPES],
    // As on Paxos (claims_supported: ["sub"]): ID tokens and userinfo name the operator by subject only.
    claims: { openid: ['sub'] },
    conformIdTokenClaims: false,
    routes: AUTH_ROUTES,
    interactions: { url: async (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    cookies: {
      keys: [options.cookieKey],
      names: { session: `_session_${suffix}`, interaction: `_interaction_${suffix}`, resume: `_interaction_resume_${suffix}` },
    },
    pkce: { required: () => true },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      introspection: { enabled: true, allowedPolicy: introspectionAllowed(options.tooling) },
      revocation: { enabled: true, allowedPolicy: revocationAllowed },
      userinfo: { enabled: true },
      resourceIndicators: resourceIndicators(options),
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      pushedAuthorizationRequests: { enabled: false },
      dPoP: { enabled: false },
    },
    rotateRefreshToken: true,
    issueRefreshToken: async (_ctx: unknown, client: Client, code: { scopes: Set<string> }) =>
      client.grantTypeAllowed('refresh_token') && code.scopes.has('offline_access'),
    ttl: ttl(options),
    clientBasedCORS: () => false,
    renderError,
  });
  provider.use(offlineAccessWithoutPrompt());
  provider.use(hydraShape(AUTH_ROUTES.authorization, { rfc9207Iss: options.rfc9207Iss }));
  logEvents(provider, options.log);
  return provider;
}
