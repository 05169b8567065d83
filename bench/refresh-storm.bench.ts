// Refresh storm: 500 concurrent callers need an access token just after it expired. The app's session refreshes once for
// all of them (single-flight); a naive client refreshes once per caller. Real sandbox authorization server (oidc-provider,
// refresh-token rotation with reuse detection), real sign-in through headless Chromium, the app's own OAuth client.
import type { Session } from '../electron/core/auth/session';
import { createOAuthClient, describeOAuthFailure, type TokenSet } from '../electron/core/auth/oauth-client';
import { CUSTOM_SCHEME_REDIRECT } from '../electron/core/config';
import { finish, header, machine, ms, printTable, ratio, result, sleep, watchdog, type Cell } from './support/report';
import { startSignedIn, OPERATOR } from './support/signed-in';

const CALLERS = Number(process.env['BENCH_REFRESH_CALLERS'] ?? 500);
/** Access-token lifetime in the sandbox, seconds: short, so the benchmark waits for a real expiry. */
const TTL_S = 2;

interface Outcome {
  readonly variant: string;
  readonly wallMs: number;
  readonly tokenRequests: number;
  readonly served: number;
  readonly failed: number;
  readonly invalidGrant: number;
  readonly distinct: number;
  readonly grantAlive: boolean;
}

function row(o: Outcome): Record<string, Cell> {
  return {
    variant: o.variant,
    callers: CALLERS,
    'token requests': o.tokenRequests,
    'callers served': o.served,
    'failed (invalid_grant)': `${o.failed} (${o.invalidGrant})`,
    'distinct access tokens': o.distinct,
    wall: ms(o.wallMs),
    'grant alive after': o.grantAlive ? 'yes' : 'NO (revoked)',
  };
}

async function untilExpired(expiresAt: number): Promise<void> {
  const wait = expiresAt - Date.now() + 50;
  if (wait > 0) await sleep(wait);
}

async function main(): Promise<void> {
  const started = performance.now();
  header(`refresh-storm: ${CALLERS} concurrent callers after the access token expired (token lifetime ${TTL_S} s)`, [await machine()]);
  const running: { close?: () => Promise<void> } = {};
  watchdog('refresh-storm', 120_000, async () => running.close?.());
  const signed = await startSignedIn({ accessTokenTtl: TTL_S });
  running.close = () => signed.close();
  try {
    const { authMeter } = signed;
    console.log(`signed in through the browser as ${OPERATOR.email}\n`);

    // 1. The app: Session.getAccessToken() from every caller; the session single-flights the refresh.
    const session: Session = signed.session;
    await untilExpired(session.expiresAt());
    authMeter.reset();
    let t0 = performance.now();
    const settled = await Promise.allSettled(Array.from({ length: CALLERS }, () => session.getAccessToken()));
    let wallMs = performance.now() - t0;
    const tokens = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
    const appRefresh = await signed.storedRefreshToken();
    const app: Outcome = {
      variant: 'app session (single-flight)',
      wallMs,
      tokenRequests: authMeter.count('/oauth2/token'),
      served: tokens.length,
      failed: CALLERS - tokens.length,
      invalidGrant: 0,
      distinct: new Set(tokens).size,
      grantAlive: appRefresh !== null && (await signed.introspect(appRefresh)),
    };

    // 2. Naive: every caller that finds the token expired calls the OAuth client's refresh with the refresh token it has.
    //    A new sign-in gives a fresh grant; the same OAuth client code (oauth4webapi over undici) does the requests.
    await signed.signIn();
    const refreshToken = await signed.storedRefreshToken();
    if (!refreshToken) throw new Error('no refresh token was stored after the second sign-in');
    const oauth = createOAuthClient(signed.environment, { dispatcher: signed.authDispatcher, now: Date.now });
    await oauth.buildAuthorizationRequest(CUSTOM_SCHEME_REDIRECT); // discovery, so both variants start with it cached
    await sleep(TTL_S * 1000 + 50); // the second session's access token has expired too
    authMeter.reset();
    t0 = performance.now();
    const naive = await Promise.allSettled(Array.from({ length: CALLERS }, () => oauth.refresh(refreshToken)));
    wallMs = performance.now() - t0;
    const sets = naive.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : [])) as TokenSet[];
    const invalidGrant = naive.filter((s) => s.status === 'rejected' && describeOAuthFailure(s.reason).code === 'session_expired').length;
    const rotated = sets.flatMap((s) => (s.refreshToken ? [s.refreshToken] : []));
    let alive = false;
    for (const token of rotated) alive ||= await signed.introspect(token);
    const naiveOutcome: Outcome = {
      variant: 'naive: refresh per caller',
      wallMs,
      tokenRequests: authMeter.count('/oauth2/token'),
      served: sets.length,
      failed: CALLERS - sets.length,
      invalidGrant,
      distinct: new Set(sets.map((s) => s.accessToken)).size,
      grantAlive: alive,
    };

    printTable([app, naiveOutcome].map(row));
    console.log('');
    ratio('token-endpoint requests, naive / single-flight', naiveOutcome.tokenRequests / app.tokenRequests, 'above-1');
    ratio('wall time until every caller has an answer, naive / single-flight', naiveOutcome.wallMs / app.wallMs, 'above-1');
    await result('refresh-storm', app.tokenRequests, 'token requests', '= 1', app.tokenRequests === 1 && app.served === CALLERS && app.grantAlive, `${CALLERS} concurrent callers after expiry, the app's session (single-flight); naive: ${naiveOutcome.tokenRequests}`);
    if (!naiveOutcome.grantAlive) {
      console.log('note: the naive storm presented a rotated-out refresh token, so the server revoked the whole grant (reuse detection): the operator is signed out.');
    }
    console.log(`\nrefresh-storm: done in ${ms(performance.now() - started)}`);
  } finally {
    await signed.close();
  }
  finish();
}

await main();
