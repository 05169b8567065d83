// Decides whether an authorization URL from discovery may go to the system browser: https (http only on loopback) on the issuer's origin.
import { isLoopbackHost, type Environment } from '../config';

/** Why an authorization URL was refused: a fixed code (the URL itself is never logged or shown). */
export type AuthorizationUrlRefusal = 'not_a_url' | 'scheme_not_allowed' | 'credentials_in_url' | 'origin_not_allowed';

export type AuthorizationUrlCheck = { readonly ok: true } | { readonly ok: false; readonly reason: AuthorizationUrlRefusal };

/**
 * `https:` on the issuer's origin (or an origin the environment lists in `authorizationOrigins`); `http:` only when the
 * issuer itself is http on a loopback address, and then only on a loopback address. Anything else (file:, smb:,
 * search-ms:, javascript:, another host or port) is refused: a process squatting the issuer's port chooses this URL.
 */
export function checkAuthorizationUrl(candidate: string, env: Pick<Environment, 'issuer' | 'authorizationOrigins'>): AuthorizationUrlCheck {
  let url: URL;
  let issuer: URL;
  try {
    url = new URL(candidate);
    issuer = new URL(env.issuer);
  } catch {
    return { ok: false, reason: 'not_a_url' };
  }
  const loopbackIssuer = issuer.protocol === 'http:' && isLoopbackHost(issuer.hostname);
  const schemeAllowed = url.protocol === 'https:' || (url.protocol === 'http:' && loopbackIssuer && isLoopbackHost(url.hostname));
  if (!schemeAllowed) return { ok: false, reason: 'scheme_not_allowed' };
  if (url.username !== '' || url.password !== '') return { ok: false, reason: 'credentials_in_url' };
  const allowed = new Set([issuer.origin, ...(env.authorizationOrigins ?? []).map((o) => new URL(o).origin)]);
  return allowed.has(url.origin) ? { ok: true } : { ok: false, reason: 'origin_not_allowed' };
}
