// Top-level view: loads settings and the session, subscribes the stores to main's events, then shows Sign-in or the app shell.
import { useEffect } from 'react';
import { ErrorNotice } from './components/Notice';
import { hasBridge } from '../ipc/client';
import { valueOf } from './lib/async';
import { useAuth } from './stores/auth';
import { connectBridgeEvents } from './stores/events';
import { useSettings } from './stores/settings';
import { Shell } from './views/Shell';
import { SignIn } from './views/SignIn';

function Starting() {
  return (
    <main className="splash">
      <h1 className="visually-hidden">Partner Console</h1>
      <p role="status">Starting Partner Console…</p>
    </main>
  );
}

export function App() {
  const authState = useAuth((s) => s.state);
  const loadAuth = useAuth((s) => s.load);
  const bridged = hasBridge();

  useEffect(() => {
    if (!bridged) return;
    const disconnect = connectBridgeEvents();
    void useSettings.getState().load();
    void useAuth.getState().load();
    return disconnect;
  }, [bridged]);

  if (!bridged) {
    return (
      <main className="splash">
        <h1>Partner Console</h1>
        <p role="alert">This page only works inside the Partner Console desktop app.</p>
      </main>
    );
  }
  const auth = valueOf(authState);
  if (!auth) {
    if (authState.status === 'error') {
      return (
        <main className="splash">
          <h1>Partner Console</h1>
          <ErrorNotice error={authState.error} context="Partner Console could not read your session." onRetry={() => void loadAuth()} />
        </main>
      );
    }
    return <Starting />;
  }
  return auth.status === 'signedIn' ? <Shell session={auth} /> : <SignIn auth={auth} />;
}
