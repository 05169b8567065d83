// Accounts store: the delegated profiles for the current search/sort, loaded page by page, with balances filling in live
// (main reads the rows on screen first: the table reports them through showing()), and the summary across every profile.
import { create } from 'zustand';
import type { AppError } from '../../../shared/app-error';
import type { BalancesState, BalancesSummary, Profile } from '../../../shared/domain';
import type { EventPayload, ProfileRow } from '../../../shared/ipc-contract';
import { call } from '../../ipc/client';
import { failed, idle, loading, ready, valueOf, type Async } from '../lib/async';

export interface AccountsQuery {
  readonly search: string;
  readonly sort: 'name' | 'total';
  readonly direction: 'asc' | 'desc';
}

export interface AccountsList {
  /** Profile ids loaded so far, in list order. */
  readonly ids: readonly string[];
  /** Profiles matching the search, across all pages. */
  readonly total: number;
  /** Every page has been loaded. */
  readonly complete: boolean;
  /** Main is still loading profiles from the server (the total may grow). */
  readonly serverLoading: boolean;
}

export interface AccountsStore {
  readonly query: AccountsQuery;
  readonly list: Async<AccountsList>;
  readonly profiles: ReadonlyMap<string, Profile>;
  readonly balances: ReadonlyMap<string, BalancesState>;
  /** Balances across every profile: how many are loaded, and the total once all are (null before main has said). */
  readonly summary: BalancesSummary | null;
  /** Profiles being fetched one by one (a view opened by id before the list has them), or why that failed. */
  readonly lookups: Readonly<Record<string, { readonly status: 'loading' } | { readonly status: 'error'; readonly error: AppError }>>;
  setQuery(patch: Partial<AccountsQuery>): void;
  /**
   * Loads the list. `refresh` asks main to reload the profiles and re-read balances: `stale` (those on screen and those
   * older than a few minutes) or `all`.
   */
  load(options?: { refresh?: 'stale' | 'all' }): Promise<void>;
  /** Fetches one profile by id (accounts:getProfile) unless it is known or already being fetched. */
  loadProfile(profileId: string): Promise<void>;
  /** Tells main which profiles are on screen (and just ahead): their balances are read first. */
  showing(ids: readonly string[]): void;
  /** Fetches one profile's balances now (`refresh` asks main to bypass its cache). */
  loadBalances(profileId: string, refresh?: boolean): Promise<void>;
  applyChange(change: EventPayload<'accounts:changed'>): void;
  reset(): void;
}

const FIRST_PAGE = 200;
const NEXT_PAGE = 1000;
const INITIAL_QUERY: AccountsQuery = { search: '', sort: 'name', direction: 'asc' };

