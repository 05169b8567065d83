// A table of orders (time, account, direction, amount, live status) with Cancel on conversions that are still CREATED.
import type { Order } from '../../../shared/domain';
import { formatAmount } from '../../../shared/money';
import { canCancel } from '../../../shared/order-statuses';
import { describeError } from '../lib/errors';
import { formatTime, KIND_LABEL, orderPair } from '../lib/format';
import { href } from '../router';
import { useAccounts } from '../stores/accounts';
import { useOrders } from '../stores/orders';
import { Amount } from './Amount';
import { ApprovalNote } from './ApprovalNote';
import { StatusBadge } from './StatusBadge';

export interface OrdersTableProps {
  readonly orders: readonly Order[];
  readonly caption: string;
  /** Hide the account column (e.g. on the account's own page). */
  readonly hideAccount?: boolean;
}

function CancelButton({ order }: { readonly order: Order }) {
  const cancelling = useOrders((s) => s.cancelling[order.refId] === true);
  const error = useOrders((s) => s.cancelErrors[order.refId]);
  const cancel = useOrders((s) => s.cancel);
  return (
    <>
      {canCancel(order.ordersApi, order.status) && (
        <button
          type="button"
          className="button button-small"
          disabled={cancelling}
          aria-label={`Cancel ${KIND_LABEL[order.kind].toLowerCase()} of ${formatAmount(order.amount, order.sourceAsset)} ${order.sourceAsset}`}
          onClick={() => void cancel(order.refId)}
        >
          {cancelling ? 'Cancelling…' : 'Cancel'}
        </button>
      )}
      {error && (
        <span className="error-text" role="alert">
          {describeError(error).message}
        </span>
      )}
    </>
  );
}

function AccountName({ profileId }: { readonly profileId: string }) {
  const nickname = useAccounts((s) => s.profiles.get(profileId)?.nickname);
  return <a href={href.account(profileId)}>{nickname || profileId}</a>;
}

export function OrdersTable({ orders, caption, hideAccount = false }: OrdersTableProps) {
  return (
    <table className="table">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Created</th>
          {!hideAccount && <th scope="col">Account</th>}
          <th scope="col">Order</th>
          <th scope="col" className="num">
            Amount
          </th>
          <th scope="col">Status</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {orders.map((o) => (
          <tr key={o.refId} data-ref-id={o.refId} data-status={o.status}>
            <td className="nowrap">{formatTime(o.createdAt)}</td>
            {!hideAccount && (
              <td>
                <AccountName profileId={o.profileId} />
              </td>
            )}
            <td>
              {KIND_LABEL[o.kind]} <span className="muted">{orderPair(o)}</span>
            </td>
            <td className="num">
              <Amount value={o.amount} asset={o.sourceAsset} />
            </td>
            <td>
              <StatusBadge order={o} />
              {o.status === 'awaiting_approval' && <ApprovalNote brief />}
              {o.problem && <p className="small muted">{o.problem}</p>}
            </td>
            <td className="actions">
              <CancelButton order={o} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
