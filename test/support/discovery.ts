// Reads an issuer's OpenID discovery document, so tests use the endpoints the server advertises instead of assuming paths.
export interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly revocation_endpoint?: string;
  readonly introspection_endpoint?: string;
  readonly jwks_uri?: string;
}

const cache = new Map<string, Promise<Discovery>>();

/** `{issuer}/.well-known/openid-configuration` (with or without a trailing slash on the issuer). */
export function discover(issuer: string): Promise<Discovery> {
  let found = cache.get(issuer);
  if (!found) {
    const base = issuer.endsWith('/') ? issuer : `${issuer}/`;
    found = fetch(new URL('.well-known/openid-configuration', base)).then(async (res) => {
      if (!res.ok) throw new Error(`discovery failed with HTTP ${res.status}`);
      return (await res.json()) as Discovery;
    });
    found.catch(() => cache.delete(issuer));
    cache.set(issuer, found);
  }
  return found;
}
