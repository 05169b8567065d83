// OperationsHost: switching environments never leaves two operations instances with the journal or activity log open at once.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE } from '../../../electron/core/audit/audit-log';
import { builtInEnvironments } from '../../../electron/core/config';
import { CoreEvents } from '../../../electron/core/events';
import { createOperationsHost } from '../../../electron/core/operations-host';
import { JOURNAL_FILE } from '../../../electron/core/orders/journal';
import { createFaultyFileSystem } from '../../support/faulty-fs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-host-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('operations host', () => {
  it('opens the next environment’s journal and activity log only after the previous instance closed them; every entry lands whole', async () => {
    const fileSystem = createFaultyFileSystem();
    const host = createOperationsHost({ dataDir: dir, events: new CoreEvents(), now: Date.now, log: () => undefined, tuning: { fileSystem } });
    const envs = builtInEnvironments();
    const writes: Array<Promise<unknown>> = [];
    for (let i = 0; i < 9; i++) {
      const env = envs[i % envs.length]!;
      writes.push(host.activate(env).recordAudit({ action: 'sign_in', outcome: 'error', summary: `attempt ${i}`, environment: env.id, operator: 'ops@partner.test' }));
    }
    const results = await Promise.all(writes);
    await host.close();
    expect(results.every((r) => (r as { ok: boolean }).ok)).toBe(true);
    expect(fileSystem.maxOpen(JOURNAL_FILE)).toBe(1);
    expect(fileSystem.maxOpen(AUDIT_FILE)).toBe(1);
    expect(fileSystem.openNow(JOURNAL_FILE)).toBe(0);
    const lines = (await readFile(join(dir, AUDIT_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { summary: string });
    expect(lines.map((l) => l.summary).sort()).toEqual(Array.from({ length: 9 }, (_, i) => `attempt ${i}`));
  });
});
