// Top-level view: shows the environments the core knows about (the full operator views arrive with the UI issue).
import { useEffect, useState } from 'react';
import type { Settings } from '../../shared/domain';
import { bridge } from '../ipc/client';

type Load = { status: 'loading' } | { status: 'ready'; settings: Settings } | { status: 'error'; message: string };

export function App() {
  const [state, setState] = useState<Load>({ status: 'loading' });
  useEffect(() => {
    bridge()
      .getSettings()
      .then((r) => setState(r.ok ? { status: 'ready', settings: r.value } : { status: 'error', message: r.error.message }))
      .catch((e: unknown) => setState({ status: 'error', message: e instanceof Error ? e.message : 'Could not load settings.' }));
  }, []);
  return (
    <main>
      <h1>Partner Console</h1>
      {state.status === 'loading' && <p>Loading…</p>}
      {state.status === 'error' && <p role="alert">{state.message}</p>}
      {state.status === 'ready' && (
        <ul aria-label="Environments">
          {state.settings.environments.map((e) => (
            <li key={e.id}>
              {e.label} {e.id === state.settings.environment ? '(selected)' : ''}
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
