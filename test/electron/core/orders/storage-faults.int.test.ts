// Orders while the disk fails (ENOSPC/EIO injected under the journal and activity log): refused with `storage`, nothing sent, nothing lost.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE } from '../../../../electron/core/audit/audit-log';
import { JOURNAL_FILE } from '../../../../electron/core/orders/journal';
import { startApiSandbox, type ApiSandbox } from '../../../support/api-sandbox';
import { createFaultyFileSystem, type FaultyFileSystem } from '../../../support/faulty-fs';
import { closeOperations, journalLines, openOperations, tempDataDir, type OpsHandle } from '../../../support/operations-harness';

let sb: ApiSandbox;
let data: Awaited<ReturnType<typeof tempDataDir>>;
let fs: FaultyFileSystem;
let h: OpsHandle;
/** Set to make the next `sent` record fail, right after its intent is durable. */
let failNextSent = false;

beforeAll(async () => {
  sb = await startApiSandbox({ settleMs: 60_000 });
  data = await tempDataDir('pc-storage-');
  fs = createFaultyFileSystem();
  h = openOperations(sb, data.dir, {
    ordersApi: 'conversions',
    tuning: {
      fileSystem: fs,
      afterJournalWrite: (record) => {
        if (record.type === 'intent' && failNextSent) {
          failNextSent = false;
          fs.faults.set(JOURNAL_FILE, { write: 'ENOSPC' });
        }
      },
    },
  });
  await h.ops.start();
});
afterAll(async () => {
  expect(await closeOperations(h, sb, data)).toEqual([]);
});
beforeEach(() => {
  fs.faults.clear();
});

const acme = () => sb.seed.profiles[0]!;
const mint = (amount: string) => h.handlers['orders:submit']({ kind: 'mint', profileId: acme().id, asset: 'USDP', amount });
const posts = () => sb.count('POST', '/conversion/stablecoins');

describe('orders while the journal cannot be written', () => {
  it('refuses with a plain `storage` error and sends nothing; accepts orders again once the disk can be written', async () => {
    const before = posts();
    fs.faults.set(JOURNAL_FILE, { write: 'ENOSPC' });
    const first = await mint('1.25');
    expect(!first.ok && first.error).toMatchObject({ code: 'storage', retryable: true, message: expect.stringMatching(/order journal \(the disk is full\).*not sent/) });
    // A failed write whose tail cannot be cut either: from then on refused before anything is looked up or written.
    fs.faults.set(JOURNAL_FILE, { write: 'ENOSPC', truncate: 'EIO' });
    const second = await mint('2.25');
    expect(!second.ok && second.error).toMatchObject({ code: 'storage', message: expect.stringMatching(/not sent/) });
    const writesBefore = fs.injected.filter((i) => i.endsWith(':write:ENOSPC')).length;
    const refused = await mint('2.50');
    expect(!refused.ok && refused.error).toMatchObject({ code: 'storage', message: expect.stringMatching(/New orders are refused/) });
    expect(fs.injected.filter((i) => i.endsWith(':write:ENOSPC')).length).toBe(writesBefore); // no write was even tried
    expect(posts()).toBe(before);
    expect((await h.handlers['orders:list']({ limit: 100 })).ok).toBe(true);

    fs.faults.clear();
    const third = await mint('3.25');
    if (!third.ok) throw new Error(third.error.message);
    expect(third.value.status).toBe('created');
    expect(posts()).toBe(before + 1);
    const lines = await journalLines(data.dir);
    expect(lines.filter((l) => l['type'] === 'intent').map((l) => (l['order'] as { amount: string }).amount)).toEqual(['3.25']);
  });

  it('does not POST when `sent` cannot be made durable; reconciliation then records the order as never sent', async () => {
    const before = posts();
    failNextSent = true;
    const res = await mint('4.25');
    expect(!res.ok && res.error).toMatchObject({ code: 'storage', message: expect.stringMatching(/The order was not sent/) });
    expect(posts()).toBe(before);
    const stuck = (await journalLines(data.dir)).filter((l) => l['type'] === 'intent' && (l['order'] as { amount: string }).amount === '4.25');
    expect(stuck).toHaveLength(1);
    const refId = stuck[0]!['refId'] as string;
    expect((await h.handlers['orders:get']({ refId })).ok).toBe(true);

    fs.faults.clear();
    const next = await mint('5.25'); // first settles the earlier order of this profile by ref_id
    expect(next.ok).toBe(true);
    const earlier = await h.handlers['orders:get']({ refId });
    expect(earlier.ok && earlier.value).toMatchObject({ status: expect.not.stringMatching(/submitting|unknown|created/), problem: expect.stringMatching(/Not sent/) });
    expect(posts()).toBe(before + 1);
    expect((await sb.conversions()).some((c) => c.ref_id === refId)).toBe(false);
  });

  it('refuses while the activity log cannot be written either, and records nothing half-way', async () => {
    const before = posts();
    const intents = (await journalLines(data.dir)).filter((l) => l['type'] === 'intent').length;
    fs.faults.set(AUDIT_FILE, { shortWrite: { bytes: 3, code: 'EIO' }, truncate: 'EIO' });
    const broken = await h.ops.recordAudit({ action: 'sign_in', outcome: 'ok', summary: 'breaks the activity log' }); // the failing write
    expect(!broken.ok && broken.error.code).toBe('storage');
    const res = await mint('6.25');
    expect(!res.ok && res.error).toMatchObject({ code: 'storage', message: expect.stringMatching(/activity log \(the disk reported an error\)/) });
    expect(posts()).toBe(before);
    expect((await journalLines(data.dir)).filter((l) => l['type'] === 'intent')).toHaveLength(intents);
    fs.faults.clear();
    expect((await mint('7.25')).ok).toBe(true);
  });

  it('does not promise "not sent" when the failed `sent` record could not be cut off: a restart before the disk recovers sends the order', async () => {
    const own = await tempDataDir('pc-storage-uncut-');
    const faulty = createFaultyFileSystem();
    let arm = true;
    const first = openOperations(sb, own.dir, {
      ordersApi: 'conversions',
      tuning: {
        fileSystem: faulty,
        afterJournalWrite: (record) => {
          if (record.type === 'intent' && arm) {
            arm = false;
            // The `sent` line reaches the disk, its fsync fails, and so does the cut of it.
            faulty.faults.set(JOURNAL_FILE, { sync: 'EIO', truncate: 'EIO' });
          }
        },
      },
    });
    try {
      await first.ops.start();
      const before = posts();
      const res = await first.handlers['orders:submit']({ kind: 'mint', profileId: acme().id, asset: 'USDP', amount: '8.25' });
      expect(!res.ok && res.error.code).toBe('storage');
      expect(posts()).toBe(before);
      const refId = (await journalLines(own.dir)).find((l) => l['type'] === 'intent')!['refId'] as string;
      // The operator quits while the disk still fails; the next start finds the `sent` line and sends the order.
      await first.ops.close();
      faulty.faults.clear();
      const second = openOperations(sb, own.dir, { ordersApi: 'conversions' });
      await second.ops.start();
      await second.ops.close();
      expect((await sb.conversions()).filter((c) => c.ref_id === refId)).toHaveLength(1);
      // So the answer must not have said it was not sent.
      expect(!res.ok && res.error.message).not.toMatch(/The order was not sent\./);
      expect(!res.ok && res.error.message).toMatch(/may (still )?send it/);
    } finally {
      await first.ops.close();
      await own.remove();
    }
  });
});
