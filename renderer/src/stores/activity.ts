// Activity store: the audit log (newest first, live from activity:changed, older pages on demand) and CSV export.
import { create } from 'zustand';
import type { ActivityEntry } from '../../../shared/domain';
import type { Value } from '../../../shared/ipc-contract';
import { call } from '../../ipc/client';
import { failed, idle, loading, ready, valueOf, type Async } from '../lib/async';

export interface ActivityPage {
  readonly items: readonly ActivityEntry[];
  /** An older page may exist. */
  readonly hasMore: boolean;
}

export interface ActivityStore {
  readonly log: Async<ActivityPage>;
  readonly loadingOlder: boolean;
  readonly exported: Async<Value<'activity:exportCsv'>>;
  load(): Promise<void>;
  loadOlder(): Promise<void>;
  exportCsv(): Promise<void>;
  prepend(entry: ActivityEntry): void;
  reset(): void;
}

const PAGE = 200;

export const useActivity = create<ActivityStore>()((set, get) => ({
  log: idle,
  loadingOlder: false,
  exported: idle,

  async load() {
    set({ log: loading(valueOf(get().log)) });
    const r = await call((b) => b.listActivity({ limit: PAGE }));
    set({ log: r.ok ? ready({ items: r.value.items, hasMore: r.value.items.length === PAGE }) : failed(r.error, valueOf(get().log)) });
  },

  async loadOlder() {
    const page = valueOf(get().log);
    const oldest = page?.items.at(-1);
    if (!page || !oldest || get().loadingOlder) return;
    set({ loadingOlder: true });
    const r = await call((b) => b.listActivity({ limit: PAGE, before: oldest.id }));
    const current = valueOf(get().log) ?? page;
    if (r.ok) {
      const seen = new Set(current.items.map((e) => e.id));
      const older = r.value.items.filter((e) => !seen.has(e.id));
      set({ log: ready({ items: [...current.items, ...older], hasMore: r.value.items.length === PAGE }), loadingOlder: false });
    } else {
      set({ log: failed(r.error, current), loadingOlder: false });
    }
  },

  async exportCsv() {
    set({ exported: loading() });
    const r = await call((b) => b.exportActivityCsv());
    set({ exported: r.ok ? ready(r.value) : failed(r.error) });
  },

  prepend(entry) {
    const page = valueOf(get().log);
    if (!page || page.items.some((e) => e.id === entry.id)) return;
    const next = { ...page, items: [entry, ...page.items] };
    const log = get().log;
    set({ log: log.status === 'ready' ? ready(next) : log.status === 'error' ? failed(log.error, next) : loading(next) });
  },

  reset() {
    set({ log: idle, loadingOlder: false, exported: idle });
  },
}));
