// Append-only JSON-lines files (order journal, audit log): tolerant reading, torn-tail repair, group-committed fsync'd appends.
import { mkdir, open, readFile, truncate, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface JsonlContents {
  /** Every complete line that parsed as JSON, in file order. */
  readonly values: unknown[];
  /** The file ended in a partial line (a crash mid-write); it was cut off (or completed, if it was whole JSON). */
  readonly tornTail: boolean;
  /** Complete lines that were not JSON (skipped). */
  readonly corruptLines: number;
}

export interface JsonlAppender {
  /** Appends one value as a line; resolves once it is written and fsync'd. Concurrent appends share one fsync. */
  append(value: unknown): Promise<void>;
  close(): Promise<void>;
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
export async function openJsonlFile(path: string): Promise<JsonlFile> {
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
  const handle = await open(path, 'a', 0o600);
  const appender = createAppender(handle);
  if (completeTail !== null) await appender.appendRaw(completeTail);
  return { values, tornTail, corruptLines, appender };
}

interface Pending {
  readonly text: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function createAppender(handle: FileHandle): JsonlAppender & { appendRaw(text: string): Promise<void> } {
  let queue: Pending[] = [];
  let flushing: Promise<void> | null = null;
  let closed = false;

  async function flush(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await handle.appendFile(batch.map((p) => p.text).join(''), 'utf8');
        await handle.sync();
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    flushing = null;
  }

  function appendRaw(text: string): Promise<void> {
    if (closed) return Promise.reject(new Error('the file is closed'));
    return new Promise<void>((resolve, reject) => {
      queue.push({ text, resolve, reject });
      flushing ??= flush();
    });
  }

  return {
    appendRaw,
    append: (value) => appendRaw(`${JSON.stringify(value)}\n`),
    async close() {
      if (closed) return;
      closed = true;
      await flushing;
      await handle.close();
    },
  };
}
