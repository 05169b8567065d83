// Order journal: lifecycle folding, fsync'd append order under concurrency, recovery from a torn or corrupt line, disk faults.
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { StorageError } from '../../../../electron/core/audit/storage-error';
import { foldRecord, isFinal, JOURNAL_FILE, openJournal, type JournalInput, type JournalRecord } from '../../../../electron/core/orders/journal';
import { createFaultyFileSystem } from '../../../support/faulty-fs';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const clock = () => new Date('2025-03-01T10:00:00.000Z');
const REF = '6f1c7e8a-1b2c-4d3e-8f90-1234567890ab';
const intent = (refId = REF): JournalInput => ({
  type: 'intent',
  refId,
  operator: 'op-7c1e2a',
  environment: 'sandbox-local',
  order: { kind: 'mint', profileId: 'p1', asset: 'USDP', amount: '10.5', sourceAsset: 'USD', targetAsset: 'USDP', identityId: 'i1', accountId: 'a1' },
});
const rec = (r: JournalInput): JournalRecord => ({ ...r, v: 1, at: '2025-03-01T10:00:00.000Z' }) as JournalRecord;

describe('foldRecord', () => {
  it('follows intent → sent → accepted, then status changes', () => {
    let e = foldRecord(undefined, rec(intent()))!;
    expect(e.state).toEqual({ phase: 'intent' });
    e = foldRecord(e, rec({ type: 'sent', refId: REF }))!;
    expect(e).toMatchObject({ state: { phase: 'sent' }, sent: true });
    e = foldRecord(e, rec({ type: 'unknown', refId: REF, problem: 'reset' }))!;
    expect(e.state.phase).toBe('unknown');
    e = foldRecord(e, rec({ type: 'sent', refId: REF }))!;
    e = foldRecord(e, rec({ type: 'accepted', refId: REF, id: 'c1', status: 'CREATED' }))!;
    expect(isFinal(e)).toBe(true);
    expect(foldRecord(e, rec({ type: 'accepted', refId: REF, id: 'c1', status: 'CREATED' }))).toBeNull();
    expect(foldRecord(e, rec({ type: 'accepted', refId: REF, id: 'other', status: 'SETTLED' }))).toBeNull();
    expect(foldRecord(e, rec({ type: 'sent', refId: REF }))).toBeNull();
    expect(foldRecord(e, rec({ type: 'rejected', refId: REF, error: { code: 'validation', message: 'x' } }))).toBeNull();
    e = foldRecord(e, rec({ type: 'accepted', refId: REF, id: 'c1', status: 'SETTLED' }))!;
    expect(e.state).toEqual({ phase: 'accepted', serverId: 'c1', status: 'SETTLED' });
  });

  it('ignores records without an intent, a second intent, and anything after a rejection', () => {
    expect(foldRecord(undefined, rec({ type: 'sent', refId: REF }))).toBeNull();
    const e = foldRecord(undefined, rec(intent()))!;
    expect(foldRecord(e, rec(intent()))).toBeNull();
    const rejected = foldRecord(e, rec({ type: 'rejected', refId: REF, error: { code: 'insufficient_funds', message: 'no' } }))!;
    expect(isFinal(rejected)).toBe(true);
    expect(foldRecord(rejected, rec({ type: 'accepted', refId: REF, id: 'c1', status: 'CREATED' }))).toBeNull();
  });
});

