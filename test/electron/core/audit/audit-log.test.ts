// Activity log: entries persist as JSON lines, list newest first with paging, emit events, survive a torn line and disk faults.
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUDIT_FILE, openAuditLog } from '../../../../electron/core/audit/audit-log';
import { StorageError } from '../../../../electron/core/audit/storage-error';
import { CoreEvents } from '../../../../electron/core/events';
import type { ActivityEntry } from '../../../../shared/domain';
import { createFaultyFileSystem, type FaultyFileSystem } from '../../../support/faulty-fs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-audit-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const open = (events = new CoreEvents(), operator: string | null = 'ops@partner.test', fileSystem?: FaultyFileSystem) =>
  openAuditLog({
    dataDir: dir,
    environment: 'sandbox-local',
    events,
    clock: () => new Date('2025-02-03T04:05:06.000Z'),
    currentOperator: () => operator,
    ...(fileSystem ? { fileSystem } : {}),
  });

describe('audit log', () => {
  it('records who, when, where, what and the result, and emits activity:changed', async () => {
    const events = new CoreEvents();
    const seen: ActivityEntry[] = [];
    events.on('activity:changed', (e) => seen.push(e));
    const log = await open(events);
    const entry = await log.record({ action: 'sign_in', outcome: 'ok', summary: 'Signed in' });
    expect(entry).toMatchObject({ at: '2025-02-03T04:05:06.000Z', operator: 'ops@partner.test', environment: 'sandbox-local', action: 'sign_in', outcome: 'ok', refId: null });
    expect(seen).toEqual([entry]);
    const signOut = await log.record({ action: 'sign_out', outcome: 'ok', summary: 'Signed out', operator: 'ops@partner.test' });
    expect(signOut.operator).toBe('ops@partner.test');
    await log.close();
    const lines = (await readFile(join(dir, AUDIT_FILE), 'utf8')).trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).action)).toEqual(['sign_in', 'sign_out']);
  });

  it('lists newest first and pages with `before`', async () => {
    const log = await open();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await log.record({ action: 'order_submit', outcome: 'ok', summary: `n${i}` })).id);
    const first = log.list({ limit: 2 });
    expect(first.map((e) => e.summary)).toEqual(['n4', 'n3']);
    const second = log.list({ limit: 2, before: first[1]!.id });
    expect(second.map((e) => e.summary)).toEqual(['n2', 'n1']);
    expect(log.list({ limit: 10, before: ids[0] })).toEqual([]);
    expect(log.list({ limit: 10, before: 'unknown' })).toEqual([]);
    await log.close();
  });

  it('sanitises summaries and redacts anything that looks like a token', async () => {
    const log = await open();
    const e = await log.record({ action: 'order_result', outcome: 'error', summary: '<b>bad</b> Bearer abc.def eyJhbGciOi.eyJzdWIiOi.sig\u0000' });
    expect(e.summary).toBe('bad [redacted] [redacted]');
    await log.close();
  });

  it('reopens after a crash mid-write: keeps every whole entry, drops the torn line, appends cleanly', async () => {
    const log = await open();
    await log.record({ action: 'sign_in', outcome: 'ok', summary: 'one' });
    await log.close();
    await appendFile(join(dir, AUDIT_FILE), '{"id":"torn","at":"2025');
    const again = await open();
    expect(again.list({ limit: 10 }).map((e) => e.summary)).toEqual(['one']);
    await again.record({ action: 'sign_out', outcome: 'ok', summary: 'two' });
    await again.close();
    const third = await open();
    expect(third.list({ limit: 10 }).map((e) => e.summary)).toEqual(['two', 'one']);
    await third.close();
  });

  it('exports CSV of everything, oldest first', async () => {
    const log = await open(new CoreEvents(), null);
    await log.record({ action: 'session_expired', outcome: 'error', summary: '=1+1' });
    expect(log.csv().text.split('\r\n')[1]).toBe("2025-02-03T04:05:06.000Z,unknown,sandbox-local,session_expired,error,'=1+1,," + log.list({ limit: 1 })[0]!.id);
    await log.close();
  });

  it('after a short write (ENOSPC) lists only durable entries, cuts the partial line, and loses no later entry on reopen', async () => {
    const fs = createFaultyFileSystem();
    const events = new CoreEvents();
    const seen: string[] = [];
    events.on('activity:changed', (e) => seen.push(e.summary));
    const log = await open(events, 'ops@partner.test', fs);
    await log.record({ action: 'sign_in', outcome: 'ok', summary: 'one' });
    fs.faults.set(AUDIT_FILE, { shortWrite: { bytes: 25, code: 'ENOSPC' } });
    const failed = await log.record({ action: 'order_submit', outcome: 'ok', summary: 'two' }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(StorageError);
    expect((failed as StorageError).appError.message).toMatch(/activity log \(the disk is full\)/);
    expect(log.list({ limit: 10 }).map((e) => e.summary)).toEqual(['one']);
    await log.record({ action: 'sign_out', outcome: 'ok', summary: 'three' });
    expect(seen).toEqual(['one', 'three']);
    await log.close();
    const again = await open();
    expect(again.list({ limit: 10 }).map((e) => e.summary)).toEqual(['three', 'one']);
    await again.close();
  });

  it('refuses to write while the partial line cannot be cut, then repairs once it can', async () => {
    const fs = createFaultyFileSystem();
    const log = await open(new CoreEvents(), 'ops@partner.test', fs);
    fs.faults.set(AUDIT_FILE, { shortWrite: { bytes: 5, code: 'EIO' }, truncate: 'EIO' });
    await expect(log.record({ action: 'sign_in', outcome: 'ok', summary: 'one' })).rejects.toBeInstanceOf(StorageError);
    expect(log.writable()).toBe(false);
    await expect(log.ensureWritable()).rejects.toBeInstanceOf(StorageError);
    fs.faults.delete(AUDIT_FILE);
    await log.ensureWritable();
    await log.record({ action: 'sign_in', outcome: 'ok', summary: 'two' });
    await log.close();
    expect((await readFile(join(dir, AUDIT_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).summary)).toEqual(['two']);
  });
});
