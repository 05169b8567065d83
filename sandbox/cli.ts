// `npm run sandbox`: parses flags, starts the sandbox, prints one JSON "ready" line on stdout, logs to stderr.
import { parseArgs } from 'node:util';

// oidc-provider prints notices with console.info/console.log; stdout carries only the ready line.
console.log = console.info = console.debug = (...args: unknown[]) => console.error(...args);

const USAGE =
  'usage: npm run sandbox -- [--auth-port N] [--api-port N] [--access-token-ttl S] [--settle-ms MS] [--approval-threshold USD] [--seed-profiles N] [--chaos k=v,...] [--rate-limit-scale S] [--rfc9207-iss]';

function fail(message: string): never {
  process.stderr.write(`sandbox: ${message.replace(/\s+/g, ' ')} (${USAGE})\n`);
  process.exit(2);
}

function integer(flag: string, raw: string | undefined, min: number): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw)) fail(`--${flag} must be a whole number, got "${raw}"`);
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < min) fail(`--${flag} must be at least ${min}`);
  return value;
}

function readFlags() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      strict: true,
      allowPositionals: false,
      options: {
        'auth-port': { type: 'string' },
        'api-port': { type: 'string' },
        'access-token-ttl': { type: 'string' },
        'settle-ms': { type: 'string' },
        'approval-threshold': { type: 'string' },
        'seed-profiles': { type: 'string' },
        chaos: { type: 'string' },
        'rate-limit-scale': { type: 'string' },
        'rfc9207-iss': { type: 'boolean' },
      },
    }).values;
  } catch (error) {
    return fail(error instanceof Error ? error.message.split('\n')[0] ?? 'bad arguments' : 'bad arguments');
  }
}

async function main(): Promise<void> {
  const flags = readFlags();
  const authPort = integer('auth-port', flags['auth-port'], 0);
  const apiPort = integer('api-port', flags['api-port'], 0);
  if ((authPort ?? 0) > 65535 || (apiPort ?? 0) > 65535) fail('ports must be at most 65535');
  const accessTokenTtl = integer('access-token-ttl', flags['access-token-ttl'], 1);
  const settleMs = integer('settle-ms', flags['settle-ms'], 0);
  const seedProfiles = integer('seed-profiles', flags['seed-profiles'], 0);
  // Published limits by default (the sandbox behaves like Paxos); a smaller scale shortens the window and lockout, 0 is off.
  const scaleFlag = flags['rate-limit-scale'] ?? '1';
  if (!/^[0-9]+(\.[0-9]+)?$/.test(scaleFlag) || Number(scaleFlag) > 100) fail(`--rate-limit-scale must be a number from 0 (off) to 100, got "${scaleFlag}"`);
  const rateLimitScale = Number(scaleFlag);
  // Imported here, after console is redirected, so import-time notices also go to stderr.
  const { parseChaosFlag } = await import('./resource/chaos');
  const { parseApprovalThreshold } = await import('./resource/server');
  const approvalThreshold = flags['approval-threshold'];
  if (approvalThreshold !== undefined) {
    try {
      parseApprovalThreshold(approvalThreshold);
    } catch (error) {
      fail(`--approval-threshold: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  let chaos;
  try {
    chaos = flags.chaos !== undefined ? parseChaosFlag(flags.chaos) : undefined;
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { startSandbox } = await import('./start');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const sandbox = await startSandbox({
    ...(authPort !== undefined ? { authPort } : {}),
    ...(apiPort !== undefined ? { apiPort } : {}),
    ...(accessTokenTtl !== undefined ? { accessTokenTtl } : {}),
    ...(settleMs !== undefined ? { settleMs } : {}),
    ...(approvalThreshold !== undefined ? { approvalThreshold } : {}),
    ...(seedProfiles !== undefined ? { seedProfiles } : {}),
    ...(chaos ? { chaos } : {}),
    rateLimitScale,
    ...(flags['rfc9207-iss'] ? { rfc9207Iss: true } : {}),
    log,
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`sandbox: ${signal}, shutting down`);
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log(`sandbox: shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  const ready = {
    event: 'ready',
    issuer: sandbox.issuer,
    api: sandbox.api,
    approvalThreshold: sandbox.approvalThreshold,
    tooling: sandbox.tooling,
    rateLimits: sandbox.rateLimits.get(),
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`sandbox: failed to start: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
