// An order's status as a coloured badge in the words of the API it went through, with its plain-words meaning as the accessible description.
import type { Order } from '../../../shared/domain';
import { orderStatusWords } from '../lib/order-words';

export function StatusBadge({ order }: { readonly order: Pick<Order, 'status' | 'ordersApi'> }) {
  const { label, hint } = orderStatusWords(order);
  return (
    <span className={`badge badge-${order.status}`} title={hint} data-status={order.status}>
      {label}
    </span>
  );
}
