// Redirect intake: only a link with the exact redirect URI and the pending state is accepted (examples + property).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRedirect, deepLinkFromArgv, REDIRECT_DROP_REASONS } from '../../../../electron/core/auth/redirect';

const expected = { redirectUri: 'com.partnerconsole.desktop:/oauth2/callback', state: 'S-123_abc' };
const loopback = { redirectUri: 'http://127.0.0.1:50123/oauth2/callback', state: 'S-123_abc' };

describe('checkRedirect', () => {
  it('accepts the callback with code or error and the right state', () => {
    expect(checkRedirect('com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc&iss=x', expected).kind).toBe('match');
    expect(checkRedirect('com.partnerconsole.desktop:/oauth2/callback?error=access_denied&state=S-123_abc', expected).kind).toBe('match');
    expect(checkRedirect('http://127.0.0.1:50123/oauth2/callback?code=c&state=S-123_abc', loopback).kind).toBe('match');
  });

  it.each([
    ['no pending attempt', 'com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc', null],
    ['wrong state', 'com.partnerconsole.desktop:/oauth2/callback?code=c&state=other', expected],
    ['missing state', 'com.partnerconsole.desktop:/oauth2/callback?code=c', expected],
    ['wrong path', 'com.partnerconsole.desktop:/oauth2/other?code=c&state=S-123_abc', expected],
    ['wrong scheme', 'com.evil.app:/oauth2/callback?code=c&state=S-123_abc', expected],
    ['a host in the custom-scheme link', 'com.partnerconsole.desktop://evil.example/oauth2/callback?code=c&state=S-123_abc', expected],
    ['an empty authority', 'com.partnerconsole.desktop:///oauth2/callback?code=c&state=S-123_abc', expected],
    ['user info on the loopback address', 'http://x@127.0.0.1:50123/oauth2/callback?code=c&state=S-123_abc', loopback],
    ['a raw newline the parser would strip', 'com.partnerconsole.desktop:/oauth2/callback?code=c&sta\nte=S-123_abc', expected],
    ['a leading space the parser would trim', ' com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc', expected],
    ['another loopback port', 'http://127.0.0.1:50124/oauth2/callback?code=c&state=S-123_abc', loopback],
    ['a fragment', 'com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc#x', expected],
    ['repeated state', 'com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc&state=S-123_abc', expected],
    ['neither code nor error', 'com.partnerconsole.desktop:/oauth2/callback?state=S-123_abc', expected],
    ['too long', `com.partnerconsole.desktop:/oauth2/callback?code=${'a'.repeat(9000)}&state=S-123_abc`, expected],
  ])('ignores a link with %s', (_n, link, exp) => {
    expect(checkRedirect(link, exp).kind).toBe('ignored');
  });

  it('never matches without the exact state, whatever the link (property)', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.string(), (url, junk) => {
        return checkRedirect(url, expected).kind === 'ignored' && checkRedirect(junk, expected).kind === 'ignored';
      }),
      { numRuns: 1000 },
    );
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), (state) => {
        fc.pre(state !== expected.state);
        const link = `com.partnerconsole.desktop:/oauth2/callback?code=c&state=${encodeURIComponent(state)}`;
        return checkRedirect(link, expected).kind === 'ignored';
      }),
      { numRuns: 1000 },
    );
  });

  it('gives only a fixed reason code, whatever the link carries (no attacker text can reach a log line)', () => {
    const forged = 'com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc&x%0Aauth%3A%20signed%20in=1&x%0Aauth%3A%20signed%20in=2';
    const r = checkRedirect(forged, expected);
    expect(r).toEqual({ kind: 'ignored', reason: 'repeated_parameter' });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('state', 'code', 'iss', 'error', ''), (name, dup) => {
        const key = encodeURIComponent(name || dup);
        const link = `com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc&${key}=1&${key}=2`;
        const check = checkRedirect(link, expected);
        return check.kind === 'ignored' && (REDIRECT_DROP_REASONS as readonly string[]).includes(check.reason);
      }),
      { numRuns: 500 },
    );
  });

  it('drops a link whose iss is another issuer, or lacks iss when the server always sends it (RFC 9207)', () => {
    const withIssuer = { ...expected, issuer: 'https://oauth.sandbox.paxos.com/' };
    const link = (iss?: string) => `com.partnerconsole.desktop:/oauth2/callback?code=c&state=S-123_abc${iss === undefined ? '' : `&iss=${encodeURIComponent(iss)}`}`;
    expect(checkRedirect(link('https://oauth.sandbox.paxos.com/'), withIssuer).kind).toBe('match');
    expect(checkRedirect(link('https://oauth.paxos.com/'), withIssuer)).toEqual({ kind: 'ignored', reason: 'issuer_mismatch' });
    expect(checkRedirect(link('https://oauth.sandbox.paxos.com'), withIssuer)).toEqual({ kind: 'ignored', reason: 'issuer_mismatch' }); // exact compare
    expect(checkRedirect(link(), withIssuer).kind).toBe('match'); // Paxos (ORY Hydra) does not send iss
    expect(checkRedirect(link(), { ...withIssuer, issRequired: true })).toEqual({ kind: 'ignored', reason: 'issuer_missing' });
  });

  it('never echoes the link in its reason', () => {
    const r = checkRedirect('com.partnerconsole.desktop:/oauth2/callback?code=SECRETCODE&state=nope', expected);
    expect(r.kind === 'ignored' && r.reason).not.toContain('SECRETCODE');
  });
});

describe('deepLinkFromArgv', () => {
  it('finds the scheme link among process arguments', () => {
    expect(deepLinkFromArgv(['/usr/bin/app', '--flag', 'com.partnerconsole.desktop:/oauth2/callback?code=1'], 'com.partnerconsole.desktop')).toBe(
      'com.partnerconsole.desktop:/oauth2/callback?code=1',
    );
    expect(deepLinkFromArgv(['/usr/bin/app', 'https://x'], 'com.partnerconsole.desktop')).toBeUndefined();
  });
});
