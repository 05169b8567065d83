// Child process for the crash test: submits one order and SIGKILLs itself at a chosen point (after the intent, after `sent`, or after the POST committed).
import { readFileSync } from 'node:fs';
import type { JWK } from 'jose';
import { CoreEvents } from '../../../../electron/core/events';
import { createOperations } from '../../../../electron/core/operations';
import { createTestIssuer, createTestTokenSource } from '../../../support/api-tokens';

export type CrashPoint = 'after-intent' | 'after-sent' | 'after-commit';

export interface CrashChildConfig {
  readonly api: string;
  readonly dataDir: string;
  readonly jwk: JWK;
  readonly crashPoint: CrashPoint;
  readonly ordersApi: 'orchestrations' | 'conversions';
  readonly order: { kind: 'mint' | 'redeem'; profileId: string; asset: 'USDP' | 'PYUSD' | 'USDG'; amount: string };
}

const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as CrashChildConfig;
const die = (): void => {
  process.kill(process.pid, 'SIGKILL');
};

const issuer = await createTestIssuer(config.jwk);
const ops = createOperations({
  tokens: createTestTokenSource(issuer),
  apiBase: config.api,
  environment: 'sandbox-local',
  ordersApi: config.ordersApi,
  dataDir: config.dataDir,
  events: new CoreEvents(),
  tuning: {
    recheckDelaysMs: [],
    // `intent` / `sent` are durable when this runs: dying here is a crash right after the fsync.
    afterJournalWrite: (record) => {
      if ((config.crashPoint === 'after-intent' && record.type === 'intent') || (config.crashPoint === 'after-sent' && record.type === 'sent')) die();
    },
    // With the sandbox resetting every committed write, the first wait before a resend comes after the POST landed.
    sleep: async () => {
      if (config.crashPoint === 'after-commit') die();
    },
  },
});
await ops.handlers['orders:submit'](config.order);
process.stderr.write('crash-child: the crash point was never reached\n');
process.exit(3);
