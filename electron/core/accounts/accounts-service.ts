// Delegated profiles and their balances: a local cache filled page by page; balances of the rows on screen first, the rest
// in the background within the request budget; refreshes that re-read only what is stale or visible; change events.
import { appError, type AppError } from '../../../shared/app-error';
import type { Asset, BalancesState, BalancesSummary, Profile } from '../../../shared/domain';
import type { EventPayload, ProfilePage, Request } from '../../../shared/ipc-contract';
import { err, ok, type Result } from '../../../shared/result';
import type { CallOptions, PaxosApi } from '../api/paxos-api';
import type { ProfileHoldings } from '../api/wire';
import { notPermittedMessage } from '../api/problem';
import { linkSignals } from '../api/signals';
import { startWorkQueue, type WorkQueue } from '../api/work-queue';
import type { CoreEvents } from '../events';
import { failedState, READ_PROFILE_SCOPE, readyState } from './balances-state';
import { createSummaryEmitter, summarize } from './balances-summary';
import { createProfileOwners, type Owner } from './profile-owners';
import { pageOf, sortedMatches } from './profile-query';

/** Balances older than this are re-read by a refresh (by default the averaging window, so a refresh fits in the budget). */
export const DEFAULT_STALE_AFTER_MS = 5 * 60_000;
/** A visible row whose balances failed is asked again only after this pause (scrolling must not hammer a failing call). */
const VISIBLE_RETRY_AFTER_MS = 30_000;
const MAX_VISIBLE = 200;
const FIRST_PAGE = 200;

export interface AccountsOptions {
  readonly api: PaxosApi;
  readonly events: CoreEvents;
  readonly clock: () => Date;
  /** Scopes granted to the session (empty when unknown). */
  readonly scopes: () => readonly string[];
  /** Background balance requests in flight at once. */
  readonly concurrency: number;
  /** Balances older than this count as stale (default 5 minutes). */
  readonly staleAfterMs?: number;
  /** Aborted when the owner closes. */
  readonly lifetime: AbortSignal;
}

/** What a refresh re-reads: the rows on screen and whatever is stale, or every balance. */
export type RefreshScope = 'stale' | 'all';

export interface AccountsService {
  listProfiles(request: Request<'accounts:listProfiles'>): Promise<Result<ProfilePage>>;
  /** One delegated profile (for a view opened by id): the cache, else the server; a known missing scope sends nothing. */
  getProfile(request: Request<'accounts:getProfile'>): Promise<Result<Profile>>;
  getBalances(request: Request<'accounts:getBalances'>): Promise<Result<BalancesState>>;
  /** The rows on screen: their balances are read now (at `visible` priority) unless fresh or already on the way. */
  setVisible(request: Request<'accounts:setVisible'>): Promise<Result<{ requested: number }>>;
  /** (Re)loads every profile page by page and reads balances (all, or the stale and visible ones); resolves when listed. */
  load(scope?: RefreshScope): Promise<void>;
  /**
   * For an order: fresh balances of one profile (only `assets`, when given: the rest of the cached holdings are kept);
   * updates the cache and emits `accounts:changed`. During a lockout refused at once (`rate_limited`) before an order
   * is journaled, or held until it is over (`whenLockedOut: 'wait'`, after an order changed).
   */
  refreshBalances(profileId: string, assets?: readonly Asset[], signal?: AbortSignal, whenLockedOut?: 'refuse' | 'wait'): Promise<Result<ProfileHoldings, AppError>>;
  /** For an order: the profile from the cache, else from the server (404: not delegated to this operator, or no such profile). */
  findProfile(profileId: string, signal?: AbortSignal): Promise<Result<Profile, AppError>>;
  /** The delegated user's identity and account for an order (null when `identity:read_account` is not granted). */
  ownerForOrder(profileId: string, signal?: AbortSignal): Promise<Result<Owner | null, AppError>>;
  summary(): BalancesSummary;
  /** Waits until the current listing, the background balances and the visible ones asked for have finished. */
  settled(): Promise<void>;
  /** Sign-out: stops loading and forgets every profile and balance. */
  reset(): void;
}

