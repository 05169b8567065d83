// Orders store: every order seen (from lists, submits and orders:changed), the filtered list, per-profile recent orders, submit and cancel.
import { create } from 'zustand';
import type { AppError } from '../../../shared/app-error';
import type { Order, OrderStatus } from '../../../shared/domain';
import type { RequestInput } from '../../../shared/ipc-contract';
import type { Result } from '../../../shared/result';
import { call } from '../../ipc/client';
import { failed, idle, loading, ready, valueOf, type Async } from '../lib/async';

export interface OrdersFilter {
  readonly status: OrderStatus | 'all';
  readonly profileId: string | 'all';
}

export interface OrdersStore {
  /** Every order seen, by refId; kept current by orders:changed. */
  readonly byRef: Readonly<Record<string, Order>>;
  readonly filter: OrdersFilter;
  /** refIds of the orders list for the current filter, newest first. */
  readonly list: Async<readonly string[]>;
  /** Recent orders per profile (account detail). */
  readonly recent: Readonly<Record<string, Async<readonly string[]>>>;
  readonly cancelling: Readonly<Record<string, true>>;
  readonly cancelErrors: Readonly<Record<string, AppError>>;
  setFilter(patch: Partial<OrdersFilter>): void;
  load(): Promise<void>;
  loadRecent(profileId: string): Promise<void>;
  submit(request: RequestInput<'orders:submit'>): Promise<Result<Order>>;
  cancel(refId: string): Promise<void>;
  upsert(order: Order): void;
  reset(): void;
}

const RECENT_LIMIT = 10;

function newestFirst(a: Order, b: Order): number {
  return a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0;
}

/** Whether an order belongs in a list with this filter. */
export function matchesFilter(order: Order, filter: OrdersFilter): boolean {
  return (filter.status === 'all' || order.status === filter.status) && (filter.profileId === 'all' || order.profileId === filter.profileId);
}

/** The orders behind a list of refIds, newest first. */
export function ordersOf(byRef: Readonly<Record<string, Order>>, refs: readonly string[]): Order[] {
  return refs.flatMap((ref) => (byRef[ref] ? [byRef[ref]] : [])).sort(newestFirst);
}

export const useOrders = create<OrdersStore>()((set, get) => {
  let generation = 0;

  function remember(orders: readonly Order[]): void {
    if (orders.length === 0) return;
    const byRef = { ...get().byRef };
    for (const o of orders) {
      const known = byRef[o.refId];
      if (!known || known.updatedAt <= o.updatedAt) byRef[o.refId] = o;
    }
    set({ byRef });
  }

  return {
    byRef: {},
    filter: { status: 'all', profileId: 'all' },
    list: idle,
    recent: {},
    cancelling: {},
    cancelErrors: {},

    setFilter(patch) {
      set({ filter: { ...get().filter, ...patch } });
      void get().load();
    },

    async load() {
      const gen = ++generation;
      const { status, profileId } = get().filter;
      set({ list: loading(valueOf(get().list)) });
      const r = await call((b) =>
        b.listOrders({ limit: 200, ...(status !== 'all' ? { statuses: [status] } : {}), ...(profileId !== 'all' ? { profileId } : {}) }),
      );
      if (gen !== generation) return;
      if (!r.ok) return set({ list: failed(r.error, valueOf(get().list)) });
      remember(r.value.items);
      set({ list: ready(r.value.items.map((o) => o.refId)) });
    },

    async loadRecent(profileId) {
      const previous = get().recent[profileId];
      set({ recent: { ...get().recent, [profileId]: loading(previous ? valueOf(previous) : undefined) } });
      const r = await call((b) => b.listOrders({ profileId, limit: RECENT_LIMIT }));
      if (r.ok) remember(r.value.items);
      set({ recent: { ...get().recent, [profileId]: r.ok ? ready(r.value.items.map((o) => o.refId)) : failed(r.error) } });
    },

    async submit(request) {
      const r = await call((b) => b.submitOrder(request));
      if (r.ok) get().upsert(r.value);
      return r;
    },

    async cancel(refId) {
      const { [refId]: _, ...cancelErrors } = get().cancelErrors;
      set({ cancelling: { ...get().cancelling, [refId]: true }, cancelErrors });
      const r = await call((b) => b.cancelOrder({ refId }));
      const { [refId]: __, ...cancelling } = get().cancelling;
      set({ cancelling });
      if (r.ok) get().upsert(r.value);
      else set({ cancelErrors: { ...get().cancelErrors, [refId]: r.error } });
    },

    upsert(order) {
      remember([order]);
      const add = (refs: readonly string[]) => (refs.includes(order.refId) ? refs : [order.refId, ...refs]);
      const list = get().list;
      if (list.status === 'ready' && matchesFilter(order, get().filter)) set({ list: ready(add(list.value)) });
      const recent = get().recent[order.profileId];
      if (recent?.status === 'ready') set({ recent: { ...get().recent, [order.profileId]: ready(add(recent.value).slice(0, RECENT_LIMIT)) } });
    },

    reset() {
      generation++;
      set({ byRef: {}, list: idle, recent: {}, cancelling: {}, cancelErrors: {}, filter: { status: 'all', profileId: 'all' } });
    },
  };
});
