// Redirect intake: parses a candidate callback URL and checks it belongs to the pending sign-in before anything trusts it.

export interface ExpectedRedirect {
  /** The redirect_uri sent with the attempt (custom scheme or loopback). */
  readonly redirectUri: string;
  /** The attempt's `state`. */
  readonly state: string;
}

export type RedirectCheck =
  | { readonly kind: 'match'; readonly params: URLSearchParams }
  /** Not for the pending attempt: dropped and logged by reason only, the attempt keeps waiting. */
  | { readonly kind: 'ignored'; readonly reason: string };

const MAX_LINK_LENGTH = 8192;

/** Scheme + path (and host:port for loopback) of a URL, or null if it does not parse. */
function target(url: URL): string {
  return url.protocol === 'http:' || url.protocol === 'https:' ? `${url.protocol}//${url.host}${url.pathname}` : `${url.protocol}${url.pathname}`;
}

/** Decides whether `candidate` is the callback for `expected`. Never throws; never echoes the link back. */
export function checkRedirect(candidate: string, expected: ExpectedRedirect | null): RedirectCheck {
  if (typeof candidate !== 'string' || candidate.length > MAX_LINK_LENGTH) return { kind: 'ignored', reason: 'link too long or not text' };
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return { kind: 'ignored', reason: 'not a URL' };
  }
  if (!expected) return { kind: 'ignored', reason: 'no sign-in is waiting for a redirect' };
  const want = new URL(expected.redirectUri);
  if (target(url) !== target(want)) return { kind: 'ignored', reason: 'scheme or path does not match the redirect URI' };
  if (url.hash) return { kind: 'ignored', reason: 'fragment in redirect' };
  const params = url.searchParams;
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) return { kind: 'ignored', reason: `repeated parameter ${key}` };
  }
  const state = params.get('state');
  if (state === null) return { kind: 'ignored', reason: 'missing state' };
  if (state !== expected.state) return { kind: 'ignored', reason: 'state does not match the pending sign-in' };
  if (!params.has('code') && !params.has('error')) return { kind: 'ignored', reason: 'neither code nor error' };
  return { kind: 'match', params };
}

/** Picks the first argv entry that looks like our scheme (Windows/Linux deliver deep links as process arguments). */
export function deepLinkFromArgv(argv: readonly string[], scheme: string): string | undefined {
  const prefix = `${scheme}:`;
  return argv.find((a) => typeof a === 'string' && a.toLowerCase().startsWith(prefix));
}
