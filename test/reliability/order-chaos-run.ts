// The order chaos run: seeded mint/redeem orders across delegated profiles through one operations instance, every sandbox chaos knob on; then what the server, the journal and the app hold.
import Big from 'big.js';
import { PUBLISHED_RATE_LIMITS } from '../../electron/core/api/rate-limits';
import { createRequestBudget } from '../../electron/core/api/request-budget';
import { runBounded } from '../../electron/core/api/work-queue';
import { mulberry32, type ChaosOptions } from '../../sandbox/resource/chaos';
import type { AppErrorCode } from '../../shared/app-error';
import { STABLECOINS, type OrdersApi, type Stablecoin } from '../../shared/domain';
import { startApiSandbox } from '../support/api-sandbox';
import { journalLines, openOperations, tempDataDir } from '../support/operations-harness';

export interface ChaosRunOptions {
  readonly api: OrdersApi;
  readonly orders: number;
  readonly profiles: number;
  readonly seed: number;
  /** Orders submitted at once (as from several windows). */
  readonly concurrency: number;
  /** How long the run may take to settle after the last submission before it gives up (ms). */
  readonly settleTimeoutMs: number;
}

/** Every figure the suite asserts on and prints. */
export interface ChaosRunResult {
  readonly seed: number;
  readonly api: OrdersApi;
  readonly submitted: number;
  /** Answers to orders:submit, by app status (accepted ones) or error code (refused before journaling, or rejected). */
  readonly answers: Record<string, number>;
  /** Submissions tried again by the driver because they were refused before anything was journaled (lockout, 5xx...). */
  readonly resubmitted: number;
  /** Submissions never journaled after every try (each refused before journaling; nothing of them was sent). */
  readonly notJournaled: number;
  readonly journaled: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Journal entries not final (accepted or rejected) at the end. */
  readonly unfinished: string[];
  readonly onServer: number;
  /** ref_ids the server holds more than once. */
  readonly duplicates: number;
  /** Accepted in the journal, absent on the server (or with another id). */
  readonly missing: string[];
  /** On the server but not accepted in the journal (rejected, unknown, or never journaled): money moved that the app denies. */
  readonly extra: string[];
  /** POSTs answered 403 whose order the server holds all the same: the "landed, then refused" case. */
  readonly landedThenRefused: number;
  readonly posts: number;
  readonly postsReset: number;
  readonly status429: number;
  readonly status503: number;
  readonly lockouts: number;
  /** Profile/asset balances on the sandbox that differ from its starting ledger plus the journal's accepted orders. */
  readonly ledgerMismatches: string[];
  /** Balances the app showed, after its own refreshes, that differed from the sandbox (then refreshed by the test). */
  readonly staleShown: number;
  /** Balances the app showed after a refresh that still differ from the sandbox. */
  readonly shownMismatches: string[];
  readonly seconds: number;
}

const TRADED = ['USD', ...STABLECOINS] as const;
const FUNDING: Record<(typeof TRADED)[number], string> = { USD: '2000.00', USDP: '500.00', PYUSD: '500.00', USDG: '500.00' };
/** Refused before anything was journaled, and worth trying again: a lockout, a busy server, an earlier order being checked. */
const RESUBMIT: ReadonlySet<AppErrorCode> = new Set(['rate_limited', 'unavailable', 'network', 'timeout', 'bad_response', 'cancelled']);
const ORDER_PATH = /^\/v2\/(orchestration\/orchestrations|conversion\/stablecoins)(\?|$)/;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inc = (counts: Record<string, number>, key: string) => void (counts[key] = (counts[key] ?? 0) + 1);

/** The chaos of the run: latency, 5xx, 429 bursts (the budget's lockout is short), resets before and after commit, funds before ref_id. */
export function chaosKnobs(seed: number): ChaosOptions {
  return {
    latencyMs: 1,
    errorRate: 0.04,
    resetBeforeCommitRate: 0.1,
    resetAfterCommitRate: 0.3,
    rateLimitBurst: { every: 100, retryAfterSeconds: 0 },
    fundsBeforeIdempotency: true,
    seed,
  };
}

