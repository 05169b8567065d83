// Session view: who is signed in, where, which orders API is in use, the scopes that API needs against those granted, token expiry, sign out.
import type { AuthState } from '../../../shared/domain';
import { requiredScopes } from '../../../shared/scopes';
import { ErrorNotice, Notice } from '../components/Notice';
import { SignInAgainButton } from '../components/SignInAgain';
import { ViewHeading } from '../components/ViewHeading';
import { valueOf } from '../lib/async';
import { formatCountdown, formatTime } from '../lib/format';
import { ORDERS_API_LABEL, ORDERS_API_PATH } from '../lib/order-words';
import { useNow } from '../lib/use-now';
import { navigate, href } from '../router';
import { useAuth } from '../stores/auth';
import { useOrderDrafts } from '../stores/order-drafts';
import { useSettings } from '../stores/settings';

type SignedIn = Extract<AuthState, { status: 'signedIn' }>;

/** "reason" → "reason. " (nothing when there is no reason). */
function sentence(text: string | undefined): string {
  const t = text?.trim();
  return t ? `${/[.!?)]$/.test(t) ? t : `${t}.`} ` : '';
}

function Expiry({ expiresAt }: { readonly expiresAt: string }) {
  const now = useNow();
  const left = new Date(expiresAt).getTime() - now;
  return (
    <>
      <time dateTime={expiresAt}>{left > 0 ? `in ${formatCountdown(left)}` : 'now'}</time>{' '}
      <span className="muted">({formatTime(expiresAt)}; renewed automatically while you are signed in)</span>
    </>
  );
}

export function Session({ session }: { readonly session: SignedIn }) {
  const settings = valueOf(useSettings((s) => s.settings));
  const { pending, error, signOut } = useAuth();
  const clearDrafts = useOrderDrafts((s) => s.clearAll);
  const env = settings?.environments.find((e) => e.id === session.environment);
  const granted = new Set(session.scopes);
  // The scopes depend on the environment's orders API (unknown until the settings have loaded).
  const needed = env ? requiredScopes(env.ordersApi) : [];
  const extra = env ? session.scopes.filter((s) => !needed.some((r) => r.scope === s)) : [];
  const missing = needed.filter((r) => !r.optional && !granted.has(r.scope));
  return (
    <section className="view view-narrow">
      <ViewHeading title="Session" />
      {error && <ErrorNotice error={error} context="Signing out did not finish." />}
      {missing.length > 0 && (
        <Notice tone="warning" title="Some permissions were not granted, so parts of Partner Console will not work." live={false}>
          <p>To grant them, sign in again and leave them ticked on the consent page.</p>
          <SignInAgainButton />
        </Notice>
      )}
      <dl className="meta meta-wide">
        <dt>Operator</dt>
        <dd>
          {session.name || session.email || session.subject} {session.name && session.email && <span className="muted">{session.email}</span>}
        </dd>
        <dt>Subject</dt>
        <dd className="mono">{session.subject}</dd>
        <dt>Environment</dt>
        <dd>
          {env?.label ?? session.environment} {env && <span className="muted mono">{env.issuer}</span>}
        </dd>
        <dt>Orders API</dt>
        <dd>
          {env ? (
            <>
              {ORDERS_API_LABEL[env.ordersApi]} <span className="muted mono">{ORDERS_API_PATH[env.ordersApi]}</span>
            </>
          ) : (
            <span className="muted">Loading…</span>
          )}
        </dd>
        <dt>Access token expires</dt>
        <dd>
          <Expiry expiresAt={session.expiresAt} />
        </dd>
        <dt>Kept in keychain</dt>
        <dd>
          {session.persisted ? 'Yes: you stay signed in after quitting.' : `No. ${sentence(session.persistenceIssue)}You will need to sign in again after quitting.`}
        </dd>
      </dl>
      <h2>Permissions</h2>
      <table className="table table-compact">
        <caption className="visually-hidden">Permissions Partner Console needs, and whether you granted them</caption>
        <thead>
          <tr>
            <th scope="col">Scope</th>
            <th scope="col">Used to</th>
            <th scope="col">Granted</th>
          </tr>
        </thead>
        <tbody>
          {needed.map((r) => (
            <tr key={r.scope}>
              <td className="mono nowrap">{r.scope}</td>
              <td>{r.purpose}</td>
              <td>
                {granted.has(r.scope) ? (
                  <span className="badge badge-settled">Granted</span>
                ) : r.optional ? (
                  <span className="badge">Not granted (optional)</span>
                ) : (
                  <span className="badge badge-rejected">Missing</span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {extra.length > 0 && <p className="small muted">Also granted: {extra.join(', ')}</p>}
      <div className="form-actions">
        <button
          type="button"
          className="button button-danger"
          disabled={pending === 'signOut'}
          onClick={() => {
            clearDrafts();
            void signOut().then(() => navigate(href.accounts()));
          }}
        >
          {pending === 'signOut' ? 'Signing out…' : 'Sign out'}
        </button>
      </div>
    </section>
  );
}
