// Activity store paging against the real audit log: `before` is the oldest entry loaded, so live entries never shift pages.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAuditLog, type AuditLog } from '../../../electron/core/audit/audit-log';
import { CoreEvents } from '../../../electron/core/events';
import type { ActivityEntry } from '../../../shared/domain';
import { channels, type PartnerConsoleBridge } from '../../../shared/ipc-contract';
import { ok } from '../../../shared/result';
import { useActivity } from '../../../renderer/src/stores/activity';

let dir: string;
let log: AuditLog;
const requests: unknown[] = [];
const live: ActivityEntry[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-activity-store-'));
  const events = new CoreEvents();
  events.on('activity:changed', (entry) => live.push(entry));
  log = await openAuditLog({ dataDir: dir, environment: 'sandbox-local', events, clock: () => new Date(), currentOperator: () => 'ops@partner.test' });
  // The one channel this store pages through, parsed with the contract's schema as electron/ipc/register.ts does.
  const bridge: Pick<PartnerConsoleBridge, 'listActivity'> = {
    async listActivity(request) {
      requests.push(request);
      return ok({ items: log.list(channels['activity:list'].request.parse(request)) });
    },
  };
  Object.defineProperty(globalThis, 'window', { value: { partnerConsole: bridge }, configurable: true });
  await Promise.all(Array.from({ length: 410 }, (_, i) => log.record({ action: 'order_submit', outcome: 'ok', summary: `entry ${i}` })));
});
afterAll(async () => {
  Reflect.deleteProperty(globalThis, 'window');
  await log.close();
  await rm(dir, { recursive: true, force: true });
});

const loaded = () => {
  const state = useActivity.getState().log;
  if (state.status !== 'ready') throw new Error(`activity is ${state.status}`);
  return state.value;
};

describe('activity store', () => {
  it('loads the newest page, then older pages by the id of the oldest entry loaded, while new entries arrive live', async () => {
    await useActivity.getState().load();
    expect(loaded().items).toHaveLength(200);
    expect(loaded().hasMore).toBe(true);
    expect(loaded().items.map((e) => e.id)).toEqual(log.list({ limit: 200 }).map((e) => e.id));

    // Three entries happen while the operator reads the first page; they arrive as activity:changed.
    live.length = 0;
    for (let i = 0; i < 3; i++) await log.record({ action: 'sign_in', outcome: 'ok', summary: `live ${i}` });
    for (const entry of live) useActivity.getState().prepend(entry);
    expect(loaded().items.slice(0, 3).map((e) => e.summary)).toEqual(['live 2', 'live 1', 'live 0']);

    const oldestOfFirstPage = loaded().items.at(-1)!;
    await useActivity.getState().loadOlder();
    expect(requests.at(-1)).toEqual({ limit: 200, before: oldestOfFirstPage.id });
    expect(loaded().items).toHaveLength(403);
    expect(loaded().hasMore).toBe(true);

    await useActivity.getState().loadOlder();
    expect(loaded().hasMore).toBe(false);
    const all = loaded().items;
    expect(new Set(all.map((e) => e.id)).size).toBe(413);
    expect(all.map((e) => e.id)).toEqual(log.list({ limit: 1000 }).map((e) => e.id));
  });
});
