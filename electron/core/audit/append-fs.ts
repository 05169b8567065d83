// The file-system seam under append-only files: node file handles in the app; tests wrap it to inject ENOSPC/EIO and short writes.
import { open } from 'node:fs/promises';

/** One file opened for appending. Every call may fail with a Node errno error (ENOSPC, EIO, …). */
export interface AppendHandle {
  /** Writes `data` at the end of the file; resolves with how many bytes were written (possibly fewer than asked). */
  write(data: Uint8Array): Promise<number>;
  /** fsync. */
  sync(): Promise<void>;
  /** Cuts the file to `length` bytes (ftruncate). */
  truncate(length: number): Promise<void>;
  /** The file's current size in bytes (fstat). */
  size(): Promise<number>;
  close(): Promise<void>;
}

export interface AppendFileSystem {
  /** Opens (creating with mode 0600) `path` for appending. */
  openAppend(path: string): Promise<AppendHandle>;
}

export const nodeAppendFileSystem: AppendFileSystem = {
  async openAppend(path) {
    const handle = await open(path, 'a', 0o600);
    return {
      write: async (data) => (await handle.write(data)).bytesWritten,
      sync: () => handle.sync(),
      truncate: (length) => handle.truncate(length),
      size: async () => (await handle.stat()).size,
      close: () => handle.close(),
    };
  },
};

/** Writes all of `data`, continuing after short writes; a write that makes no progress fails with EIO. */
export async function writeFully(handle: AppendHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const written = await handle.write(data.subarray(offset));
    if (!(written > 0)) throw Object.assign(new Error('write made no progress'), { code: 'EIO' });
    offset += written;
  }
}
