// A SecretStore over another one whose reads can be held (a slow keychain), to run work in between a restore's awaits.
import type { SecretStore } from '../../electron/core/auth/secret-store';

export interface GatedStore extends SecretStore {
  /** Holds the answer of the next `get` (read at call time, answered at release()); later reads pass. */
  hold(): void;
  release(): void;
  /** Reads waiting in hold(). */
  held(): number;
}

export function gatedStore(inner: SecretStore): GatedStore {
  let gate: { promise: Promise<void>; open: () => void } | null = null;
  let waiting = 0;
  let armed = false;
  return {
    async get(service, account) {
      const value = await inner.get(service, account); // read now, answer late: what a slow keychain looks like to the caller
      const g = armed ? gate : null;
      armed = false;
      if (g) {
        waiting += 1;
        await g.promise;
        waiting -= 1;
      }
      return value;
    },
    set: (service, account, secret) => inner.set(service, account, secret),
    delete: (service, account) => inner.delete(service, account),
    accounts: (service) => inner.accounts(service),
    hold() {
      armed = true;
      if (gate) return;
      let open!: () => void;
      const promise = new Promise<void>((resolve) => (open = resolve));
      gate = { promise, open };
    },
    release() {
      const g = gate;
      gate = null;
      armed = false;
      g?.open();
    },
    held: () => waiting,
  };
}
