// Account detail: balances per asset (available / trading), the holdings chart, recent orders, and the way to mint or redeem.
import { useEffect } from 'react';
import { Amount } from '../components/Amount';
import { ErrorNotice } from '../components/Notice';
import { NotPermitted } from '../components/NotPermitted';
import { OrdersTable } from '../components/OrdersTable';
import { ViewHeading } from '../components/ViewHeading';
import type { OtherHolding } from '../../../shared/domain';
import { appError } from '../../../shared/error-codes';
import { formatTime } from '../lib/format';
import { valueOf } from '../lib/async';
import { href } from '../router';
import { useAccounts } from '../stores/accounts';
import { ordersOf, useOrders } from '../stores/orders';
import { HoldingsChart } from './HoldingsChart';
import { useProfile } from './use-profile';

/** Column headers shared by the balances table and the other-holdings table. */
function BalanceColumns() {
  return (
    <thead>
      <tr>
        <th scope="col">Asset</th>
        <th scope="col" className="num">Available</th>
        <th scope="col" className="num">Trading</th>
      </tr>
    </thead>
  );
}

function Balances({ profileId }: { readonly profileId: string }) {
  const balances = useAccounts((s) => s.balances.get(profileId));
  const loadBalances = useAccounts((s) => s.loadBalances);
  useEffect(() => {
    if (useAccounts.getState().balances.get(profileId)?.status !== 'ready') void loadBalances(profileId);
  }, [profileId, loadBalances]);

  const refresh = (
    <button type="button" className="button button-small" onClick={() => void loadBalances(profileId, true)}>
      Refresh balances
    </button>
  );
  switch (balances?.status) {
    case 'ready':
      return (
        <>
          <div className="section-head">
            <h2 id="balances-title">Balances</h2>
            {refresh}
          </div>
          <table className="table table-compact" aria-labelledby="balances-title">
            <BalanceColumns />
            <tbody>
              {balances.items.map((b) => (
                <tr key={b.asset}>
                  <th scope="row">{b.asset}</th>
                  <td className="num"><Amount value={b.available} asset={b.asset} withAsset={false} /></td>
                  <td className="num"><Amount value={b.trading} asset={b.asset} withAsset={false} /></td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">Total in USD</th>
                <td className="num"><Amount value={balances.totalUsd} asset="USD" withAsset={false} /></td>
                <td />
              </tr>
            </tfoot>
          </table>
          <p className="small muted">As of {formatTime(balances.loadedAt)}</p>
          <HoldingsChart balances={balances.items} />
          {balances.others.length > 0 && <OtherHoldings others={balances.others} />}
        </>
      );
    case 'forbidden':
      return (
        <>
          <h2>Balances</h2>
          <NotPermitted scope={balances.missingScope} />
        </>
      );
    case 'error':
      return <ErrorNotice error={appError('unavailable', balances.message)} context="Could not load the balances." onRetry={() => void loadBalances(profileId, true)} />;
    default:
      return <p role="status">Loading balances…</p>;
  }
}

const isZero = (value: string) => /^0*(\.0*)?$/.test(value);

/**
 * Assets the server listed that Partner Console does not trade: shown as sent, never counted in the USD total. Those
 * with a zero balance are named in one line instead of a row each.
 */
function OtherHoldings({ others }: { readonly others: readonly OtherHolding[] }) {
  const held = others.filter((o) => !isZero(o.available) || !isZero(o.trading));
  const empty = others.filter((o) => isZero(o.available) && isZero(o.trading)).map((o) => o.asset);
  return (
    <>
      <h3 id="other-holdings-title">Other holdings</h3>
      {held.length > 0 && (
        <table className="table table-compact" aria-labelledby="other-holdings-title" aria-describedby="other-holdings-note">
          <BalanceColumns />
          <tbody>
            {held.map((o) => (
              <tr key={o.asset}>
                <th scope="row">{o.asset}</th>
                <td className="num">{o.available}</td>
                <td className="num">{o.trading}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p className="small muted" id="other-holdings-note">
        {held.length > 0 ? 'Assets Partner Console does not mint or redeem; not included in the total in USD.' : 'None.'}
        {empty.length > 0 && ` Also listed with a zero balance: ${empty.join(', ')}.`}
      </p>
    </>
  );
}

function RecentOrders({ profileId }: { readonly profileId: string }) {
  const recent = useOrders((s) => s.recent[profileId]);
  const byRef = useOrders((s) => s.byRef);
  const loadRecent = useOrders((s) => s.loadRecent);
  useEffect(() => void loadRecent(profileId), [profileId, loadRecent]);
  const refs = recent ? valueOf(recent) : undefined;
  return (
    <>
      <h2>Recent orders</h2>
      {recent?.status === 'error' && <ErrorNotice error={recent.error} context="Could not load the recent orders." onRetry={() => void loadRecent(profileId)} />}
      {refs && refs.length === 0 && <p className="empty">No orders for this account yet.</p>}
      {refs && refs.length > 0 && <OrdersTable orders={ordersOf(byRef, refs)} caption="Recent orders of this account" hideAccount />}
      {!refs && recent?.status !== 'error' && <p role="status">Loading orders…</p>}
    </>
  );
}

export function AccountDetail({ profileId }: { readonly profileId: string }) {
  const profile = useProfile(profileId);
  if (profile.status !== 'ready') return profile.fallback;
  const p = profile.value;
  return (
    <section className="view">
      <p className="breadcrumb">
        <a href={href.accounts()}>Accounts</a> <span aria-hidden="true">/</span>
      </p>
      <div className="view-header view-header-actions">
        <ViewHeading title={p.nickname || p.id} />
        <a className="button button-primary" href={href.convert(p.id)}>
          Mint or redeem
        </a>
      </div>
      <dl className="meta">
        <dt>Profile</dt>
        <dd>
          <span className="mono">{p.id}</span> {p.type === 'DEFAULT' && <span className="badge">Default profile</span>}
        </dd>
        {p.description && (
          <>
            <dt>Description</dt>
            <dd>{p.description}</dd>
          </>
        )}
        <dt>Account</dt>
        <dd className={p.accountId ? 'mono' : 'muted'}>{p.accountId ?? 'Not known'}</dd>
        <dt>Identity</dt>
        <dd className={p.identityId ? 'mono' : 'muted'}>{p.identityId ?? 'Not known'}</dd>
      </dl>
      {!p.identityId && (
        <p className="small muted">
          Orders for this profile are sent without a user identity and account: either this profile has none (a default
          profile), or the <span className="mono">identity:read_account</span> permission was not granted.
        </p>
      )}
      <div className="detail-grid">
        <div>
          <Balances profileId={p.id} />
        </div>
        <div>
          <RecentOrders profileId={p.id} />
        </div>
      </div>
    </section>
  );
}
