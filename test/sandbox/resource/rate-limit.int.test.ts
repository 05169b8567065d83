// The sandbox's published rate limits over real HTTP: off by default, per family and IP at a scaled window, the IP lockout,
// the 429s counted, the admin endpoint; and the token endpoint sharing the lockout (startSandbox).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter, familyOf } from '../../../sandbox/resource/rate-limit';
import { startSandbox } from '../../../sandbox/start';
import { clientCredentials, discover } from '../auth/oauth';
import { expectProblem, startHarness, type Harness } from './harness';

/** 0.01: a 3 s window and lockout; 50/s → 150 requests per window, identity 10/s → 30. */
const SCALE = 0.01;

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness({ rateLimitScale: SCALE });
  token = await h.ops();
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  h.rateLimits.set({ scale: SCALE });
});

const profile = () => h.seed.profiles[0]!.id;
const get = (path: string) => h.call('GET', path, { token });
/** `n` requests at once (well inside one window even on a busy machine). */
const statuses = (n: number, path: string): Promise<number[]> => Promise.all(Array.from({ length: n }, () => get(path).then((r) => r.status)));

describe('sandbox rate limits', () => {
  it('classifies /v2 paths into the same families as the published limits', () => {
    expect(familyOf('/v2/profiles/p/balances?assets=USD')).toBe('balances');
    expect(familyOf('/v2/profiles/p')).toBe('profiles');
    expect(familyOf('/v2/identity/accounts')).toBe('identity');
    expect(familyOf('/v2/conversion/stablecoins')).toBe('orders');
    expect(familyOf('/v2/orchestration/orchestrations')).toBe('orders');
  });

  it('are off unless asked for', async () => {
    const plain = await startHarness();
    try {
      const t = await plain.ops();
      const codes = await Promise.all(Array.from({ length: 200 }, () => plain.call('GET', `/v2/profiles/${plain.seed.profiles[0]!.id}/balances`, { token: t }).then((r) => r.status)));
      expect(new Set(codes)).toEqual(new Set([200]));
      expect(plain.rateLimits.get()).toEqual({ enabled: false });
      expect(plain.rateLimits.rejected()).toBe(0);
    } finally {
      await plain.close();
    }
  });

  it('allow the published rate over the (scaled) window per family, then 429 and lock the IP out of every family', async () => {
    expect(h.rateLimits.get()).toMatchObject({ enabled: true, scale: SCALE, windowSeconds: 3, lockoutSeconds: 3, perSecond: { balances: 50, identity: 10, token: 1 } });
    expect(await statuses(150, `/v2/profiles/${profile()}/balances`)).toEqual(Array(150).fill(200));
    expect(await statuses(29, '/v2/identity/accounts')).toEqual(Array(29).fill(200)); // another family: its own window
    const refused = await get(`/v2/profiles/${profile()}/balances`);
    expectProblem(refused, 429);
    expect(refused.headers['retry-after']).toBeUndefined(); // Paxos documents no Retry-After
    // The whole IP is throttled now, whatever the family.
    expect((await get('/v2/identity/accounts')).status).toBe(429);
    expect((await get('/v2/profiles')).status).toBe(429);
    expect(h.rateLimits.rejected()).toBe(3);
    const [locked] = h.rateLimits.lockedOut();
    expect(locked?.ip).toBe('127.0.0.1');
    // Requests during the lockout neither extend it nor count towards a window: it ends 3 s after the first 429.
    await new Promise((r) => setTimeout(r, Math.max(0, locked!.until - Date.now()) + 20));
    expect((await get('/v2/profiles')).status).toBe(200);
    expect(h.rateLimits.lockedOut()).toEqual([]);
  });

  it('average over a sliding window: requests that left the window make room again', async () => {
    // A limiter on a hand-moved clock: 30 identity requests at t=0 fill the 3 s window until they leave it.
    let now = 0;
    const manual = createRateLimiter(SCALE, () => now);
    for (let i = 0; i < 30; i++) expect(manual.check('10.0.0.1', 'identity')).toBeNull();
    now = 2_999;
    expect(manual.check('10.0.0.2', 'identity')).toBeNull(); // another IP has its own windows
    expect(manual.check('10.0.0.1', 'identity')).toBe(2_999 + 3_000); // over: locked out for 3 s
    now = 6_000;
    expect(manual.check('10.0.0.1', 'identity')).toBeNull();
    expect(manual.rejected()).toBe(1);
  });

  it('are read and replaced through the loopback admin endpoint (tooling token), which resets the windows and the count', async () => {
    const tooling = await h.tooling();
    expect((await statuses(155, `/v2/profiles/${profile()}/balances`)).filter((s) => s === 429)).toHaveLength(5);
    const read = await h.call('GET', '/_sandbox/rate-limits', { token: tooling });
    expect(read.status).toBe(200);
    expect(read.json).toMatchObject({ enabled: true, scale: SCALE, windowSeconds: 3, lockoutSeconds: 3, rejected: 5, lockedOut: [{ ip: '127.0.0.1' }] });
    const off = await h.call('POST', '/_sandbox/rate-limits', { token: tooling, body: { scale: 0 } });
    expect(off.json).toEqual({ enabled: false, rejected: 0, lockedOut: [] });
    expect((await get('/v2/profiles')).status).toBe(200);
    expect((await h.call('POST', '/_sandbox/rate-limits', { token: tooling, body: { scale: -1 } })).status).toBe(400);
    expect((await h.call('POST', '/_sandbox/rate-limits', { token, body: { scale: 1 } })).status).toBe(403);
  });
});

describe('sandbox rate limits across both servers (startSandbox)', () => {
  it('count /oauth2/token at 1/s and share the IP lockout with the API', async () => {
    const sandbox = await startSandbox({ rateLimitScale: 0.005 }); // 1/s over 1.5 s: one token request per window
    try {
      expect(sandbox.rateLimits.get()).toMatchObject({ enabled: true, lockoutSeconds: 1.5 });
      const as = await discover(sandbox.issuer);
      const first = await clientCredentials(as, sandbox.tooling);
      const second = await fetch(new URL('oauth2/token', sandbox.issuer), {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${sandbox.tooling.client_id}:${sandbox.tooling.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
        body: 'grant_type=client_credentials',
      });
      expect(second.status).toBe(429);
      expect(await second.json()).toMatchObject({ type: 'about:blank', title: 'Too Many Requests', status: 429 });
      const api = await fetch(`${sandbox.api}/profiles`, { headers: { authorization: `Bearer ${first.access_token}` } });
      expect(api.status).toBe(429);
      expect(sandbox.rateLimits.rejected()).toBe(2);
    } finally {
      await sandbox.close();
    }
  });
});
