// Mint and redeem: validate, journal, send, reconcile, poll, cancel; the `orders:*` handlers of one operations instance, over the orders gateway.
import { randomUUID } from 'node:crypto';
import { appError, type AppError } from '../../../shared/app-error';
import type { Order, OrdersApi } from '../../../shared/domain';
import { isOpenServerStatus } from '../../../shared/order-statuses';
import type { Request } from '../../../shared/ipc-contract';
import { err, ok, type Result } from '../../../shared/result';
import type { AccessTokenSource } from '../auth/access-token';
import { sanitizeServerText } from '../api/text';
import { StorageError } from '../audit/storage-error';
import { runBounded } from '../api/work-queue';
import { isFinal, type JournalEntry } from './journal';
import { applyServerOrder } from './outcomes';
import { describeOrder, describeOrderWords, toOrder } from './order-view';
import { DEFAULT_RESEND_WINDOW_MS, reconcileEntry } from './reconciler';
import { auditOrder, gatewayOf, publish, type OrderRuntime } from './runtime';
import { rejectionOf, sendIntent } from './submitter';
import { checkAmount, checkFunds, checkWriteScope, direction, type OrderRequest } from './validate';

export interface OrdersOptions {
  readonly runtime: OrderRuntime;
  readonly tokens: AccessTokenSource;
  readonly environment: string;
  /** The API new orders go through (the environment's); orders already journaled keep the one they were sent through. */
  readonly ordersApi: OrdersApi;
  readonly resendWindowMs?: number;
  /** Waits before re-checking an order whose outcome is unknown: one entry per re-check. */
  readonly recheckDelaysMs?: readonly number[];
}

export interface OrdersService {
  submit(request: Request<'orders:submit'>): Promise<Result<Order>>;
  list(request: Request<'orders:list'>): Promise<Result<{ items: Order[] }>>;
  get(request: Request<'orders:get'>): Promise<Result<Order>>;
  cancel(request: Request<'orders:cancel'>): Promise<Result<Order>>;
  /** Reconciles the operator's unfinished entries (by ref_id) and resumes polling; call at start-up and after sign-in. */
  reconcileAll(): Promise<void>;
}

type Work = { readonly kind: 'send' | 'reconcile'; readonly done: Promise<unknown> };

/** A failed `sent` record the journal could not cut off: not sent now, and maybe after a restart. */
const UNCUT_SENT = 'The order was not sent yet, but the journal could not be repaired: if Partner Console stops before the disk recovers, it may still send it when it starts again (check the order list).';

const signedOut = (): AppError => appError('signed_out', 'Sign in to work with orders.');

