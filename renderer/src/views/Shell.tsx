// App shell once signed in: header with the navigation (Accounts, Orders, Activity, Session), session and request-limit
// notices, and the routed view.
import { useEffect } from 'react';
import type { AuthState } from '../../../shared/domain';
import { Notice } from '../components/Notice';
import { valueOf } from '../lib/async';
import { formatClock } from '../lib/format';
import { useNow } from '../lib/use-now';
import { href, useRoute, type Route } from '../router';
import { activeLockout, useLimits } from '../stores/limits';
import { environmentLabel, useSettings } from '../stores/settings';
import { AccountDetail } from './AccountDetail';
import { Accounts } from './Accounts';
import { Activity } from './Activity';
import { ConvertForm } from './ConvertForm';
import { Orders } from './Orders';
import { Session } from './Session';

type SignedIn = Extract<AuthState, { status: 'signedIn' }>;

const NAV = [
  { label: 'Accounts', to: href.accounts(), section: 'accounts' },
  { label: 'Orders', to: href.orders(), section: 'orders' },
  { label: 'Activity', to: href.activity(), section: 'activity' },
  { label: 'Session', to: href.session(), section: 'session' },
] as const;

function sectionOf(route: Route): string {
  return route.name === 'account' || route.name === 'convert' ? 'accounts' : route.name;
}

/** Paxos answered 429: nothing is sent until the lockout is over. Said once, plainly, above every view. */
function LockoutBanner({ environment }: { readonly environment: string }) {
  const now = useNow(1000);
  const lockout = useLimits((s) => activeLockout(s, environment, now));
  const load = useLimits((s) => s.load);
  useEffect(() => {
    void load();
  }, [load, environment]);
  if (!lockout) return null;
  const until = formatClock(lockout.until);
  return (
    <section className="banner" aria-label="Request limit notice">
      <Notice tone="warning" title={`Paxos is limiting requests from this computer until ${until}.`}>
        <p>
          Partner Console sends nothing until then, so the limit is not extended. Balances resume loading by themselves at {until}. New orders are
          refused until then (nothing is sent or recorded); orders sent earlier are checked first when the limit resets.
        </p>
      </Notice>
    </section>
  );
}

function View({ route, session }: { readonly route: Route; readonly session: SignedIn }) {
  switch (route.name) {
    case 'accounts':
      return <Accounts />;
    case 'account':
      return <AccountDetail profileId={route.profileId} />;
    case 'convert':
      return <ConvertForm profileId={route.profileId} />;
    case 'orders':
      return <Orders />;
    case 'activity':
      return <Activity />;
    case 'session':
      return <Session session={session} />;
  }
}

export function Shell({ session }: { readonly session: SignedIn }) {
  const route = useRoute();
  const settings = valueOf(useSettings((s) => s.settings));
  const section = sectionOf(route);
  const environment = settings?.environments.find((e) => e.id === session.environment);
  return (
    <div className="shell">
      <a
        className="skip-link"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">Partner Console</span>
        <nav aria-label="Main">
          <ul className="nav">
            {NAV.map((item) => (
              <li key={item.section}>
                <a href={item.to} aria-current={section === item.section ? 'page' : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="whoami">
          <span className={`env-badge env-${environment?.kind ?? 'custom'}`}>{environmentLabel(settings, session.environment)}</span>
          <span className="operator">{session.name || session.email || session.subject}</span>
        </div>
      </header>
      {!session.persisted && (
        <section className="banner" aria-label="Session notice">
          <Notice tone="warning" title="Your session is not saved in the system keychain." live={false}>
            <p>You stay signed in until you quit Partner Console; next time you will need to sign in again.</p>
            {session.persistenceIssue && <p className="small">Reason: {session.persistenceIssue}</p>}
          </Notice>
        </section>
      )}
      <LockoutBanner environment={session.environment} />
      <main id="main" className="content" tabIndex={-1}>
        <View route={route} session={session} />
      </main>
    </div>
  );
}
