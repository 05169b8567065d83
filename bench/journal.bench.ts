// The price of durability: the order journal's append + fsync per intent vs the same records kept in memory (and written
// without fsync), on the real journal (electron/core/orders/journal.ts) in a temporary directory on this machine's disk.
// For scale, a second part times whole order submissions through createOperations against the real sandbox resource
// server on loopback, counting the journal records each one writes.
import { randomUUID } from 'node:crypto';
import { mkdtemp, open, rm, statfs } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { foldRecord, JournalRecordSchema, openJournal, type JournalEntry, type JournalInput } from '../electron/core/orders/journal';
import { startApiSandbox } from '../test/support/api-sandbox';
import { OPS } from '../test/support/api-tokens';
import { openOperations } from '../test/support/operations-harness';
import { finish, fmt, header, machine, ms, printTable, ratio, watchdog, type Cell } from './support/report';

const RECORDS = Number(process.env['BENCH_JOURNAL_RECORDS'] ?? 500);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const SUBMITS = Number(process.env['BENCH_JOURNAL_SUBMITS'] ?? 50);
const ACME = 'a0000001-0000-4000-8000-000000000001';

function intents(n: number): JournalInput[] {
  return Array.from({ length: n }, () => ({
    type: 'intent' as const,
    refId: randomUUID(),
    operator: OPS.subject,
    environment: 'sandbox-local',
    order: {
      kind: 'mint' as const,
      profileId: ACME,
      asset: 'USDP' as const,
      amount: '125.50',
      sourceAsset: 'USD' as const,
      targetAsset: 'USDP' as const,
      identityId: 'b0000001-0000-4000-8000-000000000001',
      accountId: 'c0000001-0000-4000-8000-000000000001',
    },
  }));
}

type Variant = (dir: string, inputs: JournalInput[]) => Promise<void>;

/** The real journal, one intent at a time: each append resolves once the line is fsync'd (what one submit waits for). */
const durableSequential: Variant = async (dir, inputs) => {
  const journal = await openJournal({ dataDir: dir, clock: () => new Date() });
  for (const input of inputs) if (!(await journal.append(input))) throw new Error('append skipped');
  await journal.close();
};

/** The real journal, every intent at once: concurrent appends share one write + fsync per batch (group commit). */
const durableConcurrent: Variant = async (dir, inputs) => {
  const journal = await openJournal({ dataDir: dir, clock: () => new Date() });
  await Promise.all(inputs.map((input) => journal.append(input)));
  await journal.close();
};

/** The same validation and JSON line, appended to the file without fsync (the page cache decides when it hits the disk). */
const writeOnly: Variant = async (dir, inputs) => {
  const handle = await open(join(dir, 'no-fsync.jsonl'), 'a', 0o600);
  for (const input of inputs) {
    const record = JournalRecordSchema.parse({ ...input, v: 1, at: new Date().toISOString() });
    await handle.appendFile(`${JSON.stringify(record)}\n`, 'utf8');
  }
  await handle.close();
};

/** No file at all: the journal's own validation and fold into a Map, which is all an in-memory journal would do. */
const inMemory: Variant = async (_dir, inputs) => {
  const entries = new Map<string, JournalEntry>();
  for (const input of inputs) {
    const record = JournalRecordSchema.parse({ ...input, v: 1, at: new Date().toISOString() });
    const folded = foldRecord(entries.get(record.refId), record);
    if (!folded) throw new Error('fold skipped');
    entries.set(record.refId, folded);
    await Promise.resolve(); // an async append, like the real one
  }
};

const VARIANTS: Array<[string, Variant]> = [
  ['journal: append + fsync, one at a time', durableSequential],
  [`journal: ${RECORDS} appends at once (group commit)`, durableConcurrent],
  ['append without fsync, one at a time', writeOnly],
  ['in memory (no file, no fsync)', inMemory],
];