export async function runOrderChaos(options: ChaosRunOptions): Promise<ChaosRunResult> {
  const started = performance.now();
  const tally = { postAnswers: 0, status429: 0, status503: 0, refused403: new Set<string>() };
  const sb = await startApiSandbox({
    seedProfiles: options.profiles,
    settleMs: 40,
    approvalThreshold: '100000000', // nothing waits for a second operator in this run
    instrument: (app) =>
      app.addHook('onResponse', async (request, reply) => {
        if (reply.statusCode === 429) tally.status429 += 1;
        if (reply.statusCode === 503) tally.status503 += 1;
        if (request.method !== 'POST' || !ORDER_PATH.test(request.url)) return;
        tally.postAnswers += 1;
        const refId = (request.body as { ref_id?: unknown } | undefined)?.ref_id;
        if (reply.statusCode === 403 && typeof refId === 'string') tally.refused403.add(refId);
      }),
  });
  const data = await tempDataDir('pc-chaos-');
  // The test environment's limits: Paxos's published ones, with a quarter-second lockout after a 429 instead of five minutes.
  const budget = createRequestBudget({ ...PUBLISHED_RATE_LIMITS, lockoutMs: 250 });
  const h = openOperations(sb, data.dir, {
    ordersApi: options.api,
    budget,
    tuning: {
      retry: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40, maxTotalMs: 10_000 },
      poll: { initialMs: 40, maxMs: 200, factor: 1.5 },
      recheckDelaysMs: [50, 100, 200, 400, 800, 1600],
    },
  });
  try {
    const profiles = sb.seed.profiles.slice(-options.profiles).map((p) => p.id);
    for (const id of profiles) {
      for (const asset of TRADED) {
        const res = await sb.direct('POST', `/sandbox/profiles/${id}/deposit`, { asset, amount: FUNDING[asset] });
        if (res.status !== 200) throw new Error(`funding ${id} ${asset}: ${res.status}`);
      }
    }
    await h.ops.start();
    await h.ops.settled();
    const ledger = new Map<string, Big>();
    for (const id of profiles) for (const asset of TRADED) ledger.set(`${id} ${asset}`, new Big(await sb.balance(id, asset)));

    const rng = mulberry32(options.seed);
    const plan = Array.from({ length: options.orders }, () => ({
      profileId: profiles[Math.floor(rng() * profiles.length)]!,
      kind: rng() < 0.5 ? ('mint' as const) : ('redeem' as const),
      asset: STABLECOINS[Math.floor(rng() * STABLECOINS.length)]! as Stablecoin,
      // Three in ten spend 60 % of what the app shows: once such a POST lands, what is left is less than the amount, so a
      // resend that checks funds first meets 403. The rest are small.
      big: rng() < 0.3,
      small: new Big(rng()).times('4.99').plus('0.01').toFixed(2),
    }));
    const answers: Record<string, number> = {};
    let resubmitted = 0;
    let notJournaled = 0;
    sb.chaos.set(chaosKnobs(options.seed));
    sb.resetStats();
    await runBounded(
      plan,
      options.concurrency,
      async (order) => {
        for (let attempt = 0; ; attempt++) {
          let amount = order.small;
          if (order.big) {
            const shown = await h.handlers['accounts:getBalances']({ profileId: order.profileId });
            const source = order.kind === 'mint' ? 'USD' : order.asset;
            const available = shown.ok && shown.value.status === 'ready' ? shown.value.items.find((b) => b.asset === source)?.available : undefined;
            const big = available === undefined ? null : new Big(available).times('0.6').round(2, Big.roundDown);
            if (big && big.gte('0.01')) amount = big.toFixed(2);
          }
          const res = await h.handlers['orders:submit']({ kind: order.kind, profileId: order.profileId, asset: order.asset, amount });
          if (res.ok) return inc(answers, res.value.status);
          if (!RESUBMIT.has(res.error.code) || attempt >= 60) {
            if (RESUBMIT.has(res.error.code)) notJournaled += 1;
            return inc(answers, res.error.code);
          }
          resubmitted += 1;
          // A lockout says until when; anything else is tried again shortly.
          const until = res.error.detail?.['until'];
          await sleep(until ? Math.max(10, Date.parse(until) - Date.now() + 5) : 20 + attempt * 5);
        }
      },
      new AbortController().signal,
    );
    const posts = sb.count('POST', options.api === 'orchestrations' ? '/orchestration/orchestrations' : '/conversion/stablecoins');

    // Chaos over: what the app does at its next start (reconcile every unfinished order by ref_id), until all is final.
    sb.chaos.set({});
    type Fold = { type: string; status?: string; id?: string; order?: { profileId: string; amount: string; sourceAsset: string; targetAsset: string } };
    const fold = async (): Promise<Map<string, Fold>> => {
      const entries = new Map<string, Fold>();
      for (const line of await journalLines(data.dir)) {
        const refId = String(line['refId']);
        const before = entries.get(refId);
        const rec = line as unknown as Fold & { order?: Fold['order'] };
        entries.set(refId, { ...before, type: rec.type, ...(rec.status ? { status: rec.status, id: rec.id } : {}), ...(rec.order ? { order: rec.order } : {}) } as Fold);
      }
      return entries;
    };
    const done = (e: Fold) => e.type === 'rejected' || (e.type === 'accepted' && (e.status === 'COMPLETED' || e.status === 'SETTLED'));
    const deadline = Date.now() + options.settleTimeoutMs;
    let entries = await fold();
    for (let round = 0; [...entries.values()].some((e) => !done(e)) && Date.now() < deadline; round++) {
      if (round % 20 === 0) await h.ops.start();
      await sleep(100);
      entries = await fold();
    }

    const server = options.api === 'orchestrations'
      ? (await sb.orchestrations()).map((o) => ({ id: o.id, refId: o.ref_id, status: o.status }))
      : (await sb.conversions()).map((c) => ({ id: c.id, refId: c.ref_id ?? '', status: c.status }));
    const byRef = new Map<string, Array<{ id: string; status: string }>>();
    for (const o of server) byRef.set(o.refId, [...(byRef.get(o.refId) ?? []), o]);
    const accepted = [...entries].filter(([, e]) => e.type === 'accepted');
    const missing = accepted.filter(([refId, e]) => byRef.get(refId)?.[0]?.id !== e.id).map(([refId]) => refId);
    const extra = [...byRef.keys()].filter((refId) => entries.get(refId)?.type !== 'accepted');

    // The sandbox's ledger = its starting balances + every accepted order of the journal (settled: source out, target in).
    const expected = new Map(ledger);
    for (const [, e] of accepted) {
      const o = e.order!;
      expected.set(`${o.profileId} ${o.sourceAsset}`, expected.get(`${o.profileId} ${o.sourceAsset}`)!.minus(o.amount));
      expected.set(`${o.profileId} ${o.targetAsset}`, expected.get(`${o.profileId} ${o.targetAsset}`)!.plus(o.amount));
    }
    const ledgerMismatches: string[] = [];
    const actual = new Map<string, string>();
    for (const [key, want] of expected) {
      const [id, asset] = key.split(' ') as [string, string];
      const got = await sb.balance(id, asset);
      actual.set(key, got);
      if (!new Big(got).eq(want)) ledgerMismatches.push(`${key}: sandbox ${got}, journal says ${want.toFixed()}`);
    }

    // What the app shows: its cached balances once its own refreshes have run; stale ones are refreshed as an operator would.
    let staleShown = 0;
    const shownMismatches: string[] = [];
    const shown = async (id: string, refresh: boolean) => {
      const res = await h.handlers['accounts:getBalances']({ profileId: id, ...(refresh ? { refresh } : {}) });
      return res.ok && res.value.status === 'ready' ? res.value.items : [];
    };
    const differs = (items: Awaited<ReturnType<typeof shown>>, id: string) =>
      TRADED.filter((asset) => {
        const item = items.find((b) => b.asset === asset);
        return !item || !new Big(item.available).eq(actual.get(`${id} ${asset}`)!);
      });
    for (const id of profiles) {
      let wrong = differs(await shown(id, false), id);
      for (let i = 0; i < 20 && wrong.length > 0; i++) {
        await sleep(25);
        wrong = differs(await shown(id, false), id);
      }
      if (wrong.length === 0) continue;
      staleShown += wrong.length;
      for (const asset of differs(await shown(id, true), id)) shownMismatches.push(`${id} ${asset}`);
    }

    return {
      seed: options.seed,
      api: options.api,
      submitted: options.orders,
      answers,
      resubmitted,
      notJournaled,
      journaled: entries.size,
      accepted: accepted.length,
      rejected: [...entries.values()].filter((e) => e.type === 'rejected').length,
      unfinished: [...entries].filter(([, e]) => !done(e)).map(([refId, e]) => `${refId} ${e.type}${e.status ? `:${e.status}` : ''}`),
      onServer: server.length,
      duplicates: [...byRef.values()].filter((list) => list.length > 1).length,
      missing,
      extra,
      landedThenRefused: [...tally.refused403].filter((refId) => byRef.has(refId)).length,
      posts,
      postsReset: posts - tally.postAnswers,
      status429: tally.status429,
      status503: tally.status503,
      lockouts: budget.snapshot().lockouts,
      ledgerMismatches,
      staleShown,
      shownMismatches,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    sb.chaos.set({});
    await h.ops.close();
    budget.close();
    await sb.close();
    await data.remove();
  }
}

/** One line of figures, as the suite prints it. */
export function describeRun(r: ChaosRunResult): string {
  const answers = Object.entries(r.answers).sort().map(([k, v]) => `${k} ${v}`).join(', ');
  return (
    `order chaos (${r.api}, seed ${r.seed}): ${r.submitted} orders submitted (${r.resubmitted} resubmissions after refusals before journaling; answers: ${answers}); ` +
    `${r.journaled} journaled -> ${r.accepted} accepted, ${r.rejected} rejected, ${r.unfinished.length} unfinished; ` +
    `on server ${r.onServer}, duplicates ${r.duplicates}, missing ${r.missing.length}, extra ${r.extra.length}; ` +
    `landed-then-refused (403 on a POST that had landed) ${r.landedThenRefused}; POSTs ${r.posts} (${r.postsReset} reset), 429s ${r.status429} (${r.lockouts} lockouts), 503s ${r.status503}; ` +
    `ledger mismatches ${r.ledgerMismatches.length}, balances shown stale after the run ${r.staleShown}, wrong after refresh ${r.shownMismatches.length}; ${r.seconds.toFixed(1)} s\n`
  );
}
