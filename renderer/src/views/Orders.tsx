// Orders view: every mint/redeem with live status (orders:changed), filters by status and account, Cancel for conversions while created.
import { useEffect, useId } from 'react';
import { ORDER_STATUSES, type OrderStatus } from '../../../shared/domain-constants';
import { ErrorNotice } from '../components/Notice';
import { OrdersTable } from '../components/OrdersTable';
import { ViewHeading } from '../components/ViewHeading';
import { valueOf } from '../lib/async';
import { formatCount, STATUS_LABEL } from '../lib/format';
import { useAccounts } from '../stores/accounts';
import { matchesFilter, ordersOf, useOrders } from '../stores/orders';

export function Orders() {
  const statusId = useId();
  const profileId = useId();
  const { list, byRef, filter, setFilter, load } = useOrders();
  const profiles = useAccounts((s) => s.profiles);

  useEffect(() => void load(), [load]);

  const refs = valueOf(list);
  const orders = refs ? ordersOf(byRef, refs).filter((o) => matchesFilter(o, filter)) : undefined;
  // Accounts to filter by: those with orders here, plus the one selected.
  const accountIds = [...new Set([...(refs ? ordersOf(byRef, refs).map((o) => o.profileId) : []), ...(filter.profileId !== 'all' ? [filter.profileId] : [])])];

  return (
    <section className="view">
      <div className="view-header">
        <ViewHeading title="Orders" />
        <p className="muted">Mint and redeem orders. Status updates arrive by themselves, also for orders awaiting someone else’s approval.</p>
      </div>
      <div className="toolbar">
        <div className="field field-inline">
          <label htmlFor={statusId}>Status</label>
          <select id={statusId} value={filter.status} onChange={(e) => setFilter({ status: e.target.value as OrderStatus | 'all' })}>
            <option value="all">All statuses</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor={profileId}>Account</label>
          <select id={profileId} value={filter.profileId} onChange={(e) => setFilter({ profileId: e.target.value })}>
            <option value="all">All accounts</option>
            {accountIds.map((id) => (
              <option key={id} value={id}>
                {profiles.get(id)?.nickname || id}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="button" onClick={() => void load()} disabled={list.status === 'loading'}>
          Refresh
        </button>
        <p className="toolbar-status" role="status">
          {orders ? formatCount(orders.length, 'order', 'orders') : list.status === 'loading' ? 'Loading orders…' : ''}
        </p>
      </div>
      {list.status === 'error' && <ErrorNotice error={list.error} context="Could not load the orders." onRetry={() => void load()} />}
      {orders && orders.length === 0 && <p className="empty">No orders match these filters.</p>}
      {orders && orders.length > 0 && <OrdersTable orders={orders} caption="Orders" />}
    </section>
  );
}
