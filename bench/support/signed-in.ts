// A real sign-in for benchmarks: the sandbox's authorization server and the app's auth service; the system browser's part over HTTP.
import { Agent, type Dispatcher } from 'undici';
import { createAuthService, serviceName, type AuthService } from '../../electron/core/auth/auth-service';
import { createMemorySecretStore, type SecretStore } from '../../electron/core/auth/secret-store';
import type { Session } from '../../electron/core/auth/session';
import { builtInEnvironments, type Environment } from '../../electron/core/config';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../sandbox/start';
import { loginOverHttp } from '../../test/support/core-harness';
import { introspect } from '../../test/support/introspect';
import { createDispatchMeter, type DispatchMeter } from './dispatch-meter';

export const OPERATOR = { email: 'ops@partner.test', password: 'sandbox', subject: 'op-7c1e2a' } as const;
export const ENVIRONMENT_ID = 'sandbox-local';

/** What a sign-in needs of a sandbox, in this process or a child one. */
export type SandboxTarget = Pick<Sandbox, 'issuer' | 'api' | 'tooling'>;

export interface SignedIn<S extends SandboxTarget = Sandbox> {
  readonly sandbox: S;
  readonly environment: Environment;
  readonly auth: AuthService;
  readonly store: SecretStore;
  /** Counts every request the auth service made (discovery, code exchange, refresh), by path. */
  readonly authMeter: DispatchMeter;
  /** The dispatcher the auth service sends through (metered). */
  readonly authDispatcher: Dispatcher;
  /** Signs in (again) on the sandbox's pages; resolves with the new session. */
  signIn(): Promise<Session>;
  /** The refresh token the app stored in the (in-memory) keychain. */
  storedRefreshToken(): Promise<string | null>;
  /** RFC 7662 introspection with the sandbox tooling client: is this token still active? */
  introspect(token: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Starts the sandbox (in this process) and an auth service, and signs in once as ops@partner.test. */
export async function startSignedIn(options: SandboxOptions = {}): Promise<SignedIn & { session: Session }> {
  return signInTo(await startSandbox(options));
}

/** An auth service signed in once as ops@partner.test on `sandbox`; close() closes the sandbox too. */
export async function signInTo<S extends SandboxTarget & { close(): Promise<void> }>(sandbox: S): Promise<SignedIn<S> & { session: Session }> {
  const base = new Agent({ connections: 8 });
  const authMeter = createDispatchMeter();
  const authDispatcher = authMeter.wrap(base);
  const store = createMemorySecretStore();
  const environment = builtInEnvironments({ issuer: sandbox.issuer, api: sandbox.api }).find((e) => e.id === ENVIRONMENT_ID)!;
  const opened: string[] = [];
  let current: Session | null = null;
  const auth = createAuthService({
    environments: [environment],
    store,
    openExternal: async (url) => void opened.push(url),
    now: Date.now,
    dispatcher: authDispatcher,
    log: () => undefined,
    onChange: (_state, session) => {
      current = session;
    },
  });

  async function signIn(): Promise<Session> {
    if (auth.state().status === 'signedIn') await auth.signOut(); // revokes the previous grant, as the app does
    const before = opened.length;
    let early: string | undefined;
    const pending = auth.signIn(ENVIRONMENT_ID, 'custom-scheme');
    void pending.then((r) => {
      if (!r.ok) early = r.error.message;
    });
    for (let i = 0; opened.length === before; i++) {
      if (early !== undefined) throw new Error(`sign-in failed: ${early}`);
      if (i > 500) throw new Error('the auth service did not open the browser within 10 s');
      await new Promise((r) => setTimeout(r, 20));
    }
    const redirect = await loginOverHttp(opened[opened.length - 1]!, { email: OPERATOR.email, password: OPERATOR.password });
    if (!auth.handleRedirect(redirect)) throw new Error('the auth service refused the redirect');
    const result = await pending;
    if (!result.ok || !current) throw new Error(`sign-in failed: ${result.ok ? 'no session' : result.error.message}`);
    return current;
  }

  try {
    const session = await signIn();
    return {
      sandbox,
      environment,
      auth,
      store,
      authMeter,
      authDispatcher,
      session,
      signIn,
      storedRefreshToken: () => store.get(serviceName(ENVIRONMENT_ID), OPERATOR.subject),
      introspect: (token) => introspect(sandbox, token),
      async close() {
        await auth.close().catch(() => undefined);
        await base.close().catch(() => undefined);
        await sandbox.close();
      },
    };
  } catch (error) {
    await auth.close().catch(() => undefined);
    await base.close().catch(() => undefined);
    await sandbox.close();
    throw error;
  }
}
