// Mint/redeem form: direction, stablecoin, amount (precision, Max, live validation and balance check), then review, submit and result.
import { useEffect, useId, useState } from 'react';
import type { Order } from '../../../shared/domain';
import { ASSET_DECIMALS, STABLECOINS, type Stablecoin } from '../../../shared/domain-constants';
import { writeScopeFor } from '../../../shared/scopes';
import type { AppError } from '../../../shared/app-error';
import { Amount } from '../components/Amount';
import { ErrorNotice } from '../components/Notice';
import { NotPermitted } from '../components/NotPermitted';
import { ViewHeading } from '../components/ViewHeading';
import { checkConversion, maxAmount, precisionAsset, type ConversionPlan } from '../lib/convert';
import { conversionPair } from '../lib/format';
import { href } from '../router';
import { useAccounts } from '../stores/accounts';
import { signedIn, useAuth } from '../stores/auth';
import { EMPTY_DRAFT, useOrderDrafts } from '../stores/order-drafts';
import { useEnvironment } from '../stores/settings';
import { useOrders } from '../stores/orders';
import { ConvertResult } from './ConvertResult';
import { ConvertReview } from './ConvertReview';
import { useProfile } from './use-profile';

type Step = { readonly name: 'edit' } | { readonly name: 'review'; readonly plan: ConversionPlan } | { readonly name: 'done'; readonly order: Order };

export function ConvertForm({ profileId }: { readonly profileId: string }) {
  const profile = useProfile(profileId);
  const draft = useOrderDrafts((s) => s.drafts[profileId]) ?? EMPTY_DRAFT;
  const update = useOrderDrafts((s) => s.update);
  const clearDraft = useOrderDrafts((s) => s.clear);
  const balances = useAccounts((s) => s.balances.get(profileId));
  const loadBalances = useAccounts((s) => s.loadBalances);
  const submit = useOrders((s) => s.submit);
  const scopes = signedIn(useAuth((s) => s.state))?.scopes ?? [];
  const environment = useEnvironment();
  // The write scope of the environment's orders API, known from the session (an empty list means unknown): say so up
  // front instead of letting a submit fail.
  const writeScope = environment ? writeScopeFor(environment.ordersApi) : undefined;
  const writeDenied = writeScope !== undefined && scopes.length > 0 && !scopes.includes(writeScope);
  const [step, setStep] = useState<Step>({ name: 'edit' });
  const [submitting, setSubmitting] = useState(false);
  const [submitError, setSubmitError] = useState<AppError | null>(null);
  const [touched, setTouched] = useState(draft.amount !== '');
  const ids = { kind: useId(), asset: useId(), amount: useId(), denied: useId() };

  useEffect(() => {
    if (useAccounts.getState().balances.get(profileId)?.status !== 'ready') void loadBalances(profileId);
  }, [profileId, loadBalances]);

  if (profile.status !== 'ready') return profile.fallback;
  const p = profile.value;
  const title = `Mint or redeem · ${p.nickname || p.id}`;

  if (step.name === 'done') return <ConvertResult order={step.order} profile={p} title={title} onAnother={() => setStep({ name: 'edit' })} />;

  const check = checkConversion(draft, balances);
  const { source, target } = conversionPair(draft.kind, draft.asset);
  const decimals = ASSET_DECIMALS[precisionAsset(draft.kind, draft.asset)];
  const max = maxAmount(draft, balances);
  const available = balances?.status === 'ready' ? (balances.items.find((b) => b.asset === source)?.available ?? '0') : undefined;
  const showError = !check.ok && (touched || submitError !== null) && !(check.empty && !touched);

  if (step.name === 'review') {
    return (
      <ConvertReview
        title={title}
        profile={p}
        plan={step.plan}
        submitting={submitting}
        onBack={() => setStep({ name: 'edit' })}
        onSubmit={async () => {
          setSubmitting(true);
          const r = await submit({ kind: step.plan.kind, profileId: p.id, asset: step.plan.asset, amount: step.plan.amount });
          setSubmitting(false);
          if (r.ok) {
            void loadBalances(p.id, true); // the source is debited when the order is created
            clearDraft(p.id);
            setSubmitError(null);
            setStep({ name: 'done', order: r.value });
          } else {
            setSubmitError(r.error);
            setStep({ name: 'edit' });
          }
        }}
      />
    );
  }

  return (
    <section className="view view-narrow">
      <p className="breadcrumb">
        <a href={href.accounts()}>Accounts</a> <span aria-hidden="true">/</span> <a href={href.account(p.id)}>{p.nickname || p.id}</a>{' '}
        <span aria-hidden="true">/</span>
      </p>
      <ViewHeading title={title}>Mint or redeem</ViewHeading>
      <p className="muted">For {p.nickname || p.id}. Nothing is sent until you confirm on the next step.</p>
      {writeDenied && writeScope && <NotPermitted scope={writeScope} id={ids.denied} />}
      {submitError && <ErrorNotice error={submitError} context="The order was not submitted. Your input is still here." />}
      <form
        className="form"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          setTouched(true);
          if (writeDenied) return;
          if (check.ok) setStep({ name: 'review', plan: check.plan });
          else document.getElementById(ids.amount)?.focus();
        }}
      >
        <fieldset className="field">
          <legend>Direction</legend>
          <div className="segmented">
            {(['mint', 'redeem'] as const).map((kind) => (
              <label key={kind} className="segment">
                <input type="radio" name={ids.kind} value={kind} checked={draft.kind === kind} onChange={() => update(p.id, { kind })} />
                <span>{kind === 'mint' ? `Mint: USD → ${draft.asset}` : `Redeem: ${draft.asset} → USD`}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <div className="field">
          <label htmlFor={ids.asset}>Stablecoin</label>
          <select id={ids.asset} value={draft.asset} onChange={(e) => update(p.id, { asset: e.target.value as Stablecoin })}>
            {STABLECOINS.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.amount}>Amount in {source}</label>
          <div className="input-row">
            <input
              id={ids.amount}
              className="num"
              inputMode="decimal"
              autoComplete="off"
              spellCheck={false}
              value={draft.amount}
              aria-invalid={showError}
              aria-describedby={`${ids.amount}-hint ${ids.amount}-error`}
              onChange={(e) => {
                setTouched(true);
                update(p.id, { amount: e.target.value });
              }}
            />
            <button
              type="button"
              className="button"
              disabled={max === undefined}
              aria-describedby={`${ids.amount}-hint`}
              onClick={() => {
                if (max === undefined) return;
                setTouched(true);
                update(p.id, { amount: max });
              }}
            >
              Max
            </button>
          </div>
          <p id={`${ids.amount}-hint`} className="hint">
            Up to {decimals} decimal places.{' '}
            {available !== undefined ? (
              <>
                Available: <Amount value={available} asset={source} />.
              </>
            ) : balances?.status === 'error' || balances?.status === 'forbidden' ? (
              'The balance could not be loaded.'
            ) : (
              'Loading the balance…'
            )}{' '}
            You receive {target} 1:1 when it settles.
          </p>
          <p id={`${ids.amount}-error`} className="field-error" aria-live="polite">
            {showError && !check.ok ? check.message : ''}
          </p>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button-primary" disabled={writeDenied} aria-describedby={writeDenied ? ids.denied : undefined}>
            Review order
          </button>
          <a className="button button-quiet" href={href.account(p.id)}>
            Back to account
          </a>
        </div>
      </form>
    </section>
  );
}
