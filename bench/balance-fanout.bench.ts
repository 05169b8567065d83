// Balance fan-out: the app's bounded fan-out (createOperations) vs a sequential loop vs unbounded Promise.all, on the real sandbox.
//
// Every variant lists the operator's profiles and then loads every profile's balances through the app's own API client
// (createApiClient + createPaxosApi: bearer token, retries, zod-checked bodies); only the scheduling and the dispatcher
// differ. The sandbox adds a few ms of latency to every /v2 request so loopback resembles a network
// (FIELD-NOTES: measure "vs sequential" with latency injected). A second, latency-free part compares the app's fan-out
// with a raw undici load generator at the same concurrency: how close the app's client gets to the loopback ceiling.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, Pool, type Dispatcher } from 'undici';
import type { BalancesState } from '../shared/domain';
import { createApiDispatcher } from '../electron/core/api/dispatcher';
import { createApiClient } from '../electron/core/api/http-client';
import { createPaxosApi, type PaxosApi } from '../electron/core/api/paxos-api';
import type { Session } from '../electron/core/auth/session';
import { CoreEvents } from '../electron/core/events';
import { createOperations } from '../electron/core/operations';
import { createDispatchMeter } from './support/dispatch-meter';
import { finish, header, machine, ms, printTable, ratio, watchdog, type Cell } from './support/report';
import { startSignedIn, OPERATOR } from './support/signed-in';

const PROFILES = Number(process.env['BENCH_FANOUT_PROFILES'] ?? 2000);
const LATENCY_MS = Number(process.env['BENCH_FANOUT_LATENCY_MS'] ?? 3);
/** The app's default (OperationsTuning.balanceConcurrency). */
const APP_CONCURRENCY = 16;
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);

interface Outcome {
  readonly variant: string;
  readonly wallMs: number;
  readonly balances: number;
  readonly errors: number;
  readonly requests: number;
  readonly peakIssued: number;
  readonly peakOnWire: number;
}

/** The run with the median wall time. */
function median(runs: Outcome[]): Outcome {
  return [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor((runs.length - 1) / 2)]!;
}

function row(o: Outcome): Record<string, Cell> {
  return {
    variant: o.variant,
    wall: ms(o.wallMs),
    'balances ok': o.balances,
    errors: o.errors,
    'HTTP requests': o.requests,
    'peak issued': o.peakIssued,
    'peak on wire': o.peakOnWire,
    'req/s': Math.round((o.requests / o.wallMs) * 1000),
  };
}

