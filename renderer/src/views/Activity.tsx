// Activity view: the audit log (what was done, by whom, with what result), live updates, older entries, and CSV export.
import { useEffect } from 'react';
import { ErrorNotice, Notice } from '../components/Notice';
import { ViewHeading } from '../components/ViewHeading';
import { valueOf } from '../lib/async';
import { formatCount, formatTime } from '../lib/format';
import { useActivity } from '../stores/activity';
import { environmentLabel, useSettings } from '../stores/settings';

const ACTION_LABEL: Readonly<Record<string, string>> = {
  sign_in: 'Signed in',
  sign_out: 'Signed out',
  session_expired: 'Session ended',
  order_submit: 'Order submitted',
  order_result: 'Order result',
  order_cancel: 'Order cancelled',
};

function ExportStatus() {
  const exported = useActivity((s) => s.exported);
  switch (exported.status) {
    case 'ready':
      return exported.value.status === 'saved' ? (
        <Notice tone="success" title={`Saved ${formatCount(exported.value.rows, 'entry', 'entries')}.`}>
          <p className="mono">{exported.value.path}</p>
        </Notice>
      ) : (
        <Notice tone="info" title="Export cancelled: nothing was saved." />
      );
    case 'error':
      return <ErrorNotice error={exported.error} context="Could not export the activity." />;
    default:
      return null;
  }
}

export function Activity() {
  const { log, loadingOlder, exported, load, loadOlder, exportCsv } = useActivity();
  useEffect(() => void load(), [load]);
  const page = valueOf(log);
  const settings = valueOf(useSettings((s) => s.settings));
  return (
    <section className="view">
      <div className="view-header view-header-actions">
        <div>
          <ViewHeading title="Activity" />
          <p className="muted">Everything done in Partner Console on this computer, newest first.</p>
        </div>
        <button type="button" className="button" onClick={() => void exportCsv()} disabled={exported.status === 'loading'}>
          {exported.status === 'loading' ? 'Exporting…' : 'Export CSV'}
        </button>
      </div>
      <ExportStatus />
      {log.status === 'error' && <ErrorNotice error={log.error} context="Could not load the activity." onRetry={() => void load()} />}
      {!page && log.status === 'loading' && <p role="status">Loading activity…</p>}
      {page && page.items.length === 0 && <p className="empty">Nothing has happened yet.</p>}
      {page && page.items.length > 0 && (
        <table className="table">
          <caption className="visually-hidden">Activity log</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Operator</th>
              <th scope="col">Environment</th>
              <th scope="col">Action</th>
              <th scope="col">Result</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((e) => (
              <tr key={e.id}>
                <td className="nowrap">{formatTime(e.at)}</td>
                <td>{e.operator}</td>
                <td className="nowrap">{environmentLabel(settings, e.environment)}</td>
                <td className="nowrap">{ACTION_LABEL[e.action] ?? e.action}</td>
                <td>
                  <span className={`badge ${e.outcome === 'ok' ? 'badge-settled' : 'badge-rejected'}`}>{e.outcome === 'ok' ? 'OK' : 'Failed'}</span>
                </td>
                <td>{e.summary}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {page?.hasMore && (
        <button type="button" className="button" onClick={() => void loadOlder()} disabled={loadingOlder}>
          {loadingOlder ? 'Loading…' : 'Show older entries'}
        </button>
      )}
    </section>
  );
}
