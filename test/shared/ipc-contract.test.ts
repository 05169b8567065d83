// Contract schemas: every channel accepts a valid request and response and rejects invalid ones; events too.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNELS, channels, EVENTS, events, type Channel } from '../../shared/ipc-contract';

const REF = '0b8f5c2e-9d1a-4f8e-8c3b-2a7d6e5f4a10';
const PROFILE = 'a0000001-0000-4000-8000-000000000001';
const NOW = '2026-11-25T10:00:00.000Z';

const signedIn = {
  status: 'signedIn',
  subject: 'op-7c1e2a',
  name: 'Olivia Operator',
  email: 'ops@partner.test',
  scopes: ['funding:read_profile'],
  environment: 'sandbox-local',
  expiresAt: NOW,
  persisted: true,
};
const order = {
  refId: REF,
  kind: 'mint',
  profileId: PROFILE,
  asset: 'USDP',
  amount: '10.5',
  sourceAsset: 'USD',
  targetAsset: 'USDP',
  status: 'created',
  ordersApi: 'orchestrations',
  serverId: 'c1',
  createdAt: NOW,
  updatedAt: NOW,
  problem: null,
};
const balances = { status: 'ready', items: [{ asset: 'USD', available: '10.00', trading: '0' }], others: [{ asset: 'BTC', available: '0.25', trading: '0' }], totalUsd: '10', loadedAt: NOW };
const settings = {
  environment: 'sandbox-local',
  environments: [
    { id: 'sandbox-local', label: 'Local sandbox', kind: 'sandbox-local', issuer: 'http://127.0.0.1:1', apiBase: 'http://127.0.0.1:2/v2', ordersApi: 'orchestrations', approvalThreshold: '10000' },
    { id: 'acme-staging', label: 'Acme staging', kind: 'custom', issuer: 'https://auth.acme.example', apiBase: 'https://api.acme.example/v2', ordersApi: 'conversions' },
  ],
  redirect: 'custom-scheme',
};
const summary = { profiles: 10_000, listed: true, loaded: 6_200, unavailable: 0, totalUsd: null, oldestAt: NOW, loading: true };
const activity = { id: '1', at: NOW, operator: 'ops@partner.test', environment: 'sandbox-local', action: 'order_submit', outcome: 'ok', summary: 'Mint 10.5 USDP', refId: REF };

