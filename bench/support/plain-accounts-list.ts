// The comparison for accounts-render: the same rows as the app's AccountsTable (same markup, classes and Amount component)
// rendered with React but NOT virtualized, i.e. every row in the DOM. Bundled by esbuild for the browser page; it exposes
// window.__benchPlain.mount(rows, rect) / unmount(). Written with createElement so the test tsconfig type-checks it.
import { createElement as h, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { BalancesState } from '../../shared/domain';
import type { ProfileRow } from '../../shared/ipc-contract';
import { Amount } from '../../renderer/src/components/Amount';

const ROW_HEIGHT = 52;

/** Same output as AccountsTable's Holdings. */
function holdings(balances: BalancesState | undefined): ReactNode {
  switch (balances?.status) {
    case 'ready': {
      const held = balances.items.filter((b) => b.available !== '0' && !/^0(\.0+)?$/.test(b.available));
      if (held.length === 0) return h('span', { className: 'muted' }, 'No holdings');
      return h(
        'span',
        { className: 'holdings' },
        held.map((b, i) => h('span', { key: b.asset }, i > 0 ? h('span', { 'aria-hidden': 'true' }, ' · ') : null, h(Amount, { value: b.available, asset: b.asset }))),
      );
    }
    case 'forbidden':
      return h('span', { className: 'warning-text' }, `No permission (${balances.missingScope})`);
    case 'error':
      return h('span', { className: 'error-text' }, 'Balances unavailable');
    default:
      return h('span', { className: 'muted' }, 'Loading…');
  }
}

function Row({ row, index }: { readonly row: ProfileRow; readonly index: number }) {
  const { profile, balances } = row;
  return h(
    'div',
    { role: 'row', 'aria-rowindex': index + 2, className: 'trow', style: { height: ROW_HEIGHT }, 'data-profile-id': profile.id },
    h(
      'span',
      { role: 'cell', className: 'cell-name' },
      h('a', { href: `#/accounts/${encodeURIComponent(profile.id)}` }, profile.nickname || profile.id),
      profile.type !== 'NORMAL' ? h('span', { className: 'subtle' }, profile.type.toLowerCase()) : null,
    ),
    h('span', { role: 'cell', className: 'cell-holdings' }, holdings(balances)),
    h(
      'span',
      { role: 'cell', className: 'cell-total num' },
      balances.status === 'ready' ? h(Amount, { value: balances.totalUsd, asset: 'USD', withAsset: false }) : h('span', { className: 'muted' }, '—'),
    ),
  );
}

function PlainList({ rows }: { readonly rows: readonly ProfileRow[] }) {
  return h(
    'div',
    { role: 'table', 'aria-label': 'Delegated accounts (plain list)', 'aria-rowcount': rows.length + 1, className: 'tbody-scroll', tabIndex: 0, 'data-testid': 'plain-scroller' },
    h(
      'div',
      { role: 'rowgroup', className: 'thead' },
      h(
        'div',
        { role: 'row', 'aria-rowindex': 1, className: 'trow trow-head' },
        h('span', { role: 'columnheader', className: 'cell-name' }, 'Account'),
        h('span', { role: 'columnheader', className: 'cell-holdings' }, 'Available holdings'),
        h('span', { role: 'columnheader', className: 'cell-total' }, 'Total (USD)'),
      ),
    ),
    h(
      'div',
      { role: 'rowgroup', className: 'tbody' },
      rows.map((row, index) => h(Row, { key: row.profile.id, row, index })),
    ),
  );
}

interface Rect {
  readonly top: number;
  readonly left: number;
  readonly width: number;
  readonly height: number;
}

let root: Root | null = null;
let host: HTMLDivElement | null = null;

const api = {
  /** Renders every row into a box at `rect` (the virtualized table's place on screen), above the app. */
  mount(rows: readonly ProfileRow[], rect: Rect): void {
    api.unmount();
    host = document.createElement('div');
    host.className = 'vtable';
    Object.assign(host.style, { position: 'fixed', top: `${rect.top}px`, left: `${rect.left}px`, width: `${rect.width}px`, height: `${rect.height}px`, zIndex: '1000' });
    document.body.append(host);
    root = createRoot(host);
    root.render(h(PlainList, { rows }));
  },
  unmount(): void {
    root?.unmount();
    host?.remove();
    root = null;
    host = null;
  },
};

(window as unknown as { __benchPlain: typeof api }).__benchPlain = api;
