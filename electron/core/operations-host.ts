// OperationsHost: keeps one createOperations per environment in step with the session and records sign-in/out in the activity log.
import type { Dispatcher } from 'undici';
import type { RequestBudget } from './api/request-budget';
import type { AuthState } from '../../shared/domain';
import type { Environment } from './config';
import type { CoreEvents } from './events';
import { createOperations, type Operations, type OperationsTuning } from './operations';
import type { Session } from './auth/session';
import { createSessionTokens } from './auth/session-tokens';

export interface OperationsHostOptions {
  readonly dataDir: string;
  readonly events: CoreEvents;
  readonly now: () => number;
  readonly dispatcher?: Dispatcher;
  /** The environment's request budget (shared with its token requests). */
  readonly budgetFor?: (environment: Environment) => RequestBudget;
  readonly tuning?: OperationsTuning;
  readonly log: (line: string) => void;
}

export interface OperationsHost {
  /**
   * Makes `environment`'s operations the current ones and returns them: created on first use, after **closing** the
   * previous environment's (they share the journal and activity log files). The signed-in environment's are never
   * closed for another: while signed in, they are returned instead.
   */
  activate(environment: Environment): Operations;
  /** The signed-in environment, if any. */
  signedInEnvironment(): Environment | null;
  /** Feed every auth transition here (from the auth service's onChange). */
  onAuthChange(state: AuthState, session: Session | null, environment: Environment | null): void;
  close(): Promise<void>;
}

export function createOperationsHost(options: OperationsHostOptions): OperationsHost {
  const tokens = createSessionTokens();
  let current: { environment: Environment; operations: Operations } | null = null;
  let signedIn: { environment: Environment; session: Session } | null = null;
  /** A session that appears without an interactive attempt before it was restored from the keychain. */
  let lastStatus: AuthState['status'] = 'signedOut';
  const closing: Promise<void>[] = [];

  function activate(environment: Environment): Operations {
    if (current?.environment.id === environment.id) return current.operations;
    // Never close the signed-in environment's operations (an order may be in flight): its own journal and log serve.
    if (current && signedIn && current.environment.id === signedIn.environment.id) {
      options.log('operations: kept the signed-in environment while another was asked for');
      return current.operations;
    }
    const previous = current ? current.operations.close() : undefined;
    if (previous) closing.push(previous);
    const operations = createOperations({
      ...(previous ? { openAfter: previous } : {}),
      tokens,
      apiBase: environment.apiBase,
      environment: environment.id,
      ordersApi: environment.ordersApi,
      dataDir: options.dataDir,
      events: options.events,
      clock: () => new Date(options.now()),
      ...(options.dispatcher ? { dispatcher: options.dispatcher } : {}),
      ...(options.budgetFor ? { budget: options.budgetFor(environment) } : {}),
      ...(options.tuning ? { tuning: options.tuning } : {}),
    });
    current = { environment, operations };
    return operations;
  }

  function audit(environment: Environment, entry: Parameters<Operations['recordAudit']>[0]): void {
    void activate(environment).recordAudit({ environment: environment.id, ...entry });
  }

  return {
    activate,
    signedInEnvironment: () => signedIn?.environment ?? null,

    onAuthChange(state, session, environment) {
      const previous = signedIn;
      const interactive = lastStatus === 'signingIn';
      lastStatus = state.status;
      tokens.use(session);
      signedIn = session && environment ? { session, environment } : null;
      if (signedIn && previous?.session !== signedIn.session) {
        const { environment: env, session: s } = signedIn;
        const who = s.identity.email || s.identity.subject;
        audit(env, { action: 'sign_in', outcome: 'ok', summary: interactive ? `Signed in as ${who}` : `Saved session restored for ${who}` });
        activate(env)
          .start()
          .catch((e: unknown) => options.log(`operations: start-up reconciliation failed (${e instanceof Error ? e.name : 'error'})`));
      }
      if (previous && previous.session !== signedIn?.session) {
        const operator = previous.session.identity.email || previous.session.identity.subject;
        const expired = state.status === 'signedOut' && state.reason !== undefined;
        audit(previous.environment, expired
          ? { action: 'session_expired', outcome: 'error', summary: state.status === 'signedOut' && state.reason ? state.reason : 'The session ended.', operator }
          : { action: 'sign_out', outcome: 'ok', summary: 'Signed out', operator });
      }
    },

    async close() {
      const last = current;
      current = null;
      await Promise.allSettled([...closing, last?.operations.close()]);
    },
  };
}
