// One lane of the crash suite: its own sandbox and data dir, and a child core per iteration, killed where the plan says.
import { spawn, type ChildProcess } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import type { FastifyRequest } from 'fastify';
import type { JWK } from 'jose';
import { startApiSandbox, type ApiSandbox } from '../support/api-sandbox';
import type { TestIssuer } from '../support/api-tokens';
import type { ChildKill, CrashChildConfig } from '../electron/core/orders/crash-child';
import type { IterationPlan, ParentKill } from './order-crash-plan';

const CHILD_SOURCE = join(import.meta.dirname, '../electron/core/orders/crash-child.ts');

/**
 * The child as one ES module (its TypeScript bundled, packages left to node_modules): a plain `node` start is several
 * times faster than going through tsx, which is what lets the short form run ten children within `npm test`.
 */
export async function bundleChild(): Promise<{ path: string; remove(): Promise<void> }> {
  const path = join(process.cwd(), 'node_modules', '.cache', `pc-crash-child-${process.pid}.mjs`);
  await build({ entryPoints: [CHILD_SOURCE], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: path, logLevel: 'silent' });
  return { path, remove: () => rm(path, { force: true }) };
}

/** What the child said and how it ended. */
export interface ChildRun {
  readonly plan: IterationPlan;
  /** Where it died: the child's own kill point, or the parent's (`timer:*`, `post-*`, `idle`). */
  killedAt: string | null;
  readonly answers: Array<{ i: number; ok: boolean; code?: string; message?: string; status?: string }>;
  /** Injected faults, `file:op:code`. */
  readonly faults: string[];
  ready: boolean;
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  stderr: string;
}

export interface Lane {
  readonly id: number;
  readonly sb: ApiSandbox;
  readonly dataDir: string;
  /** Runs one child to its death; resolves once it has exited. */
  runChild(plan: IterationPlan): Promise<ChildRun>;
  close(): Promise<void>;
}

const isParentKill = (kill: IterationPlan['kill']): kill is ParentKill => kill.at === 'timer' || kill.at === 'post-received' || kill.at === 'post-answered';

const ORDER_POSTS = new Set(['/v2/orchestration/orchestrations', '/v2/conversion/stablecoins']);
const isOrderPost = (request: FastifyRequest): boolean => request.method === 'POST' && ORDER_POSTS.has(request.url.split('?')[0] ?? '');

export async function openLane(options: { id: number; issuer: TestIssuer; jwk: JWK; childPath: string; dataDir: string; configDir: string; timeoutMs: number }): Promise<Lane> {
  /** The running child and its parent-side kill, if any; the server's hooks kill it when the plan says. */
  let current: { child: ChildProcess; run: ChildRun; kill: ParentKill | null; posts: { received: number; answered: number }; exited: Promise<void> } | null = null;

  const killNow = async (label: string): Promise<void> => {
    const c = current;
    if (!c || c.run.exit) return;
    c.run.killedAt ??= label;
    c.child.kill('SIGKILL');
    await c.exited;
  };
  const onPost = async (stage: 'received' | 'answered'): Promise<void> => {
    const c = current;
    if (!c) return;
    c.posts[stage] += 1;
    // Before the handler runs: the child is dead before the order is written, which then lands with nobody to hear.
    if (c.kill?.at === `post-${stage}` && 'nth' in c.kill && c.posts[stage] === c.kill.nth) await killNow(`post-${stage}`);
  };
  const sb = await startApiSandbox({
    settleMs: 150,
    issuer: options.issuer,
    instrument: (app) => {
      app.addHook('preHandler', async (request) => {
        if (isOrderPost(request)) await onPost('received');
      });
      app.addHook('onResponse', async (request) => {
        if (isOrderPost(request)) await onPost('answered');
      });
    },
  });
  let iteration = 0;

  async function runChild(plan: IterationPlan): Promise<ChildRun> {
    const parentKill = isParentKill(plan.kill) ? plan.kill : null;
    const childKill: ChildKill = isParentKill(plan.kill) ? { at: 'external' } : plan.kill;
    const config: CrashChildConfig = {
      api: sb.api,
      dataDir: options.dataDir,
      jwk: options.jwk,
      ordersApi: plan.ordersApi,
      run: { orders: plan.orders, concurrency: plan.concurrency, kill: childKill, faults: plan.faults },
    };
    const file = join(options.configDir, `lane${options.id}-${iteration++}.json`);
    await writeFile(file, JSON.stringify(config), { mode: 0o600 });
    const run: ChildRun = { plan, killedAt: null, answers: [], faults: [], ready: false, exit: null, stderr: '' };
    const child = spawn(process.execPath, [options.childPath, file], { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => child.on('close', (code, signal) => ((run.exit = { code, signal }), resolve())));
    current = { child, run, kill: parentKill, posts: { received: 0, answered: 0 }, exited };
    const timers: NodeJS.Timeout[] = [];
    const arm = (ms: number): void => void timers.push(setTimeout(() => void killNow(run.ready ? 'timer:submitting' : 'timer:start-up'), ms));
    const readyTimer = plan.kill.at === 'timer' && plan.kill.from === 'ready' ? plan.kill.ms : null;
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf('\n'); nl >= 0; nl = buffered.indexOf('\n')) {
        const line = JSON.parse(buffered.slice(0, nl)) as { e: string; [key: string]: unknown };
        buffered = buffered.slice(nl + 1);
        if (line.e === 'ready') {
          run.ready = true;
          if (readyTimer !== null) arm(readyTimer);
        }
        else if (line.e === 'fault') run.faults.push(String(line['op']));
        else if (line.e === 'answer') run.answers.push(line as unknown as ChildRun['answers'][number]);
        else if (line.e === 'kill') run.killedAt = String(line['point']);
        else if (line.e === 'done') void killNow('idle');
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (run.stderr += chunk.toString()));
    if (plan.kill.at === 'timer' && plan.kill.from === 'spawn') arm(plan.kill.ms);
    const guard = setTimeout(() => void killNow('timeout'), options.timeoutMs);
    await exited;
    for (const t of [...timers, guard]) clearTimeout(t);
    current = null;
    return run;
  }

  return { id: options.id, sb, dataDir: options.dataDir, runChild, close: () => sb.close() };
}
