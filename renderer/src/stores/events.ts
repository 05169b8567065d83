// Wires main's events (auth/orders/accounts/activity :changed) into the stores; also resets per-operator data on sign-out.
import type { Order } from '../../../shared/domain';
import { bridge } from '../../ipc/client';
import { useAccounts } from './accounts';
import { useActivity } from './activity';
import { useAuth } from './auth';
import { useLimits } from './limits';
import { useOrderDrafts } from './order-drafts';
import { useOrders } from './orders';

const FINAL: ReadonlySet<Order['status']> = new Set(['settled', 'cancelled', 'rejected']);

/** Subscribes every store to the bridge; returns the unsubscribe. */
export function connectBridgeEvents(): () => void {
  const b = bridge();
  const offs = [
    b.onAuthChanged((state) => useAuth.getState().apply(state)),
    b.onOrdersChanged((order) => {
      const before = useOrders.getState().byRef[order.refId]?.status;
      useOrders.getState().upsert(order);
      // A conversion that reached its end moved (or released) funds: show the new balances.
      if (before !== order.status && FINAL.has(order.status)) void useAccounts.getState().loadBalances(order.profileId, true);
    }),
    b.onAccountsChanged((change) => useAccounts.getState().applyChange(change)),
    b.onActivityChanged((entry) => useActivity.getState().prepend(entry)),
    b.onLimitsChanged((state) => useLimits.getState().apply(state)),
  ];
  // Whatever belonged to the previous operator goes when the session ends; drafts go only when someone else signs in.
  let lastOperator: string | null = null;
  const offAuth = useAuth.subscribe((now, before) => {
    const was = before.state.status === 'ready' && before.state.value.status === 'signedIn' ? before.state.value.subject : null;
    const is = now.state.status === 'ready' && now.state.value.status === 'signedIn' ? now.state.value.subject : null;
    if (was !== null && was !== is) {
      useAccounts.getState().reset();
      useOrders.getState().reset();
      useActivity.getState().reset();
    }
    if (is !== null) {
      if (lastOperator !== null && lastOperator !== is) useOrderDrafts.getState().clearAll();
      lastOperator = is;
    }
  });
  return () => {
    for (const off of offs) off();
    offAuth();
  };
}
