// The accounts table, virtualized with @tanstack/react-virtual: only the visible rows exist in the DOM, even at 10,000 profiles.
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef } from 'react';
import type { BalancesState } from '../../../shared/domain';
import { Amount } from '../components/Amount';
import { formatClock } from '../lib/format';
import { href } from '../router';
import { useAccounts, type AccountsList, type AccountsQuery } from '../stores/accounts';

const ROW_HEIGHT = 52;
const HEADER_HEIGHT = 40;
/** Rows past the last one rendered whose balances are asked for too, so a short scroll finds them loaded. */
const AHEAD = 12;

function Holdings({ balances }: { readonly balances: BalancesState | undefined }) {
  switch (balances?.status) {
    case 'ready': {
      const held = balances.items.filter((b) => b.available !== '0' && !/^0(\.0+)?$/.test(b.available));
      if (held.length === 0) return <span className="muted">No holdings</span>;
      return (
        <span className="holdings">
          {held.map((b, i) => (
            <span key={b.asset}>
              {i > 0 && <span aria-hidden="true"> · </span>}
              <Amount value={b.available} asset={b.asset} />
            </span>
          ))}
        </span>
      );
    }
    case 'forbidden':
      return <span className="warning-text">No permission ({balances.missingScope})</span>;
    case 'error':
      return <span className="error-text">Balances unavailable</span>;
    default:
      return <span className="muted">Loading…</span>;
  }
}

interface RowProps {
  readonly profileId: string | undefined;
  readonly index: number;
  /** Offset from the top of the list, in pixels. */
  readonly start: number;
}

const Row = memo(function Row({ profileId, index, start }: RowProps) {
  const style = { transform: `translateY(${start}px)`, height: ROW_HEIGHT };
  const profile = useAccounts((s) => (profileId ? s.profiles.get(profileId) : undefined));
  const balances = useAccounts((s) => (profileId ? s.balances.get(profileId) : undefined));
  if (!profile) {
    return (
      <div role="row" aria-rowindex={index + 2} className="trow trow-placeholder vrow" style={style}>
        <span role="cell" className="cell-name muted">
          Loading…
        </span>
        <span role="cell" className="cell-holdings" />
        <span role="cell" className="cell-total" />
      </div>
    );
  }
  return (
    <div role="row" aria-rowindex={index + 2} className="trow vrow" style={style} data-profile-id={profile.id}>
      <span role="cell" className="cell-name">
        <a href={href.account(profile.id)}>{profile.nickname || profile.id}</a>
        {profile.type !== 'NORMAL' && <span className="subtle">{profile.type.toLowerCase()}</span>}
      </span>
      <span role="cell" className="cell-holdings">
        <Holdings balances={balances} />
      </span>
      <span role="cell" className="cell-total num">
        {balances?.status === 'ready' ? (
          <>
            <Amount value={balances.totalUsd} asset="USD" withAsset={false} />
            <span className="as-of">as of {formatClock(balances.loadedAt)}</span>
          </>
        ) : (
          <span className="muted">—</span>
        )}
      </span>
    </div>
  );
});

function ariaSort(query: AccountsQuery, column: 'name' | 'total'): 'ascending' | 'descending' | undefined {
  if (query.sort !== column) return undefined;
  return query.direction === 'asc' ? 'ascending' : 'descending';
}

export function AccountsTable({ list, query }: { readonly list: AccountsList; readonly query: AccountsQuery }) {
  const scroller = useRef<HTMLDivElement>(null);
  const showing = useAccounts((s) => s.showing);
  const virtualizer = useVirtualizer({
    count: list.total,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    // The sticky header row sits inside the scroller, above the rows' container.
    scrollMargin: HEADER_HEIGHT,
    overscan: 6,
    getItemKey: (index) => list.ids[index] ?? `pending-${index}`,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items.at(-1)?.index ?? -1;

  // Tell main what is on screen (and just below) once scrolling pauses: those balances are read before the rest.
  const onScreen = list.ids.slice(first, last + 1 + AHEAD).join(' ');
  const reported = useRef(false);
  useEffect(() => {
    if (onScreen === '') return;
    // The first screen at once; later ones when scrolling pauses.
    if (!reported.current) {
      reported.current = true;
      showing(onScreen.split(' '));
      return;
    }
    const timer = setTimeout(() => showing(onScreen.split(' ')), 50);
    return () => clearTimeout(timer);
  }, [onScreen, showing]);

  useEffect(() => {
    scroller.current?.scrollTo({ top: 0 });
  }, [query]);

  return (
    <div className="vtable">
      <div
        ref={scroller}
        role="table"
        aria-label="Delegated accounts"
        aria-rowcount={list.total + 1}
        className="tbody-scroll"
        tabIndex={0}
        data-testid="accounts-scroller"
      >
        <div role="rowgroup" className="thead">
          <div role="row" aria-rowindex={1} className="trow trow-head">
            <span role="columnheader" aria-sort={ariaSort(query, 'name')} className="cell-name">
              Account
            </span>
            <span role="columnheader" className="cell-holdings">
              Available holdings
            </span>
            <span role="columnheader" aria-sort={ariaSort(query, 'total')} className="cell-total">
              Total (USD)
            </span>
          </div>
        </div>
        <div role="rowgroup" className="tbody" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => (
            <Row key={item.key} profileId={list.ids[item.index]} index={item.index} start={item.start - HEADER_HEIGHT} />
          ))}
        </div>
      </div>
    </div>
  );
}