export function createOrdersService(options: OrdersOptions): OrdersService {
  const { runtime, tokens, environment, ordersApi } = options;
  const recheckDelays = options.recheckDelaysMs ?? [2_000, 5_000, 15_000, 60_000];
  /** Orders this process is sending or reconciling right now: never two at once for the same ref_id. */
  const work = new Map<string, Work>();

  const operatorId = (): string | null => tokens.operator()?.subject ?? null;
  const mine = (entry: JournalEntry | undefined, subject: string): entry is JournalEntry =>
    entry !== undefined && entry.intent.operator === subject && entry.intent.environment === environment;

  /** Runs `run` as the one piece of work for this order; joins the running one if there is one. Read the outcome from the journal. */
  function track(refId: string, kind: Work['kind'], run: () => Promise<unknown>): Promise<void> {
    const existing = work.get(refId);
    if (existing) return existing.done.then(() => undefined);
    const done = run()
      .then(() => undefined)
      .finally(() => work.delete(refId));
    work.set(refId, { kind, done });
    return done;
  }

  const reconcile = (refId: string) => track(refId, 'reconcile', () => reconcileEntry(runtime, refId, options.resendWindowMs ?? DEFAULT_RESEND_WINDOW_MS));

  /** An order left `unknown` is looked up again (and resent with its ref_id if it never landed) a few times, spaced out. */
  function scheduleRecheck(refId: string, attempt = 0): void {
    const delay = recheckDelays[attempt];
    if (delay === undefined) return;
    const signal = runtime.sessionSignal();
    void runtime
      .sleep(delay, signal)
      .then(async () => {
        await reconcile(refId);
        const entry = runtime.journal.get(refId);
        if (entry && !isFinal(entry)) scheduleRecheck(refId, attempt + 1);
      })
      .catch(() => undefined);
  }

  /** Before a new order for a profile: every earlier unfinished order of it (not in flight here) is settled first. */
  async function ensureReconciled(subject: string, profileId: string): Promise<Result<true>> {
    const open = runtime.journal.entries().filter((e) => mine(e, subject) && e.intent.order.profileId === profileId && !isFinal(e));
    const blocking = (): JournalEntry[] => {
      const left: JournalEntry[] = [];
      for (const e of open) {
        const current = runtime.journal.get(e.refId);
        if (current && !isFinal(current) && work.get(e.refId)?.kind !== 'send') left.push(current);
      }
      return left;
    };
    for (const e of blocking()) await reconcile(e.refId);
    const still = blocking();
    if (still.length === 0) return ok(true);
    return err(
      appError('unavailable', 'An earlier order for this profile could not be confirmed yet, so new orders for it wait. Try again shortly.', {
        retryable: true,
        detail: { refId: still[0]!.refId },
      }),
    );
  }

  /**
   * `operator` is who submitted: the session may have ended meanwhile (that can be why it was refused).
   * `nickname` is the profile's, once it was looked up (refusals before that name the profile by id).
   */
  async function refused(request: OrderRequest, error: AppError, operator: { subject: string; email: string }, nickname?: string): Promise<Result<Order>> {
    const { sourceAsset, targetAsset } = direction(request.kind, request.asset);
    const what = describeOrderWords({ kind: request.kind, amount: request.amount, sourceAsset, targetAsset, profileId: request.profileId, nickname });
    await runtime.audit({ action: 'order_submit', outcome: 'error', summary: `${what}: refused before sending — ${error.message}`, operator: operator.email || operator.subject });
    return err(error);
  }

  async function submit(request: Request<'orders:submit'>): Promise<Result<Order>> {
    const operator = tokens.operator();
    if (!operator) return err(signedOut());
    // Nothing is accepted while the journal (or the activity log) cannot be written: it would not be recorded.
    const storage = await runtime.storageReady();
    if (!storage.ok) return refused(request, storage.error, operator);
    const amount = checkAmount(request);
    if (!amount.ok) return refused(request, amount.error, operator);
    const scope = checkWriteScope(tokens.scopes(), ordersApi);
    if (!scope.ok) return refused(request, scope.error, operator);
    const gate = await ensureReconciled(operator.subject, request.profileId);
    if (!gate.ok) return refused(request, gate.error, operator);
    const signal = runtime.sessionSignal();
    const profile = await runtime.accounts.findProfile(request.profileId, signal);
    if (!profile.ok) return refused(request, profile.error, operator);
    // Server text: sanitised and capped before it is journaled; empty means none (summaries then use the id alone).
    const nickname = sanitizeServerText(profile.value.nickname, 200) || undefined;
    const email = operator.email.slice(0, 200) || undefined;
    const owner = await runtime.accounts.ownerForOrder(request.profileId, signal);
    if (!owner.ok) {
      const why = appError(owner.error.code === 'cancelled' ? 'cancelled' : 'unavailable', `Could not look up which user and account own this profile, so the order was not sent (${owner.error.message}) Try again shortly.`, { retryable: true });
      return refused(request, why, operator, nickname);
    }
    // Both sides of the conversion, sent as a repeated `assets` parameter: the funds check and the refreshed target.
    const balances = await runtime.accounts.refreshBalances(request.profileId, [amount.value.sourceAsset, amount.value.targetAsset], signal);
    if (!balances.ok) return refused(request, balances.error, operator, nickname);
    const funds = checkFunds(balances.value.balances, amount.value.sourceAsset, amount.value.amount);
    if (!funds.ok) return refused(request, funds.error, operator, nickname);

    const refId = randomUUID();
    let notWritten: AppError | null = null;
    // Registered as in flight before the intent exists, so no reconciliation elsewhere mistakes it for a leftover.
    const sending = track(refId, 'send', async () => {
      let entry: JournalEntry | undefined;
      try {
        entry = await runtime.journal.append({
          type: 'intent',
          refId,
          operator: operator.subject,
          ...(email ? { operatorEmail: email } : {}),
          environment,
          ordersApi,
          ...(nickname ? { profileNickname: nickname } : {}),
          order: {
            kind: request.kind,
            profileId: profile.value.id,
            asset: request.asset,
            amount: amount.value.amount,
            sourceAsset: amount.value.sourceAsset,
            targetAsset: amount.value.targetAsset,
            ...(owner.value ? { identityId: owner.value.identityId, accountId: owner.value.accountId } : {}),
          },
        });
      } catch (error) {
        notWritten = error instanceof StorageError ? error.withConsequence('The order was not sent.') : appError('storage', 'The order could not be written to the journal on disk, so it was not sent.');
        return;
      }
      if (!entry) {
        notWritten = appError('internal', 'The order could not be written to the journal on disk, so it was not sent.');
        return;
      }
      publish(runtime, entry);
      await auditOrder(runtime, entry, { action: 'order_submit', outcome: 'ok', summary: describeOrder(entry), refId });
      await sendIntent(runtime, refId);
    });
    try {
      await sending;
    } catch (error) {
      if (!(error instanceof StorageError)) throw error;
      // No `sent` on disk: no POST was made, and reconciliation records it as not sent. Otherwise its outcome is re-checked by ref_id.
      // Unless the failed record could not be cut off either: a restart before the disk recovers reads it and sends the order.
      if (!runtime.journal.get(refId)?.sent) {
        if (runtime.journal.writable()) return err(error.withConsequence('The order was not sent.'));
        return err(error.withConsequence(UNCUT_SENT));
      }
      scheduleRecheck(refId);
      return err(error.withConsequence('The order was sent, but its outcome could not be recorded yet; it is checked again by ref_id.'));
    }
    const unwritten = notWritten as AppError | null; // assigned inside the tracked work above
    if (unwritten) return refused(request, unwritten, operator, nickname);
    const final = runtime.journal.get(refId);
    if (final && !isFinal(final)) scheduleRecheck(refId);
    const rejection = rejectionOf(final);
    return rejection ? err(rejection) : ok(toOrder(final!));
  }

  async function cancel({ refId }: Request<'orders:cancel'>): Promise<Result<Order>> {
    const subject = operatorId();
    if (!subject) return err(signedOut());
    const entry = runtime.journal.get(refId);
    if (!mine(entry, subject)) return err(appError('not_found', 'No such order.'));
    const summary = `Cancel: ${describeOrder(entry)}`;
    const gateway = gatewayOf(runtime, entry);
    const refuse = async (error: AppError): Promise<Result<Order>> => {
      await auditOrder(runtime, entry, { action: 'order_cancel', outcome: 'error', summary: `${summary} — ${error.message}`, refId });
      return err(error);
    };
    // Paxos publishes no cancel for orchestrations: only a conversion that is still CREATED can be cancelled.
    if (!gateway.cancel) return refuse(appError('conflict', 'Orders sent through the Orchestrations API cannot be cancelled: Paxos offers no cancel for them.'));
    if (entry.state.phase !== 'accepted' || entry.state.status !== 'CREATED') {
      return refuse(appError('conflict', `Only an order that is created and not yet settled can be cancelled; this one is ${toOrder(entry).status}.`));
    }
    const signal = runtime.sessionSignal();
    const serverId = entry.state.serverId;
    const res = await gateway.cancel(serverId, signal);
    if (res.ok) {
      const updated = await applyServerOrder(runtime, refId, res.value);
      await auditOrder(runtime, entry, { action: 'order_cancel', outcome: 'ok', summary: `${summary} — ${res.value.status.toLowerCase()}`, refId });
      return ok(toOrder(updated ?? entry));
    }
    // Any 4xx: do not trust a particular error shape; read the order back and show its real status.
    const error = res.error.error;
    const status = res.error.problem?.status ?? 0;
    if (status >= 400 && status < 500 && status !== 401) {
      const fresh = await gateway.get(serverId, signal);
      if (fresh.ok) {
        const updated = await applyServerOrder(runtime, refId, fresh.value);
        if (fresh.value.status === 'CANCELLED') {
          // An earlier copy of this cancel landed (its answer was lost): the order is cancelled as asked.
          await auditOrder(runtime, entry, { action: 'order_cancel', outcome: 'ok', summary: `${summary} — cancelled`, refId });
          return ok(toOrder(updated ?? entry));
        }
        if (fresh.value.status === 'SETTLED') return refuse(appError('conflict', 'The order had already settled and can no longer be cancelled.'));
      }
    }
    return refuse(error);
  }

  return {
    submit,
    cancel,

    async list({ profileId, statuses, limit }) {
      const subject = operatorId();
      if (!subject) return err(signedOut());
      const items: Order[] = [];
      const all = runtime.journal.entries();
      for (let i = all.length - 1; i >= 0 && items.length < limit; i--) {
        const e = all[i]!;
        if (!mine(e, subject) || (profileId !== undefined && e.intent.order.profileId !== profileId)) continue;
        const order = toOrder(e);
        if (statuses === undefined || statuses.includes(order.status)) items.push(order);
      }
      return ok({ items });
    },

    async get({ refId }) {
      const subject = operatorId();
      if (!subject) return err(signedOut());
      const entry = runtime.journal.get(refId);
      if (!mine(entry, subject)) return err(appError('not_found', 'No such order.'));
      if (entry.state.phase === 'accepted' && isOpenServerStatus(entry.state.status)) {
        const fresh = await gatewayOf(runtime, entry).get(entry.state.serverId, runtime.sessionSignal());
        if (fresh.ok) return ok(toOrder((await applyServerOrder(runtime, refId, fresh.value)) ?? entry));
      }
      return ok(toOrder(entry));
    },

    async reconcileAll() {
      const subject = operatorId();
      if (!subject) return;
      const entries = runtime.journal.entries().filter((e) => mine(e, subject));
      for (const e of entries) if (e.state.phase === 'accepted' && isOpenServerStatus(e.state.status)) runtime.watch(e.refId);
      const open = entries.filter((e) => !isFinal(e) && !work.has(e.refId)).map((e) => e.refId);
      await runBounded(
        open,
        4,
        async (refId) => {
          await reconcile(refId);
          const entry = runtime.journal.get(refId);
          if (entry && !isFinal(entry)) scheduleRecheck(refId);
        },
        runtime.sessionSignal(),
      );
    },
  };
}
