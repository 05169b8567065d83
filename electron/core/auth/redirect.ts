// Redirect intake: parses a candidate callback URL and checks it belongs to the pending sign-in before anything trusts it.

export interface ExpectedRedirect {
  /** The redirect_uri sent with the attempt (custom scheme or loopback). */
  readonly redirectUri: string;
  /** The attempt's `state`. */
  readonly state: string;
  /** The issuer identifier from discovery: an `iss` parameter (RFC 9207), when present, must equal it. */
  readonly issuer?: string;
  /** The server says it always sends `iss` (`authorization_response_iss_parameter_supported`). */
  readonly issRequired?: boolean;
}

/** Why a link was dropped: a fixed code, the only thing about a dropped link that is ever logged. */
export const REDIRECT_DROP_REASONS = [
  'not_text_or_too_long',
  'control_or_space',
  'not_a_url',
  'no_pending_sign_in',
  'wrong_target',
  'fragment',
  'repeated_parameter',
  'missing_state',
  'state_mismatch',
  'no_code_or_error',
  'issuer_mismatch',
  'issuer_missing',
] as const;
export type RedirectDropReason = (typeof REDIRECT_DROP_REASONS)[number];

export type RedirectCheck =
  | { readonly kind: 'match'; readonly params: URLSearchParams }
  /** Not for the pending attempt: dropped and logged by reason code only, the attempt keeps waiting. */
  | { readonly kind: 'ignored'; readonly reason: RedirectDropReason };

const MAX_LINK_LENGTH = 8192;

/** The URL without query and fragment: scheme, authority (if any) and path, as the parser normalised them. */
function target(url: URL): string {
  const bare = new URL(url.href);
  bare.search = '';
  bare.hash = '';
  return bare.href;
}

const ignored = (reason: RedirectDropReason): RedirectCheck => ({ kind: 'ignored', reason });

/** Any C0 control character, space or DEL. */
function hasControlOrSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x20 || c === 0x7f) return true;
  }
  return false;
}

/** Decides whether `candidate` is the callback for `expected`. Never throws; never echoes the link back. */
export function checkRedirect(candidate: string, expected: ExpectedRedirect | null): RedirectCheck {
  if (typeof candidate !== 'string' || candidate.length > MAX_LINK_LENGTH) return ignored('not_text_or_too_long');
  // The URL parser strips tabs and newlines and trims spaces and controls: a link carrying any is not the one the server sent.
  if (hasControlOrSpace(candidate)) return ignored('control_or_space');
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return ignored('not_a_url');
  }
  if (!expected) return ignored('no_pending_sign_in');
  const want = new URL(expected.redirectUri);
  if (target(url) !== target(want)) return ignored('wrong_target');
  if (url.hash) return ignored('fragment');
  const params = url.searchParams;
  for (const key of new Set(params.keys())) {
    if (params.getAll(key).length > 1) return ignored('repeated_parameter');
  }
  const state = params.get('state');
  if (state === null) return ignored('missing_state');
  if (state !== expected.state) return ignored('state_mismatch');
  if (!params.has('code') && !params.has('error')) return ignored('no_code_or_error');
  const iss = params.get('iss');
  if (iss !== null && expected.issuer !== undefined && iss !== expected.issuer) return ignored('issuer_mismatch');
  if (iss === null && expected.issRequired) return ignored('issuer_missing');
  return { kind: 'match', params };
}

/** Picks the first argv entry that looks like our scheme (Windows/Linux deliver deep links as process arguments). */
export function deepLinkFromArgv(argv: readonly string[], scheme: string): string | undefined {
  const prefix = `${scheme}:`;
  return argv.find((a) => typeof a === 'string' && a.toLowerCase().startsWith(prefix));
}
