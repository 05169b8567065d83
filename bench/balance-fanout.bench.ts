// Balance fan-out with the sandbox's limits off: the app's fan-out (createOperations) against a sequential loop and unbounded
// Promise.all with 20 ms of injected latency (fanout-latency), and against a raw undici Pool on the same endpoint with no
// latency (fanout-efficiency: the share of the loopback ceiling the app reaches).
//
// Every app variant lists the operator's profiles and then reads every profile's balances through the app's own API client
// (createApiClient + createPaxosApi: budget, bearer token, retries, zod-checked bodies); the hand-rolled variants differ only
// in scheduling and dispatcher. FIELD-NOTES: measure "vs sequential" with latency injected, "vs a raw load generator" without.
// The sandbox runs in its own process (the real API is remote): in this one it would charge its own work to the client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, Pool, type Dispatcher } from 'undici';
import type { BalancesState } from '../shared/domain';
import { createApiDispatcher } from '../electron/core/api/dispatcher';
import { createApiClient } from '../electron/core/api/http-client';
import { createPaxosApi, type PaxosApi } from '../electron/core/api/paxos-api';
import { createRequestBudget } from '../electron/core/api/request-budget';
import type { Session } from '../electron/core/auth/session';
import { CoreEvents } from '../electron/core/events';
import { createOperations, DEFAULT_BALANCE_CONCURRENCY } from '../electron/core/operations';
import { createDispatchMeter } from './support/dispatch-meter';
import { finish, header, machine, ms, printTable, ratio, result, watchdog, type Cell } from './support/report';
import { startChildSandbox } from './support/sandbox-child';
import { signInTo, OPERATOR } from './support/signed-in';

const PROFILES = Number(process.env['BENCH_FANOUT_PROFILES'] ?? 2000);
const LATENCY_PROFILES = Number(process.env['BENCH_FANOUT_LATENCY_PROFILES'] ?? 600);
const LATENCY_MS = Number(process.env['BENCH_FANOUT_LATENCY_MS'] ?? 20);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
/** The efficiency pair is short (about a second a round): more rounds, so the median is not one busy moment. */
const EFFICIENCY_ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 7);

interface Outcome {
  readonly variant: string;
  readonly wallMs: number;
  /** Balance reads per second, from the first one sent to the last one answered (the listing before them excluded). */
  readonly balanceRate: number;
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

const reqPerSecond = (o: Outcome): number => (o.requests / o.wallMs) * 1000;
const isBalanceRead = (path: string): boolean => /\/profiles\/[^/?]+\/balances/.test(path);
const rate = (span: { count: number; ms: number }): number => (span.ms > 0 ? (span.count / span.ms) * 1000 : 0);

function row(o: Outcome): Record<string, Cell> {
  return {
    variant: o.variant,
    wall: ms(o.wallMs),
    'balances ok': o.balances,
    errors: o.errors,
    'HTTP requests': o.requests,
    'peak issued': o.peakIssued,
    'peak on wire': o.peakOnWire,
    'req/s': Math.round(reqPerSecond(o)),
    'balance reads/s': Math.round(o.balanceRate),
  };
}

/** The app as shipped: createOperations over the app's pooled dispatcher; start() lists profiles and fans out balances. */
async function appFanOut(session: Session, api: string, variant: string): Promise<Outcome> {
  const meter = createDispatchMeter();
  const base = createApiDispatcher();
  const dataDir = await mkdtemp(join(tmpdir(), 'pc-bench-fanout-'));
  const events = new CoreEvents();
  const latest = new Map<string, BalancesState>();
  events.on('accounts:changed', (change) => {
    if (change.kind === 'balances') latest.set(change.profileId, change.balances);
  });
  // Limits off: this measures the fan-out itself, not the budget (fanout-limits.bench.ts measures that).
  const budget = createRequestBudget('off');
  const ops = createOperations({ tokens: session, apiBase: api, environment: 'sandbox-local', dataDir, events, dispatcher: meter.wrap(base), budget });
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
      balanceRate: rate(meter.span(isBalanceRead)),
      requests: meter.count('/v2/'),
      peakIssued: meter.peakIssued(),
      peakOnWire: meter.peakOnWire(),
    };
  } finally {
    await ops.close();
    budget.close();
    await base.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The same API client over `dispatcher`, scheduled by `schedule` instead of the app's work queue. */
async function handRolled(session: Session, api: string, variant: string, dispatcher: Dispatcher, schedule: (ids: string[], paxos: PaxosApi) => Promise<Array<{ ok: boolean }>>): Promise<Outcome> {
  const meter = createDispatchMeter();
  const budget = createRequestBudget('off');
  const paxos = createPaxosApi(createApiClient({ baseUrl: api, dispatcher: meter.wrap(dispatcher), tokens: session, budget }));
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
      balanceRate: rate(meter.span(isBalanceRead)),
      requests: meter.count('/v2/'),
      peakIssued: meter.peakIssued(),
      peakOnWire: meter.peakOnWire(),
    };
  } finally {
    budget.close();
    await dispatcher.close();
  }
}