/** For each channel: valid requests, invalid requests, a valid success value, and an invalid value. */
const samples: Record<Channel, { good: unknown[]; bad: unknown[]; value: unknown; badValue: unknown }> = {
  'auth:getState': { good: [{}], bad: [{ token: 'x' }, null, 'x'], value: { status: 'signedOut' }, badValue: { ...signedIn, accessToken: 'secret' } },
  'auth:signIn': { good: [{ environment: 'sandbox-local' }], bad: [{}, { environment: '../etc' }, { environment: 'A B' }], value: signedIn, badValue: { status: 'signedIn' } },
  'auth:cancelSignIn': { good: [{}], bad: [[], { now: true }], value: { status: 'signedOut', reason: 'Sign-in was cancelled.' }, badValue: { status: 'cancelled' } },
  'auth:signOut': { good: [{}], bad: [undefined, { all: true }], value: { status: 'signedOut' }, badValue: { ...signedIn, refreshToken: 'r' } },
  'accounts:listProfiles': {
    good: [{}, { cursor: 'abc', limit: 1000, search: 'acme', sort: 'total', direction: 'desc' }, { refresh: true }, { refresh: 'stale' }, { refresh: 'all' }],
    bad: [{ limit: 0 }, { limit: 1001 }, { limit: 1.5 }, { sort: 'balance' }, { search: 'x'.repeat(201) }, { extra: 1 }, { refresh: 'everything' }, { refresh: 1 }],
    value: { items: [{ profile: { id: PROFILE, nickname: 'Acme', type: 'NORMAL', identityId: 'i1', accountId: 'a1' }, balances }], nextCursor: null, total: 1, loading: false, summary },
    badValue: { items: [{ profile: { id: '../../x', nickname: 'A', type: 'NORMAL', identityId: 'i', accountId: 'a' }, balances }], nextCursor: null, total: 1, loading: false, summary },
  },
  'accounts:setVisible': {
    good: [{ profileIds: [] }, { profileIds: [PROFILE, 'p2'] }],
    bad: [{}, { profileIds: ['../x'] }, { profileIds: Array(201).fill(PROFILE) }, { profileIds: PROFILE }],
    value: { requested: 3 },
    badValue: { requested: -1 },
  },
  'accounts:getProfile': {
    good: [{ profileId: PROFILE }],
    bad: [{}, { profileId: '' }, { profileId: '../x' }, { profileId: PROFILE, refresh: true }],
    value: { id: PROFILE, nickname: 'Acme', type: 'DEFAULT', description: 'Treasury' },
    badValue: { id: PROFILE, nickname: 'Acme', type: 'CUSTOM', identityId: 'i1' },
  },
  'accounts:getBalances': {
    good: [{ profileId: PROFILE }, { profileId: PROFILE, refresh: true }],
    bad: [{ profileId: '' }, { profileId: 'a/b' }, {}],
    value: balances,
    badValue: { ...balances, others: [{ asset: '<script>', available: '1', trading: '0' }] },
  },
  'orders:submit': {
    good: [{ kind: 'mint', profileId: PROFILE, asset: 'USDP', amount: '10.50' }, { kind: 'redeem', profileId: PROFILE, asset: 'PYUSD', amount: 'anything short' }],
    bad: [
      { kind: 'burn', profileId: PROFILE, asset: 'USDP', amount: '1' },
      { kind: 'mint', profileId: PROFILE, asset: 'USD', amount: '1' },
      { kind: 'mint', profileId: PROFILE, asset: 'USDP', amount: 1 },
      { kind: 'mint', profileId: PROFILE, asset: 'USDP', amount: '1'.repeat(41) },
      { kind: 'mint', profileId: PROFILE, asset: 'USDP', amount: '1', refId: REF },
    ],
    value: order,
    badValue: { ...order, amount: '1e3' },
  },
  'orders:list': {
    good: [{}, { profileId: PROFILE, statuses: ['created', 'settled'] }, { statuses: ['submitting', 'awaiting_approval', 'created', 'settled', 'cancelled', 'rejected', 'failed', 'unknown'] }],
    bad: [{ statuses: ['CREATED'] }, { statuses: ['PENDING'] }, { limit: -1 }],
    value: { items: [order, { ...order, status: 'awaiting_approval' }, { ...order, status: 'failed', problem: 'Failed on the server: frozen' }, { ...order, ordersApi: 'conversions' }] },
    badValue: { items: [{ ...order, status: 'done' }] },
  },
  'orders:get': { good: [{ refId: REF }], bad: [{ refId: 'nope' }, {}], value: order, badValue: { ...order, ordersApi: 'quotes' } },
  'orders:cancel': { good: [{ refId: REF }], bad: [{ refId: 1 }, { id: REF }], value: { ...order, status: 'cancelled' }, badValue: null },
  'activity:list': { good: [{}, { limit: 10, before: '5' }], bad: [{ limit: 5000 }, { before: 1 }], value: { items: [activity] }, badValue: { items: [{ ...activity, action: 'hack' }] } },
  'activity:exportCsv': { good: [{}], bad: [{ path: '/etc/passwd' }], value: { status: 'saved', path: '/tmp/a.csv', rows: 3 }, badValue: { status: 'saved' } },
  'limits:get': {
    good: [{}],
    bad: [{ environment: 'paxos-production' }],
    value: { status: 'lockedOut', environment: 'paxos-production', since: NOW, until: NOW },
    badValue: { status: 'lockedOut', environment: 'paxos-production' },
  },
  'settings:get': {
    good: [{}],
    bad: [{ x: 1 }],
    value: settings,
    badValue: { ...settings, environments: [{ ...settings.environments[0], approvalThreshold: 'lots' }] },
  },
  'settings:setEnvironment': { good: [{ environment: 'paxos-sandbox' }], bad: [{ environment: '' }, { environment: 'x'.repeat(41) }], value: settings, badValue: {} },
};

