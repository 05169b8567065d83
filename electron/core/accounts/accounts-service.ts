// Delegated profiles and their balances: a local cache filled page by page, a bounded balance fan-out, change events.
import { appError, type AppError } from '../../../shared/app-error';
import type { Asset, BalancesState, Profile } from '../../../shared/domain';
import type { EventPayload, ProfilePage, Request } from '../../../shared/ipc-contract';
import { err, ok, type Result } from '../../../shared/result';
import type { PaxosApi } from '../api/paxos-api';
import type { ProfileHoldings } from '../api/wire';
import { notPermittedMessage } from '../api/problem';
import { linkSignals } from '../api/signals';
import { startWorkQueue } from '../api/work-queue';
import type { CoreEvents } from '../events';
import { failedState, READ_PROFILE_SCOPE, readyState } from './balances-state';
import { createProfileOwners, type Owner } from './profile-owners';
import { queryProfiles } from './profile-query';

export interface AccountsOptions {
  readonly api: PaxosApi;
  readonly events: CoreEvents;
  readonly clock: () => Date;
  /** Scopes granted to the session (empty when unknown). */
  readonly scopes: () => readonly string[];
  /** Balance requests in flight at once during the fan-out. */
  readonly concurrency: number;
  /** Aborted when the owner closes. */
  readonly lifetime: AbortSignal;
}

export interface AccountsService {
  listProfiles(request: Request<'accounts:listProfiles'>): Promise<Result<ProfilePage>>;
  /** One delegated profile (for a view opened by id): the cache, else the server; a known missing scope sends nothing. */
  getProfile(request: Request<'accounts:getProfile'>): Promise<Result<Profile>>;
  getBalances(request: Request<'accounts:getBalances'>): Promise<Result<BalancesState>>;
  /** (Re)loads every profile page by page and fans out balance requests; resolves when the listing is done. */
  load(): Promise<void>;
  /**
   * Fresh balances of one profile from the server (only `assets`, when given: the rest of the cached holdings are kept);
   * updates the cache and emits `accounts:changed`.
   */
  refreshBalances(profileId: string, assets?: readonly Asset[], signal?: AbortSignal): Promise<Result<ProfileHoldings, AppError>>;
  /** The profile from the cache, else from the server (404: not delegated to this operator, or no such profile). */
  findProfile(profileId: string, signal?: AbortSignal): Promise<Result<Profile, AppError>>;
  /** The delegated user's identity and account for an order (null when `identity:read_account` is not granted). */
  ownerForOrder(profileId: string, signal?: AbortSignal): Promise<Result<Owner | null, AppError>>;
  /** Waits until the current listing and balance fan-out have finished. */
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
}

