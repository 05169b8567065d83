// Hash routes (#/accounts, #/accounts/<id>, #/accounts/<id>/convert, #/orders, #/activity, #/session) and a hook to read them.
import { useSyncExternalStore } from 'react';

export type Route =
  | { readonly name: 'accounts' }
  | { readonly name: 'account'; readonly profileId: string }
  | { readonly name: 'convert'; readonly profileId: string }
  | { readonly name: 'orders' }
  | { readonly name: 'activity' }
  | { readonly name: 'session' };

const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [first, id, action] = parts;
  if (first === 'accounts' && id !== undefined && ID.test(id)) {
    if (action === 'convert' && parts.length === 3) return { name: 'convert', profileId: id };
    if (parts.length === 2) return { name: 'account', profileId: id };
  }
  if (parts.length === 1 && (first === 'orders' || first === 'activity' || first === 'session')) return { name: first };
  return { name: 'accounts' };
}

export const href = {
  accounts: () => '#/accounts',
  account: (profileId: string) => `#/accounts/${encodeURIComponent(profileId)}`,
  convert: (profileId: string) => `#/accounts/${encodeURIComponent(profileId)}/convert`,
  orders: () => '#/orders',
  activity: () => '#/activity',
  session: () => '#/session',
} as const;

export function navigate(to: string): void {
  if (window.location.hash !== to) window.location.hash = to;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}