describe('openJournal', () => {
  it('persists records as JSON lines (private file) and folds them back on reopen', async () => {
    const j = await openJournal({ dataDir: dir, clock });
    await j.append(intent());
    await j.append({ type: 'sent', refId: REF });
    await j.append({ type: 'accepted', refId: REF, id: 'c1', status: 'CREATED' });
    await j.close();
    const text = await readFile(join(dir, JOURNAL_FILE), 'utf8');
    expect(text.trim().split('\n').map((l) => JSON.parse(l).type)).toEqual(['intent', 'sent', 'accepted']);
    const again = await openJournal({ dataDir: dir, clock });
    expect(again.get(REF)?.state).toEqual({ phase: 'accepted', serverId: 'c1', status: 'CREATED' });
    expect(again.recovery).toEqual({ tornTail: false, corruptLines: 0, skippedRecords: 0 });
    await again.close();
  });

  it('does not write records that do not follow from the entry', async () => {
    const j = await openJournal({ dataDir: dir, clock });
    expect(await j.append({ type: 'sent', refId: REF })).toBeUndefined();
    await j.close();
    await expect(readFile(join(dir, JOURNAL_FILE), 'utf8')).resolves.toBe('');
  });

  it('tolerates a torn last line (crash mid-write): whole records survive and new appends start on a fresh line', async () => {
    const j = await openJournal({ dataDir: dir, clock });
    await j.append(intent());
    await j.append({ type: 'sent', refId: REF });
    await j.close();
    await appendFile(join(dir, JOURNAL_FILE), '{"v":1,"type":"accepted","refId":"6f1c7e8a-1b2c-4d3e-8f90-12345');
    const reopened = await openJournal({ dataDir: dir, clock });
    expect(reopened.recovery.tornTail).toBe(true);
    expect(reopened.get(REF)?.state).toEqual({ phase: 'sent' });
    await reopened.append({ type: 'accepted', refId: REF, id: 'c9', status: 'CREATED' });
    await reopened.close();
    const third = await openJournal({ dataDir: dir, clock });
    expect(third.recovery).toEqual({ tornTail: false, corruptLines: 0, skippedRecords: 0 });
    expect(third.get(REF)?.state).toEqual({ phase: 'accepted', serverId: 'c9', status: 'CREATED' });
    await third.close();
  });

  it('keeps a last line that is whole JSON but lost only its newline', async () => {
    const line = JSON.stringify(rec(intent()));
    await writeFile(join(dir, JOURNAL_FILE), line);
    const j = await openJournal({ dataDir: dir, clock });
    expect(j.recovery.tornTail).toBe(true);
    expect(j.get(REF)?.state.phase).toBe('intent');
    await j.append({ type: 'sent', refId: REF });
    await j.close();
    expect((await readFile(join(dir, JOURNAL_FILE), 'utf8')).split('\n').filter(Boolean)).toHaveLength(2);
  });

  it('skips corrupt and invalid lines in the middle without losing the rest', async () => {
    const other = '7a2d8f9b-2c3d-4e5f-9a01-234567890abc';
    await writeFile(
      join(dir, JOURNAL_FILE),
      [JSON.stringify(rec(intent())), 'garbage{', JSON.stringify({ v: 1, type: 'weird', refId: REF }), JSON.stringify(rec(intent(other))), ''].join('\n'),
    );
    const j = await openJournal({ dataDir: dir, clock });
    expect(j.recovery).toEqual({ tornTail: false, corruptLines: 1, skippedRecords: 1 });
    expect(j.entries().map((e) => e.refId)).toEqual([REF, other]);
    await j.close();
  });

  it('keeps every concurrent append, in call order, sharing fsyncs', async () => {
    const j = await openJournal({ dataDir: dir, clock });
    const refs = Array.from({ length: 100 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    await Promise.all(refs.map((r) => j.append(intent(r))));
    await Promise.all(refs.map((r) => j.append({ type: 'sent', refId: r })));
    await j.close();
    const lines = (await readFile(join(dir, JOURNAL_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.slice(0, 100).map((l) => l.refId)).toEqual(refs);
    expect(lines.slice(100).every((l) => l.type === 'sent')).toBe(true);
  });

  it('loads a journal written before operatorEmail and profileNickname existed, and appends new-format lines after it', async () => {
    // Byte for byte what the previous version wrote.
    const old = [
      '{"v":1,"refId":"6f1c7e8a-1b2c-4d3e-8f90-1234567890ab","at":"2025-03-01T10:00:00.000Z","type":"intent","operator":"op-7c1e2a","environment":"sandbox-local","order":{"kind":"mint","profileId":"p1","asset":"USDP","amount":"10.5","sourceAsset":"USD","targetAsset":"USDP","identityId":"i1","accountId":"a1"}}',
      '{"v":1,"refId":"6f1c7e8a-1b2c-4d3e-8f90-1234567890ab","at":"2025-03-01T10:00:00.000Z","type":"sent"}',
      '',
    ].join('\n');
    await writeFile(join(dir, JOURNAL_FILE), old);
    const j = await openJournal({ dataDir: dir, clock });
    expect(j.recovery).toEqual({ tornTail: false, corruptLines: 0, skippedRecords: 0 });
    const entry = j.get(REF)!;
    expect(entry.state).toEqual({ phase: 'sent' });
    expect(entry.intent.operatorEmail).toBeUndefined();
    expect(entry.intent.profileNickname).toBeUndefined();
    const other = '7a2d8f9b-2c3d-4e5f-9a01-234567890abc';
    await j.append({ ...intent(other), operatorEmail: 'ops@partner.test', profileNickname: 'Acme Treasury' } as JournalInput);
    await j.close();
    const again = await openJournal({ dataDir: dir, clock });
    expect(again.recovery.skippedRecords).toBe(0);
    expect(again.get(other)?.intent).toMatchObject({ operator: 'op-7c1e2a', operatorEmail: 'ops@partner.test', profileNickname: 'Acme Treasury' });
    expect(again.get(REF)?.state).toEqual({ phase: 'sent' });
    await again.close();
  });


  it('loads lines a newer build extended with fields it does not know (nothing lost), but never writes unknown fields', async () => {
    const newer = [
      '{"v":1,"refId":"6f1c7e8a-1b2c-4d3e-8f90-1234567890ab","at":"2025-03-01T10:00:00.000Z","type":"intent","operator":"op-7c1e2a","environment":"sandbox-local","clientVersion":"9.9.9","order":{"kind":"mint","profileId":"p1","asset":"USDP","amount":"10.5","sourceAsset":"USD","targetAsset":"USDP","identityId":"i1","accountId":"a1","memo":"x"}}',
      '{"v":1,"refId":"6f1c7e8a-1b2c-4d3e-8f90-1234567890ab","at":"2025-03-01T10:00:00.000Z","type":"accepted","id":"c1","status":"CREATED","latencyMs":12}',
      '',
    ].join('\n');
    await writeFile(join(dir, JOURNAL_FILE), newer);
    const j = await openJournal({ dataDir: dir, clock });
    expect(j.recovery.skippedRecords).toBe(0);
    expect(j.get(REF)?.state).toMatchObject({ phase: 'accepted', serverId: 'c1' });
    expect(j.get(REF)?.intent).not.toHaveProperty('clientVersion');
    const other = '7a2d8f9b-2c3d-4e5f-9a01-234567890abc';
    await expect(j.append({ ...intent(other), token: 'leak' } as unknown as JournalInput)).rejects.toThrow();
    await j.close();
    expect(await readFile(join(dir, JOURNAL_FILE), 'utf8')).not.toContain('leak');
  });
  it('calls afterWrite only once the record is on disk', async () => {
    const seen: string[] = [];
    const j = await openJournal({
      dataDir: dir,
      clock,
      afterWrite: async (r) => {
        const onDisk = await readFile(join(dir, JOURNAL_FILE), 'utf8');
        seen.push(`${r.type}:${onDisk.includes(`"type":"${r.type}"`)}`);
      },
    });
    await j.append(intent());
    await j.append({ type: 'sent', refId: REF });
    await j.close();
    expect(seen).toEqual(['intent:true', 'sent:true']);
  });
});

describe('openJournal under disk faults', () => {
  const OTHER = '7a2d8f9b-2c3d-4e5f-9a01-234567890abc';
  const THIRD = '8b3e9a0c-3d4e-4f60-8b12-34567890abcd';

  it('keeps an order that was really sent after an earlier append failed half-way (no glued line, nothing lost on restart)', async () => {
    const fs = createFaultyFileSystem();
    const j = await openJournal({ dataDir: dir, clock, fileSystem: fs });
    await j.append(intent(REF));
    fs.faults.set(JOURNAL_FILE, { shortWrite: { bytes: 30, code: 'ENOSPC' } });
    await expect(j.append(intent(OTHER))).rejects.toBeInstanceOf(StorageError);
    await j.append(intent(THIRD));
    await j.append({ type: 'sent', refId: THIRD });
    await j.close();
    const again = await openJournal({ dataDir: dir, clock });
    expect(again.recovery).toEqual({ tornTail: false, corruptLines: 0, skippedRecords: 0 });
    expect(again.entries().map((e) => [e.refId, e.state.phase])).toEqual([
      [REF, 'intent'],
      [THIRD, 'sent'],
    ]);
    await again.close();
  });

  it('updates memory only once a record is durable: a failed `sent` leaves the entry as it is on disk', async () => {
    const fs = createFaultyFileSystem();
    const j = await openJournal({ dataDir: dir, clock, fileSystem: fs });
    await j.append(intent(REF));
    fs.faults.set(JOURNAL_FILE, { sync: 'EIO' });
    const sending = j.append({ type: 'sent', refId: REF });
    expect(j.get(REF)?.state).toEqual({ phase: 'intent' }); // not yet durable: not visible
    await expect(sending).rejects.toMatchObject({ appError: { code: 'storage' } });
    expect(j.get(REF)).toMatchObject({ state: { phase: 'intent' }, sent: false });
    await expect(j.append(intent(OTHER))).rejects.toBeInstanceOf(StorageError); // still failing: refused
    expect(j.get(OTHER)).toBeUndefined();
    expect(j.writable()).toBe(false);
    fs.faults.delete(JOURNAL_FILE);
    await j.ensureWritable();
    expect((await j.append({ type: 'sent', refId: REF }))?.state).toEqual({ phase: 'sent' });
    await j.close();
    const again = await openJournal({ dataDir: dir, clock });
    expect(again.entries().map((e) => [e.refId, e.state.phase])).toEqual([[REF, 'sent']]);
    await again.close();
  });

  it('folds concurrent appends in call order, and a failure rejects everything still pending', async () => {
    const fs = createFaultyFileSystem();
    const j = await openJournal({ dataDir: dir, clock, fileSystem: fs });
    await j.append(intent(REF));
    fs.faults.set(JOURNAL_FILE, { write: 'EIO' });
    const results = await Promise.allSettled([
      j.append({ type: 'sent', refId: REF }),
      j.append({ type: 'accepted', refId: REF, id: 'c1', status: 'CREATED' }),
      j.append(intent(OTHER)),
    ]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(j.get(REF)?.state).toEqual({ phase: 'intent' });
    fs.faults.delete(JOURNAL_FILE);
    // Folding starts again from what is durable: `accepted` straight after `intent` is still a valid step.
    const [sent, accepted] = await Promise.all([j.append({ type: 'sent', refId: REF }), j.append({ type: 'accepted', refId: REF, id: 'c1', status: 'CREATED' })]);
    expect(sent?.state.phase).toBe('sent');
    expect(accepted?.state).toEqual({ phase: 'accepted', serverId: 'c1', status: 'CREATED' });
    expect(j.get(REF)?.state.phase).toBe('accepted');
    await j.close();
  });
});

describe('the orders API of an entry', () => {
  const orchestration = (refId = REF): JournalInput => ({ ...intent(refId), ordersApi: 'orchestrations' } as JournalInput);
  const rec2 = (r: JournalInput): JournalRecord => ({ ...r, v: 2, at: '2025-03-01T10:00:00.000Z' }) as JournalRecord;

  it('an intent without the field (every journal written before it) is a conversion; records of an orchestration are version 2', async () => {
    expect(foldRecord(undefined, rec(intent()))!.ordersApi).toBe('conversions');
    const j = await openJournal({ dataDir: dir, clock });
    await j.append(orchestration());
    await j.append({ type: 'sent', refId: REF });
    await j.append({ type: 'accepted', refId: REF, id: 'o1', status: 'PENDING' });
    await j.append(intent('7f1c7e8a-1b2c-4d3e-8f90-1234567890ab'));
    await j.close();
    const lines = (await readFile(join(dir, JOURNAL_FILE), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as { v: number; type: string });
    expect(lines.map((l) => `${l.type}:v${l.v}`)).toEqual(['intent:v2', 'sent:v2', 'accepted:v2', 'intent:v1']);
    const again = await openJournal({ dataDir: dir, clock });
    expect(again.get(REF)).toMatchObject({ ordersApi: 'orchestrations', state: { phase: 'accepted', serverId: 'o1', status: 'PENDING' } });
    expect(again.get('7f1c7e8a-1b2c-4d3e-8f90-1234567890ab')?.ordersApi).toBe('conversions');
    await again.close();
  });

  it('follows PENDING → PROCESSING → FAILED with its reason; refuses statuses of the other API and records of the wrong version', () => {
    let e = foldRecord(undefined, rec2(orchestration()))!;
    e = foldRecord(e, rec2({ type: 'sent', refId: REF }))!;
    expect(foldRecord(e, rec2({ type: 'accepted', refId: REF, id: 'o1', status: 'CREATED' }))).toBeNull();
    expect(foldRecord(e, rec({ type: 'accepted', refId: REF, id: 'o1', status: 'PENDING' }))).toBeNull(); // v1 record of a v2 order
    e = foldRecord(e, rec2({ type: 'accepted', refId: REF, id: 'o1', status: 'PENDING' }))!;
    e = foldRecord(e, rec2({ type: 'accepted', refId: REF, id: 'o1', status: 'PROCESSING' }))!;
    e = foldRecord(e, rec2({ type: 'accepted', refId: REF, id: 'o1', status: 'FAILED', failReason: 'frozen' }))!;
    expect(e.state).toEqual({ phase: 'accepted', serverId: 'o1', status: 'FAILED', failReason: 'frozen' });
    // A conversion is never PENDING; an intent of an orchestration is never version 1.
    const conversion = foldRecord(undefined, rec(intent()))!;
    expect(foldRecord(conversion, rec({ type: 'accepted', refId: REF, id: 'c1', status: 'PENDING' }))).toBeNull();
    expect(foldRecord(undefined, rec(orchestration()))).toBeNull();
  });

  it('a build that knows only version 1 would skip an orchestration entirely (never resend it as a conversion)', async () => {
    const j = await openJournal({ dataDir: dir, clock });
    await j.append(orchestration());
    await j.append({ type: 'sent', refId: REF });
    await j.close();
    const text = await readFile(join(dir, JOURNAL_FILE), 'utf8');
    // What an older build's reader demanded of every record.
    const older = text.trim().split('\n').map((l) => JSON.parse(l) as { v: unknown }).filter((r) => r.v === 1);
    expect(older).toEqual([]);
  });
});
