// Crash safety, through either orders API: a child core SIGKILLed right after the journal fsync (before or after the POST
// landed); a new core reconciles by ref_id, through the API the order went to, without a duplicate.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Big from 'big.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { createTestIssuer } from '../../../support/api-tokens';
import { journalLines, openOperations, readAllFiles, tempDataDir, type OpsHandle } from '../../../support/operations-harness';
import type { CrashChildConfig, CrashPoint } from './crash-child';

const CHILD = join(import.meta.dirname, 'crash-child.ts');
const POINTS: Array<{ point: CrashPoint; amount: string }> = [
  { point: 'after-intent', amount: '11.00' },
  { point: 'after-sent', amount: '22.00' },
  { point: 'after-commit', amount: '33.00' },
];

let sb: ApiSandbox;
const dirs: Array<Awaited<ReturnType<typeof tempDataDir>>> = [];
const handles: OpsHandle[] = [];
beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: 300, issuer: await createTestIssuer() });
});
afterAll(async () => {
  const violations = handles.flatMap((h) => h.contractViolations);
  await Promise.all(handles.map((h) => h.ops.close()));
  await sb.close();
  await Promise.all(dirs.map((d) => d.remove()));
  expect(violations).toEqual([]);
});

/** What the server holds for a ref_id, through each API. */
const SERVER: Record<'orchestrations' | 'conversions', (refId: string) => Promise<Array<{ id: string }>>> = {
  conversions: async (refId) => (await sb.conversions()).filter((c) => c.ref_id === refId),
  orchestrations: async (refId) => (await sb.orchestrations()).filter((o) => o.ref_id === refId),
};

async function runChild(config: CrashChildConfig, configDir: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const file = join(configDir, `${config.ordersApi}-${config.crashPoint}.json`);
  await writeFile(file, JSON.stringify(config), { mode: 0o600 });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, file], { cwd: process.cwd(), stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`crash child ${config.crashPoint} did not finish: ${stderr}`));
    }, 45_000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
}

describe.each(['conversions', 'orchestrations'] as const)('crash between journal write and response (%s)', (ordersApi) => {
  it('reconciles each crash point on restart: never sent → rejected, sent → sent once, landed → adopted, no duplicates', async () => {
    const acme = sb.seed.profiles[0]!;
    const usd0 = await sb.balance(acme.id, 'USD');
    const configDir = await tempDataDir('pc-crash-config-');
    dirs.push(configDir);
    const runs = await Promise.all(POINTS.map(async ({ point, amount }) => ({ point, amount, data: await tempDataDir(`pc-crash-${ordersApi}-${point}-`) })));
    dirs.push(...runs.map((r) => r.data));
    const jwk = await sb.issuer.privateJwk();

    sb.chaos.set({ resetAfterCommitRate: 1 });
    const exits = await Promise.all(
      runs.map((r) =>
        runChild({ api: sb.api, dataDir: r.data.dir, jwk, crashPoint: r.point, ordersApi, order: { kind: 'mint', profileId: acme.id, asset: 'USDP', amount: r.amount } }, configDir.dir),
      ),
    );
    sb.chaos.set({});
    for (const exit of exits) expect(exit, exit.stderr).toMatchObject({ signal: 'SIGKILL' });

    const refOf = async (dir: string): Promise<{ refId: string; last: string }> => {
      const lines = await journalLines(dir);
      return { refId: String(lines[0]?.['refId']), last: String(lines.at(-1)?.['type']) };
    };
    const before = await Promise.all(runs.map((r) => refOf(r.data.dir)));
    expect(before.map((b) => b.last)).toEqual(['intent', 'sent', 'sent']);
    const onServer = SERVER[ordersApi];
    expect((await onServer(before[2]!.refId))).toHaveLength(1); // it landed; the child never learnt it
    const landedId = (await onServer(before[2]!.refId))[0]!.id;

    const after = await Promise.all(
      runs.map(async (r, i) => {
        // A new core whose environment now uses the other API still follows each order up through the one it went to.
        const h = openOperations(sb, r.data.dir, { ordersApi: ordersApi === 'conversions' ? 'orchestrations' : 'conversions' });
        handles.push(h);
        await h.ops.start();
        const order = await h.handlers['orders:get']({ refId: before[i]!.refId });
        if (!order.ok) throw new Error(order.error.message);
        return order.value;
      }),
    );
    expect(after[0]).toMatchObject({ status: 'rejected', serverId: null, ordersApi });
    expect(after[0]!.problem).toContain('Not sent');
    expect(['created', 'settled']).toContain(after[1]!.status);
    expect(['created', 'settled']).toContain(after[2]!.status);
    expect(after[2]!.serverId).toBe(landedId);
    expect(after.map((o) => o.ordersApi)).toEqual([ordersApi, ordersApi, ordersApi]);

    expect(await onServer(before[0]!.refId)).toHaveLength(0);
    expect(await onServer(before[1]!.refId)).toHaveLength(1);
    expect(await onServer(before[2]!.refId)).toHaveLength(1);
    expect(await sb.balance(acme.id, 'USD')).toBe(new Big(usd0).minus('22').minus('33').toFixed(2));

    for (const r of runs) {
      const states = (await journalLines(r.data.dir)).map((l) => l['type']);
      expect(['accepted', 'rejected']).toContain(states.at(-1));
      for (const { text } of await readAllFiles(r.data.dir)) expect(text).not.toMatch(/eyJ[A-Za-z0-9_-]{10,}\./);
    }
  });
});
