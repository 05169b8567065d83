// What the UI says about an order's status: its badge word and meaning in the words of the API it went through, and who must act on one awaiting approval.
import type { EnvironmentSummary, Order, OrderStatus, OrdersApi } from '../../../shared/domain';

/** Badge words: the app status, said as the order's own API says it (PROCESSING, COMPLETED for orchestrations). */
const LABELS: Readonly<Record<OrdersApi, Readonly<Record<OrderStatus, string>>>> = {
  conversions: {
    submitting: 'Submitting',
    awaiting_approval: 'Awaiting approval',
    created: 'Created',
    settled: 'Settled',
    cancelled: 'Cancelled',
    rejected: 'Rejected',
    failed: 'Failed',
    unknown: 'Checking',
  },
  orchestrations: {
    submitting: 'Submitting',
    awaiting_approval: 'Awaiting approval',
    created: 'Processing',
    settled: 'Completed',
    cancelled: 'Cancelled',
    rejected: 'Rejected',
    failed: 'Failed',
    unknown: 'Checking',
  },
};

const HINTS: Readonly<Record<OrdersApi, Readonly<Record<OrderStatus, string>>>> = {
  conversions: {
    submitting: 'Sent, waiting for the server to confirm.',
    awaiting_approval: 'Waiting for someone else to approve it.',
    created: 'Accepted, waiting to settle. It can still be cancelled.',
    settled: 'Done: the funds have moved.',
    cancelled: 'Cancelled: nothing moved.',
    rejected: 'Refused by the server: nothing moved.',
    failed: 'Failed on the server after it was accepted.',
    unknown: 'The outcome is being checked with the server. It will not be sent twice.',
  },
  orchestrations: {
    submitting: 'Sent, waiting for the server to confirm.',
    awaiting_approval: 'Accepted, and waiting for someone else to approve it before it is carried out.',
    created: 'Accepted and being carried out. Orchestrations cannot be cancelled.',
    settled: 'Done: the funds have moved.',
    cancelled: 'Cancelled: nothing moved.',
    rejected: 'Refused (by the server, or by the approver): it was not carried out.',
    failed: 'Failed on the server after it was accepted; the reason is shown with the order.',
    unknown: 'The outcome is being checked with the server. It will not be sent twice.',
  },
};

export function statusLabel(status: OrderStatus, api: OrdersApi): string {
  return LABELS[api][status];
}

export function statusHint(status: OrderStatus, api: OrdersApi): string {
  return HINTS[api][status];
}

/** The API's name as the UI shows it. */
export const ORDERS_API_LABEL: Readonly<Record<OrdersApi, string>> = {
  orchestrations: 'Orchestrations',
  conversions: 'Stablecoin conversions (deprecated by Paxos)',
};

/** The endpoint an API's orders are sent to, below the environment's API base. */
export const ORDERS_API_PATH: Readonly<Record<OrdersApi, string>> = {
  orchestrations: '/orchestration/orchestrations',
  conversions: '/conversion/stablecoins',
};

/**
 * Who must act on an order awaiting approval, and where: never the operator here (Partner Console cannot approve). In the
 * local sandbox a second operator uses the sandbox's approval endpoint; with Paxos it happens outside the app.
 */
export function approvalWords(environment: Pick<EnvironmentSummary, 'kind'> | undefined): { who: string; where: string } {
  if (environment?.kind === 'sandbox-local') {
    return {
      who: 'A second operator (not you) must approve or refuse it.',
      where: 'In the local sandbox this is done through its approval endpoint, /_sandbox/approvals (see docs/sandbox.md).',
    };
  }
  return {
    who: 'Another person of your organisation who can approve orders with Paxos must approve or refuse it.',
    where: 'Approval happens outside Partner Console, on Paxos’s side; nothing needs doing here.',
  };
}

/** Whether an order of this amount will wait for approval, where the app knows the rule (the local sandbox only). */
export function needsApproval(environment: Pick<EnvironmentSummary, 'ordersApi' | 'approvalThreshold'> | undefined, amountAbove: (threshold: string) => boolean): boolean {
  return environment?.ordersApi === 'orchestrations' && environment.approvalThreshold !== undefined && amountAbove(environment.approvalThreshold);
}

/** The order's status words, for a badge's text and description. */
export function orderStatusWords(order: Pick<Order, 'status' | 'ordersApi'>): { label: string; hint: string } {
  return { label: statusLabel(order.status, order.ordersApi), hint: statusHint(order.status, order.ordersApi) };
}
