// Search, sort and page the cached profiles for `accounts:listProfiles`, with an opaque cursor bound to the query.
import { createHash } from 'node:crypto';
import { appError, type AppError } from '../../../shared/app-error';
import type { BalancesState, Profile } from '../../../shared/domain';
import { compareAmounts } from '../../../shared/money';
import { err, ok, type Result } from '../../../shared/result';

export interface ProfileRecord {
  readonly profile: Profile;
  readonly balances: BalancesState;
}

export interface ProfileQuery {
  readonly search?: string | undefined;
  readonly sort: 'name' | 'total';
  readonly direction: 'asc' | 'desc';
  readonly limit: number;
  readonly cursor?: string | undefined;
}

export interface ProfileQueryResult {
  readonly items: ProfileRecord[];
  readonly nextCursor: string | null;
  /** Matches across all pages. */
  readonly total: number;
}

const collator = new Intl.Collator('en', { sensitivity: 'base', numeric: true });

function normalizedSearch(search: string | undefined): string {
  return (search ?? '').trim().toLowerCase();
}

function fingerprint(query: ProfileQuery): string {
  return createHash('sha256').update(JSON.stringify([normalizedSearch(query.search), query.sort, query.direction])).digest('base64url').slice(0, 16);
}

export function encodeCursor(offset: number, query: ProfileQuery): string {
  return Buffer.from(JSON.stringify({ o: offset, f: fingerprint(query) })).toString('base64url');
}

function decodeCursor(cursor: string, query: ProfileQuery): Result<number, AppError> {
  const bad = err(appError('invalid_request', 'The list position is no longer valid; start again from the first page.'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return bad;
  }
  const c = parsed as { o?: unknown; f?: unknown };
  if (typeof c.o !== 'number' || !Number.isSafeInteger(c.o) || c.o < 0 || c.f !== fingerprint(query)) return bad;
  return ok(c.o);
}

function byName(a: ProfileRecord, b: ProfileRecord): number {
  return collator.compare(a.profile.nickname, b.profile.nickname) || (a.profile.id < b.profile.id ? -1 : a.profile.id > b.profile.id ? 1 : 0);
}

/** Sorting by total puts profiles whose balances are not loaded (yet) last in both directions, by name. */
function comparator(sort: ProfileQuery['sort'], direction: ProfileQuery['direction']): (a: ProfileRecord, b: ProfileRecord) => number {
  const sign = direction === 'asc' ? 1 : -1;
  if (sort === 'name') return (a, b) => sign * byName(a, b);
  return (a, b) => {
    const ta = a.balances.status === 'ready' ? a.balances.totalUsd : null;
    const tb = b.balances.status === 'ready' ? b.balances.totalUsd : null;
    if (ta !== null && tb !== null) return sign * compareAmounts(ta, tb) || byName(a, b);
    if (ta !== null) return -1;
    if (tb !== null) return 1;
    return byName(a, b);
  };
}

/** Matches nickname or id, case-insensitively, anywhere in the text. */
export function matchesSearch(record: ProfileRecord, search: string): boolean {
  return search === '' || record.profile.nickname.toLowerCase().includes(search) || record.profile.id.toLowerCase().includes(search);
}

/** The records matching the search, in the query's order (what a cache may keep while the records do not change). */
export function sortedMatches<R extends ProfileRecord>(records: readonly R[], query: Pick<ProfileQuery, 'search' | 'sort' | 'direction'>): R[] {
  const search = normalizedSearch(query.search);
  return records.filter((r) => matchesSearch(r, search)).sort(comparator(query.sort, query.direction));
}

/** One page of already sorted matches, with the cursor to the next one. */
export function pageOf<R extends ProfileRecord>(matching: readonly R[], query: ProfileQuery): Result<{ items: R[]; nextCursor: string | null; total: number }, AppError> {
  let offset = 0;
  if (query.cursor !== undefined) {
    const decoded = decodeCursor(query.cursor, query);
    if (!decoded.ok) return decoded;
    offset = decoded.value;
  }
  const items = matching.slice(offset, offset + query.limit);
  const end = offset + items.length;
  return ok({ items, nextCursor: end < matching.length ? encodeCursor(end, query) : null, total: matching.length });
}

export function queryProfiles(records: readonly ProfileRecord[], query: ProfileQuery): Result<ProfileQueryResult, AppError> {
  return pageOf(sortedMatches(records, query), query);
}
