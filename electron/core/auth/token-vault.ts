// The only keytar user: a SecretStore over the OS keychain, every call time-bounded, every failure a KeychainUnavailableError.
import { KeychainUnavailableError, withTimeout, type SecretStore } from './secret-store';

import type * as keytarModule from 'keytar';

type Keytar = typeof keytarModule;

/** Maps libsecret / keytar failures to a reason an operator can act on (never includes secrets). */
export function keychainReason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  if (e instanceof KeychainUnavailableError) return e.reason;
  if (/autolaunch D-Bus|DBUS_SESSION_BUS_ADDRESS|ServiceUnknown|org\.freedesktop\.secrets/i.test(text)) {
    return 'No system keychain (Secret Service) is running, so the session is not kept after you quit.';
  }
  if (/locked|dismissed|cancel/i.test(text)) return 'The system keychain is locked, so the session is not kept after you quit.';
  if (/Cannot find module|keytar\.node|was compiled against/i.test(text)) return 'The keychain module is not available in this build.';
  return 'The system keychain refused to store the session, so it is not kept after you quit.';
}

/** Keychain-backed SecretStore. keytar is loaded lazily so a missing native module is just "unavailable". */
export function createKeychainStore(options: { timeoutMs?: number; load?: () => Promise<Keytar> } = {}): SecretStore {
  const timeoutMs = options.timeoutMs ?? 5000;
  const load =
    options.load ??
    (async () => {
      const mod = (await import('keytar')) as Keytar & { default?: Keytar };
      return mod.default ?? mod;
    });
  let keytar: Promise<Keytar> | undefined;
  async function call<T>(what: string, fn: (k: Keytar) => Promise<T>): Promise<T> {
    try {
      keytar ??= load();
      return await withTimeout(
        keytar.then((k) => fn(k)),
        timeoutMs,
        what,
      );
    } catch (e) {
      throw new KeychainUnavailableError(keychainReason(e));
    }
  }
  return {
    get: (service, account) => call('read', (k) => k.getPassword(service, account)),
    set: (service, account, secret) => call('write', (k) => k.setPassword(service, account, secret)),
    delete: (service, account) => call('delete', (k) => k.deletePassword(service, account)),
    accounts: (service) => call('list', async (k) => (await k.findCredentials(service)).map((c) => c.account)),
  };
}
