// Sign-in view: environment picker, "Continue in your browser", the waiting state with Cancel, and why the last attempt failed.
import { useEffect, useId, useRef } from 'react';
import type { AuthState, EnvironmentSummary, Settings } from '../../../shared/domain';
import { ErrorNotice, Notice } from '../components/Notice';
import { ViewHeading } from '../components/ViewHeading';
import { valueOf } from '../lib/async';
import { formatCountdown } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useAuth } from '../stores/auth';
import { useOrderDrafts } from '../stores/order-drafts';
import { environmentLabel, useSettings } from '../stores/settings';

type SignedOutOrWaiting = Exclude<AuthState, { status: 'signedIn' }>;

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function EnvironmentDetails({ env }: { readonly env: EnvironmentSummary }) {
  return (
    <dl className="env-details">
      <dt>Sign-in server</dt>
      <dd>{hostOf(env.issuer)}</dd>
      <dt>API</dt>
      <dd>{hostOf(env.apiBase)}</dd>
    </dl>
  );
}

function EnvironmentPicker({ settings, disabled }: { readonly settings: Settings; readonly disabled: boolean }) {
  const id = useId();
  const saving = useSettings((s) => s.saving);
  const setEnvironment = useSettings((s) => s.setEnvironment);
  const current = settings.environments.find((e) => e.id === (saving ?? settings.environment));
  return (
    <div className="field">
      <label htmlFor={id}>Environment</label>
      <select
        id={id}
        value={saving ?? settings.environment}
        disabled={disabled || saving !== null}
        aria-describedby={`${id}-details`}
        onChange={(e) => void setEnvironment(e.target.value)}
      >
        {settings.environments.map((env) => (
          <option key={env.id} value={env.id}>
            {env.label}
          </option>
        ))}
      </select>
      <div id={`${id}-details`}>
        {current && <EnvironmentDetails env={current} />}
        {current?.kind === 'paxos-production' && <p className="warning-text">Production: orders move real funds.</p>}
      </div>
    </div>
  );
}

/** The RFC 8252 fallback: when the OS does not hand the app's link back, the browser can return to a one-time 127.0.0.1 address. */
function RedirectChoice({ settings, disabled }: { readonly settings: Settings; readonly disabled: boolean }) {
  const id = useId();
  const saving = useSettings((s) => s.saving);
  const setRedirect = useSettings((s) => s.setRedirect);
  const savingRedirect = useSettings((s) => s.savingRedirect);
  return (
    <div className="field field-check">
      <input
        id={id}
        type="checkbox"
        checked={(savingRedirect ?? settings.redirect) === 'loopback'}
        disabled={disabled || saving !== null}
        aria-describedby={`${id}-help`}
        onChange={(e) => void setRedirect(e.target.checked ? 'loopback' : 'custom-scheme')}
      />
      <label htmlFor={id}>Use a local address instead</label>
      <p id={`${id}-help`} className="hint">
        Tick this if the browser finishes but never comes back to Partner Console. The browser then returns to a one-time address on this
        computer (127.0.0.1).
      </p>
    </div>
  );
}

function Waiting({ startedAt, environment }: { readonly startedAt: string; readonly environment: string }) {
  const now = useNow();
  const pending = useAuth((s) => s.pending);
  const cancel = useAuth((s) => s.cancelSignIn);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const elapsed = now - new Date(startedAt).getTime();
  return (
    <section className="waiting" aria-labelledby="waiting-title">
      <div className="spinner" aria-hidden="true" />
      <h2 id="waiting-title" ref={heading} tabIndex={-1}>
        Waiting for your browser…
      </h2>
      <p>
        Finish signing in to <strong>{environment}</strong> in the browser window that opened, then come back here. This screen
        moves on by itself.
      </p>
      <p className="muted">Started {elapsed >= 1000 ? `${formatCountdown(elapsed)} ago` : 'just now'}.</p>
      <p className="muted">Finished in the browser but still waiting here? Cancel, tick “Use a local address instead”, and try again.</p>
      <button type="button" className="button" onClick={() => void cancel()} disabled={pending === 'cancel'}>
        {pending === 'cancel' ? 'Cancelling…' : 'Cancel'}
      </button>
    </section>
  );
}

export function SignIn({ auth }: { readonly auth: SignedOutOrWaiting }) {
  const settingsState = useSettings((s) => s.settings);
  const saveError = useSettings((s) => s.saveError);
  /** An environment switch being saved: signing in now would go to the environment it replaces. */
  const switching = useSettings((s) => s.saving !== null);
  const reloadSettings = useSettings((s) => s.load);
  const { pending, error, signIn } = useAuth();
  const keptDrafts = useOrderDrafts((s) => Object.values(s.drafts).filter((d) => d.amount.trim() !== '').length);
  const settings = valueOf(settingsState);
  const waiting = auth.status === 'signingIn';

  return (
    <main className="signin">
      <div className="signin-card">
        <ViewHeading title="Sign in" noFocus>
          Sign in to Partner Console
        </ViewHeading>
        <p className="lede">You sign in with your web browser. Partner Console never sees your password.</p>

        {settings?.configIssue && (
          <Notice tone="warning" title="Your environments file has a problem, so only the built-in environments are available.">
            <p>{settings.configIssue}</p>
          </Notice>
        )}
        {auth.status === 'signedOut' && auth.reason && !error && (
          <Notice tone="info" title="You were signed out.">
            <p>{auth.reason}</p>
            {keptDrafts > 0 && <p>Your unsent mint/redeem input is kept: it is there again when you sign in as the same operator.</p>}
          </Notice>
        )}
        {error?.code === 'cancelled' && <Notice tone="info" title={error.message || 'Sign-in was cancelled.'} />}
        {error && error.code !== 'cancelled' && <ErrorNotice error={error} />}
        {saveError && <ErrorNotice error={saveError} context="Could not switch the environment." />}
        {settingsState.status === 'error' && !settings && (
          <ErrorNotice error={settingsState.error} context="Could not load the environments." onRetry={() => void reloadSettings()} />
        )}
        {!settings && settingsState.status !== 'error' && <p role="status">Loading environments…</p>}

        {settings && <EnvironmentPicker settings={settings} disabled={waiting || pending === 'signIn'} />}
        {settings && <RedirectChoice settings={settings} disabled={waiting || pending === 'signIn'} />}

        {waiting ? (
          <Waiting startedAt={auth.startedAt} environment={environmentLabel(settings, auth.environment)} />
        ) : (
          <button
            type="button"
            className="button button-primary button-wide"
            disabled={!settings || pending === 'signIn' || switching}
            onClick={() => settings && void signIn(settings.environment)}
          >
            {pending === 'signIn' ? 'Opening your browser…' : 'Continue in your browser'}
          </button>
        )}
      </div>
    </main>
  );
}
