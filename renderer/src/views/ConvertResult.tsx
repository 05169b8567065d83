// Result of a submitted mint/redeem: the order with its live status (from orders:changed), who must act if it awaits approval, and where to go next.
import type { Order, Profile } from '../../../shared/domain';
import { formatAmount } from '../../../shared/money';
import { Amount } from '../components/Amount';
import { ApprovalNote } from '../components/ApprovalNote';
import { Notice, type NoticeTone } from '../components/Notice';
import { OrdersTable } from '../components/OrdersTable';
import { ViewHeading } from '../components/ViewHeading';
import { KIND_LABEL } from '../lib/format';
import { orderStatusWords } from '../lib/order-words';
import { href } from '../router';
import { useOrders } from '../stores/orders';

export interface ConvertResultProps {
  readonly order: Order;
  readonly profile: Profile;
  readonly title: string;
  onAnother(): void;
}

export function ConvertResult({ order: submitted, profile, title, onAnother }: ConvertResultProps) {
  const order = useOrders((s) => s.byRef[submitted.refId]) ?? submitted;
  const verb = KIND_LABEL[order.kind];
  const tone: NoticeTone = order.status === 'rejected' || order.status === 'failed' ? 'error' : order.status === 'awaiting_approval' ? 'warning' : 'success';
  const what = `${verb} of ${formatAmount(order.amount, order.sourceAsset)} ${order.sourceAsset} for ${profile.nickname || profile.id}`;
  return (
    <section className="view view-narrow">
      <ViewHeading title={`Submitted · ${title}`}>{verb} submitted</ViewHeading>
      <Notice tone={tone} title={order.status === 'awaiting_approval' ? `Awaiting approval: ${what}` : what}>
        <p>
          <Amount value={order.amount} asset={order.sourceAsset} /> → <Amount value={order.amount} asset={order.targetAsset} />. {orderStatusWords(order).hint}
        </p>
        {order.status === 'awaiting_approval' && <ApprovalNote />}
        <p className="small muted">
          Reference <span className="mono">{order.refId}</span>
        </p>
      </Notice>
      <OrdersTable orders={[order]} caption="The submitted order" hideAccount />
      <div className="form-actions">
        <a className="button" href={href.account(profile.id)}>
          Back to account
        </a>
        <a className="button" href={href.orders()}>
          All orders
        </a>
        <button type="button" className="button button-quiet" onClick={onAnother}>
          New order
        </button>
      </div>
    </section>
  );
}
