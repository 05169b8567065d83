// CSV for the activity export: RFC 4180 quoting and CRLF rows, with spreadsheet formula injection neutralised.
import type { ActivityEntry } from '../../../shared/domain';

/** Characters that make a spreadsheet treat a cell as a formula (or smuggle one in) when they start it. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: prefixed with ' when it could be read as a formula, quoted when it holds a quote, comma, CR or LF. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function csvRow(cells: readonly string[]): string {
  return cells.map(csvCell).join(',');
}

export const ACTIVITY_CSV_HEADER = ['time', 'operator', 'environment', 'action', 'outcome', 'summary', 'ref_id', 'id'] as const;

/** The whole export, oldest first, header included, every row ending in CRLF (RFC 4180). */
export function activityCsv(entries: readonly ActivityEntry[]): string {
  const rows = [csvRow(ACTIVITY_CSV_HEADER)];
  for (const e of entries) rows.push(csvRow([e.at, e.operator, e.environment, e.action, e.outcome, e.summary, e.refId ?? '', e.id]));
  return `${rows.join('\r\n')}\r\n`;
}
