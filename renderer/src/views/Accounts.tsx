// Accounts view: search and sort over the delegated profiles, the count, refresh (what is stale and on screen, or all),
// the summary across every account, and the virtualized table.
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../components/Notice';
import { ViewHeading } from '../components/ViewHeading';
import { valueOf } from '../lib/async';
import { formatCount } from '../lib/format';
import { useNow } from '../lib/use-now';
import { useAccounts, type AccountsQuery } from '../stores/accounts';
import { useAuth } from '../stores/auth';
import { activeLockout, useLimits } from '../stores/limits';
import { AccountsTable } from './AccountsTable';
import { BookSummary } from './BookSummary';

const SORTS = {
  'name-asc': { sort: 'name', direction: 'asc', label: 'Name, A to Z' },
  'name-desc': { sort: 'name', direction: 'desc', label: 'Name, Z to A' },
  'total-desc': { sort: 'total', direction: 'desc', label: 'Total, highest first' },
  'total-asc': { sort: 'total', direction: 'asc', label: 'Total, lowest first' },
} as const;
type SortKey = keyof typeof SORTS;

function sortKey(q: AccountsQuery): SortKey {
  return `${q.sort}-${q.direction}` as SortKey;
}

export function Accounts() {
  const searchId = useId();
  const sortId = useId();
  const query = useAccounts((s) => s.query);
  const list = useAccounts((s) => s.list);
  const setQuery = useAccounts((s) => s.setQuery);
  const load = useAccounts((s) => s.load);
  const summary = useAccounts((s) => s.summary);
  const auth = useAuth((s) => s.state);
  const environment = auth.status === 'ready' && auth.value.status === 'signedIn' ? auth.value.environment : '';
  const now = useNow(5_000);
  const lockout = useLimits((s) => activeLockout(s, environment, now));
  const [search, setSearch] = useState(query.search);

  useEffect(() => {
    if (useAccounts.getState().list.status === 'idle') void load();
  }, [load]);

  useEffect(() => {
    if (search === useAccounts.getState().query.search) return;
    const timer = setTimeout(() => setQuery({ search }), 200);
    return () => clearTimeout(timer);
  }, [search, setQuery]);

  const value = valueOf(list);
  const busy = list.status === 'loading' || (value !== undefined && !value.complete);
  let status = 'Loading accounts…';
  if (value) {
    status = formatCount(value.total, 'account', 'accounts');
    if (query.search) status += ` matching “${query.search}”`;
    if (busy || value.serverLoading) status += ' (still loading)';
  }

  return (
    <section className="view view-fill" aria-labelledby="accounts-title">
      <div className="view-header">
        <ViewHeading title="Accounts" />
        <p className="muted">Profiles of users who delegated access to you.</p>
      </div>
      <div className="toolbar" role="search">
        <div className="field field-inline">
          <label htmlFor={searchId}>Search accounts</label>
          <input
            id={searchId}
            type="search"
            value={search}
            placeholder="Name"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <div className="field field-inline">
          <label htmlFor={sortId}>Sort by</label>
          <select
            id={sortId}
            value={sortKey(query)}
            onChange={(e) => {
              const { sort, direction } = SORTS[e.target.value as SortKey];
              setQuery({ sort, direction });
            }}
          >
            {Object.entries(SORTS).map(([key, s]) => (
              <option key={key} value={key}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          className="button"
          title="Reloads the accounts, and the balances on screen or older than 5 minutes"
          onClick={() => void load({ refresh: 'stale' })}
          disabled={list.status === 'loading'}
        >
          Refresh
        </button>
        <button
          type="button"
          className="button button-quiet"
          title="Reads every account's balances again (within Paxos's request limits, this can take a while)"
          onClick={() => void load({ refresh: 'all' })}
          disabled={list.status === 'loading'}
        >
          Refresh all
        </button>
        <p className="toolbar-status" role="status" aria-live="polite">
          {status}
        </p>
      </div>
      {summary && summary.profiles > 0 && <BookSummary summary={summary} sortedByTotal={query.sort === 'total'} pausedUntil={lockout?.until ?? null} />}
      {list.status === 'error' && <ErrorNotice error={list.error} context="Could not load the accounts." onRetry={() => void load()} />}
      {value && value.total === 0 && !busy ? (
        <p className="empty">{query.search ? 'No account matches this search.' : 'No profiles are delegated to you yet.'}</p>
      ) : (
        value && <AccountsTable list={value} query={query} />
      )}
    </section>
  );
}
