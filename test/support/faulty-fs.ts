// A fault-injecting AppendFileSystem over the real one: short writes, ENOSPC/EIO on write, fsync or truncate, and open-handle counts.
import { basename } from 'node:path';
import { nodeAppendFileSystem, type AppendFileSystem, type AppendHandle } from '../../electron/core/audit/append-fs';

export type FaultCode = 'ENOSPC' | 'EIO' | 'EROFS';

export interface Faults {
  /** The next write puts only its first `bytes` bytes on disk (for real), then fails with `code`. */
  shortWrite?: { bytes: number; code: FaultCode } | undefined;
  /** Every write fails with this code before writing anything. */
  write?: FaultCode | undefined;
  /** Every fsync fails with this code. */
  sync?: FaultCode | undefined;
  /** Every truncate fails with this code. */
  truncate?: FaultCode | undefined;
}

export interface FaultyFileSystem extends AppendFileSystem {
  /** Faults per file name (e.g. `orders-journal.jsonl`); set and clear them at any time. */
  readonly faults: Map<string, Faults>;
  /** Most handles open at once for one file name, since creation. */
  maxOpen(fileName: string): number;
  /** Handles open now for one file name. */
  openNow(fileName: string): number;
  /** Every operation that failed by injection: `file:op:code`. */
  readonly injected: string[];
}

const errno = (code: FaultCode, op: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`${code}: injected fault, ${op}`), { code, errno: code === 'ENOSPC' ? -28 : code === 'EROFS' ? -30 : -5, syscall: op });

export function createFaultyFileSystem(base: AppendFileSystem = nodeAppendFileSystem): FaultyFileSystem {
  const faults = new Map<string, Faults>();
  const open = new Map<string, number>();
  const peak = new Map<string, number>();
  const injected: string[] = [];

  return {
    faults,
    injected,
    maxOpen: (name) => peak.get(name) ?? 0,
    openNow: (name) => open.get(name) ?? 0,
    async openAppend(path) {
      const name = basename(path);
      const real: AppendHandle = await base.openAppend(path);
      open.set(name, (open.get(name) ?? 0) + 1);
      peak.set(name, Math.max(peak.get(name) ?? 0, open.get(name)!));
      const fault = (op: string, code: FaultCode) => {
        injected.push(`${name}:${op}:${code}`);
        return errno(code, op);
      };
      let closed = false;
      return {
        async write(data) {
          const f = faults.get(name);
          if (f?.write) throw fault('write', f.write);
          if (f?.shortWrite) {
            const { bytes, code } = f.shortWrite;
            f.shortWrite = undefined;
            if (bytes > 0) await real.write(data.subarray(0, Math.min(bytes, data.length)));
            throw fault('write', code);
          }
          return real.write(data);
        },
        async sync() {
          const f = faults.get(name);
          if (f?.sync) throw fault('fsync', f.sync);
          return real.sync();
        },
        async truncate(length) {
          const f = faults.get(name);
          if (f?.truncate) throw fault('ftruncate', f.truncate);
          return real.truncate(length);
        },
        size: () => real.size(),
        async close() {
          if (!closed) {
            closed = true;
            open.set(name, (open.get(name) ?? 1) - 1);
          }
          return real.close();
        },
      };
    },
  };
}
