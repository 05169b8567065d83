// Crash suite (issue #13): child cores SIGKILLed at seeded random points, with ENOSPC/EIO on the journal; after restart and reconciliation, 0 duplicates, 0 lost.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestIssuer } from '../support/api-tokens';
import { openOperations, tempDataDir } from '../support/operations-harness';
import { compare, journalOnDisk, serverOrders, type Answer, type LaneCheck } from './order-crash-check';
import { bundleChild, openLane, type Lane } from './order-crash-lane';
import { planIteration, seededRandom } from './order-crash-plan';

const FULL = process.env['CHAOS_FULL'] === '1';
const ITERATIONS = FULL ? 100 : 10;
const LANES = 2;
const ORDERS_PER_CHILD = 6;
const SEED = process.env['CRASH_SEED'] ? Number(process.env['CRASH_SEED']) : 7;
/** A reconciling restart in the parent after this share of the iterations (and after each lane's last); otherwise the next child reconciles. */
const VERIFY_SHARE = 0.25;

let child: Awaited<ReturnType<typeof bundleChild>>;
let root: Awaited<ReturnType<typeof tempDataDir>>;
const lanes: Lane[] = [];
beforeAll(async () => {
  child = await bundleChild();
  root = await tempDataDir('pc-order-crash-');
  const issuer = await createTestIssuer();
  const jwk = await issuer.privateJwk();
  for (let id = 0; id < LANES; id++) {
    const dataDir = join(root.dir, `lane${id}`);
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    lanes.push(await openLane({ id, issuer, jwk, childPath: child.path, dataDir, configDir: root.dir, timeoutMs: 30_000 }));
  }
});
afterAll(async () => {
  await Promise.all(lanes.map((l) => l.close()));
  await root?.remove();
  await child?.remove();
});

interface LaneResult {
  readonly iterations: number;
  readonly kills: string[];
  readonly injected: string[];
  readonly answers: Answer[];
  readonly violations: string[];
  readonly verifications: number;
  readonly final: LaneCheck;
}

/** A restart that only reconciles (by ref_id, resending what never landed) and polls until statuses match the server. */
async function restartAndReconcile(lane: Lane, answers: readonly Answer[]): Promise<{ check: LaneCheck; contract: string[] }> {
  const h = openOperations(lane.sb, lane.dataDir);
  try {
    await h.ops.start();
    const deadline = performance.now() + 20_000;
    for (;;) {
      const check = compare(await journalOnDisk(lane.dataDir), await serverOrders(lane.sb), answers, true);
      if ((check.lost.length === 0 && check.stale.length === 0) || performance.now() > deadline) return { check, contract: [...h.contractViolations] };
      await sleep(100);
    }
  } finally {
    await h.ops.close();
  }
}