export const useAccounts = create<AccountsStore>()((set, get) => {
  let generation = 0;
  /** Bumped on reset (sign-out): answers to requests of the previous session are dropped. */
  let session = 0;
  let pendingBalances = new Map<string, BalancesState>();
  let flushTimer: ReturnType<typeof setTimeout> | undefined;
  let reloadTimer: ReturnType<typeof setTimeout> | undefined;
  /** The ids last reported as on screen (the same set is not sent twice in a row). */
  let shown = '';

  function mergeBalances(updates: ReadonlyMap<string, BalancesState>): void {
    if (updates.size === 0) return;
    const next = new Map(get().balances);
    for (const [id, b] of updates) next.set(id, b);
    set({ balances: next });
  }

  function mergeRows(rows: readonly ProfileRow[]): void {
    const profiles = new Map(get().profiles);
    const known = get().balances;
    const balances = new Map<string, BalancesState>();
    for (const { profile, balances: b } of rows) {
      profiles.set(profile.id, profile);
      const current = known.get(profile.id);
      // A row saying "idle" must not hide balances that arrived by event meanwhile.
      if (!(b.status === 'idle' && current !== undefined)) balances.set(profile.id, b);
    }
    set({ profiles });
    mergeBalances(balances);
  }

  return {
    query: INITIAL_QUERY,
    list: idle,
    profiles: new Map(),
    balances: new Map(),
    summary: null,
    lookups: {},

    setQuery(patch) {
      set({ query: { ...get().query, ...patch } });
      void get().load();
    },

    async load(options = {}) {
      const gen = ++generation;
      clearTimeout(reloadTimer);
      reloadTimer = undefined;
      const { search, sort, direction } = get().query;
      const previous = valueOf(get().list);
      set({ list: loading(previous) });
      let ids: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; ; page++) {
        const request = {
          limit: page === 0 ? FIRST_PAGE : NEXT_PAGE,
          sort,
          direction,
          ...(search.trim() ? { search: search.trim() } : {}),
          ...(cursor ? { cursor } : {}),
          ...(page === 0 && options.refresh ? { refresh: options.refresh } : {}),
        };
        const r = await call((b) => b.listProfiles(request));
        if (gen !== generation) return;
        if (!r.ok) {
          set({ list: failed(r.error, page === 0 ? previous : { ids, total: ids.length, complete: false, serverLoading: false }) });
          return;
        }
        mergeRows(r.value.items);
        set({ summary: r.value.summary });
        ids = [...ids, ...r.value.items.map((row) => row.profile.id)];
        const complete = r.value.nextCursor === null;
        set({ list: ready({ ids, total: Math.max(r.value.total, ids.length), complete, serverLoading: r.value.loading }) });
        if (complete) return;
        cursor = r.value.nextCursor ?? undefined;
      }
    },

    async loadProfile(profileId) {
      if (get().profiles.has(profileId) || get().lookups[profileId]?.status === 'loading') return;
      const started = session;
      set({ lookups: { ...get().lookups, [profileId]: { status: 'loading' } } });
      const r = await call((b) => b.getProfile({ profileId }));
      if (started !== session) return;
      const { [profileId]: _, ...lookups } = get().lookups;
      if (!r.ok) return set({ lookups: { ...lookups, [profileId]: { status: 'error', error: r.error } } });
      set({ lookups, profiles: new Map(get().profiles).set(profileId, r.value) });
    },

    showing(ids) {
      const key = ids.join(' ');
      if (key === shown || ids.length === 0) return;
      shown = key;
      const started = session;
      void call((b) => b.setVisibleProfiles({ profileIds: ids.slice(0, 200) })).then((r) => {
        // Main could not take the list (signed out meanwhile, or an error): let the same rows be reported again.
        if (!r.ok && started === session) shown = '';
      });
    },

    async loadBalances(profileId, refresh = false) {
      const r = await call((b) => b.getBalances({ profileId, ...(refresh ? { refresh } : {}) }));
      mergeBalances(new Map([[profileId, r.ok ? r.value : { status: 'error', message: r.error.message }]]));
    },

    applyChange(change) {
      if (change.kind === 'summary') {
        set({ summary: change.summary });
        return;
      }
      if (change.kind === 'balances') {
        pendingBalances.set(change.profileId, change.balances);
        flushTimer ??= setTimeout(() => {
          flushTimer = undefined;
          const updates = pendingBalances;
          pendingBalances = new Map();
          mergeBalances(updates);
        }, 16);
        return;
      }
      const list = valueOf(get().list);
      if (list === undefined) return;
      const reload = (ms: number) => {
        reloadTimer = setTimeout(() => {
          reloadTimer = undefined;
          void get().load();
        }, ms);
      };
      if (list.serverLoading && !change.loading) {
        // Main finished loading: one last reload shows the complete list.
        clearTimeout(reloadTimer);
        reload(250);
      } else if (!get().query.search && change.total !== list.total && reloadTimer === undefined) {
        // Still growing: at most one reload a second.
        reload(1000);
      }
    },

    reset() {
      generation++;
      session++;
      clearTimeout(reloadTimer);
      reloadTimer = undefined;
      shown = '';
      set({ query: INITIAL_QUERY, list: idle, profiles: new Map(), balances: new Map(), summary: null, lookups: {} });
    },
  };
});