const sequential = async (ids: string[], paxos: PaxosApi) => {
  const out: Array<{ ok: boolean }> = [];
  for (const id of ids) out.push(await paxos.getBalances(id));
  return out;
};
const unbounded = (ids: string[], paxos: PaxosApi) => Promise.all(ids.map((id) => paxos.getBalances(id)));

/** A raw load generator: `concurrency` loops of bare undici requests on the app's endpoint (no app code) over one Pool. */
async function rawLoad(api: string, token: string, ids: string[], concurrency: number): Promise<Outcome> {
  const origin = new URL(api).origin;
  const base = new URL(api).pathname;
  const pool = new Pool(origin, { connections: 48, pipelining: 1 });
  const meter = createDispatchMeter();
  const dispatcher = meter.wrap(pool);
  let next = 0;
  let ok = 0;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (next < ids.length) {
      const id = ids[next++]!;
      try {
        // Exactly the request the app sends (GET /profiles/{id}/balances, every listed asset).
        const res = await dispatcher.request({ method: 'GET', path: `${base}/profiles/${id}/balances`, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
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
    return { variant: `raw undici Pool, ${concurrency} loops (no app code)`, wallMs, balanceRate: rate(meter.span(isBalanceRead)), balances: ok, errors, requests: meter.count(base), peakIssued: meter.peakIssued(), peakOnWire: meter.peakOnWire() };
  } finally {
    await pool.close();
  }
}

/** fanout-latency: the app against a sequential loop and unbounded Promise.all, every /v2 request delayed LATENCY_MS. */
async function latencyPart(): Promise<void> {
  const signed = await signInTo(await startChildSandbox({ seedProfiles: LATENCY_PROFILES - 3 }));
  try {
    const { session, sandbox } = signed;
    await sandbox.setChaos({ latencyMs: LATENCY_MS });
    console.log(`${LATENCY_PROFILES.toLocaleString('en-US')} profiles, sandbox latency ${LATENCY_MS} ms per /v2 request, limits off:`);
    await appFanOut(session, sandbox.api, 'warm-up');
    const appRuns: Outcome[] = [];
    const pooledRuns: Outcome[] = [];
    const agentRuns: Outcome[] = [];
    const variants = [
      async () => appRuns.push(await appFanOut(session, sandbox.api, `app fan-out (createOperations, ${DEFAULT_BALANCE_CONCURRENCY} at once, pooled)`)),
      async () => pooledRuns.push(await handRolled(session, sandbox.api, 'unbounded Promise.all, app pooled dispatcher', createApiDispatcher(), unbounded)),
      // undici's default Agent has no connection limit: what a plain Promise.all over fetch/request gets.
      async () => agentRuns.push(await handRolled(session, sandbox.api, 'unbounded Promise.all, default Agent (no pool limit)', new Agent(), unbounded)),
    ];
    for (let round = 0; round < ROUNDS; round++) for (let i = 0; i < variants.length; i++) await variants[(i + round) % variants.length]!();
    const seq = await handRolled(session, sandbox.api, 'sequential loop, one at a time', createApiDispatcher(), sequential);
    const [app, pooled, agent] = [median(appRuns), median(pooledRuns), median(agentRuns)];
    console.log(`median of ${ROUNDS} rounds (sequential: 1 run):`);
    printTable([app, pooled, agent, seq].map(row));
    console.log('');
    const speedUp = seq.wallMs / app.wallMs;
    ratio('fan-out speed-up vs sequential (sequential wall / fan-out wall)', speedUp, 'above-1');
    ratio('unbounded (no pool limit) / bounded peak requests on the wire', agent.peakOnWire / app.peakOnWire, 'info', `${agent.peakOnWire} vs ${app.peakOnWire}`);
    ratio('unbounded (app pool) / bounded wall time', pooled.wallMs / app.wallMs, 'info');
    await result('fanout-latency', speedUp, 'x', '>= 20x', speedUp >= 20, `app fan-out vs sequential, ${LATENCY_MS} ms latency, ${LATENCY_PROFILES} profiles, limits off`);
  } finally {
    await signed.close();
  }
}

/** fanout-efficiency: no latency, the app against a raw load generator at the same concurrency on the same endpoint. */
async function efficiencyPart(): Promise<void> {
  const signed = await signInTo(await startChildSandbox({ seedProfiles: PROFILES - 3 }));
  try {
    const { session, sandbox } = signed;
    const delegated = sandbox.seed.profiles.filter((p) => p.operator === OPERATOR.subject);
    console.log(`\n${delegated.length.toLocaleString('en-US')} profiles, no injected latency, limits off (client and server share the CPUs: the server is the bottleneck):`);
    const ids = delegated.map((p) => p.id);
    const token = await session.getAccessToken();
    await appFanOut(session, sandbox.api, 'warm-up');
    await rawLoad(sandbox.api, token, ids, DEFAULT_BALANCE_CONCURRENCY); // warm-up
    const appRuns: Outcome[] = [];
    const rawRuns: Outcome[] = [];
    for (let round = 0; round < EFFICIENCY_ROUNDS; round++) {
      const pair = [
        async () => appRuns.push(await appFanOut(session, sandbox.api, `app fan-out (${DEFAULT_BALANCE_CONCURRENCY} at once)`)),
        async () => rawRuns.push(await rawLoad(sandbox.api, token, ids, DEFAULT_BALANCE_CONCURRENCY)),
      ];
      if (round % 2) pair.reverse();
      for (const run of pair) await run();
    }
    const [app, raw] = [median(appRuns), median(rawRuns)];
    console.log(`median of ${EFFICIENCY_ROUNDS} rounds:`);
    printTable([app, raw].map(row));
    console.log('');
    // Balance reads per second from the first sent to the last answered: the app's start-up and listing are not the fan-out.
    const share = app.balanceRate / raw.balanceRate;
    ratio('app fan-out / raw load generator balance reads per second', share, 'above-1', 'the share of the loopback ceiling the app reaches');
    ratio('app start to settled / raw wall time (listing and start-up included)', app.wallMs / raw.wallMs, 'info');
    await result('fanout-efficiency', share, 'x', '>= 0.8x', share >= 0.8, `app balance reads/s / raw undici Pool's, same endpoint and concurrency (${DEFAULT_BALANCE_CONCURRENCY}), ${PROFILES} profiles, limits off`);
  } finally {
    await signed.close();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  header('balance-fanout: the app fan-out vs sequential (with latency) and vs a raw load generator (without)', [await machine()]);
  watchdog('balance-fanout', 240_000);
  await latencyPart();
  await efficiencyPart();
  console.log(`\nbalance-fanout: done in ${ms(performance.now() - started)}`);
  finish();
}

await main();