async function runLane(lane: Lane): Promise<LaneResult> {
  const random = seededRandom(SEED * 7_919 + lane.id);
  let amounts = 0;
  const nextAmount = (): string => (++amounts / 100).toFixed(2);
  const result = { iterations: 0, kills: [] as string[], injected: [] as string[], answers: [] as Answer[], violations: [] as string[], verifications: 0 };
  let final: LaneCheck | null = null;
  const reported = new Set<string>();
  /** Each violation once, where it was first seen (a later check of the same lane finds it again). */
  const found = (where: string, check: LaneCheck, keys: ReadonlyArray<keyof LaneCheck>): void => {
    for (const key of keys) {
      for (const v of check[key] as string[]) {
        if (reported.has(`${key}: ${v}`)) continue;
        reported.add(`${key}: ${v}`);
        result.violations.push(`${where}: ${key}: ${v}`);
      }
    }
  };
  for (let k = lane.id; k < ITERATIONS; k += LANES) {
    const where = `seed ${SEED}, lane ${lane.id}, iteration ${k}`;
    const plan = planIteration(random, lane.sb.seed, k, ORDERS_PER_CHILD, nextAmount);
    const t0 = performance.now();
    const run = await lane.runChild(plan);
    if (process.env['CRASH_VERBOSE'] === '1') {
      const said = run.answers.map((a) => (a.ok ? a.status : a.code)).join(' ');
      process.stdout.write(`${where}: ${plan.ordersApi} ${JSON.stringify(plan.kill)} → ${run.killedAt} after ${Math.round(performance.now() - t0)} ms; answers [${said}]; faults [${run.faults.join(' ')}]\n`);
    }
    result.iterations += 1;
    result.kills.push(run.killedAt ?? 'unknown');
    result.injected.push(...run.faults);
    if (run.exit?.signal !== 'SIGKILL' || run.killedAt === 'timeout') result.violations.push(`${where}: the child ended ${JSON.stringify(run.exit)} at ${run.killedAt}: ${run.stderr.slice(0, 500)}`);
    result.answers.push(...run.answers.map((a) => ({ amount: plan.orders[a.i]!.amount, ok: a.ok, code: a.code, message: a.message })));
    // Right after the kill, before anyone reconciles: nothing twice on the server, nothing there the journal does not know.
    found(`${where}, killed ${run.killedAt}`, compare(await journalOnDisk(lane.dataDir), await serverOrders(lane.sb), [], false), ['duplicates', 'orphans']);
    if (random() < VERIFY_SHARE || k + LANES >= ITERATIONS) {
      const { check, contract } = await restartAndReconcile(lane, result.answers);
      result.verifications += 1;
      found(`${where}, after restart and reconciliation`, check, ['duplicates', 'orphans', 'lost', 'stale', 'phantoms', 'unheard']);
      result.violations.push(...contract.map((c) => `${where}: contract: ${c}`));
      final = check;
    }
  }
  return { ...result, final: final! };
}

const tally = (items: readonly string[]): string =>
  Object.entries(items.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {}))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');

describe(`order crash suite (${FULL ? 'full' : 'short'} form)`, () => {
  it(`${ITERATIONS} child cores SIGKILLed at random points, some with ENOSPC/EIO on the journal: 0 duplicates, 0 lost, nothing answered "not sent" ever sent`, { timeout: FULL ? 1_200_000 : 120_000 }, async () => {
    const started = performance.now();
    const results = await Promise.all(lanes.map(runLane));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const all = <K extends keyof LaneResult>(key: K) => results.flatMap((r) => r[key] as unknown as string[]);
    const sum = (f: (r: LaneResult) => number): number => results.reduce((n, r) => n + f(r), 0);
    const answers = results.flatMap((r) => r.answers);
    const injected = all('injected');
    process.stdout.write(
      [
        `order crash suite (${FULL ? 'full' : 'short'} form, seed ${SEED}, ${LANES} lanes):`,
        `  iterations ${sum((r) => r.iterations)}, restarts that only reconcile ${sum((r) => r.verifications)}, time ${seconds} s`,
        `  kill points hit (${new Set(all('kills')).size} kinds): ${tally(all('kills'))}`,
        `  orders journaled ${sum((r) => r.final.journaled)} (orchestrations ${sum((r) => r.final.byApi.orchestrations)}, conversions ${sum((r) => r.final.byApi.conversions)}), on the server ${sum((r) => r.final.onServer)}`,
        `  answers ${answers.length}: ok ${answers.filter((a) => a.ok).length}, storage ${answers.filter((a) => a.code === 'storage').length}, other errors ${answers.filter((a) => !a.ok && a.code !== 'storage').length}`,
        `  injected faults ${injected.length} (ENOSPC ${injected.filter((f) => f.endsWith('ENOSPC')).length}, EIO ${injected.filter((f) => f.endsWith('EIO')).length}): ${tally(injected.map((f) => f.split(':').slice(1).join(':')))}`,
        `  duplicates ${sum((r) => r.final.duplicates.length)}, lost ${sum((r) => r.final.lost.length)}, on the server though answered "not sent" ${sum((r) => r.final.phantoms.length)} (answers that said it may still be sent after a restart: ${sum((r) => r.final.hedged)}), violations ${all('violations').length}`,
        '',
      ].join('\n'),
    );
    expect(all('violations')).toEqual([]);
    expect(sum((r) => r.final.journaled)).toBeGreaterThan(0);
    expect(sum((r) => r.final.byApi.conversions)).toBeGreaterThan(0);
  });
});
