// Sign-in latency: the redirect handed to the core (deep-link intake) → the signed-in event, median of 20 sign-ins through
// the real core (createCore: oauth4webapi code exchange, the session, the keychain seam) against the real sandbox. The
// system browser's part (sandbox login and consent pages) runs over HTTP before the clock starts; each round signs out
// first (revocation), as an operator would.
import type { AuthState } from '../shared/domain';
import { beginSignIn, loginOverHttp, makeCore } from '../test/support/core-harness';
import { startSandbox } from '../sandbox/start';
import { finish, header, machine, ms, percentile, printTable, result, watchdog } from './support/report';

const ROUNDS = Number(process.env['BENCH_SIGNIN_ROUNDS'] ?? 20);

async function main(): Promise<void> {
  const started = performance.now();
  header(`signin: redirect handed to the core → signed-in event, ${ROUNDS} sign-ins (median)`, [await machine()]);
  watchdog('signin', 120_000);
  const sandbox = await startSandbox();
  const h = await makeCore(sandbox);
  try {
    const times: number[] = [];
    for (let i = 0; i <= ROUNDS; i++) {
      const now = await h.core.handlers['auth:getState']({});
      if (now.ok && now.value.status === 'signedIn') await h.core.handlers['auth:signOut']({});
      const { pending, url } = await beginSignIn(h);
      const redirect = await loginOverHttp(url);
      const signedIn = new Promise<number>((resolve) => {
        const onChange = (state: AuthState) => {
          if (state.status !== 'signedIn') return;
          h.core.events.off('auth:changed', onChange);
          resolve(performance.now());
        };
        h.core.events.on('auth:changed', onChange);
      });
      const t0 = performance.now();
      if (!h.core.handleDeepLink(redirect)) throw new Error('the core refused the redirect');
      const t1 = await signedIn;
      const res = await pending;
      if (!res.ok) throw new Error(`sign-in failed: ${res.error.message}`);
      if (i > 0) times.push(t1 - t0); // the first one warms up discovery, JIT and the JWKS cache
    }
    const median = percentile(times, 50);
    printTable([{ measure: 'redirect → signed-in event', median: ms(median), p90: ms(percentile(times, 90)), min: ms(Math.min(...times)), max: ms(Math.max(...times)), rounds: times.length }]);
    console.log('\n(includes the code exchange at the sandbox token endpoint, ID token checks, saving the refresh token in the in-memory keychain stand-in)');
    await result('signin', median, 'ms', '< 300 ms', median < 300, `median of ${times.length}: redirect handed to the core to the signed-in event`);
    console.log(`\nsignin: done in ${ms(performance.now() - started)}`);
  } finally {
    await h.close();
    await sandbox.close();
  }
  finish();
}

await main();