export function createAccountsService(options: AccountsOptions): AccountsService {
  const { api, events } = options;
  const entries = new Map<string, Entry>();
  let state: LoadState = { status: 'idle' };
  let generation = 0;
  let controller = new AbortController();
  let fanOut: Promise<void> = Promise.resolve();
  let loading: Promise<void> = Promise.resolve();

  /** A listener that throws (the shell's forwarding) must not break loading. */
  const emit = (change: EventPayload<'accounts:changed'>): void => {
    try {
      events.emit('accounts:changed', change);
    } catch {
      // Ignored: the cache is the source of truth and the next event or list call carries the state.
    }
  };
  const emitProfiles = (): void => emit({ kind: 'profiles', total: entries.size, loading: state.status === 'loading' });
  const setBalances = (profileId: string, balances: BalancesState): void => {
    const entry = entries.get(profileId);
    if (entry) entry.balances = balances;
    emit({ kind: 'balances', profileId, balances });
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

  /** The profile from the cache, else from the server (404: not delegated to this operator, or no such profile). */
  async function findProfile(profileId: string, signal?: AbortSignal): Promise<Result<Profile, AppError>> {
    const cached = entries.get(profileId);
    if (cached) return ok(withOwner(cached.profile));
    const res = await api.getProfile(profileId, signal);
    if (res.ok) return ok(withOwner(res.value));
    const error = res.error.error;
    return err(error.code === 'not_found' ? appError('not_found', 'No profile with this id is delegated to you.') : error);
  }

  /** Marks every profile forbidden once: a missing scope is a session fact, so the fan-out stops instead of retrying. */
  function forbidAll(balances: BalancesState, fanOutController: AbortController): void {
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

  async function fetchInto(profileId: string, gen: number, signal: AbortSignal, assets?: readonly Asset[]): Promise<Result<ProfileHoldings, AppError>> {
    const entry = entries.get(profileId);
    const seq = entry ? ++entry.seq : 0;
    const res = await api.getBalances(profileId, assets, signal);
    const current = entries.get(profileId);
    const fresh = gen === generation && (!current || current.seq === seq);
    if (res.ok) {
      if (fresh) {
        const holdings = merged(profileId, res.value, assets);
        setBalances(profileId, readyState(holdings.balances, holdings.others, options.clock()));
      }
      return ok(res.value);
    }
    const error = res.error.error;
    if (fresh && error.code !== 'cancelled') setBalances(profileId, failedState(error));
    return err(error);
  }

  function load(): Promise<void> {
    controller.abort();
    controller = new AbortController();
    const gen = ++generation;
    const signal = AbortSignal.any([controller.signal, options.lifetime]);
    const fanOutController = new AbortController();
    const fanOutSignal = AbortSignal.any([signal, fanOutController.signal]);
    let resolveFirst!: () => void;
    const firstPage = new Promise<void>((resolve) => {
      resolveFirst = resolve;
    });
    state = { status: 'loading', firstPage };
    if (missingReadScope()) {
      state = { status: 'failed', error: notPermitted() };
      resolveFirst();
      forbidAll({ status: 'forbidden', missingScope: READ_PROFILE_SCOPE }, fanOutController);
      emitProfiles();
      return Promise.resolve();
    }
    emitProfiles();
    void owners.load(signal);
    const queue = startWorkQueue<string>(
      options.concurrency,
      async (profileId) => {
        const res = await fetchInto(profileId, gen, fanOutSignal);
        if (!res.ok && res.error.code === 'forbidden_scope' && gen === generation) forbidAll(failedState(res.error), fanOutController);
      },
      fanOutSignal,
    );
    const seen = new Set<string>();
    loading = (async () => {
      const res = await api.listAllProfiles((page) => {
        if (gen !== generation) return;
        const fresh: string[] = [];
        for (const profile of page) {
          seen.add(profile.id);
          const entry = entries.get(profile.id);
          if (entry) entry.profile = profile;
          else entries.set(profile.id, { profile, balances: { status: 'loading' }, seq: 0 });
          fresh.push(profile.id);
        }
        queue.push(fresh);
        resolveFirst();
        emitProfiles();
      }, signal);
      queue.end();
      if (gen !== generation) return;
      if (res.ok) {
        for (const id of [...entries.keys()]) if (!seen.has(id)) entries.delete(id);
        state = { status: 'ready' };
      } else {
        state = res.error.error.code === 'cancelled' ? { status: 'idle' } : { status: 'failed', error: res.error.error };
      }
      resolveFirst();
      emitProfiles();
    })();
    fanOut = loading.then(() => queue.done);
    return loading;
  }

  return {
    load,

    async listProfiles(request) {
      if (request.refresh || state.status === 'idle') void load().catch(() => undefined);
      if (state.status === 'loading' && entries.size === 0) await state.firstPage;
      if (state.status === 'failed') return err(state.error);
      const result = queryProfiles([...entries.values()], request);
      if (!result.ok) return result;
      return ok({
        items: result.value.items.map((r) => ({ profile: withOwner(r.profile), balances: r.balances })),
        nextCursor: result.value.nextCursor,
        total: result.value.total,
        loading: state.status === 'loading',
      });
    },

    async getProfile({ profileId }) {
      if (missingReadScope()) return err(notPermitted());
      const linked = linkSignals([controller.signal, options.lifetime]);
      try {
        // The owner is shown (and on the review step, is what an order will carry): learn it first when it can be known.
        await owners.forOrder(profileId, linked.signal);
        return await findProfile(profileId, linked.signal);
      } finally {
        linked.dispose();
      }
    },

    async getBalances({ profileId, refresh }) {
      const cached = entries.get(profileId);
      if (!refresh && cached && (cached.balances.status === 'ready' || cached.balances.status === 'forbidden')) return ok(cached.balances);
      if (missingReadScope()) return ok({ status: 'forbidden', missingScope: READ_PROFILE_SCOPE });
      const linked = linkSignals([controller.signal, options.lifetime]);
      const res = await fetchInto(profileId, generation, linked.signal).finally(linked.dispose);
      if (res.ok) return ok(entries.get(profileId)?.balances ?? readyState(res.value.balances, res.value.others, options.clock()));
      if (res.error.code === 'forbidden_scope' || (res.error.retryable && entries.has(profileId))) return ok(failedState(res.error));
      return err(res.error);
    },

    async refreshBalances(profileId, assets, signal) {
      const linked = linkSignals([controller.signal, options.lifetime, signal]);
      return fetchInto(profileId, generation, linked.signal, assets).finally(linked.dispose);
    },

    findProfile,

    async ownerForOrder(profileId, signal) {
      const linked = linkSignals([controller.signal, options.lifetime, signal]);
      return owners.forOrder(profileId, linked.signal).finally(linked.dispose);
    },

    async settled() {
      await loading;
      await fanOut;
    },

    reset() {
      owners.reset();
      controller.abort();
      controller = new AbortController();
      generation += 1;
      entries.clear();
      state = { status: 'idle' };
      loading = Promise.resolve();
      fanOut = Promise.resolve();
    },
  };
}
