// Accounts view: search and sort over the delegated profiles, the count, refresh, and the virtualized table.
import { useEffect, useId, useState } from 'react';
import { ErrorNotice } from '../components/Notice';
import { ViewHeading } from '../components/ViewHeading';
import { valueOf } from '../lib/async';
import { formatCount } from '../lib/format';
import { useAccounts, type AccountsQuery } from '../stores/accounts';
import { AccountsTable } from './AccountsTable';

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
        <button type="button" className="button" onClick={() => void load({ refresh: true })} disabled={list.status === 'loading'}>
          Refresh
        </button>
        <p className="toolbar-status" role="status" aria-live="polite">
          {status}
        </p>
      </div>
      {list.status === 'error' && <ErrorNotice error={list.error} context="Could not load the accounts." onRetry={() => void load()} />}
      {value && value.total === 0 && !busy ? (
        <p className="empty">{query.search ? 'No account matches this search.' : 'No profiles are delegated to you yet.'}</p>
      ) : (
        value && <AccountsTable list={value} query={query} />
      )}
    </section>
  );
}
