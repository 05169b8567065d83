// An order's status as a coloured badge with its plain-words meaning as the accessible description.
import type { OrderStatus } from '../../../shared/domain';
import { STATUS_HINT, STATUS_LABEL } from '../lib/format';

export function StatusBadge({ status }: { readonly status: OrderStatus }) {
  return (
    <span className={`badge badge-${status}`} title={STATUS_HINT[status]} data-status={status}>
      {STATUS_LABEL[status]}
    </span>
  );
}
