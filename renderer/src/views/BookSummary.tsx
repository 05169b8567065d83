// The line above the accounts table: the total across every account once every balance is in (until then how many are,
// "of 200+" while more accounts are still being listed), the age of the oldest balance shown, and a lockout pause.
import type { BalancesSummary } from '../../../shared/domain';
import { Amount } from '../components/Amount';
import { formatClock } from '../lib/format';

const count = (n: number): string => n.toLocaleString('en-US');

export interface BookSummaryProps {
  readonly summary: BalancesSummary;
  /** The list is sorted by total: say so while some totals are missing. */
  readonly sortedByTotal: boolean;
  /** A lockout in force: when loading resumes (ISO time). */
  readonly pausedUntil: string | null;
}

export function BookSummary({ summary, sortedByTotal, pausedUntil }: BookSummaryProps) {
  const complete = summary.totalUsd !== null;
  const unavailable = summary.unavailable > 0 ? `, ${count(summary.unavailable)} unavailable` : '';
  return (
    <div className="book-summary">
    <dl aria-label="All accounts">
      <div>
        <dt>Total across accounts</dt>
        <dd data-testid="book-total">
          {summary.totalUsd !== null ? (
            <Amount value={summary.totalUsd} asset="USD" />
          ) : (
            <span className="note">
              {count(summary.loaded)} of {count(summary.profiles)}
              {summary.listed ? '' : '+'} loaded{unavailable}
            </span>
          )}
        </dd>
      </div>
      {summary.oldestAt !== null && (
        <div>
          <dt>Balances</dt>
          <dd data-testid="book-age">as of {formatClock(summary.oldestAt)}</dd>
        </div>
      )}
      {pausedUntil !== null && (
        <div>
          <dt>Loading</dt>
          <dd>paused until {formatClock(pausedUntil)}</dd>
        </div>
      )}
    </dl>
    {sortedByTotal && !complete && <p className="note">Sorted by the totals loaded so far.</p>}
    </div>
  );
}