describe('IPC contract', () => {
  it('declares exactly the channels the app uses', () => {
    expect(CHANNELS.sort()).toEqual(Object.keys(samples).sort());
  });

  describe.each(CHANNELS)('%s', (name) => {
    const spec = channels[name];
    const s = samples[name];
    it('accepts valid requests', () => {
      for (const req of s.good) expect(spec.request.safeParse(req).success, JSON.stringify(req)).toBe(true);
    });
    it('rejects invalid requests', () => {
      for (const req of s.bad) expect(spec.request.safeParse(req).success, JSON.stringify(req)).toBe(false);
    });
    it('accepts ok and error Results', () => {
      expect(spec.response.safeParse({ ok: true, value: s.value }).success).toBe(true);
      expect(spec.response.safeParse({ ok: false, error: { code: 'network', message: 'Could not reach the server.' } }).success).toBe(true);
    });
    it('rejects malformed Results', () => {
      expect(spec.response.safeParse({ ok: true, value: s.badValue }).success).toBe(false);
      expect(spec.response.safeParse({ ok: false, error: { code: 'teapot', message: 'x' } }).success).toBe(false);
      expect(spec.response.safeParse({ ok: true }).success).toBe(false);
      expect(spec.response.safeParse(s.value).success).toBe(false);
    });
    it('rejects any unknown top-level key in a valid request (property)', () => {
      fc.assert(
        fc.property(fc.string({ minLength: 1, maxLength: 12 }), fc.jsonValue(), (key, junk) => {
          const base = s.good[0] as Record<string, unknown>;
          fc.pre(!(key in base) && !['cursor', 'limit', 'search', 'sort', 'direction', 'refresh', 'profileId', 'profileIds', 'statuses', 'before'].includes(key));
          return !spec.request.safeParse({ ...base, [key]: junk }).success;
        }),
        { numRuns: 200 },
      );
    });
  });

  it('rejects arbitrary junk payloads on every channel with non-empty requirements (property)', () => {
    const strictChannels = CHANNELS.filter((c) => !channels[c].request.safeParse({}).success);
    expect(strictChannels.length).toBeGreaterThan(3);
    fc.assert(
      fc.property(fc.constantFrom(...strictChannels), fc.jsonValue(), (c, junk) => {
        const parsed = channels[c].request.safeParse(junk);
        return !parsed.success || (typeof junk === 'object' && junk !== null && !Array.isArray(junk));
      }),
      { numRuns: 1000 },
    );
  });

  it('auth state can never carry a token-shaped field', () => {
    const withToken = (k: string) => ({ ...signedIn, [k]: 'eyJhbGciOi' });
    for (const k of ['accessToken', 'refreshToken', 'idToken', 'access_token', 'token']) {
      expect(events['auth:changed'].safeParse(withToken(k)).success).toBe(false);
    }
  });

  it('validates event payloads', () => {
    expect(EVENTS.sort()).toEqual(['accounts:changed', 'activity:changed', 'auth:changed', 'limits:changed', 'orders:changed']);
    expect(events['orders:changed'].safeParse(order).success).toBe(true);
    expect(events['orders:changed'].safeParse({ ...order, amount: 10.5 }).success).toBe(false);
    expect(events['accounts:changed'].safeParse({ kind: 'balances', profileId: PROFILE, balances }).success).toBe(true);
    expect(events['accounts:changed'].safeParse({ kind: 'profiles', total: -1, loading: false }).success).toBe(false);
    expect(events['accounts:changed'].safeParse({ kind: 'summary', summary }).success).toBe(true);
    expect(events['accounts:changed'].safeParse({ kind: 'summary', summary: { ...summary, totalUsd: '1e3' } }).success).toBe(false);
    expect(events['limits:changed'].safeParse({ status: 'open', environment: 'sandbox-local' }).success).toBe(true);
    expect(events['limits:changed'].safeParse({ status: 'lockedOut', environment: 'sandbox-local', since: NOW, until: 'soon' }).success).toBe(false);
    expect(events['activity:changed'].safeParse(activity).success).toBe(true);
  });
});
