// Confirmation step of mint/redeem: shows exactly what will be sent (profile, API, direction, source → target, amount, balances after),
// and says beforehand when the amount will wait for approval (only where the app knows the rule: the local sandbox).
import { useId } from 'react';
import type { Profile } from '../../../shared/domain';
import { compareAmounts, formatAmount } from '../../../shared/money';
import { Amount } from '../components/Amount';
import { Notice } from '../components/Notice';
import { ViewHeading } from '../components/ViewHeading';
import type { ConversionPlan } from '../lib/convert';
import { KIND_LABEL } from '../lib/format';
import { approvalWords, needsApproval, ORDERS_API_LABEL, ORDERS_API_PATH } from '../lib/order-words';
import { useAuth, signedIn } from '../stores/auth';
import { environmentLabel, useEnvironment, useSettings } from '../stores/settings';
import { valueOf } from '../lib/async';

export interface ConvertReviewProps {
  readonly title: string;
  readonly profile: Profile;
  readonly plan: ConversionPlan;
  readonly submitting: boolean;
  onBack(): void;
  onSubmit(): void;
}

export function ConvertReview({ title, profile, plan, submitting, onBack, onSubmit }: ConvertReviewProps) {
  const listId = useId();
  const session = signedIn(useAuth((s) => s.state));
  const settings = valueOf(useSettings((s) => s.settings));
  const environment = useEnvironment();
  const verb = KIND_LABEL[plan.kind];
  // USD and the stablecoins are 1:1, so the amount is its own USD equivalent.
  const approval = needsApproval(environment, (threshold) => compareAmounts(plan.amount, threshold) > 0);
  return (
    <section className="view view-narrow">
      <ViewHeading title={`Review · ${title}`}>Check and confirm</ViewHeading>
      <p className="muted">This is exactly what Partner Console will send.</p>
      {approval && environment?.approvalThreshold !== undefined && (
        <Notice tone="warning" title="This order will need approval before it is carried out." live={false}>
          <p>
            The amount is above this sandbox’s approval threshold of {formatAmount(environment.approvalThreshold, 'USD')} USD, so the order will wait as
            “Awaiting approval”. {approvalWords(environment).who}
          </p>
          <p>{approvalWords(environment).where}</p>
        </Notice>
      )}
      <dl className="confirm" id={listId}>
        <dt>Account</dt>
        <dd>
          {profile.nickname || profile.id} <span className="mono subtle">{profile.id}</span>
        </dd>
        <dt>User identity and account</dt>
        <dd>
          {profile.identityId && profile.accountId ? (
            <span className="mono subtle">
              {profile.identityId} / {profile.accountId}
            </span>
          ) : (
            <span className="muted">Not sent (not known for this profile)</span>
          )}
        </dd>
        {session && (
          <>
            <dt>Environment</dt>
            <dd>{environmentLabel(settings, session.environment)}</dd>
          </>
        )}
        {environment && (
          <>
            <dt>Sent through</dt>
            <dd>
              {ORDERS_API_LABEL[environment.ordersApi]} <span className="mono subtle">POST {ORDERS_API_PATH[environment.ordersApi]}</span>
            </dd>
          </>
        )}
        <dt>Order</dt>
        <dd>
          {verb}: {plan.source} → {plan.target}
        </dd>
        <dt>Amount</dt>
        <dd className="num-strong">
          <Amount value={plan.amount} asset={plan.source} />
        </dd>
        <dt>{plan.source} available after</dt>
        <dd>
          <Amount value={plan.sourceAfter} asset={plan.source} /> <span className="muted">(now <Amount value={plan.sourceAvailable} asset={plan.source} />)</span>
        </dd>
        <dt>{plan.target} available after it settles</dt>
        <dd>
          <Amount value={plan.targetAfter} asset={plan.target} />
        </dd>
      </dl>
      <div className="form-actions">
        <button type="button" className="button button-primary" onClick={onSubmit} disabled={submitting} aria-describedby={listId}>
          {submitting ? 'Submitting…' : `Submit ${verb.toLowerCase()}`}
        </button>
        <button type="button" className="button" onClick={onBack} disabled={submitting}>
          Change
        </button>
      </div>
    </section>
  );
}
