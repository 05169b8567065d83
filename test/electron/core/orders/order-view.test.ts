// Activity words for orders: account named by nickname with the full id kept, the id alone for older journals, hostile nicknames made safe.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAuditLog } from '../../../../electron/core/audit/audit-log';
import { CoreEvents } from '../../../../electron/core/events';
import { JournalRecordSchema, type IntentRecord, type JournalEntry } from '../../../../electron/core/orders/journal';
import { accountLabel, describeOrder, describeOrderWords, SUMMARY_NICKNAME_MAX, toOrder } from '../../../../electron/core/orders/order-view';
import { submitterLabel } from '../../../../electron/core/orders/runtime';

const PROFILE = 'a0000001-0000-4000-8000-000000000001';
const order = { kind: 'mint', profileId: PROFILE, asset: 'USDP', amount: '1000', sourceAsset: 'USD', targetAsset: 'USDP', identityId: 'b1', accountId: 'c1' } as const;
/** An intent as the previous version wrote it: no operatorEmail, no profileNickname. */
const OLD_LINE = `{"v":1,"refId":"6f1c7e8a-1b2c-4d3e-8f90-1234567890ab","at":"2025-03-01T10:00:00.000Z","type":"intent","operator":"op-7c1e2a","environment":"sandbox-local","order":${JSON.stringify(order)}}`;
const intentOf = (extra: Partial<IntentRecord> = {}): IntentRecord => ({ ...(JournalRecordSchema.parse(JSON.parse(OLD_LINE)) as IntentRecord), ...extra });

describe('describeOrder', () => {
  it('names the account by nickname and keeps the full profile id', () => {
    expect(describeOrder({ intent: intentOf({ profileNickname: 'Acme Treasury' }) })).toBe(`Mint 1000 USD → USDP for Acme Treasury (${PROFILE})`);
    expect(describeOrderWords({ kind: 'redeem', amount: '100', sourceAsset: 'PYUSD', targetAsset: 'USD', profileId: PROFILE, nickname: 'Acme Treasury' })).toBe(
      `Redeem 100 PYUSD → USD for Acme Treasury (${PROFILE})`,
    );
  });

  it('falls back to the id for an intent from an older journal (or an empty nickname)', () => {
    expect(describeOrder({ intent: intentOf() })).toBe(`Mint 1000 USD → USDP for profile ${PROFILE}`);
    expect(accountLabel(PROFILE, '')).toBe(`profile ${PROFILE}`);
    expect(accountLabel(PROFILE, ' \u0000 <b></b> ')).toBe(`profile ${PROFILE}`);
  });

  it('sanitises and caps a hostile nickname so the id always survives, also through the activity log', async () => {
    const hostile = `<script>alert(1)</script>Evil\n\u202eCorp eyJhbGciOi.eyJzdWIiOi.sig <b>${'x'.repeat(180)}`;
    const label = accountLabel(PROFILE, hostile);
    expect(label).not.toMatch(/[<>\n\u202e]|script|eyJ/);
    expect(label.endsWith(` (${PROFILE})`)).toBe(true);
    expect(label.length).toBeLessThanOrEqual(SUMMARY_NICKNAME_MAX + PROFILE.length + 3);

    const dir = await mkdtemp(join(tmpdir(), 'pc-order-view-'));
    try {
      const log = await openAuditLog({ dataDir: dir, environment: 'sandbox-local', events: new CoreEvents(), clock: () => new Date(), currentOperator: () => null });
      const serverText = `<i>${'y'.repeat(600)}</i>`;
      const entry = await log.record({ action: 'order_result', outcome: 'error', summary: `${describeOrder({ intent: intentOf({ profileNickname: hostile.slice(0, 200) }) })}: rejected — ${serverText}`, operator: 'ops@partner.test' });
      expect(entry.summary.length).toBeLessThanOrEqual(500);
      expect(entry.summary).toContain(`(${PROFILE}): rejected — yyy`);
      expect(entry.summary).not.toMatch(/[<>]/);
      await log.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('journal intent, old and new', () => {
  it('an intent line without nickname and e-mail still parses; the new optional fields round-trip', () => {
    const old = JournalRecordSchema.safeParse(JSON.parse(OLD_LINE));
    expect(old.success).toBe(true);
    const withFields = { ...JSON.parse(OLD_LINE), operatorEmail: 'ops@partner.test', profileNickname: 'Acme Treasury' };
    expect(JournalRecordSchema.parse(withFields)).toMatchObject({ operatorEmail: 'ops@partner.test', profileNickname: 'Acme Treasury' });
    expect(JournalRecordSchema.safeParse({ ...withFields, profileNickname: 'n'.repeat(201) }).success).toBe(false);
    expect(JournalRecordSchema.safeParse({ ...withFields, profileNickname: '' }).success).toBe(false);
  });
});

describe('submitterLabel', () => {
  const signedIn = (subject: string, email: string) => ({ currentOperator: () => ({ subject, email }) });
  const signedOut = { currentOperator: () => null };

  it('is the e-mail kept with the order, whoever is signed in now (or nobody)', () => {
    const entry = { intent: intentOf({ operatorEmail: 'ops@partner.test' }) };
    expect(submitterLabel(signedOut, entry)).toBe('ops@partner.test');
    expect(submitterLabel(signedIn('op-93bd04', 'ops2@partner.test'), entry)).toBe('ops@partner.test');
  });

  it('for an older intent: the signed-in e-mail only when it is the same subject, else the subject', () => {
    const entry = { intent: intentOf() };
    expect(submitterLabel(signedIn('op-7c1e2a', 'ops@partner.test'), entry)).toBe('ops@partner.test');
    expect(submitterLabel(signedIn('op-93bd04', 'ops2@partner.test'), entry)).toBe('op-7c1e2a');
    expect(submitterLabel(signedOut, entry)).toBe('op-7c1e2a');
  });
});

describe('toOrder through either API', () => {
  const at = '2025-03-01T10:00:00.000Z';
  const base = (ordersApi: 'orchestrations' | 'conversions') => ({ refId: '6f1c7e8a-1b2c-4d3e-8f90-1234567890ab', intent: { ...intentOf(), ordersApi }, ordersApi, sent: true, updatedAt: at });
  const accepted = (ordersApi: 'orchestrations' | 'conversions', status: string, failReason?: string) =>
    toOrder({ ...base(ordersApi), state: { phase: 'accepted', serverId: 'o1', status, ...(failReason ? { failReason } : {}) } } as JournalEntry);

  it.each([
    ['orchestrations', 'PENDING', 'awaiting_approval', null],
    ['orchestrations', 'PROCESSING', 'created', null],
    ['orchestrations', 'COMPLETED', 'settled', null],
    ['orchestrations', 'FAILED', 'failed', 'Failed on the server: destination profile is frozen'],
    ['orchestrations', 'REJECTED', 'rejected', 'Not approved: the approver refused this order, so it was not carried out.'],
    ['conversions', 'CREATED', 'created', null],
    ['conversions', 'SETTLED', 'settled', null],
    ['conversions', 'CANCELLED', 'cancelled', null],
  ] as const)('%s %s → %s', (api, status, app, problem) => {
    const order = accepted(api, status, status === 'FAILED' ? 'destination profile is frozen' : undefined);
    expect(order).toMatchObject({ status: app, ordersApi: api, serverId: 'o1', problem });
  });

  it('a FAILED orchestration without a reason says so', () => {
    expect(accepted('orchestrations', 'FAILED').problem).toBe('Failed on the server: no reason was given');
  });
});
