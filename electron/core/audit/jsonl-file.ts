// Append-only JSON-lines files (order journal, audit log): tolerant reading, torn-tail repair, group-committed fsync'd appends.
import { mkdir, readFile, truncate } from 'node:fs/promises';
import { dirname } from 'node:path';
import { nodeAppendFileSystem, writeFully, type AppendFileSystem, type AppendHandle } from './append-fs';
import { StorageError } from './storage-error';

export { StorageError } from './storage-error';

export interface JsonlContents {
  /** Every complete line that parsed as JSON, in file order. */
  readonly values: unknown[];
  /** The file ended in a partial line (a crash mid-write); it was cut off (or completed, if it was whole JSON). */
  readonly tornTail: boolean;
  /** Complete lines that were not JSON (skipped). */
  readonly corruptLines: number;
}

export interface JsonlAppender {
  /**
   * Appends one value as a line; resolves once it is written and fsync'd. Concurrent appends share one fsync.
   * Rejects with StorageError when the write (or fsync) fails; that batch and every append queued behind it fail,
   * and whatever the failed write left is cut off before they are rejected (or, if that cut fails, every later
   * append fails without writing until it succeeds; `writable()` is then false).
   */
  append(value: unknown): Promise<void>;
  /** False from a failed write until the tail has been repaired. */
  writable(): boolean;
  /** Repairs the tail if a write failed; rejects with StorageError while that is impossible. */
  ensureWritable(): Promise<void>;
  close(): Promise<void>;
}

export interface JsonlFileOptions {
  /** The file-system seam (tests inject faults through it). */
  readonly fileSystem?: AppendFileSystem;
  /** What the file is, for error messages ("order journal"). */
  readonly label?: string;
  /**
   * Called synchronously when a batch fails, before its appends (and all those queued behind it) are rejected:
   * from then on nothing that was pending will be written.
   */
  readonly onWriteFailed?: () => void;
}

export interface JsonlFile extends JsonlContents {
  readonly appender: JsonlAppender;
}

async function readExisting(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function parseLine(line: string): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Reads `path` (missing = empty), repairs a torn last line, and opens it for appending (0600, directory 0700). */
export async function openJsonlFile(path: string, options: JsonlFileOptions = {}): Promise<JsonlFile> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const buffer = await readExisting(path);
  const values: unknown[] = [];
  let corruptLines = 0;
  let tornTail = false;
  let completeTail: string | null = null;
  if (buffer !== null && buffer.length > 0) {
    const lastNewline = buffer.lastIndexOf(0x0a);
    const complete = buffer.subarray(0, lastNewline + 1).toString('utf8');
    for (const line of complete.split('\n')) {
      if (line.trim() === '') continue;
      const parsed = parseLine(line);
      if (parsed.ok) values.push(parsed.value);
      else corruptLines += 1;
    }
    if (lastNewline !== buffer.length - 1) {
      tornTail = true;
      const tail = buffer.subarray(lastNewline + 1).toString('utf8');
      const parsed = parseLine(tail);
      if (parsed.ok) {
        values.push(parsed.value);
        completeTail = '\n';
      } else {
        await truncate(path, lastNewline + 1);
      }
    }
  }
  const handle = await (options.fileSystem ?? nodeAppendFileSystem).openAppend(path);
  let appender: ReturnType<typeof createAppender>;
  try {
    appender = createAppender(handle, await handle.size(), options);
  } catch (error) {
    await handle.close().catch(() => undefined);
    throw new StorageError(options.label ?? 'file', error);
  }
  if (completeTail !== null) await appender.appendRaw(completeTail);
  return { values, tornTail, corruptLines, appender };
}

interface Pending {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function createAppender(handle: AppendHandle, initialSize: number, options: JsonlFileOptions): JsonlAppender & { appendRaw(text: string): Promise<void> } {
  const label = options.label ?? 'file';
  /** Bytes known to be on disk and fsync'd: everything after them is left over from a failed write. */
  let durableSize = initialSize;
  /** Set by a failed write until the tail is cut back to `durableSize`. */
  let broken: StorageError | null = null;
  let queue: Pending[] = [];
  let flushing: Promise<void> | null = null;
  let closed = false;

  async function repair(): Promise<void> {
    await handle.truncate(durableSize);
    await handle.sync();
    broken = null;
  }

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        if (broken) await repair();
        const data = Buffer.from(batch.map((p) => p.text).join(''), 'utf8');
        await writeFully(handle, data);
        await handle.sync();
        durableSize += data.length;
        for (const p of batch) p.resolve();
      } catch (error) {
        // Fail closed: this batch and everything behind it.
        const failure = error instanceof StorageError ? error : new StorageError(label, error);
        broken = failure;
        const failed = [...batch, ...queue];
        queue = [];
        options.onWriteFailed?.();
        // Cut what the failed write left before anyone is told it failed: a record the caller hears "not written" about
        // must not come back if the process stops before its next append. If the cut fails, the next flush tries again.
        await repair().catch(() => undefined);
        for (const p of failed) p.reject(failure);
      }
    }
    flushing = null;
  }

  function appendRaw(text: string): Promise<void> {
    if (closed) return Promise.reject(new StorageError(label, { code: 'EBADF' }));
    return new Promise<void>((resolve, reject) => {
      queue.push({ text, resolve, reject });
      flushing ??= flush();
    });
  }

  return {
    appendRaw,
    append: (value) => appendRaw(`${JSON.stringify(value)}\n`),
    writable: () => broken === null,
    ensureWritable: () => (broken === null ? Promise.resolve() : appendRaw('')),
    async close() {
      if (closed) return;
      closed = true;
      await flushing;
      await handle.close();
    },
  };
}
