// Child process for the keychain test: signs in against a fresh sandbox with the real keytar store, restarts, signs out; prints JSON.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore } from '../../../../electron/core/app-core';
import { serviceName } from '../../../../electron/core/auth/auth-service';
import { createKeychainStore } from '../../../../electron/core/auth/token-vault';
import { builtInEnvironments } from '../../../../electron/core/config';
import { startSandbox } from '../../../../sandbox/start';
import { launchBrowser, loginAndConsent } from '../../../support/browser';

const sandbox = await startSandbox();
const browser = await launchBrowser();
const store = createKeychainStore({ timeoutMs: 4000 });
const dataDir = await mkdtemp(join(tmpdir(), 'pc-keychain-'));
const make = () => {
  const opened: string[] = [];
  const core = createCore({
    environments: { environments: builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api }) },
    secretStore: store,
    dataDir,
    openExternal: async (url) => void opened.push(url),
  });
  return { core, opened };
};
try {
  const a = make();
  const pending = a.core.handlers['auth:signIn']({ environment: 'sandbox-local' });
  while (!a.opened[0]) await new Promise((r) => setTimeout(r, 20));
  const context = await browser.newContext();
  a.core.handleDeepLink(await loginAndConsent(context, a.opened[0], { email: 'ops@partner.test', password: 'sandbox' }));
  const first = await pending;
  const service = serviceName('sandbox-local');
  const storedAfterSignIn = await store.accounts(service).catch((e: Error) => `error: ${e.message}`);
  await a.core.close();

  const b = make();
  await b.core.start();
  const restored = await b.core.handlers['auth:getState']({});
  await b.core.handlers['auth:signOut']({});
  const storedAfterSignOut = await store.accounts(service).catch((e: Error) => `error: ${e.message}`);
  await b.core.close();
  process.stdout.write(`${JSON.stringify({ first, storedAfterSignIn, restored, storedAfterSignOut })}\n`);
} finally {
  await browser.close();
  await sandbox.close();
}
