// The server-status → app-status mapping of both orders APIs: complete, published statuses only, final ones final, cancel only for conversions.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ORDER_STATUSES, ORDERS_APIS } from '../../shared/domain-constants';
import { APP_STATUS_OF, appStatusOf, canCancel, CONVERSION_STATUSES, isOpenServerStatus, isServerStatusOf, ORCHESTRATION_STATUSES } from '../../shared/order-statuses';

const spec = JSON.parse(readFileSync(new URL('../contract/paxos-v2/openapi.json', import.meta.url), 'utf8')) as { components: { schemas: Record<string, { enum?: string[] }> } };

describe('order statuses', () => {
  it('knows exactly the published OrchestrationStatus values', () => {
    expect([...ORCHESTRATION_STATUSES]).toEqual(spec.components.schemas['OrchestrationStatus']!.enum);
  });

  it('maps every server status onto an app status, as the table in docs/architecture.md says', () => {
    expect(APP_STATUS_OF).toEqual({
      conversions: { CREATED: 'created', SETTLED: 'settled', CANCELLED: 'cancelled' },
      orchestrations: { PENDING: 'awaiting_approval', PROCESSING: 'created', COMPLETED: 'settled', FAILED: 'failed', REJECTED: 'rejected' },
    });
    for (const status of [...CONVERSION_STATUSES, ...ORCHESTRATION_STATUSES]) {
      const api = (CONVERSION_STATUSES as readonly string[]).includes(status) ? 'conversions' : 'orchestrations';
      expect(ORDER_STATUSES).toContain(appStatusOf(api, status));
    }
  });

  it('keeps the APIs apart: a status of one is not a status of the other', () => {
    expect(appStatusOf('conversions', 'PENDING')).toBeUndefined();
    expect(appStatusOf('orchestrations', 'CREATED')).toBeUndefined();
    expect(isServerStatusOf('orchestrations', 'SETTLED')).toBe(false);
    expect(isServerStatusOf('conversions', 'CANCELLED')).toBe(true);
  });

  it('polls CREATED, PENDING and PROCESSING; the rest are final', () => {
    expect([...CONVERSION_STATUSES, ...ORCHESTRATION_STATUSES].filter(isOpenServerStatus)).toEqual(['CREATED', 'PROCESSING', 'PENDING']);
  });

  it('offers cancel only for a conversion that is still created', () => {
    const offered = ORDERS_APIS.flatMap((api) => ORDER_STATUSES.filter((s) => canCancel(api, s)).map((s) => `${api}:${s}`));
    expect(offered).toEqual(['conversions:created']);
  });
});