type LoadState =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly firstPage: Promise<void> }
  | { readonly status: 'ready' }
  | { readonly status: 'failed'; readonly error: AppError };

interface Entry {
  /** The profile as the server listed it (owner fields are added on the way out). */
  profile: Profile;
  balances: BalancesState;
  /** Bumped by every balance request; a response is applied only if no newer request started since. */
  seq: number;
  /** Balance requests for it in flight. */
  inFlight: number;
  /** A load or refresh asked for its balances and they have not been read since. */
  wanted: boolean;
  /** When its last balance read failed (ms). */
  failedAt: number;
}

/** Work for orders: it goes first, and is refused rather than held during a lockout (nothing is journaled yet). */
const FOR_ORDER: CallOptions = { priority: 'order', whenLockedOut: 'refuse' };
/** Work after an order changed (the funds moved): it goes first and waits out a lockout, so what is shown catches up. */
const AFTER_ORDER: CallOptions = { priority: 'order', whenLockedOut: 'wait' };

export function createAccountsService(options: AccountsOptions): AccountsService {
  const { api, events } = options;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const nowMs = (): number => options.clock().getTime();
  const entries = new Map<string, Entry>();
  let state: LoadState = { status: 'idle' };
  /**
   * A listing finished since the cache was last emptied: the cache holds the whole book (a refresh lists it again but keeps
   * it until then). Before the first one finishes, the profiles known are only the pages that came so far.
   */
  let listed = false;
  let generation = 0;
  let controller = new AbortController();
  /** Aborted when a missing scope is learnt: every balance read of this load stops. */
  let fanOutController = new AbortController();
  let background: WorkQueue<string> | null = null;
  let fanOut: Promise<void> = Promise.resolve();
  let loading: Promise<void> = Promise.resolve();
  let visible: readonly string[] = [];
  const visibleWork = new Set<Promise<unknown>>();
  /** Background reads wait while reads for the screen are in flight, so the server answers those first. */
  let screenFree: Promise<void> = Promise.resolve();
  let freeScreen: (() => void) | null = null;
  let inFlight = 0;
  /** Bumped when a profile is added, removed or renamed (name order changes), and when balances change (total order). */
  let profilesVersion = 0;
  let balancesVersion = 0;
  /** The last sorted list asked for: the renderer pages through it (10,000 profiles are not sorted again for each page). */
  let sorted: { key: string; matching: Entry[] } | null = null;
  /** A listener that throws (the shell's forwarding) must not break loading. */
  const emit = (change: EventPayload<'accounts:changed'>): void => {
    try {
      events.emit('accounts:changed', change);
    } catch {
      // Ignored: the cache is the source of truth and the next event or list call carries the state.
    }
  };
  const summary = (): BalancesSummary =>
    summarize(Array.from(entries.values(), (e) => e.balances), {
      loading: state.status === 'loading' || inFlight > 0 || (background?.pending() ?? 0) > 0,
      listed,
    });
  const summaries = createSummaryEmitter(summary, (s) => emit({ kind: 'summary', summary: s }));
  const emitProfiles = (): void => {
    emit({ kind: 'profiles', total: entries.size, loading: state.status === 'loading' });
    summaries.changed();
  };
  const setBalances = (profileId: string, balances: BalancesState): void => {
    const entry = entries.get(profileId);
    if (entry) entry.balances = balances;
    balancesVersion += 1;
    emit({ kind: 'balances', profileId, balances });
    summaries.changed();
  };
  const owners = createProfileOwners({ api, scopes: options.scopes, onLoaded: () => emitProfiles() });
  /** The profile with its owner's identity and account, when known. */
  const withOwner = (profile: Profile): Profile => {
    const owner = owners.known(profile.id);
    return owner ? { ...profile, identityId: owner.identityId, accountId: owner.accountId } : profile;
  };
  const missingReadScope = (): boolean => {
    const scopes = options.scopes();
    return scopes.length > 0 && !scopes.includes(READ_PROFILE_SCOPE);
  };
  const notPermitted = (): AppError => appError('forbidden_scope', notPermittedMessage(READ_PROFILE_SCOPE), { detail: { missingScope: READ_PROFILE_SCOPE } });

  const isStale = (b: BalancesState, now: number): boolean => b.status === 'ready' && now - Date.parse(b.loadedAt) > staleAfterMs;
  /** A refresh re-reads it: not loaded (or failed), or stale. A missing scope is a session fact and is not asked again. */
  const needsRefresh = (e: Entry, now: number): boolean => e.balances.status !== 'forbidden' && (e.balances.status !== 'ready' || isStale(e.balances, now));
  /** A row on screen reads it now: asked for, not loaded yet, stale, or failed a while ago. */
  const needsNow = (e: Entry, now: number): boolean => {
    if (e.inFlight > 0 || e.balances.status === 'forbidden') return false;
    if (e.balances.status === 'error') return now - e.failedAt > VISIBLE_RETRY_AFTER_MS;
    return e.wanted || e.balances.status !== 'ready' || isStale(e.balances, now);
  };

  /** The profile from the cache, else from the server (404: not delegated to this operator, or no such profile). */
  async function findProfile(profileId: string, signal?: AbortSignal, call: CallOptions = FOR_ORDER): Promise<Result<Profile, AppError>> {
    const cached = entries.get(profileId);
    if (cached) return ok(withOwner(cached.profile));
    const res = await api.getProfile(profileId, signal, call);
    if (res.ok) return ok(withOwner(res.value));
    const error = res.error.error;
    return err(error.code === 'not_found' ? appError('not_found', 'No profile with this id is delegated to you.') : error);
  }

  /** Marks every profile forbidden once: a missing scope is a session fact, so the fan-out stops instead of retrying. */
  function forbidAll(balances: BalancesState): void {
    fanOutController.abort();
    for (const id of entries.keys()) setBalances(id, balances);
  }

  /** Holdings after reading only `assets`: those are replaced, every other cached holding is kept. */
  function merged(profileId: string, read: ProfileHoldings, assets: readonly Asset[] | undefined): ProfileHoldings {
    const before = entries.get(profileId)?.balances;
    if (!assets || before?.status !== 'ready') return read;
    const kept = before.items.filter((b) => !assets.includes(b.asset) && !read.balances.some((r) => r.asset === b.asset));
    return { balances: [...kept, ...read.balances], others: before.others };
  }

  async function fetchInto(profileId: string, gen: number, signal: AbortSignal, call: CallOptions, assets?: readonly Asset[]): Promise<Result<ProfileHoldings, AppError>> {
    const entry = entries.get(profileId);
    const seq = entry ? ++entry.seq : 0;
    if (entry) entry.inFlight += 1;
    inFlight += 1;
    let res: Awaited<ReturnType<PaxosApi['getBalances']>>;
    try {
      res = await api.getBalances(profileId, assets, signal, call);
    } finally {
      inFlight -= 1;
      if (entry) entry.inFlight -= 1;
    }
    const current = entries.get(profileId);
    const fresh = gen === generation && current === entry && (!current || current.seq === seq);
    if (res.ok) {
      if (fresh) {
        const holdings = merged(profileId, res.value, assets);
        if (current && !assets) current.wanted = false;
        setBalances(profileId, readyState(holdings.balances, holdings.others, options.clock()));
      }
      return ok(res.value);
    }
    const error = res.error.error;
    if (error.code === 'rate_limited') {
      // Paxos throttles this IP for a while: keep what is shown; it is read again once the lockout is over.
      if (current && gen === generation && !assets) current.wanted = true;
      summaries.changed();
    } else if (fresh && error.code !== 'cancelled') {
      if (current) {
        current.wanted = false;
        current.failedAt = nowMs();
      }
      setBalances(profileId, failedState(error));
    }
    if (error.code === 'forbidden_scope' && gen === generation) forbidAll(failedState(error));
    return err(error);
  }

  /**
   * Reads one profile's balances for the screen or the background. A 429 (the lockout just began) is read again: the
   * budget holds the request until the lockout is over, so this never hammers the server.
   */
  async function readBalances(profileId: string, gen: number, signal: AbortSignal, call: CallOptions): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const res = await fetchInto(profileId, gen, signal, call);
      if (res.ok || res.error.code !== 'rate_limited' || gen !== generation || signal.aborted) return;
    }
  }

  /** Reads balances of the rows on screen now, at `visible` priority; returns how many requests it started. */
  function readVisible(ids: readonly string[]): number {
    const gen = generation;
    const signal = AbortSignal.any([controller.signal, fanOutController.signal, options.lifetime]);
    const now = nowMs();
    let started = 0;
    for (const id of ids) {
      const entry = entries.get(id);
      if (!entry || !needsNow(entry, now)) continue;
      started += 1;
      if (visibleWork.size === 0) screenFree = new Promise<void>((resolve) => (freeScreen = resolve));
      const work = readBalances(id, gen, signal, { priority: 'visible' });
      visibleWork.add(work);
      void work.finally(() => {
        visibleWork.delete(work);
        if (visibleWork.size === 0) freeScreen?.();
      });
    }
    if (started > 0) summaries.changed();
    return started;
  }

  function load(scope: RefreshScope = 'all'): Promise<void> {
    controller.abort();
    controller = new AbortController();
    fanOutController = new AbortController();
    const gen = ++generation;
    const signal = AbortSignal.any([controller.signal, options.lifetime]);
    const fanOutSignal = AbortSignal.any([signal, fanOutController.signal]);
    let resolveFirst!: () => void;
    const firstPage = new Promise<void>((resolve) => {
      resolveFirst = resolve;
    });
    state = { status: 'loading', firstPage };
    if (missingReadScope()) {
      state = { status: 'failed', error: notPermitted() };
      resolveFirst();
      forbidAll({ status: 'forbidden', missingScope: READ_PROFILE_SCOPE });
      emitProfiles();
      return Promise.resolve();
    }
    const startedAt = nowMs();
    // What was asked for before this load and not read yet is still wanted; the rows on screen go first.
    for (const entry of entries.values()) if (scope === 'all' || needsRefresh(entry, startedAt)) entry.wanted = true;
    for (const id of visible) {
      const entry = entries.get(id);
      if (entry && entry.balances.status !== 'forbidden') entry.wanted = true;
    }
    readVisible(visible);
    emitProfiles();
    const queue = startWorkQueue<string>(
      options.concurrency,
      async (profileId) => {
        if (visibleWork.size > 0) await screenFree; // the rows on screen first
        const entry = entries.get(profileId);
        if (!entry || !entry.wanted || entry.inFlight > 0) return; // read meanwhile (on screen), or on its way
        await readBalances(profileId, gen, fanOutSignal, { priority: 'background' });
      },
      fanOutSignal,
    );
    background = queue;
    const seen = new Set<string>();
    const onPage = (page: Profile[]): void => {
      if (gen !== generation) return;
      const wanted: string[] = [];
      for (const profile of page) {
        seen.add(profile.id);
        let entry = entries.get(profile.id);
        if (entry) {
          if (entry.profile.nickname !== profile.nickname) profilesVersion += 1;
          entry.profile = profile;
        } else {
          entry = { profile, balances: { status: 'loading' }, seq: 0, inFlight: 0, wanted: true, failedAt: 0 };
          entries.set(profile.id, entry);
          profilesVersion += 1;
        }
        if (entry.wanted) wanted.push(profile.id);
      }
      queue.push(wanted);
      resolveFirst();
      emitProfiles();
    };
    loading = (async () => {
      // A short first page: the first screen of rows (and its balances) does not wait for 1,000 profiles.
      let res = await api.listAllProfiles(onPage, signal, { priority: 'visible', firstPage: FIRST_PAGE });
      // A 429 (the lockout just began): list again once it is over (the budget holds the request until then).
      for (let again = 0; again < 2 && !res.ok && res.error.error.code === 'rate_limited' && gen === generation; again++) {
        res = await api.listAllProfiles(onPage, signal, { priority: 'visible' });
      }
      queue.end();
      if (gen !== generation) return;
      // Who owns each profile (for orders and the detail view): listed once the profiles are, not competing with them.
      void owners.load(signal);
      if (res.ok) {
        for (const id of [...entries.keys()]) {
          if (seen.has(id)) continue;
          entries.delete(id);
          profilesVersion += 1;
        }
        state = { status: 'ready' };
        listed = true;
      } else {
        state = res.error.error.code === 'cancelled' ? { status: 'idle' } : { status: 'failed', error: res.error.error };
      }
      resolveFirst();
      emitProfiles();
    })();
    fanOut = loading.then(() => queue.done).then(() => {
      if (gen === generation) summaries.flush();
    });
    return loading;
  }

  return {
    load,

    async listProfiles(request) {
      if (request.refresh) void load(request.refresh === 'all' ? 'all' : 'stale').catch(() => undefined);
      else if (state.status === 'idle') void load('all').catch(() => undefined);
      if (state.status === 'loading' && entries.size === 0) await state.firstPage;
      if (state.status === 'failed') return err(state.error);
      // Name order changes only with the profiles; total order with any balance too.
      const key = JSON.stringify([request.search?.trim().toLowerCase() ?? '', request.sort, request.direction, profilesVersion, request.sort === 'total' ? balancesVersion : 0]);
      if (sorted?.key !== key) sorted = { key, matching: sortedMatches([...entries.values()], request) };
      const result = pageOf(sorted.matching, request);
      if (!result.ok) return result;
      return ok({
        items: result.value.items.map((r) => ({ profile: withOwner(r.profile), balances: r.balances })),
        nextCursor: result.value.nextCursor,
        total: result.value.total,
        loading: state.status === 'loading',
        summary: summary(),
      });
    },

    async getProfile({ profileId }) {
      if (missingReadScope()) return err(notPermitted());
      const linked = linkSignals([controller.signal, options.lifetime]);
      try {
        // The owner is shown (and on the review step, is what an order will carry): learn it first when it can be known.
        await owners.forOrder(profileId, linked.signal);
        return await findProfile(profileId, linked.signal, { priority: 'visible' });
      } finally {
        linked.dispose();
      }
    },

    async getBalances({ profileId, refresh }) {
      const cached = entries.get(profileId);
      if (!refresh && cached && (cached.balances.status === 'ready' || cached.balances.status === 'forbidden')) return ok(cached.balances);
      if (missingReadScope()) return ok({ status: 'forbidden', missingScope: READ_PROFILE_SCOPE });
      const linked = linkSignals([controller.signal, options.lifetime]);
      const res = await fetchInto(profileId, generation, linked.signal, { priority: 'visible' }).finally(linked.dispose);
      if (res.ok) return ok(entries.get(profileId)?.balances ?? readyState(res.value.balances, res.value.others, options.clock()));
      if (res.error.code === 'rate_limited' && cached) return ok(cached.balances);
      if (res.error.code === 'forbidden_scope' || (res.error.retryable && entries.has(profileId))) return ok(failedState(res.error));
      return err(res.error);
    },

    async setVisible({ profileIds }) {
      visible = profileIds.slice(0, MAX_VISIBLE);
      if (missingReadScope() || state.status === 'failed') return ok({ requested: 0 });
      return ok({ requested: readVisible(visible) });
    },

    async refreshBalances(profileId, assets, signal, whenLockedOut = 'refuse') {
      const linked = linkSignals([controller.signal, options.lifetime, signal]);
      return fetchInto(profileId, generation, linked.signal, whenLockedOut === 'wait' ? AFTER_ORDER : FOR_ORDER, assets).finally(linked.dispose);
    },

    findProfile: (profileId, signal) => findProfile(profileId, signal),

    async ownerForOrder(profileId, signal) {
      const linked = linkSignals([controller.signal, options.lifetime, signal]);
      return owners.forOrder(profileId, linked.signal).finally(linked.dispose);
    },

    summary,

    async settled() {
      await loading;
      await fanOut;
      while (visibleWork.size > 0) await Promise.allSettled([...visibleWork]);
    },

    reset() {
      owners.reset();
      controller.abort();
      controller = new AbortController();
      fanOutController = new AbortController();
      generation += 1;
      entries.clear();
      listed = false;
      sorted = null;
      profilesVersion += 1;
      visible = [];
      freeScreen?.();
      background = null;
      summaries.stop();
      state = { status: 'idle' };
      loading = Promise.resolve();
      fanOut = Promise.resolve();
    },
  };
}