/** The app as shipped: createOperations with the app's pooled dispatcher; start() lists profiles and fans out balances. */
async function appFanOut(session: Session, api: string, variant: string, concurrency = APP_CONCURRENCY): Promise<Outcome> {
  const meter = createDispatchMeter();
  const base = createApiDispatcher();
  const dataDir = await mkdtemp(join(tmpdir(), 'pc-bench-fanout-'));
  const events = new CoreEvents();
  const latest = new Map<string, BalancesState>();
  events.on('accounts:changed', (change) => {
    if (change.kind === 'balances') latest.set(change.profileId, change.balances);
  });
  const ops = createOperations({ tokens: session, apiBase: api, environment: 'sandbox-local', dataDir, events, dispatcher: meter.wrap(base), tuning: { balanceConcurrency: concurrency } });
  try {
    meter.reset();
    const t0 = performance.now();
    await ops.start();
    await ops.settled();
    const wallMs = performance.now() - t0;
    const states = [...latest.values()];
    return {
      variant,
      wallMs,
      balances: states.filter((s) => s.status === 'ready').length,
      errors: states.filter((s) => s.status === 'error' || s.status === 'forbidden').length,
      requests: meter.count('/v2/'),
      peakIssued: meter.peakIssued(),
      peakOnWire: meter.peakOnWire(),
    };
  } finally {
    await ops.close();
    await base.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The same API client over `dispatcher`, scheduled by `schedule` instead of the app's work queue. */
async function handRolled(
  session: Session,
  api: string,
  variant: string,
  dispatcher: Dispatcher,
  schedule: (ids: string[], paxos: PaxosApi) => Promise<Array<{ ok: boolean }>>,
): Promise<Outcome> {
  const meter = createDispatchMeter();
  const paxos = createPaxosApi(createApiClient({ baseUrl: api, dispatcher: meter.wrap(dispatcher), tokens: session }));
  try {
    meter.reset();
    const t0 = performance.now();
    const ids: string[] = [];
    const listed = await paxos.listAllProfiles((page) => ids.push(...page.map((p) => p.id)));
    if (!listed.ok) throw new Error(`${variant}: listing failed: ${listed.error.error.message}`);
    const results = await schedule(ids, paxos);
    const wallMs = performance.now() - t0;
    return {
      variant,
      wallMs,
      balances: results.filter((r) => r.ok).length,
      errors: results.filter((r) => !r.ok).length + (ids.length - results.length),
      requests: meter.count('/v2/'),
      peakIssued: meter.peakIssued(),
      peakOnWire: meter.peakOnWire(),
    };
  } finally {
    await dispatcher.close();
  }
}

const sequential = async (ids: string[], paxos: PaxosApi) => {
  const out: Array<{ ok: boolean }> = [];
  for (const id of ids) out.push(await paxos.getBalances(id));
  return out;
};
const unbounded = (ids: string[], paxos: PaxosApi) => Promise.all(ids.map((id) => paxos.getBalances(id)));

/** A raw load generator: `concurrency` loops of bare undici requests (no retries, no schema, no app code) over one Pool. */
async function rawLoad(api: string, token: string, ids: string[], concurrency: number): Promise<Outcome> {
  const origin = new URL(api).origin;
  const base = new URL(api).pathname;
  const pool = new Pool(origin, { connections: 32, pipelining: 1 });
  const meter = createDispatchMeter();
  const dispatcher = meter.wrap(pool);
  let next = 0;
  let ok = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        const res = await dispatcher.request({ method: 'GET', path: `${base}/profiles/${id}/balances?assets=USD,USDP,PYUSD,USDG`, headers: { authorization: `Bearer ${token}` } });
        await res.body.json();
        if (res.statusCode === 200) ok++;
        else errors++;
      } catch {
        errors++;
      }
    }
  };
  try {
    meter.reset();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: concurrency }, worker));
    const wallMs = performance.now() - t0;
    return { variant: `raw undici Pool, ${concurrency} loops (no app code)`, wallMs, balances: ok, errors, requests: meter.count(base), peakIssued: meter.peakIssued(), peakOnWire: meter.peakOnWire() };
  } finally {
    await pool.close();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  header(`balance-fanout: ${PROFILES.toLocaleString('en-US')} delegated profiles, sandbox latency ${LATENCY_MS} ms per /v2 request`, [await machine()]);
  const running: { close?: () => Promise<void> } = {};
  watchdog('balance-fanout', 240_000, async () => running.close?.());
  const signed = await startSignedIn({ seedProfiles: PROFILES - 3 });
  running.close = () => signed.close();
  try {
    const { session, sandbox } = signed;
    const delegated = sandbox.seed.profiles.filter((p) => p.operator === OPERATOR.subject).length;
    console.log(`signed in through the browser as ${OPERATOR.email}; ${delegated.toLocaleString('en-US')} profiles delegated\n`);

    sandbox.chaos.set({ latencyMs: LATENCY_MS });
    // Warm-up: connections, JIT, the server's JWKS cache (not measured).
    await appFanOut(session, sandbox.api, 'warm-up');

    // The fast variants run ROUNDS times in rotating order (the median is shown); the sequential loop once.
    const appRuns: Outcome[] = [];
    const pooledRuns: Outcome[] = [];
    const rawAllRuns: Outcome[] = [];
    const wideRuns: Outcome[] = [];
    const variants = [
      // The same app code with balanceConcurrency raised to the pool size (32): is the default leaving speed unused?
      async () => wideRuns.push(await appFanOut(session, sandbox.api, 'app fan-out, balanceConcurrency 32 (= pool size)', 32)),
      async () => appRuns.push(await appFanOut(session, sandbox.api, `app fan-out (createOperations, ${APP_CONCURRENCY} at once, pooled)`)),
      async () => pooledRuns.push(await handRolled(session, sandbox.api, 'unbounded Promise.all, app pooled dispatcher', createApiDispatcher(), unbounded)),
      // undici's default Agent has no connection limit: what a plain Promise.all over fetch/request gets.
      async () => rawAllRuns.push(await handRolled(session, sandbox.api, 'unbounded Promise.all, default Agent (no pool limit)', new Agent(), unbounded)),
    ];
    for (let round = 0; round < ROUNDS; round++) for (let i = 0; i < variants.length; i++) await variants[(i + round) % variants.length]!();
    const seq = await handRolled(session, sandbox.api, 'sequential loop, one at a time', createApiDispatcher(), sequential);
    const app = median(appRuns);
    const pooledAll = median(pooledRuns);
    const rawAll = median(rawAllRuns);
    const wide = median(wideRuns);
    console.log(`median of ${ROUNDS} rounds (sequential: 1 run):`);
    printTable([app, wide, pooledAll, rawAll, seq].map(row));
    console.log('');
    ratio('fan-out speed-up vs sequential (sequential wall / fan-out wall)', seq.wallMs / app.wallMs, 'above-1');
    ratio('unbounded (no pool limit) / bounded peak requests on the wire', rawAll.peakOnWire / app.peakOnWire, 'info', `${rawAll.peakOnWire} vs ${app.peakOnWire}`);
    ratio('unbounded (app pool) / bounded peak requests issued', pooledAll.peakIssued / app.peakIssued, 'info', `${pooledAll.peakIssued} vs ${app.peakIssued} queued or in flight in the client`);
    ratio('unbounded (no pool limit) / bounded wall time', rawAll.wallMs / app.wallMs, 'info');
    ratio('unbounded (app pool) / bounded wall time', pooledAll.wallMs / app.wallMs, 'info');
    ratio('app fan-out at 32 / at 16 (default) wall time', wide.wallMs / app.wallMs, 'info', 'below 1: more concurrency would still pay at this latency');
    const errors = (runs: Outcome[]) => runs.reduce((n, o) => n + o.errors, 0);
    const [eApp, ePooled, eRaw] = [errors(appRuns), errors(pooledRuns), errors(rawAllRuns)];
    console.log(
      `ratio: unbounded / bounded errors = ${eApp === 0 ? (eRaw === 0 ? 'n/a, 0 vs 0' : `${eRaw} vs 0`) : (eRaw / eApp).toFixed(2)} (info; over all rounds: ${eRaw} with no pool limit, ${ePooled} through the app pool, ${eApp} bounded)`,
    );

    // Loopback ceiling: no latency; the app's fan-out against a raw load generator at the same concurrency.
    sandbox.chaos.set({});
    const ids = sandbox.seed.profiles.filter((p) => p.operator === OPERATOR.subject).map((p) => p.id);
    const token = await session.getAccessToken();
    await rawLoad(sandbox.api, token, ids, APP_CONCURRENCY); // warm-up
    const fastRuns: Outcome[] = [];
    const rawRuns: Outcome[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const pair = [
        async () => fastRuns.push(await appFanOut(session, sandbox.api, `app fan-out (${APP_CONCURRENCY} at once), no latency`)),
        async () => rawRuns.push(await rawLoad(sandbox.api, token, ids, APP_CONCURRENCY)),
      ];
      if (round % 2) pair.reverse();
      for (const run of pair) await run();
    }
    const appFast = median(fastRuns);
    const raw = median(rawRuns);
    console.log(`\nno injected latency, median of ${ROUNDS} rounds (client and server share the CPUs: the server is the bottleneck):`);
    printTable([appFast, raw].map(row));
    console.log('');
    ratio('app fan-out / raw load generator throughput (req/s)', appFast.requests / appFast.wallMs / (raw.requests / raw.wallMs), 'info', 'the share of the loopback ceiling the app reaches');
    console.log(`\nbalance-fanout: done in ${ms(performance.now() - started)}`);
  } finally {
    await signed.close();
  }
  finish();
}

await main();
