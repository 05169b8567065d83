// SecretStore: the small keychain interface the session uses (keytar in the app, in-memory in unit tests), with time bounds.

export interface SecretStore {
  get(service: string, account: string): Promise<string | null>;
  set(service: string, account: string, secret: string): Promise<void>;
  delete(service: string, account: string): Promise<boolean>;
  /** The accounts stored under `service` (names only). */
  accounts(service: string): Promise<string[]>;
}

/** The keychain could not be used (missing Secret Service, locked keyring, timeout). `reason` is safe to show. */
export class KeychainUnavailableError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'KeychainUnavailableError';
  }
}

/** An in-process store: for tests, and the fallback when no keychain exists (nothing outlives the process). */
export function createMemorySecretStore(): SecretStore {
  const data = new Map<string, Map<string, string>>();
  return {
    async get(service, account) {
      return data.get(service)?.get(account) ?? null;
    },
    async set(service, account, secret) {
      if (!data.has(service)) data.set(service, new Map());
      data.get(service)!.set(account, secret);
    },
    async delete(service, account) {
      return data.get(service)?.delete(account) ?? false;
    },
    async accounts(service) {
      return [...(data.get(service)?.keys() ?? [])];
    },
  };
}

/** Rejects with KeychainUnavailableError if `work` takes longer than `ms` (a locked keyring may prompt forever). */
export async function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new KeychainUnavailableError(`The system keychain did not answer (${what}) within ${ms / 1000} s.`)), ms);
        timer.unref?.();
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Deletes `account` under `service` only if it still holds `expected`: a session never removes a token that another
 * session (a sign-in made meanwhile) stored there since. Never throws; true if something was deleted.
 */
export async function deleteIfUnchanged(store: SecretStore, service: string, account: string, expected: string): Promise<boolean> {
  try {
    if ((await store.get(service, account)) !== expected) return false;
    return await store.delete(service, account);
  } catch {
    return false;
  }
}

/** Replaces `previous` with `next` only if `account` still holds `previous`; false (nothing written) otherwise. Never throws. */
export async function replaceIfUnchanged(store: SecretStore, service: string, account: string, previous: string, next: string): Promise<boolean> {
  try {
    if ((await store.get(service, account)) !== previous) return false;
    await store.set(service, account, next);
    return true;
  } catch {
    return false;
  }
}
