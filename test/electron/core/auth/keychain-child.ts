// Child process for the keychain test: signs in against a fresh sandbox with the real keytar store, restarts, signs out; prints JSON.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceName } from '../../../../electron/core/auth/auth-service';
import { createKeychainStore } from '../../../../electron/core/auth/token-vault';
import { startSandbox } from '../../../../sandbox/start';
import { ENV, makeCore, signIn } from '../../../support/core-harness';

const sandbox = await startSandbox();
const store = createKeychainStore({ timeoutMs: 4000 });
const dataDir = await mkdtemp(join(tmpdir(), 'pc-keychain-'));
try {
  const a = await makeCore(sandbox, { store, dataDir });
  const first = await signIn(a);
  const service = serviceName(ENV);
  const storedAfterSignIn = await store.accounts(service).catch((e: Error) => `error: ${e.message}`);
  await a.close();

  const b = await makeCore(sandbox, { store, dataDir });
  await b.core.start();
  const restored = await b.core.handlers['auth:getState']({});
  await b.core.handlers['auth:signOut']({});
  const storedAfterSignOut = await store.accounts(service).catch((e: Error) => `error: ${e.message}`);
  await b.close();
  process.stdout.write(`${JSON.stringify({ first, storedAfterSignIn, restored, storedAfterSignOut })}\n`);
} finally {
  await sandbox.close();
  await rm(dataDir, { recursive: true, force: true });
}
