// The sandbox in a child process (`node --import tsx sandbox/cli.ts`), for benchmarks where the server's CPU must not be the
// client's: the real service is remote, so an in-process server would charge its work to the app being measured.
import type { ChaosOptions } from '../../sandbox/resource/chaos';
import { buildSeed, type SeedData } from '../../sandbox/seed';
import { spawnSandbox } from '../../test/support/sandbox-process';

export interface ChildSandbox {
  readonly issuer: string;
  readonly api: string;
  readonly tooling: { client_id: string; client_secret: string };
  /** The same seed the child built (buildSeed is deterministic). */
  readonly seed: SeedData;
  /** Replaces the chaos settings through the loopback admin endpoint. */
  setChaos(options: ChaosOptions): Promise<void>;
  close(): Promise<void>;
}

export async function startChildSandbox(options: { seedProfiles: number; rateLimitScale?: number }): Promise<ChildSandbox> {
  const child = await spawnSandbox(['--seed-profiles', String(options.seedProfiles), '--rate-limit-scale', String(options.rateLimitScale ?? 0)], { timeoutMs: 60_000 });
  const { issuer, api, tooling } = child.ready;
  let token: string | undefined;
  async function toolingToken(): Promise<string> {
    if (token) return token;
    const res = await fetch(new URL('oauth2/token', issuer), {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from(`${tooling.client_id}:${tooling.client_secret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials',
    });
    if (!res.ok) throw new Error(`tooling token: HTTP ${res.status}`);
    token = ((await res.json()) as { access_token: string }).access_token;
    return token;
  }
  return {
    issuer,
    api,
    tooling,
    seed: buildSeed(options.seedProfiles),
    async setChaos(chaos) {
      const res = await fetch(`${new URL(api).origin}/_sandbox/chaos`, { method: 'POST', headers: { authorization: `Bearer ${await toolingToken()}`, 'content-type': 'application/json' }, body: JSON.stringify(chaos) });
      if (!res.ok) throw new Error(`chaos: HTTP ${res.status}`);
    },
    close: async () => void (await child.stop('SIGTERM')),
  };
}
