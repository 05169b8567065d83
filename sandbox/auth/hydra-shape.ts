// Makes oidc-provider look like Paxos's authorization server (ORY Hydra): its discovery field set, and no RFC 9207 `iss`.
import type { KoaContextWithOIDC } from 'oidc-provider';

export const DISCOVERY_PATH = '/.well-known/openid-configuration';

/**
 * The fields of Paxos's production discovery document (`oauth-discovery.production.json`), in its order. The
 * sandbox advertises exactly these (plus `authorization_response_iss_parameter_supported` when RFC 9207 is on),
 * with values that describe the sandbox itself.
 */
export const HYDRA_DISCOVERY_FIELDS = [
  'issuer', 'authorization_endpoint', 'token_endpoint', 'jwks_uri', 'subject_types_supported', 'response_types_supported',
  'claims_supported', 'grant_types_supported', 'response_modes_supported', 'userinfo_endpoint', 'scopes_supported',
  'token_endpoint_auth_methods_supported', 'userinfo_signing_alg_values_supported', 'id_token_signing_alg_values_supported',
  'request_parameter_supported', 'request_uri_parameter_supported', 'require_request_uri_registration', 'claims_parameter_supported',
  'revocation_endpoint', 'backchannel_logout_supported', 'backchannel_logout_session_supported', 'frontchannel_logout_supported',
  'frontchannel_logout_session_supported', 'end_session_endpoint',
] as const;

export interface HydraShapeOptions {
  /** Adds RFC 9207 `iss` to authorization responses and advertises it (off by default, as on Paxos). */
  rfc9207Iss: boolean;
}

/**
 * Projects oidc-provider's discovery document onto the Hydra field set. Values the provider knows are kept (issuer,
 * endpoints, grants, scopes, auth methods, signing algorithms); the rest state what the sandbox does: only `sub` as a
 * claim, query and fragment responses, unsigned userinfo, no request objects, no front- or back-channel logout.
 */
export function hydraDiscovery(provider: Record<string, unknown>, options: HydraShapeOptions): Record<string, unknown> {
  const values: Record<(typeof HYDRA_DISCOVERY_FIELDS)[number], unknown> = {
    issuer: provider['issuer'],
    authorization_endpoint: provider['authorization_endpoint'],
    token_endpoint: provider['token_endpoint'],
    jwks_uri: provider['jwks_uri'],
    subject_types_supported: provider['subject_types_supported'],
    response_types_supported: provider['response_types_supported'],
    claims_supported: ['sub'],
    grant_types_supported: provider['grant_types_supported'],
    response_modes_supported: ['query', 'fragment'],
    userinfo_endpoint: provider['userinfo_endpoint'],
    scopes_supported: provider['scopes_supported'],
    token_endpoint_auth_methods_supported: provider['token_endpoint_auth_methods_supported'],
    userinfo_signing_alg_values_supported: ['none'],
    id_token_signing_alg_values_supported: provider['id_token_signing_alg_values_supported'],
    request_parameter_supported: provider['request_parameter_supported'] ?? false,
    request_uri_parameter_supported: provider['request_uri_parameter_supported'] ?? false,
    require_request_uri_registration: true,
    claims_parameter_supported: provider['claims_parameter_supported'] ?? false,
    revocation_endpoint: provider['revocation_endpoint'],
    backchannel_logout_supported: false,
    backchannel_logout_session_supported: false,
    frontchannel_logout_supported: false,
    frontchannel_logout_session_supported: false,
    end_session_endpoint: provider['end_session_endpoint'],
  };
  const document: Record<string, unknown> = { ...values };
  if (options.rfc9207Iss) document['authorization_response_iss_parameter_supported'] = true;
  return document;
}

/** Removes `iss` parameters from the query and fragment of a redirect, leaving every other byte as it was. */
export function withoutIss(location: string): string {
  const strip = (part: string) => part.split('&').filter((p) => p !== '' && !/^iss(=|$)/.test(p)).join('&');
  const hashAt = location.indexOf('#');
  const beforeHash = hashAt === -1 ? location : location.slice(0, hashAt);
  const fragment = hashAt === -1 ? undefined : location.slice(hashAt + 1);
  const queryAt = beforeHash.indexOf('?');
  const base = queryAt === -1 ? beforeHash : beforeHash.slice(0, queryAt);
  const query = queryAt === -1 ? undefined : strip(beforeHash.slice(queryAt + 1));
  const frag = fragment === undefined ? undefined : strip(fragment);
  return `${base}${query ? `?${query}` : ''}${frag ? `#${frag}` : ''}`;
}

/**
 * Provider middleware: serves the Hydra-shaped discovery document and, unless RFC 9207 is on, takes `iss` out of
 * the redirects of the authorization endpoint (oidc-provider always adds it, to codes and errors alike).
 */
export function hydraShape(authorizationPath: string, options: HydraShapeOptions) {
  return async (ctx: KoaContextWithOIDC, next: () => Promise<void>): Promise<void> => {
    await next();
    if (ctx.path === DISCOVERY_PATH && ctx.status === 200 && ctx.body && typeof ctx.body === 'object') {
      ctx.body = hydraDiscovery(ctx.body as Record<string, unknown>, options);
      return;
    }
    const isAuthorization = ctx.path === authorizationPath || ctx.path.startsWith(`${authorizationPath}/`);
    const location = ctx.response.get('location');
    if (!options.rfc9207Iss && isAuthorization && ctx.status >= 300 && ctx.status < 400 && location) {
      const next = withoutIss(location);
      ctx.set('location', next);
      // Koa's redirect body repeats the URL; say it again without `iss`.
      if (typeof ctx.body === 'string') {
        ctx.type = 'text/plain; charset=utf-8';
        ctx.body = `Redirecting to ${next}.`;
      }
    }
  };
}
