// The real sandbox resource server on 127.0.0.1:0 for API tests: jose-verified tokens, a request log, and direct helpers.
import type { FastifyInstance } from 'fastify';
import { request } from 'undici';
import { createResourceServer, type ApprovalsController, type ChaosController, type ChaosOptions, type SettlementController } from '../../sandbox/resource/server';
import { buildSeed, type SeedData } from '../../sandbox/seed';
import { createTestIssuer, createTestTokenSource, OPS, TOOLING_CLIENT_ID, type TestIssuer, type TestSessionOptions, type TestTokenSource } from './api-tokens';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
}

export interface ApiSandbox {
  /** `http://127.0.0.1:P/v2` */
  readonly api: string;
  readonly app: FastifyInstance;
  readonly chaos: ChaosController;
  /** Settlement delay of conversions created from now on (hold orders in CREATED without racing a timer). */
  readonly settlement: SettlementController;
  /** Orchestrations awaiting approval: approve or refuse them as another operator (in-process; /_sandbox/approvals over HTTP). */
  readonly approvals: ApprovalsController;
  readonly seed: SeedData;
  readonly issuer: TestIssuer;
  /** Every request the HTTP server received (including ones whose connection chaos reset). */
  readonly requests: SeenRequest[];
  count(method: string, pathPrefix: string): number;
  /** Most requests in flight at once since the last `resetStats()`. */
  maxInFlight(): number;
  resetStats(): void;
  session(options?: TestSessionOptions): TestTokenSource;
  /** A call straight to the server with a fresh token of `sub` (default ops@partner.test), bypassing the app. */
  direct(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, sub?: string): Promise<{ status: number; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Available balance as the server reports it. */
  balance(profileId: string, asset: string): Promise<string>;
  /** Every conversion of the operator, following cursors. */
  conversions(sub?: string): Promise<Array<{ id: string; ref_id?: string; status: string; profile_id: string; amount: string }>>;
  /** Every orchestration of the operator, following cursors. */
  orchestrations(sub?: string): Promise<Array<{ id: string; ref_id: string; status: string; profile_id: string; source_amount: string; metadata?: Record<string, string>; fail_reason?: { detail?: string } }>>;
  close(): Promise<void>;
}

export interface ApiSandboxOptions {
  readonly seedProfiles?: number;
  readonly settleMs?: number;
  /** Orchestrations above this amount (USD equivalent) wait for approval; the sandbox's default (10000) when absent. */
  readonly approvalThreshold?: string;
  readonly chaos?: ChaosOptions;
  /** Reuse a key pair (e.g. one shared with a child process). */
  readonly issuer?: TestIssuer;
  /** Called with the fastify app before it listens (e.g. to hold some requests). */
  readonly instrument?: (app: FastifyInstance) => void;
}

export async function startApiSandbox(options: ApiSandboxOptions = {}): Promise<ApiSandbox> {
  const issuer = options.issuer ?? (await createTestIssuer());
  const seed = buildSeed(options.seedProfiles ?? 0);
  const { app, chaos, settlement, approvals } = await createResourceServer({
    verifyAccessToken: (t) => issuer.verify(t),
    seed,
    settleMs: options.settleMs ?? 60_000,
    ...(options.approvalThreshold !== undefined ? { approvalThreshold: options.approvalThreshold } : {}),
    toolingClientId: TOOLING_CLIENT_ID,
    ...(options.chaos ? { chaos: options.chaos } : {}),
  });
  options.instrument?.(app);
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('no address');
  const origin = `http://127.0.0.1:${address.port}`;
  const requests: SeenRequest[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  app.server.on('request', (req, res) => {
    requests.push({ method: req.method ?? '', path: (req.url ?? '').split('?')[0] ?? '' });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on('close', () => {
      inFlight -= 1;
    });
  });

  async function direct(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown, sub = OPS.subject) {
    const token = await issuer.sign({ sub });
    const res = await request(`${origin}/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.body.text();
    return { status: res.statusCode, json: text === '' ? undefined : JSON.parse(text) };
  }

  return {
    api: `${origin}/v2`,
    app,
    chaos,
    settlement,
    approvals,
    seed,
    issuer,
    requests,
    count: (method, prefix) => requests.filter((r) => r.method === method && r.path.startsWith(`/v2${prefix}`)).length,
    maxInFlight: () => maxInFlight,
    resetStats() {
      requests.length = 0;
      maxInFlight = inFlight;
    },
    session: (opts) => createTestTokenSource(issuer, opts),
    direct,
    async balance(profileId, asset) {
      const res = await direct('GET', `/profiles/${profileId}/balances/${asset}`);
      if (res.status !== 200) throw new Error(`balance ${res.status}`);
      return res.json.available as string;
    },
    async conversions(sub = OPS.subject) {
      const all = [];
      let cursor: string | undefined;
      for (let i = 0; i < 100; i++) {
        const res = await direct('GET', `/conversion/stablecoins?limit=1000${cursor ? `&page_cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, sub);
        if (res.status !== 200) throw new Error(`conversions ${res.status}`);
        all.push(...res.json.items);
        cursor = res.json.next_page_cursor;
        if (!cursor) break;
      }
      return all;
    },
    async orchestrations(sub = OPS.subject) {
      const all = [];
      let cursor: string | undefined;
      for (let i = 0; i < 100; i++) {
        const res = await direct('GET', `/orchestration/orchestrations?limit=1000${cursor ? `&page_cursor=${encodeURIComponent(cursor)}` : ''}`, undefined, sub);
        if (res.status !== 200) throw new Error(`orchestrations ${res.status}`);
        all.push(...res.json.orchestrations);
        cursor = res.json.next_page_cursor;
        if (!cursor) break;
      }
      return all;
    },
    close: () => app.close(),
  };
}

export type { TestTokenSource };

/** Deterministic time for retry tests: sleeps return at once but are recorded and advance `now`. */
export function fakeTime() {
  let virtual = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms: number, signal: AbortSignal): Promise<void> => {
      if (signal.aborted) throw signal.reason;
      sleeps.push(ms);
      virtual += ms;
    },
    now: () => performance.now() + virtual,
  };
}
