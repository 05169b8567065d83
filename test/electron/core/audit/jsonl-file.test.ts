// JSON-lines appends under disk faults (ENOSPC, EIO, short writes): the tail is repaired before the failure is answered, or appends fail closed.
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openJsonlFile, StorageError } from '../../../../electron/core/audit/jsonl-file';
import { createFaultyFileSystem, type FaultyFileSystem } from '../../../support/faulty-fs';

const NAME = 'test.jsonl';
let dir: string;
let path: string;
let fs: FaultyFileSystem;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-jsonl-'));
  path = join(dir, NAME);
  fs = createFaultyFileSystem();
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const lines = async () => (await readFile(path, 'utf8')).split('\n');
const record = (n: number) => ({ n, pad: 'x'.repeat(40) });

describe('appends under disk faults', () => {
  it('cuts a short write (ENOSPC) off before the next append: no line is glued, and every acknowledged record survives a reopen', async () => {
    const file = await openJsonlFile(path, { fileSystem: fs });
    await file.appender.append(record(1));
    fs.faults.set(NAME, { shortWrite: { bytes: 17, code: 'ENOSPC' } });
    await expect(file.appender.append(record(2))).rejects.toBeInstanceOf(StorageError);
    await file.appender.append(record(3));
    await file.appender.close();
    expect(await lines()).toEqual([JSON.stringify(record(1)), JSON.stringify(record(3)), '']);
    const again = await openJsonlFile(path);
    expect(again.values).toEqual([record(1), record(3)]);
    expect({ tornTail: again.tornTail, corruptLines: again.corruptLines }).toEqual({ tornTail: false, corruptLines: 0 });
    await again.appender.close();
  });

  it('fails closed while the tail cannot be repaired (ftruncate fails too), writing nothing, then recovers once it can', async () => {
    const file = await openJsonlFile(path, { fileSystem: fs });
    await file.appender.append(record(1));
    fs.faults.set(NAME, { shortWrite: { bytes: 9, code: 'EIO' }, truncate: 'EIO' });
    await expect(file.appender.append(record(2))).rejects.toBeInstanceOf(StorageError);
    expect(file.appender.writable()).toBe(false);
    const sizeWhileBroken = (await stat(path)).size;
    const refused = await file.appender.append(record(3)).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(StorageError);
    expect((refused as StorageError).appError).toMatchObject({ code: 'storage', retryable: true });
    expect((await stat(path)).size).toBe(sizeWhileBroken); // nothing more was written
    await expect(file.appender.ensureWritable()).rejects.toBeInstanceOf(StorageError);

    fs.faults.delete(NAME);
    await file.appender.ensureWritable();
    expect(file.appender.writable()).toBe(true);
    await file.appender.append(record(4));
    await file.appender.close();
    expect(await lines()).toEqual([JSON.stringify(record(1)), JSON.stringify(record(4)), '']);
  });

  it('treats a failed fsync (EIO) as a failed write: its bytes are cut, so a record the caller was told failed never reappears', async () => {
    const file = await openJsonlFile(path, { fileSystem: fs });
    await file.appender.append(record(1));
    fs.faults.set(NAME, { sync: 'EIO' });
    await expect(file.appender.append(record(2))).rejects.toBeInstanceOf(StorageError);
    fs.faults.delete(NAME);
    await file.appender.append(record(3));
    await file.appender.close();
    expect((await openJsonlFile(path)).values).toEqual([record(1), record(3)]);
  });

  it('has cut a failed write off the disk by the time its append rejects: a crash right after cannot bring the record back', async () => {
    // Whole line written but fsync failed; the whole JSON without its newline; the whole line, then ENOSPC.
    const line = JSON.stringify(record(2)) + '\n';
    const faults = [{ sync: 'EIO' as const }, { shortWrite: { bytes: line.length - 1, code: 'ENOSPC' as const } }, { shortWrite: { bytes: line.length, code: 'EIO' as const } }];
    for (const fault of faults) {
      await rm(path, { force: true });
      const file = await openJsonlFile(path, { fileSystem: fs });
      await file.appender.append(record(1));
      fs.faults.set(NAME, fault);
      await expect(file.appender.append(record(2))).rejects.toBeInstanceOf(StorageError);
      fs.faults.delete(NAME);
      // The process dies here (nothing else is appended): what a restart reads.
      const restarted = await openJsonlFile(path);
      expect(restarted.values, JSON.stringify(fault)).toEqual([record(1)]);
      await restarted.appender.close();
      await file.appender.close();
    }
  });

  it('fails every append queued behind a failed batch, and says why in plain words (no path, no record)', async () => {
    const file = await openJsonlFile(path, { fileSystem: fs });
    fs.faults.set(NAME, { write: 'ENOSPC' });
    const results = await Promise.allSettled([1, 2, 3, 4].map((n) => file.appender.append(record(n))));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'rejected']);
    const error = (results[0] as PromiseRejectedResult).reason as StorageError;
    expect(error.appError.message).toMatch(/could not write its file \(the disk is full\)/);
    expect(error.appError.message).not.toContain(dir);
    fs.faults.delete(NAME);
    await file.appender.append(record(5));
    await file.appender.close();
    expect((await openJsonlFile(path)).values).toEqual([record(5)]);
  });
});