async function main(): Promise<void> {
  watchdog('journal', 120_000);
  const started = performance.now();
  const root = await mkdtemp(join(tmpdir(), 'pc-bench-journal-'));
  const fs = await statfs(root);
  header(`journal: ${RECORDS} order intents, ${ROUNDS} rounds (median), files in ${tmpdir()} (filesystem type 0x${fs.type.toString(16)})`, [await machine()]);
  try {
    const times = new Map<string, number[]>(VARIANTS.map(([name]) => [name, []]));
    for (let round = 0; round < ROUNDS + 1; round++) {
      for (let i = 0; i < VARIANTS.length; i++) {
        const [name, run] = VARIANTS[(i + round) % VARIANTS.length]!;
        const dir = await mkdtemp(join(root, 'r-'));
        const inputs = intents(RECORDS);
        const t0 = performance.now();
        await run(dir, inputs);
        const elapsed = performance.now() - t0;
        if (round > 0) times.get(name)!.push(elapsed); // round 0 warms up
        await rm(dir, { recursive: true, force: true });
      }
    }
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor((v.length - 1) / 2)]!;
    const result = new Map([...times].map(([name, v]) => [name, median(v)]));
    printTable(
      VARIANTS.map(([name]): Record<string, Cell> => {
        const t = result.get(name)!;
        return { variant: name, [`${RECORDS} records`]: ms(t), 'per record': `${fmt((t / RECORDS) * 1000)} µs`, 'records/s': Math.round((RECORDS / t) * 1000) };
      }),
    );
    console.log('');
    const [durable, grouped, noSync, memory] = VARIANTS.map(([name]) => result.get(name)!) as [number, number, number, number];
    ratio('durable (append + fsync) / in-memory, per intent', durable / memory, 'info', 'the price of durability');
    ratio('durable (append + fsync) / append without fsync', durable / noSync, 'info', 'the share that is fsync');
    ratio('one at a time / group commit', durable / grouped, 'above-1', 'concurrent submissions share fsyncs');

    // For scale: whole submissions (checks, balance refresh, journal, activity log, POST) against the sandbox on loopback.
    const sb = await startApiSandbox({ settleMs: 60_000 });
    const dataDir = await mkdtemp(join(root, 'ops-'));
    let journalWrites = 0;
    const handle = openOperations(sb, dataDir, { tuning: { afterJournalWrite: () => void journalWrites++ } });
    try {
      await handle.ops.start();
      await handle.ops.settled();
      const submit = () => handle.handlers['orders:submit']({ kind: 'mint', profileId: ACME, asset: 'USDP', amount: '1.00' });
      for (let i = 0; i < 5; i++) if (!(await submit()).ok) throw new Error('warm-up submit failed');
      journalWrites = 0;
      const t0 = performance.now();
      for (let i = 0; i < SUBMITS; i++) {
        const r = await submit();
        if (!r.ok) throw new Error(`submit failed: ${r.error.message}`);
      }
      const perSubmit = (performance.now() - t0) / SUBMITS;
      const recordsPerSubmit = journalWrites / SUBMITS;
      const journalPerSubmit = recordsPerSubmit * (durable / RECORDS);
      console.log(`\nwhole submissions through createOperations, sandbox on loopback (no latency), ${SUBMITS} in a row:`);
      printTable([
        { measure: 'one submission, end to end', value: ms(perSubmit) },
        { measure: 'journal records fsync\'d per submission', value: fmt(recordsPerSubmit) },
        { measure: 'their cost at the sequential rate above', value: ms(journalPerSubmit) },
      ]);
      console.log('');
      ratio('journal fsyncs / whole submission on loopback', journalPerSubmit / perSubmit, 'info', 'a real network round trip (tens of ms) makes this share smaller');
    } finally {
      await handle.ops.close();
      await sb.close();
    }
    console.log(`\njournal: done in ${ms(performance.now() - started)}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  finish();
}

await main();
